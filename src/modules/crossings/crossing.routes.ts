import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { AppError, validationFailed } from '../../lib/errors.js';
import { getListWithEntries, importApprovedList, listLists } from './approved-list.service.js';
import {
  crossingCreateSchema,
  crossingParams,
  crossingSchema,
  crossingUpdateSchema,
  sideParams,
  sideUpdateSchema,
  statusChangeSchema,
  statusEventSchema,
} from './crossing.schemas.js';
import {
  changeSideStatus,
  createCrossing,
  crossingHistory,
  getCrossing,
  listCrossings,
  updateCrossing,
  updateSide,
} from './crossing.service.js';
import { checkApprovedLists } from './list-check.service.js';
import { matchApprovedList } from './list-matching.service.js';
import { decideListMatch, listMatchesForReview } from './list-review.service.js';

const crisisParams = z.strictObject({ crisisId: z.string().min(1).max(100) });
const listParams = crisisParams.extend({ listId: z.string().min(1).max(100) });
const matchParams = listParams.extend({ matchId: z.string().min(1).max(100) });
const fieldExplanationSchema = z.object({
  field: z.string(),
  level: z.string(),
  weight: z.number(),
  detail: z.string().optional(),
});
const reviewItemSchema = z.object({
  id: z.string(),
  score: z.number(),
  decision: z.enum(['match', 'review']),
  status: z.enum(['auto_linked', 'pending', 'confirmed', 'rejected']),
  explanation: z.array(fieldExplanationSchema),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  entry: z.object({
    id: z.string(),
    rowNo: z.number(),
    sourceRef: z.string(),
    fullName: z.string(),
    fullNameAr: z.string().nullable(),
    passportNumber: z.string().nullable(),
    dateOfBirth: z.string().nullable(),
    nationality: z.string().nullable(),
  }),
  person: z.object({
    id: z.string(),
    householdId: z.string(),
    reference: z.string(),
    fullName: z.string().nullable(),
    fullNameAr: z.string().nullable(),
    dateOfBirth: z.string().nullable(),
    sex: z.string(),
    passportNumber: z.string().nullable(),
  }),
});

const listSummarySchema = z.object({
  id: z.string(),
  crossingPointId: z.string(),
  listDate: z.string(),
  source: z.string(),
  fileName: z.string(),
  format: z.enum(['csv', 'xlsx', 'pdf']),
  rowCount: z.number(),
  byNationality: z.record(z.string(), z.number()),
  importedAt: z.string(),
  matchedAt: z.string().nullable(),
  matches: z.object({
    autoLinked: z.number(),
    pending: z.number(),
    confirmed: z.number(),
    rejected: z.number(),
  }),
});

/** Largest approved-list upload: lists of a few thousand names are well under a megabyte. */
const MAX_LIST_BYTES = 20 * 1024 * 1024;

