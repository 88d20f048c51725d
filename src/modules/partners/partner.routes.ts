import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import {
  addFollowUp,
  createEngagement,
  getEngagement,
  listEngagements,
  listFollowUps,
  updateEngagement,
  updateFollowUp,
} from './engagement.service.js';
import {
  contactInputSchema,
  contactParams,
  contactPatchSchema,
  contactSchema,
  crisisParams,
  engagementInputSchema,
  engagementListQuery,
  engagementParams,
  engagementPatchSchema,
  engagementSchema,
  followUpInputSchema,
  followUpListQuery,
  followUpParams,
  followUpPatchSchema,
  followUpSchema,
  partnerDetailSchema,
  partnerInputSchema,
  partnerParams,
  partnerPatchSchema,
  partnerSummarySchema,
  requestEventSchema,
  requestInputSchema,
  requestListQuery,
  requestParams,
  requestPatchSchema,
  requestSchema,
  requestStateChangeSchema,
} from './partner.schemas.js';
import {
  addContact,
  createPartner,
  getPartner,
  listPartners,
  removeContact,
  updateContact,
  updatePartner,
} from './partner.service.js';
import {
  changeRequestState,
  createRequest,
  getRequest,
  listRequests,
  updateRequest,
} from './request.service.js';
import { sharingRoutes } from './sharing.routes.js';

