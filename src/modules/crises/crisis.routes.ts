import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import {
  crisisCreateSchema,
  crisisParams,
  crisisSchema,
  crisisUpdateSchema,
  zoneCreateSchema,
  zoneParams,
  zoneSchema,
  zoneUpdateSchema,
} from './crisis.schemas.js';
import {
  createCrisis,
  createZone,
  getCrisis,
  listCrisesFor,
  listZonesFor,
  setCrisisClosed,
  updateCrisis,
  updateZone,
} from './crisis.service.js';

/** Crises and their zones under /api/v1. */
export async function crisisRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['crises'];
  const empty = z.strictObject({}).optional();

  r.get(
    '/crises',
    {
      config: { access: 'crisis.read' },
      schema: {
        tags,
        summary: 'Crises in the caller’s scope',
        response: { 200: z.object({ items: z.array(crisisSchema) }) },
      },
    },
    async (req) => ({ items: await listCrisesFor(ctx, req.actor) }),
  );
  r.post(
    '/crises',
    {
      config: { access: 'crisis.create' },
      schema: { tags, summary: 'Create a crisis', body: crisisCreateSchema, response: { 201: crisisSchema } },
    },
    async (req, reply) => reply.status(201).send(await createCrisis(ctx, req.actor, req.body)),
  );
  r.get(
    '/crises/:crisisId',
    {
      config: { access: 'crisis.read' },
      schema: { tags, summary: 'One crisis', params: crisisParams, response: { 200: crisisSchema } },
    },
    async (req) => getCrisis(ctx, req.actor, req.params.crisisId),
  );
  r.patch(
    '/crises/:crisisId',
    {
      config: { access: 'crisis.update' },
      schema: {
        tags,
        summary: 'Edit a crisis',
        params: crisisParams,
        body: crisisUpdateSchema,
        response: { 200: crisisSchema },
      },
    },
    async (req) => updateCrisis(ctx, req.actor, req.params.crisisId, req.body),
  );
  r.post(
    '/crises/:crisisId/close',
    {
      config: { access: 'crisis.close' },
      schema: {
        tags,
        summary: 'Close a crisis (starts the retention period)',
        params: crisisParams,
        body: empty,
        response: { 200: crisisSchema },
      },
    },
    async (req) => setCrisisClosed(ctx, req.actor, req.params.crisisId, true),
  );
  r.post(
    '/crises/:crisisId/reopen',
    {
      config: { access: 'crisis.close' },
      schema: {
        tags,
        summary: 'Reopen a closed crisis',
        params: crisisParams,
        body: empty,
        response: { 200: crisisSchema },
      },
    },
    async (req) => setCrisisClosed(ctx, req.actor, req.params.crisisId, false),
  );
  r.get(
    '/crises/:crisisId/zones',
    {
      config: { access: 'crisis.read' },
      schema: {
        tags,
        summary: 'Zones of a crisis',
        params: crisisParams,
        response: { 200: z.object({ items: z.array(zoneSchema) }) },
      },
    },
    async (req) => ({ items: await listZonesFor(ctx, req.actor, req.params.crisisId) }),
  );
  r.post(
    '/crises/:crisisId/zones',
    {
      config: { access: 'zone.manage' },
      schema: {
        tags,
        summary: 'Add a zone',
        params: crisisParams,
        body: zoneCreateSchema,
        response: { 201: zoneSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await createZone(ctx, req.actor, req.params.crisisId, req.body)),
  );
  r.patch(
    '/crises/:crisisId/zones/:zoneId',
    {
      config: { access: 'zone.manage' },
      schema: {
        tags,
        summary: 'Rename or archive a zone',
        params: zoneParams,
        body: zoneUpdateSchema,
        response: { 200: zoneSchema },
      },
    },
    async (req) => updateZone(ctx, req.actor, req.params.crisisId, req.params.zoneId, req.body),
  );
}
