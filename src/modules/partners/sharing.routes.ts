import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { notFound } from '../../lib/errors.js';
import {
  createPackage,
  getPackage,
  getSharingSettings,
  listPackages,
  previewPackage,
  revokePackage,
  setSharingSettings,
} from './package.service.js';
import { downloadPackage } from './package-link.service.js';
import {
  crisisParams,
  packageCreatedSchema,
  packageCreateSchema,
  packageDetailSchema,
  packageListQuery,
  packageParams,
  packagePreviewSchema,
  packageSchema,
  partnerParams,
  personParams,
  personShareSchema,
  previewSchema,
  profileInputSchema,
  profileParams,
  profileSchema,
  profileUpdateSchema,
  shareTokenParams,
  sharingSettingsSchema,
} from './partner.schemas.js';
import { sharesOfPerson } from './person-shares.service.js';
import { createProfile, listProfiles, updateProfile } from './sharing-profile.service.js';

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{22,64}$/;

/** Sharing profiles, link settings, data packages, a person's sharing history and the partner's download. */
export async function sharingRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['partners'];
  const base = '/crises/:crisisId';

  // ---- sharing profiles ----
  r.get(
    `${base}/partners/:partnerId/sharing-profiles`,
    {
      config: { access: 'partner.read' },
      schema: {
        tags,
        summary: 'Sharing profiles of a partner',
        params: partnerParams,
        response: { 200: z.object({ items: z.array(profileSchema) }) },
      },
    },
    async (req) => ({ items: await listProfiles(ctx, req.actor, req.params.crisisId, req.params.partnerId) }),
  );
  r.post(
    `${base}/partners/:partnerId/sharing-profiles`,
    {
      config: { access: 'partner.manage' },
      schema: {
        tags,
        summary: 'Define which fields and which people a partner may receive',
        params: partnerParams,
        body: profileInputSchema,
        response: { 201: profileSchema },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await createProfile(ctx, req.actor, req.params.crisisId, req.params.partnerId, req.body)),
  );
  r.put(
    `${base}/sharing-profiles/:profileId`,
    {
      config: { access: 'partner.manage' },
      schema: {
        tags,
        summary: 'Replace a sharing profile (with the version read)',
        params: profileParams,
        body: profileUpdateSchema,
        response: { 200: profileSchema },
      },
    },
    async (req) => updateProfile(ctx, req.actor, req.params.crisisId, req.params.profileId, req.body),
  );

  // ---- packages ----
  r.get(
    `${base}/sharing-settings`,
    {
      config: { access: 'partner.read' },
      schema: {
        tags,
        summary: 'Default and maximum lifetime of download links in this crisis',
        params: crisisParams,
        response: { 200: sharingSettingsSchema },
      },
    },
    async (req) => getSharingSettings(ctx, req.actor, req.params.crisisId),
  );
  r.put(
    `${base}/sharing-settings`,
    {
      config: { access: 'crisis.update' },
      schema: {
        tags,
        summary: 'Set the default and maximum lifetime of download links',
        params: crisisParams,
        body: sharingSettingsSchema,
        response: { 200: sharingSettingsSchema },
      },
    },
    async (req) => setSharingSettings(ctx, req.actor, req.params.crisisId, req.body),
  );
  r.post(
    `${base}/data-packages/preview`,
    {
      config: { access: 'share.create' },
      schema: {
        tags,
        summary: 'What a package from a profile would hold now: fields and row count (no personal data)',
        params: crisisParams,
        body: packagePreviewSchema,
        response: { 200: previewSchema },
      },
    },
    async (req) => previewPackage(ctx, req.actor, req.params.crisisId, req.body.profileId),
  );
  r.post(
    `${base}/data-packages`,
    {
      config: { access: 'share.create' },
      schema: {
        tags,
        summary: 'Build a package from a profile; the answer carries its download link, shown once',
        params: crisisParams,
        body: packageCreateSchema,
        response: { 201: packageCreatedSchema },
      },
    },
    async (req, reply) => {
      const created = await createPackage(ctx, req.actor, req.params.crisisId, req.body);
      return reply.status(201).header('cache-control', 'no-store').send(created);
    },
  );
  r.get(
    `${base}/data-packages`,
    {
      config: { access: 'partner.read' },
      schema: {
        tags,
        summary: 'The log of packages sent (of one partner or request)',
        params: crisisParams,
        querystring: packageListQuery,
        response: { 200: z.object({ items: z.array(packageSchema) }) },
      },
    },
    async (req) => ({ items: await listPackages(ctx, req.actor, req.params.crisisId, req.query) }),
  );
  r.get(
    `${base}/data-packages/:packageId`,
    {
      config: { access: 'partner.read' },
      schema: {
        tags,
        summary: 'One package with its download log',
        params: packageParams,
        response: { 200: packageDetailSchema },
      },
    },
    async (req) => getPackage(ctx, req.actor, req.params.crisisId, req.params.packageId),
  );
  r.post(
    `${base}/data-packages/:packageId/revoke`,
    {
      config: { access: 'share.create' },
      schema: {
        tags,
        summary: 'End a package’s link now and delete its stored file',
        params: packageParams,
        response: { 200: packageSchema },
      },
    },
    async (req) => revokePackage(ctx, req.actor, req.params.crisisId, req.params.packageId),
  );
  r.get(
    `${base}/persons/:personId/shares`,
    {
      config: { access: 'person.read' },
      schema: {
        tags,
        summary: 'Who received this person’s data: packages that included them (audited)',
        params: personParams,
        response: { 200: z.object({ items: z.array(personShareSchema) }) },
      },
    },
    async (req) => ({
      items: await sharesOfPerson(ctx, req.actor, req.params.crisisId, req.params.personId),
    }),
  );

  // ---- the partner's download: no session, rate-limited, one answer for every dead link ----
  r.get(
    '/shares/:token',
    {
      // Fastify's request log lines carry the URL, and this URL is the secret: keep them out.
      logLevel: 'warn',
      config: {
        access: 'public',
        rateLimit: {
          max: Math.max(10, Math.floor(ctx.config.rateLimits.portalPerMinute / 10)),
          timeWindow: '1 minute',
        },
      },
      schema: {
        tags: ['public'],
        summary: 'Download a data package by its link (404 for unknown, expired, revoked or used-up links)',
        params: shareTokenParams,
      },
    },
    async (req, reply) => {
      const file = TOKEN_SHAPE.test(req.params.token)
        ? await downloadPackage(ctx, req.params.token, req.ip)
        : undefined;
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      if (!file) throw notFound('download');
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .send(file.body);
    },
  );
}
