import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { CASE_STATES, CASE_TYPES } from './case.rules.js';
import {
  assignSchema,
  bulkSchema,
  caseCreateSchema,
  caseEventSchema,
  caseParams,
  caseQueueItemSchema,
  caseSchema,
  contactAttemptSchema,
  crisisParams,
  myTaskSchema,
  noteSchema,
  prioritySchema,
  queueQuerySchema,
  stateChangeSchema,
  taskCreateSchema,
  taskParams,
  taskSchema,
} from './case.schemas.js';
import { assignCase, changeCaseState, createCase, overridePriority } from './case.service.js';
import { casesForPortal, PUBLIC_HELP_TYPES, requestHelpFromPortal } from './case-public.service.js';
import { caseQueue, listTeams, myTasks, saveTeam } from './case-queue.service.js';
import {
  addCaseNote,
  addContactAttempt,
  addTask,
  bulkUpdateCases,
  completeTask,
  getCaseDetail,
} from './case-work.service.js';

const personSummary = z
  .object({
    id: z.string(),
    householdId: z.string(),
    reference: z.string(),
    fullName: z.string().nullable(),
    fullNameAr: z.string().nullable(),
    dateOfBirth: z.string().nullable(),
    sex: z.string(),
    passportNumber: z.string().nullable(),
  })
  .nullable();