/** Crossing points, their sides' status, and the daily approved lists under /api/v1. */
export async function crossingRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(multipart, {
    limits: { fileSize: MAX_LIST_BYTES, files: 1, fields: 10, fieldSize: 10_000 },
  });
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['crossings'];
  const base = '/crises/:crisisId/crossings';

  r.get(
    base,
    {
      config: { access: 'movement.read' },
      schema: {
        tags,
        summary: 'Crossing points with their sides and status',
        params: crisisParams,
        response: { 200: z.object({ items: z.array(crossingSchema) }) },
      },
    },
    async (req) => ({ items: await listCrossings(ctx, req.actor, req.params.crisisId) }),
  );
  r.post(
    base,
    {
      config: { access: 'movement.manage' },
      schema: {
        tags,
        summary: 'Add a crossing point with its sides',
        params: crisisParams,
        body: crossingCreateSchema,
        response: { 201: crossingSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await createCrossing(ctx, req.actor, req.params.crisisId, req.body)),
  );
  r.get(
    `${base}/:crossingId`,
    {
      config: { access: 'movement.read' },
      schema: {
        tags,
        summary: 'One crossing point',
        params: crossingParams,
        response: { 200: crossingSchema },
      },
    },
    async (req) => getCrossing(ctx, req.actor, req.params.crisisId, req.params.crossingId),
  );
  r.patch(
    `${base}/:crossingId`,
    {
      config: { access: 'movement.manage' },
      schema: {
        tags,
        summary: 'Edit or archive a crossing point',
        params: crossingParams,
        body: crossingUpdateSchema,
        response: { 200: crossingSchema },
      },
    },
    async (req) => updateCrossing(ctx, req.actor, req.params.crisisId, req.params.crossingId, req.body),
  );
  r.get(
    `${base}/:crossingId/history`,
    {
      config: { access: 'movement.read' },
      schema: {
        tags,
        summary: 'Status history of the sides, newest first',
        params: crossingParams,
        response: { 200: z.object({ items: z.array(statusEventSchema) }) },
      },
    },
    async (req) => ({
      items: await crossingHistory(ctx, req.actor, req.params.crisisId, req.params.crossingId),
    }),
  );
  r.patch(
    `${base}/:crossingId/sides/:sideId`,
    {
      config: { access: 'movement.manage' },
      schema: {
        tags,
        summary: 'Edit a side: operator, opening windows, public notice',
        params: sideParams,
        body: sideUpdateSchema,
        response: { 200: crossingSchema },
      },
    },
    async (req) =>
      updateSide(ctx, req.actor, req.params.crisisId, req.params.crossingId, req.params.sideId, req.body),
  );
  r.post(
    `${base}/:crossingId/sides/:sideId/status`,
    {
      config: { access: 'movement.manage' },
      schema: {
        tags,
        summary: 'Record a side’s new status and where the news came from',
        params: sideParams,
        body: statusChangeSchema,
        response: { 200: crossingSchema },
      },
    },
    async (req) =>
      changeSideStatus(
        ctx,
        req.actor,
        req.params.crisisId,
        req.params.crossingId,
        req.params.sideId,
        req.body,
      ),
  );

  r.get(
    `${base}/:crossingId/lists`,
    {
      config: { access: 'movement.read' },
      schema: {
        tags,
        summary: 'Approved lists of a crossing point, newest day first',
        params: crossingParams,
        response: { 200: z.object({ items: z.array(listSummarySchema) }) },
      },
    },
    async (req) => ({ items: await listLists(ctx, req.actor, req.params.crisisId, req.params.crossingId) }),
  );
  r.post(
    `${base}/:crossingId/lists`,
    {
      config: { access: 'movement.manage' },
      schema: {
        tags,
        summary:
          'Import a day’s approved list (multipart: fields listDate and source, then the CSV, XLSX or PDF file)',
        params: crossingParams,
        consumes: ['multipart/form-data'],
        response: { 201: listSummarySchema },
      },
    },
    async (req, reply) => {
      if (!req.isMultipart())
        throw new AppError(415, 'unsupported_media_type', 'Send the list as multipart/form-data.');
      const part = await req.file();
      if (!part) throw validationFailed([{ path: 'file', message: 'Attach the list file.' }]);
      const data = await part.toBuffer().catch((error: { code?: string }) => {
        if (error.code === 'FST_REQ_FILE_TOO_LARGE')
          throw new AppError(413, 'payload_too_large', 'The list file is too large.');
        throw error;
      });
      const field = (name: string) => {
        const f = part.fields[name];
        const one = Array.isArray(f) ? f[0] : f;
        return one && 'value' in one ? String(one.value) : '';
      };
      const listDate = field('listDate');
      const source = field('source');
      const missing = [
        ...(listDate
          ? []
          : [{ path: 'listDate', message: 'Give the list date (YYYY-MM-DD), before the file.' }]),
        ...(source ? [] : [{ path: 'source', message: 'Say who published the list, before the file.' }]),
      ];
      if (missing.length) throw validationFailed(missing);
      const summary = await importApprovedList(ctx, req.actor, req.params.crisisId, req.params.crossingId, {
        listDate,
        source: source.slice(0, 300),
        fileName: part.filename.slice(0, 200) || 'list',
        data,
      });
      return reply.status(201).send(summary);
    },
  );
  r.get(
    '/crises/:crisisId/lists',
    {
      config: { access: 'movement.read' },
      schema: {
        tags,
        summary: 'All approved lists of a crisis',
        params: crisisParams,
        response: { 200: z.object({ items: z.array(listSummarySchema) }) },
      },
    },
    async (req) => ({ items: await listLists(ctx, req.actor, req.params.crisisId) }),
  );
  r.get(
    '/crises/:crisisId/lists/:listId',
    {
      config: { access: 'movement.read' },
      schema: {
        tags,
        summary: 'An approved list with its entries (audited)',
        params: listParams,
        querystring: z.strictObject({
          offset: z.coerce.number().int().min(0).default(0),
          limit: z.coerce.number().int().min(1).max(1000).default(200),
        }),
      },
    },
    async (req) => getListWithEntries(ctx, req.actor, req.params.crisisId, req.params.listId, req.query),
  );

  r.post(
    '/crises/:crisisId/lists/:listId/match',
    {
      config: { access: 'matching.review' },
      schema: {
        tags,
        summary: 'Match the list against the registry: auto-link matches, queue the rest for review',
        params: listParams,
        body: z.strictObject({}).optional(),
        response: {
          200: z.object({
            listId: z.string(),
            entries: z.number(),
            registryPersons: z.number(),
            autoLinked: z.number(),
            pending: z.number(),
            keptDecisions: z.number(),
            seconds: z.number(),
          }),
        },
      },
    },
    async (req) => matchApprovedList(ctx, req.actor, req.params.crisisId, req.params.listId),
  );
  r.get(
    '/crises/:crisisId/lists/:listId/matches',
    {
      config: { access: 'person.read' },
      schema: {
        tags,
        summary: 'Candidate pairs of a list with the evidence for each (audited)',
        params: listParams,
        querystring: z.strictObject({
          status: z.enum(['auto_linked', 'pending', 'confirmed', 'rejected']).optional(),
          offset: z.coerce.number().int().min(0).default(0),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: z.object({ items: z.array(reviewItemSchema) }) },
      },
    },
    async (req) => ({
      items: await listMatchesForReview(ctx, req.actor, req.params.crisisId, req.params.listId, req.query),
    }),
  );
  r.post(
    '/crises/:crisisId/lists/:listId/matches/:matchId/decision',
    {
      config: { access: 'matching.review' },
      schema: {
        tags,
        summary: 'Confirm or reject a candidate pair',
        params: matchParams,
        body: z.strictObject({ decision: z.enum(['confirm', 'reject']) }),
        response: {
          200: z.object({
            id: z.string(),
            status: z.enum(['confirmed', 'rejected']),
            reviewedAt: z.string(),
          }),
        },
      },
    },
    async (req) =>
      decideListMatch(
        ctx,
        req.actor,
        req.params.crisisId,
        req.params.listId,
        req.params.matchId,
        req.body.decision,
      ),
  );

  r.post(
    '/public/list-check',
    {
      config: {
        access: 'public',
        rateLimit: {
          max: Math.max(10, Math.floor(ctx.config.rateLimits.portalPerMinute / 10)),
          timeWindow: '1 minute',
        },
      },
      schema: {
        tags: ['public', 'crossings'],
        summary:
          'Am I on a list to cross? Needs the update link (reference + secret) or a document number with the date of birth',
        body: z.union([
          z.strictObject({ reference: z.string().min(9).max(20), secret: z.string().min(16).max(100) }),
          z.strictObject({
            documentNumber: z.string().min(5).max(40),
            dateOfBirth: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use YYYY-MM-DD.'),
          }),
        ]),
        response: {
          200: z.object({
            onList: z.boolean(),
            lists: z.array(
              z.object({ listDate: z.string(), crossing: z.string(), people: z.array(z.string()) }),
            ),
          }),
        },
      },
    },
    async (req) => checkApprovedLists(ctx, req.body),
  );
}
