import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import {
  liaisonSchema,
  RESTRICTED_KINDS,
  RESTRICTED_STATUSES,
  restrictedCreateSchema,
  restrictedNoteSchema,
  restrictedParams,
  restrictedSummarySchema,
  restrictedTaskSchema,
  restrictedUpdateSchema,
} from './restricted.schemas.js';
import {
  addLiaison,
  addRestrictedNote,
  addRestrictedTask,
  completeRestrictedTask,
  createRestrictedCase,
  getRestrictedCase,
  listRestrictedCases,
  updateRestrictedCase,
} from './restricted.service.js';

const crisisParams = z.strictObject({ crisisId: z.string().min(1).max(100) });

/**
 * The restricted area (hostage and missing-person cases) under /api/v1. Every route needs the
 * restricted-cases role; in another crisis the answer is the same 404 as for a missing case.
 */
export async function restrictedRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['restricted'];
  const base = '/crises/:crisisId/restricted-cases';

  r.get(
    base,
    {
      config: { access: 'restricted.read' },
      schema: {
        tags,
        summary: 'Restricted cases (audited)',
        params: crisisParams,
        querystring: z.strictObject({
          status: z.enum(RESTRICTED_STATUSES).optional(),
          kind: z.enum(RESTRICTED_KINDS).optional(),
        }),
        response: { 200: z.object({ items: z.array(restrictedSummarySchema) }) },
      },
    },
    async (req) => ({ items: await listRestrictedCases(ctx, req.actor, req.params.crisisId, req.query) }),
  );
  r.post(
    base,
    {
      config: { access: 'restricted.update' },
      schema: {
        tags,
        summary: 'Open a hostage or missing-person case',
        params: crisisParams,
        body: restrictedCreateSchema,
        response: { 201: restrictedSummarySchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await createRestrictedCase(ctx, req.actor, req.params.crisisId, req.body)),
  );
  r.get(
    `${base}/:caseId`,
    {
      config: { access: 'restricted.read' },
      schema: {
        tags,
        summary: 'The case file (audited)',
        params: restrictedParams,
        response: {
          200: restrictedSummarySchema.extend({
            circumstances: z.string(),
            lastKnownLocation: z
              .object({
                place: z.string(),
                asOf: z.string().optional(),
                coordinates: z.tuple([z.number(), z.number()]).optional(),
              })
              .nullable(),
            events: z.array(
              z.object({
                id: z.string(),
                kind: z.string(),
                eventDate: z.string(),
                at: z.string(),
                data: z.record(z.string(), z.unknown()),
              }),
            ),
            liaisons: z.array(z.record(z.string(), z.unknown())),
            tasks: z.array(
              z.object({
                id: z.string(),
                title: z.string(),
                dueAt: z.string().nullable(),
                assigneeId: z.string().nullable(),
                doneAt: z.string().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => getRestrictedCase(ctx, req.actor, req.params.crisisId, req.params.caseId),
  );
  r.patch(
    `${base}/:caseId`,
    {
      config: { access: 'restricted.update' },
      schema: {
        tags,
        summary: 'Change status, citizenship confirmation or details, dated',
        params: restrictedParams,
        body: restrictedUpdateSchema,
        response: { 200: restrictedSummarySchema },
      },
    },
    async (req) => updateRestrictedCase(ctx, req.actor, req.params.crisisId, req.params.caseId, req.body),
  );
  r.post(
    `${base}/:caseId/notes`,
    {
      config: { access: 'restricted.update' },
      schema: { tags, summary: 'Add a dated note', params: restrictedParams, body: restrictedNoteSchema },
    },
    async (req, reply) => {
      await addRestrictedNote(ctx, req.actor, req.params.crisisId, req.params.caseId, req.body);
      return reply.status(204).send();
    },
  );
  r.post(
    `${base}/:caseId/liaisons`,
    {
      config: { access: 'restricted.update' },
      schema: {
        tags,
        summary: 'Add a family liaison contact',
        params: restrictedParams,
        body: liaisonSchema,
        response: { 201: z.record(z.string(), z.unknown()) },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await addLiaison(ctx, req.actor, req.params.crisisId, req.params.caseId, req.body)),
  );
  r.post(
    `${base}/:caseId/tasks`,
    {
      config: { access: 'restricted.update' },
      schema: {
        tags,
        summary: 'Add a task',
        params: restrictedParams,
        body: restrictedTaskSchema,
        response: {
          201: z.object({
            id: z.string(),
            title: z.string(),
            dueAt: z.string().nullable(),
            assigneeId: z.string().nullable(),
            doneAt: z.null(),
          }),
        },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await addRestrictedTask(ctx, req.actor, req.params.crisisId, req.params.caseId, req.body)),
  );
  r.post(
    `${base}/:caseId/tasks/:taskId/done`,
    {
      config: { access: 'restricted.update' },
      schema: {
        tags,
        summary: 'Mark a task done',
        params: restrictedParams.extend({ taskId: z.string().min(1).max(100) }),
        body: z.strictObject({}).optional(),
      },
    },
    async (req, reply) => {
      await completeRestrictedTask(ctx, req.actor, req.params.crisisId, req.params.caseId, req.params.taskId);
      return reply.status(204).send();
    },
  );
}
