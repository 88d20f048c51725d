import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import {
  assignHousehold,
  assignmentHistory,
  cancelAssignment,
  duplicateSeats,
  listAssignments,
} from './assignment.service.js';
import { checkIn, recordBoardingOutcome } from './boarding.service.js';
import {
  changeLegStatus,
  createLeg,
  getLeg,
  legCounts,
  legFigures,
  legFiguresByDay,
  listLegs,
  updateLeg,
} from './leg.service.js';
import { issueManifest, listManifests } from './manifest.service.js';
import { offersForPortal, respondToOffer } from './offer-public.service.js';
import {
  assignHouseholdSchema,
  assignmentEventSchema,
  assignmentParams,
  assignmentSchema,
  boardingOutcomeSchema,
  cancelAssignmentSchema,
  checkInSchema,
  crisisParams,
  legCountsSchema,
  legCreateSchema,
  legFiguresSchema,
  legParams,
  legSchema,
  legStatusChangeSchema,
  legUpdateSchema,
  manifestLogSchema,
  manifestRequestSchema,
  publicLinkSchema,
  publicOfferSchema,
} from './transport.schemas.js';

/** Transport legs, seat offers, boarding and manifests under /api/v1. */
export async function transportRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['transport'];
  const base = '/crises/:crisisId/legs';

  r.get(
    '/crises/:crisisId/duplicate-seats',
    {
      config: { access: 'movement.read' },
      schema: {
        tags,
        summary: 'Persons holding several live places under registrations confirmed as one person',
        params: crisisParams,
        response: {
          200: z.object({
            items: z.array(
              z.object({ personIds: z.array(z.string()), assignments: z.array(assignmentSchema) }),
            ),
          }),
        },
      },
    },
    async (req) => ({ items: await duplicateSeats(ctx, req.actor, req.params.crisisId) }),
  );

  r.get(
    base,
    {
      config: { access: 'movement.read' },
      schema: {
        tags,
        summary: 'Transport legs of a crisis, by departure',
        params: crisisParams,
        response: { 200: z.object({ items: z.array(legSchema) }) },
      },
    },
    async (req) => ({ items: await listLegs(ctx, req.actor, req.params.crisisId) }),
  );
  r.post(
    base,
    {
      config: { access: 'movement.manage' },
      schema: {
        tags,
        summary: 'Plan a flight, bus or ship leg',
        params: crisisParams,
        body: legCreateSchema,
        response: { 201: legSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await createLeg(ctx, req.actor, req.params.crisisId, req.body)),
  );
  r.get(
    `${base}/figures`,
    {
      config: { access: 'movement.read' },
      schema: {
        tags,
        summary: 'Fill and no-show figures per leg',
        params: crisisParams,
        response: { 200: z.object({ items: z.array(legFiguresSchema) }) },
      },
    },
    async (req) => ({ items: await legFigures(ctx, req.actor, req.params.crisisId) }),
  );
  r.get(
    `${base}/figures/by-day`,
    {
      config: { access: 'movement.read' },
      schema: {
        tags,
        summary: 'Fill and no-show figures over time, by day of departure',
        params: crisisParams,
        response: {
          200: z.object({
            items: z.array(
              z.object({
                day: z.string(),
                legs: z.number(),
                capacity: z.number(),
                confirmed: z.number(),
                boarded: z.number(),
                noShow: z.number(),
                fillRate: z.number(),
                noShowRate: z.number().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => ({ items: await legFiguresByDay(ctx, req.actor, req.params.crisisId) }),
  );
  r.get(
    `${base}/:legId`,
    {
      config: { access: 'movement.read' },
      schema: { tags, summary: 'One transport leg', params: legParams, response: { 200: legSchema } },
    },
    async (req) => getLeg(ctx, req.actor, req.params.crisisId, req.params.legId),
  );
  r.patch(
    `${base}/:legId`,
    {
      config: { access: 'movement.manage' },
      schema: {
        tags,
        summary: 'Edit a leg (send the version you read)',
        params: legParams,
        body: legUpdateSchema,
        response: { 200: legSchema },
      },
    },
    async (req) => updateLeg(ctx, req.actor, req.params.crisisId, req.params.legId, req.body),
  );
  r.post(
    `${base}/:legId/status`,
    {
      config: { access: 'movement.manage' },
      schema: {
        tags,
        summary: 'Move a leg along planned → confirmed → boarding → departed → arrived, or cancel it',
        params: legParams,
        body: legStatusChangeSchema,
        response: { 200: legSchema },
      },
    },
    async (req) => changeLegStatus(ctx, req.actor, req.params.crisisId, req.params.legId, req.body),
  );
  r.get(
    `${base}/:legId/counts`,
    {
      config: { access: 'movement.read' },
      schema: {
        tags,
        summary: 'Live counts of a leg',
        params: legParams,
        response: { 200: legCountsSchema },
      },
    },
    async (req) => legCounts(ctx, req.actor, req.params.crisisId, req.params.legId),
  );

  r.get(
    `${base}/:legId/assignments`,
    {
      config: { access: 'movement.read' },
      schema: {
        tags,
        summary: 'Seat assignments of a leg, by household',
        params: legParams,
        response: { 200: z.object({ items: z.array(assignmentSchema) }) },
      },
    },
    async (req) => ({ items: await listAssignments(ctx, req.actor, req.params.crisisId, req.params.legId) }),
  );
  r.post(
    `${base}/:legId/assignments`,
    {
      config: { access: 'movement.manage' },
      schema: {
        tags,
        summary: 'Offer seats to a household (capacity by kind checked; households are not split)',
        params: legParams,
        body: assignHouseholdSchema,
        response: { 201: z.object({ items: z.array(assignmentSchema) }) },
      },
    },
    async (req, reply) =>
      reply.status(201).send({
        items: await assignHousehold(ctx, req.actor, req.params.crisisId, req.params.legId, req.body),
      }),
  );
  r.get(
    `${base}/:legId/assignments/:assignmentId/history`,
    {
      config: { access: 'movement.read' },
      schema: {
        tags,
        summary: 'Every status change of one seat',
        params: assignmentParams,
        response: { 200: z.object({ items: z.array(assignmentEventSchema) }) },
      },
    },
    async (req) => ({
      items: await assignmentHistory(
        ctx,
        req.actor,
        req.params.crisisId,
        req.params.legId,
        req.params.assignmentId,
      ),
    }),
  );
  r.post(
    `${base}/:legId/assignments/:assignmentId/cancel`,
    {
      config: { access: 'movement.manage' },
      schema: {
        tags,
        summary: 'Cancel a seat; the place goes back to the leg',
        params: assignmentParams,
        body: cancelAssignmentSchema,
        response: { 200: assignmentSchema },
      },
    },
    async (req) =>
      cancelAssignment(
        ctx,
        req.actor,
        req.params.crisisId,
        req.params.legId,
        req.params.assignmentId,
        req.body.reason,
      ),
  );
  r.post(
    `${base}/:legId/check-in`,
    {
      config: { access: 'movement.manage' },
      schema: {
        tags,
        summary: 'Check in by the seat code on the confirmation or the household reference',
        params: legParams,
        body: checkInSchema,
        response: { 200: z.object({ checkedIn: z.array(assignmentSchema), counts: legCountsSchema }) },
      },
    },
    async (req) => checkIn(ctx, req.actor, req.params.crisisId, req.params.legId, req.body.code),
  );
  r.post(
    `${base}/:legId/assignments/:assignmentId/boarding`,
    {
      config: { access: 'movement.manage' },
      schema: {
        tags,
        summary: 'Boarded, no-show, or refused with the reason',
        params: assignmentParams,
        body: boardingOutcomeSchema,
        response: { 200: z.object({ assignment: assignmentSchema, counts: legCountsSchema }) },
      },
    },
    async (req) =>
      recordBoardingOutcome(
        ctx,
        req.actor,
        req.params.crisisId,
        req.params.legId,
        req.params.assignmentId,
        req.body,
      ),
  );

  r.post(
    `${base}/:legId/manifests`,
    {
      config: { access: 'movement.manage' },
      schema: {
        tags,
        summary: 'Hand out the manifest as CSV or PDF for one recipient profile (logged and audited)',
        params: legParams,
        body: manifestRequestSchema,
        produces: ['text/csv', 'application/pdf'],
      },
    },
    async (req, reply) => {
      const m = await issueManifest(ctx, req.actor, req.params.crisisId, req.params.legId, req.body);
      return reply
        .header('content-type', m.contentType)
        .header('content-disposition', `attachment; filename="${m.fileName}"`)
        .header('x-manifest-id', m.id)
        .header('x-manifest-sha256', m.sha256)
        .header('cache-control', 'no-store')
        .send(m.file);
    },
  );
  r.get(
    `${base}/:legId/manifests`,
    {
      config: { access: 'movement.read' },
      schema: {
        tags,
        summary: 'Manifests handed out for a leg, newest first',
        params: legParams,
        response: { 200: z.object({ items: z.array(manifestLogSchema) }) },
      },
    },
    async (req) => ({ items: await listManifests(ctx, req.actor, req.params.crisisId, req.params.legId) }),
  );

  const publicLimit = {
    max: Math.max(10, Math.floor(ctx.config.rateLimits.portalPerMinute / 10)),
    timeWindow: '1 minute',
  };
  r.post(
    '/public/offers',
    {
      config: { access: 'public', rateLimit: publicLimit },
      schema: {
        tags: ['public', 'transport'],
        summary: 'The household’s seat offers (behind the private link)',
        body: z.strictObject(publicLinkSchema),
        response: { 200: z.object({ items: z.array(publicOfferSchema) }) },
      },
    },
    async (req) => ({ items: await offersForPortal(ctx, req.body) }),
  );
  r.post(
    '/public/offers/respond',
    {
      config: { access: 'public', rateLimit: publicLimit },
      schema: {
        tags: ['public', 'transport'],
        summary: 'Confirm or decline the household’s offer on one leg before the deadline',
        body: z.strictObject({
          ...publicLinkSchema,
          legId: z.string().min(1).max(100),
          decision: z.enum(['confirm', 'decline']),
        }),
        response: { 200: publicOfferSchema },
      },
    },
    async (req) => respondToOffer(ctx, req.body),
  );
}
