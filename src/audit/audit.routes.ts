import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { crisesWhere, holdsGlobally } from '../access/policy.js';
import type { AppContext } from '../app-context.js';
import { forbidden } from '../lib/errors.js';
import { listAuditEntries } from './audit.repository.js';
import { recordAudit, verifyAuditChain } from './audit.service.js';

const entrySchema = z.object({
  seq: z.number(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorLabel: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  crisisId: z.string().nullable(),
  digest: z.string(),
  hash: z.string(),
});

const listQuery = z.strictObject({
  crisisId: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
  entityType: z.string().max(100).optional(),
  entityId: z.string().max(100).optional(),
  actorId: z.string().max(100).optional(),
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** The audit viewer's API. Reading the audit trail is itself audited. */
export async function auditRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/audit',
    {
      config: { access: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'Audit entries, newest first',
        querystring: listQuery,
        response: { 200: z.object({ items: z.array(entrySchema), nextBefore: z.number().nullable() }) },
      },
    },
    async (req) => {
      const scope = crisesWhere(req.actor, 'audit.read');
      const rows = await listAuditEntries(ctx.db.db, { ...req.query, crisisScope: scope });
      await ctx.db.writer.write((trx) =>
        recordAudit(trx, ctx.db.dialect, req.actor, {
          action: 'audit.viewed',
          entityType: 'audit_log',
          entityId: null,
          crisisId: req.query.crisisId ?? null,
          change: req.query,
        }),
      );
      return {
        items: rows.map((row) => ({
          seq: row.seq,
          at: row.at,
          actorId: row.actor_id,
          actorLabel: row.actor_label,
          action: row.action,
          entityType: row.entity_type,
          entityId: row.entity_id,
          crisisId: row.crisis_id,
          digest: row.digest,
          hash: row.hash,
        })),
        nextBefore: rows.length === req.query.limit ? rows[rows.length - 1]!.seq : null,
      };
    },
  );

  r.get(
    '/audit/verify',
    {
      config: { access: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'Verify the whole hash chain',
        response: {
          200: z.object({ ok: z.boolean(), checked: z.number(), firstBrokenSeq: z.number().nullable() }),
        },
      },
    },
    async (req) => {
      if (!holdsGlobally(req.actor, 'audit.read'))
        throw forbidden('Verifying the whole chain needs platform-wide audit access.');
      const result = await verifyAuditChain(ctx.db.db);
      await ctx.db.writer.write((trx) =>
        recordAudit(trx, ctx.db.dialect, req.actor, {
          action: 'audit.verified',
          entityType: 'audit_log',
          entityId: null,
          crisisId: null,
          change: result,
        }),
      );
      return result;
    },
  );

  r.get(
    '/audit/facets',
    {
      config: { access: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'Action names and record types present in the trail (for the viewer’s filters)',
        response: { 200: z.object({ actions: z.array(z.string()), entityTypes: z.array(z.string()) }) },
      },
    },
    async (req) => {
      const scope = crisesWhere(req.actor, 'audit.read');
      if (scope !== 'all' && scope.length === 0) return { actions: [], entityTypes: [] };
      let actions = ctx.db.db.selectFrom('audit_log').select('action').distinct();
      let types = ctx.db.db.selectFrom('audit_log').select('entity_type').distinct();
      if (scope !== 'all') {
        actions = actions.where('crisis_id', 'in', scope);
        types = types.where('crisis_id', 'in', scope);
      }
      return {
        actions: (await actions.orderBy('action').execute()).map((r) => r.action),
        entityTypes: (await types.orderBy('entity_type').execute()).map((r) => r.entity_type),
      };
    },
  );
}
