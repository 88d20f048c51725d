import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { caseParams, crisisParams } from './case.schemas.js';
import { createLoan, listLoans, updateLoan } from './loan.service.js';
import {
  advanceWelfareRuns,
  listWelfareRuns,
  recordWelfareAnswer,
  startWelfareRun,
  WELFARE_ANSWERS,
  welfareRunProgress,
} from './welfare.service.js';

const id = z.string().min(1).max(100);
const runSchema = z.object({
  id: z.string(),
  name: z.string(),
  question: z.string(),
  status: z.enum(['open', 'closed']),
  createdAt: z.string(),
  followUpAfterHours: z.number(),
  callAfterHours: z.number(),
  counts: z.object({
    total: z.number(),
    answered: z.number(),
    safe: z.number(),
    needsHelp: z.number(),
    leftZone: z.number(),
    silent: z.number(),
    followUpsDue: z.number(),
    callTasks: z.number(),
  }),
});
const loanSchema = z.object({
  id: z.string(),
  personId: z.string(),
  caseId: z.string().nullable(),
  amount: z.string(),
  repaid: z.string(),
  outstanding: z.string(),
  currency: z.string(),
  promissoryNoteSigned: z.boolean(),
  signedAt: z.string().nullable(),
  status: z.enum(['offered', 'signed', 'disbursed', 'repaid', 'waived']),
  note: z.string(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const money = z
  .string()
  .regex(/^\d{1,9}(\.\d{1,2})?$/, 'Use digits with at most two decimals, e.g. 1250.50.');

/** Welfare-check runs and evacuation loans under /api/v1. */
export async function welfareRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['cases'];

  r.get(
    '/crises/:crisisId/welfare-runs',
    {
      config: { access: 'case.read' },
      schema: {
        tags,
        summary: 'Welfare-check runs with their progress counts',
        params: crisisParams,
        response: { 200: z.object({ items: z.array(runSchema) }) },
      },
    },
    async (req) => ({ items: await listWelfareRuns(ctx, req.actor, req.params.crisisId) }),
  );
  r.post(
    '/crises/:crisisId/welfare-runs',
    {
      config: { access: 'case.update' },
      schema: {
        tags,
        summary: 'Start a welfare-check run over chosen people or zones',
        params: crisisParams,
        body: z.strictObject({
          name: z.string().trim().min(3).max(200),
          question: z.string().trim().min(3).max(1000),
          personIds: z.array(id).max(20_000).optional(),
          zoneIds: z.array(id).max(100).optional(),
          followUpAfterHours: z
            .number()
            .int()
            .min(1)
            .max(24 * 14)
            .default(24),
          callAfterHours: z
            .number()
            .int()
            .min(2)
            .max(24 * 21)
            .default(48),
        }),
        response: { 201: runSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await startWelfareRun(ctx, req.actor, req.params.crisisId, req.body)),
  );
  r.get(
    '/crises/:crisisId/welfare-runs/:runId',
    {
      config: { access: 'case.read' },
      schema: {
        tags,
        summary: 'Progress of one run',
        params: crisisParams.extend({ runId: id }),
        response: { 200: runSchema },
      },
    },
    async (req) => welfareRunProgress(ctx, req.actor, req.params.crisisId, req.params.runId),
  );
  r.post(
    '/crises/:crisisId/welfare-runs/advance',
    {
      config: { access: 'case.update' },
      schema: {
        tags,
        summary: 'Create due follow-ups and call tasks now (the worker also does this)',
        params: crisisParams,
        body: z.strictObject({}).optional(),
        response: { 200: z.object({ runs: z.number(), followUps: z.number(), calls: z.number() }) },
      },
    },
    async (req) => advanceWelfareRuns(ctx, req.actor, req.params.crisisId),
  );
  r.post(
    '/crises/:crisisId/cases/:caseId/welfare-answer',
    {
      config: { access: 'case.update' },
      schema: {
        tags,
        summary: 'Record the answer to a welfare check',
        params: caseParams,
        body: z.strictObject({
          answer: z.enum(WELFARE_ANSWERS),
          note: z.string().trim().max(2000).optional(),
        }),
        response: {
          200: z.object({ caseId: z.string(), state: z.string(), answer: z.enum(WELFARE_ANSWERS) }),
        },
      },
    },
    async (req) => recordWelfareAnswer(ctx, req.actor, req.params.crisisId, req.params.caseId, req.body),
  );

  r.get(
    '/crises/:crisisId/loans',
    {
      config: { access: 'case.read' },
      schema: {
        tags,
        summary: 'Evacuation loans (optionally of one person)',
        params: crisisParams,
        querystring: z.strictObject({ personId: id.optional() }),
        response: { 200: z.object({ items: z.array(loanSchema) }) },
      },
    },
    async (req) => ({ items: await listLoans(ctx, req.actor, req.params.crisisId, req.query.personId) }),
  );
  r.post(
    '/crises/:crisisId/loans',
    {
      config: { access: 'case.update' },
      schema: {
        tags,
        summary: 'Record an evacuation loan offered to a person',
        params: crisisParams,
        body: z.strictObject({
          personId: id,
          caseId: id.optional(),
          amount: money,
          currency: z.string().regex(/^[A-Z]{3}$/, 'Use an ISO 4217 code such as USD.'),
          note: z.string().max(1000).optional(),
        }),
        response: { 201: loanSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await createLoan(ctx, req.actor, req.params.crisisId, req.body)),
  );
  r.post(
    '/crises/:crisisId/loans/:loanId',
    {
      config: { access: 'case.update' },
      schema: {
        tags,
        summary: 'Sign the promissory note, disburse, record a repayment, or waive',
        params: crisisParams.extend({ loanId: id }),
        body: z.strictObject({
          action: z.enum(['sign_note', 'disburse', 'record_repayment', 'waive']),
          version: z.number().int().min(1),
          amount: money.optional(),
        }),
        response: { 200: loanSchema },
      },
    },
    async (req) => updateLoan(ctx, req.actor, req.params.crisisId, req.params.loanId, req.body),
  );
}