/** Partners, contacts, engagements, follow-ups and requests under /api/v1 (with the sharing routes). */
export async function partnerRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['partners'];
  const base = '/crises/:crisisId';

  // ---- partners and contacts ----
  r.get(
    `${base}/partners`,
    {
      config: { access: 'partner.read' },
      schema: {
        tags,
        summary: 'Partners of a crisis with contact, request and engagement counts',
        params: crisisParams,
        response: { 200: z.object({ items: z.array(partnerSummarySchema) }) },
      },
    },
    async (req) => ({ items: await listPartners(ctx, req.actor, req.params.crisisId) }),
  );
  r.post(
    `${base}/partners`,
    {
      config: { access: 'partner.manage' },
      schema: {
        tags,
        summary: 'Add a partner (government, UN agency, ICRC, NGO, airline, crossing authority)',
        params: crisisParams,
        body: partnerInputSchema,
        response: { 201: partnerSummarySchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await createPartner(ctx, req.actor, req.params.crisisId, req.body)),
  );
  r.get(
    `${base}/partners/:partnerId`,
    {
      config: { access: 'partner.read' },
      schema: {
        tags,
        summary: 'One partner with its contacts (reading contacts is audited)',
        params: partnerParams,
        response: { 200: partnerDetailSchema },
      },
    },
    async (req) => getPartner(ctx, req.actor, req.params.crisisId, req.params.partnerId),
  );
  r.patch(
    `${base}/partners/:partnerId`,
    {
      config: { access: 'partner.manage' },
      schema: {
        tags,
        summary: 'Change a partner',
        params: partnerParams,
        body: partnerPatchSchema,
        response: { 200: partnerSummarySchema },
      },
    },
    async (req) => updatePartner(ctx, req.actor, req.params.crisisId, req.params.partnerId, req.body),
  );
  r.post(
    `${base}/partners/:partnerId/contacts`,
    {
      config: { access: 'partner.manage' },
      schema: {
        tags,
        summary: 'Add a contact person at a partner',
        params: partnerParams,
        body: contactInputSchema,
        response: { 201: contactSchema },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await addContact(ctx, req.actor, req.params.crisisId, req.params.partnerId, req.body)),
  );
  r.patch(
    `${base}/partners/:partnerId/contacts/:contactId`,
    {
      config: { access: 'partner.manage' },
      schema: {
        tags,
        summary: 'Change a contact',
        params: contactParams,
        body: contactPatchSchema,
        response: { 200: contactSchema },
      },
    },
    async (req) =>
      updateContact(
        ctx,
        req.actor,
        req.params.crisisId,
        req.params.partnerId,
        req.params.contactId,
        req.body,
      ),
  );
  r.delete(
    `${base}/partners/:partnerId/contacts/:contactId`,
    {
      config: { access: 'partner.manage' },
      schema: { tags, summary: 'Remove a contact', params: contactParams },
    },
    async (req, reply) => {
      await removeContact(ctx, req.actor, req.params.crisisId, req.params.partnerId, req.params.contactId);
      return reply.status(204).send();
    },
  );

  // ---- engagements and follow-ups ----
  r.get(
    `${base}/engagements`,
    {
      config: { access: 'partner.read' },
      schema: {
        tags,
        summary: 'Engagements of a crisis (of one partner with partnerId), newest first',
        params: crisisParams,
        querystring: engagementListQuery,
        response: { 200: z.object({ items: z.array(engagementSchema) }) },
      },
    },
    async (req) => ({
      items: await listEngagements(ctx, req.actor, req.params.crisisId, req.query.partnerId),
    }),
  );
  r.post(
    `${base}/engagements`,
    {
      config: { access: 'partner.manage' },
      schema: {
        tags,
        summary: 'Log a meeting, call, email or visit with its participants, outcome and follow-ups',
        params: crisisParams,
        body: engagementInputSchema,
        response: { 201: engagementSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await createEngagement(ctx, req.actor, req.params.crisisId, req.body)),
  );
  r.get(
    `${base}/engagements/:engagementId`,
    {
      config: { access: 'partner.read' },
      schema: {
        tags,
        summary: 'One engagement',
        params: engagementParams,
        response: { 200: engagementSchema },
      },
    },
    async (req) => getEngagement(ctx, req.actor, req.params.crisisId, req.params.engagementId),
  );
  r.patch(
    `${base}/engagements/:engagementId`,
    {
      config: { access: 'partner.manage' },
      schema: {
        tags,
        summary: 'Change an engagement',
        params: engagementParams,
        body: engagementPatchSchema,
        response: { 200: engagementSchema },
      },
    },
    async (req) => updateEngagement(ctx, req.actor, req.params.crisisId, req.params.engagementId, req.body),
  );
  r.post(
    `${base}/engagements/:engagementId/follow-ups`,
    {
      config: { access: 'partner.manage' },
      schema: {
        tags,
        summary: 'Add a follow-up to an engagement',
        params: engagementParams,
        body: followUpInputSchema,
        response: { 201: followUpSchema },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await addFollowUp(ctx, req.actor, req.params.crisisId, req.params.engagementId, req.body)),
  );
  r.get(
    `${base}/follow-ups`,
    {
      config: { access: 'partner.read' },
      schema: {
        tags,
        summary: 'Follow-ups (mine=true: the caller’s; overdue=true: open and past due), soonest first',
        params: crisisParams,
        querystring: followUpListQuery,
        response: { 200: z.object({ items: z.array(followUpSchema) }) },
      },
    },
    async (req) => ({
      items: await listFollowUps(ctx, req.actor, req.params.crisisId, {
        mine: req.query.mine === 'true',
        overdue: req.query.overdue === 'true',
        state: req.query.state,
      }),
    }),
  );
  r.patch(
    `${base}/follow-ups/:followUpId`,
    {
      config: { access: 'partner.read' },
      schema: {
        tags,
        summary: 'Mark a follow-up done or open, move it or hand it over (its owner, or partner.manage)',
        params: followUpParams,
        body: followUpPatchSchema,
        response: { 200: followUpSchema },
      },
    },
    async (req) => updateFollowUp(ctx, req.actor, req.params.crisisId, req.params.followUpId, req.body),
  );

  // ---- requests ----
  r.get(
    `${base}/partner-requests`,
    {
      config: { access: 'partner.read' },
      schema: {
        tags,
        summary: 'Requests to partners (of one partner with partnerId), newest first',
        params: crisisParams,
        querystring: requestListQuery,
        response: { 200: z.object({ items: z.array(requestSchema) }) },
      },
    },
    async (req) => ({ items: await listRequests(ctx, req.actor, req.params.crisisId, req.query.partnerId) }),
  );
  r.post(
    `${base}/partner-requests`,
    {
      config: { access: 'partner.manage' },
      schema: {
        tags,
        summary: 'Open a request to a partner (starts as a draft)',
        params: crisisParams,
        body: requestInputSchema,
        response: { 201: requestSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await createRequest(ctx, req.actor, req.params.crisisId, req.body)),
  );
  r.get(
    `${base}/partner-requests/:requestId`,
    {
      config: { access: 'partner.read' },
      schema: {
        tags,
        summary: 'One request with its state history',
        params: requestParams,
        response: { 200: requestSchema.extend({ history: z.array(requestEventSchema) }) },
      },
    },
    async (req) => getRequest(ctx, req.actor, req.params.crisisId, req.params.requestId),
  );
  r.patch(
    `${base}/partner-requests/:requestId`,
    {
      config: { access: 'partner.manage' },
      schema: {
        tags,
        summary: 'Change a request’s kind, subject or details',
        params: requestParams,
        body: requestPatchSchema,
        response: { 200: requestSchema },
      },
    },
    async (req) => updateRequest(ctx, req.actor, req.params.crisisId, req.params.requestId, req.body),
  );
  r.post(
    `${base}/partner-requests/:requestId/state`,
    {
      config: { access: 'partner.manage' },
      schema: {
        tags,
        summary: 'Move a request to its next state (submitted, acknowledged, answered, rejected, closed)',
        params: requestParams,
        body: requestStateChangeSchema,
        response: { 200: requestSchema },
      },
    },
    async (req) => changeRequestState(ctx, req.actor, req.params.crisisId, req.params.requestId, req.body),
  );

  await sharingRoutes(app, ctx);
}