/** Cases, queues, tasks and teams under /api/v1 (welfare runs and loans: welfare.routes.ts). */
export async function caseRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['cases'];
  const base = '/crises/:crisisId/cases';

  r.get(
    base,
    {
      config: { access: 'case.read' },
      schema: {
        tags,
        summary: 'A queue of cases, most urgent first',
        params: crisisParams,
        querystring: queueQuerySchema,
        response: { 200: z.object({ items: z.array(caseQueueItemSchema), total: z.number() }) },
      },
    },
    async (req) => caseQueue(ctx, req.actor, req.params.crisisId, req.query),
  );
  r.post(
    base,
    {
      config: { access: 'case.update' },
      schema: {
        tags,
        summary: 'Open a case for a person or household',
        params: crisisParams,
        body: caseCreateSchema,
        response: { 201: caseSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await createCase(ctx, req.actor, req.params.crisisId, req.body)),
  );
  r.post(
    `${base}/bulk`,
    {
      config: { access: 'case.update' },
      schema: {
        tags,
        summary: 'Assign or close several cases',
        params: crisisParams,
        body: bulkSchema,
        response: {
          200: z.object({
            done: z.number(),
            results: z.array(z.object({ caseId: z.string(), ok: z.boolean(), error: z.string().optional() })),
          }),
        },
      },
    },
    async (req) => bulkUpdateCases(ctx, req.actor, req.params.crisisId, req.body),
  );
  r.get(
    `${base}/:caseId`,
    {
      config: { access: 'case.read' },
      schema: {
        tags,
        summary: 'The case page: case, person, timeline, tasks (audited)',
        params: caseParams,
        response: {
          200: z.object({
            case: caseSchema,
            person: personSummary,
            events: z.array(caseEventSchema),
            tasks: z.array(taskSchema),
          }),
        },
      },
    },
    async (req) => getCaseDetail(ctx, req.actor, req.params.crisisId, req.params.caseId),
  );
  r.post(
    `${base}/:caseId/state`,
    {
      config: { access: 'case.update' },
      schema: {
        tags,
        summary: 'Move the case to another state (409 lists the allowed ones)',
        params: caseParams,
        body: stateChangeSchema,
        response: { 200: caseSchema },
      },
    },
    async (req) => changeCaseState(ctx, req.actor, req.params.crisisId, req.params.caseId, req.body),
  );
  r.post(
    `${base}/:caseId/assignment`,
    {
      config: { access: 'case.update' },
      schema: {
        tags,
        summary: 'Assign to a staff member and/or a team',
        params: caseParams,
        body: assignSchema,
        response: { 200: caseSchema },
      },
    },
    async (req) => assignCase(ctx, req.actor, req.params.crisisId, req.params.caseId, req.body),
  );
  r.post(
    `${base}/:caseId/priority`,
    {
      config: { access: 'case.update' },
      schema: {
        tags,
        summary: 'Override the computed priority with a reason (null resets)',
        params: caseParams,
        body: prioritySchema,
        response: { 200: caseSchema },
      },
    },
    async (req) => overridePriority(ctx, req.actor, req.params.crisisId, req.params.caseId, req.body),
  );
  r.post(
    `${base}/:caseId/notes`,
    {
      config: { access: 'case.update' },
      schema: { tags, summary: 'Add a note', params: caseParams, body: noteSchema },
    },
    async (req, reply) => {
      await addCaseNote(ctx, req.actor, req.params.crisisId, req.params.caseId, req.body.text);
      return reply.status(204).send();
    },
  );
  r.post(
    `${base}/:caseId/contacts`,
    {
      config: { access: 'case.update' },
      schema: {
        tags,
        summary: 'Log a contact attempt and its outcome',
        params: caseParams,
        body: contactAttemptSchema,
      },
    },
    async (req, reply) => {
      await addContactAttempt(ctx, req.actor, req.params.crisisId, req.params.caseId, req.body);
      return reply.status(204).send();
    },
  );
  r.post(
    `${base}/:caseId/tasks`,
    {
      config: { access: 'case.update' },
      schema: {
        tags,
        summary: 'Add a task with a due time',
        params: caseParams,
        body: taskCreateSchema,
        response: { 201: taskSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await addTask(ctx, req.actor, req.params.crisisId, req.params.caseId, req.body)),
  );
  r.post(
    `${base}/:caseId/tasks/:taskId/done`,
    {
      config: { access: 'case.update' },
      schema: {
        tags,
        summary: 'Mark a task done',
        params: taskParams,
        body: z.strictObject({}).optional(),
        response: { 200: taskSchema },
      },
    },
    async (req) => completeTask(ctx, req.actor, req.params.crisisId, req.params.caseId, req.params.taskId),
  );
  r.get(
    '/crises/:crisisId/my-tasks',
    {
      config: { access: 'case.read' },
      schema: {
        tags,
        summary: 'Open tasks assigned to me',
        params: crisisParams,
        response: { 200: z.object({ items: z.array(myTaskSchema) }) },
      },
    },
    async (req) => ({ items: await myTasks(ctx, req.actor, req.params.crisisId) }),
  );
  const teamSchema = z.object({ id: z.string(), name: z.string(), memberIds: z.array(z.string()) });
  r.get(
    '/crises/:crisisId/teams',
    {
      config: { access: 'case.read' },
      schema: {
        tags,
        summary: 'Case teams of the crisis',
        params: crisisParams,
        response: { 200: z.object({ items: z.array(teamSchema) }) },
      },
    },
    async (req) => ({ items: await listTeams(ctx, req.actor, req.params.crisisId) }),
  );
  r.post(
    '/crises/:crisisId/teams',
    {
      config: { access: 'case.update' },
      schema: {
        tags,
        summary: 'Create a team, or replace its name and members',
        params: crisisParams,
        body: z.strictObject({
          id: z.string().max(100).optional(),
          name: z.string().trim().min(2).max(100),
          memberIds: z.array(z.string().max(100)).max(200),
        }),
        response: { 200: teamSchema },
      },
    },
    async (req) => saveTeam(ctx, req.actor, req.params.crisisId, req.body),
  );

  const link = { reference: z.string().min(9).max(20), secret: z.string().min(16).max(100) };
  const publicLimit = {
    max: Math.max(10, Math.floor(ctx.config.rateLimits.portalPerMinute / 10)),
    timeWindow: '1 minute',
  };
  const publicCase = z.object({
    number: z.string(),
    type: z.enum(CASE_TYPES),
    state: z.enum(CASE_STATES),
    createdAt: z.string(),
  });
  r.post(
    '/public/help-requests',
    {
      config: { access: 'public', rateLimit: publicLimit },
      schema: {
        tags: ['public', 'cases'],
        summary: '"I need help", behind the household’s private link',
        body: z.strictObject({
          ...link,
          type: z.enum(PUBLIC_HELP_TYPES),
          message: z.string().trim().min(3).max(2000),
          personId: z.string().max(100).optional(),
        }),
        response: { 201: publicCase },
      },
    },
    async (req, reply) => reply.status(201).send(await requestHelpFromPortal(ctx, req.body)),
  );
  r.post(
    '/public/help-requests/status',
    {
      config: { access: 'public', rateLimit: publicLimit },
      schema: {
        tags: ['public', 'cases'],
        summary: 'Where the household’s requests stand (behind the private link)',
        body: z.strictObject(link),
        response: { 200: z.object({ items: z.array(publicCase.extend({ updatedAt: z.string() })) }) },
      },
    },
    async (req) => ({ items: await casesForPortal(ctx, req.body) }),
  );
}
