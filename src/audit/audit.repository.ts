import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export interface AuditFilter {
  crisisScope: 'all' | string[];
  crisisId?: string | undefined;
  action?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  actorId?: string | undefined;
  before?: number | undefined;
  limit: number;
}

/**
 * Newest first. With a crisis scope, only entries of those crises are returned; platform-wide
 * entries (no crisis) need the 'all' scope. An empty scope returns nothing.
 */
export async function listAuditEntries(db: Kysely<Database>, f: AuditFilter) {
  if (f.crisisScope !== 'all' && f.crisisScope.length === 0) return [];
  let q = db.selectFrom('audit_log').selectAll();
  if (f.crisisScope !== 'all') q = q.where('crisis_id', 'in', f.crisisScope);
  if (f.crisisId) q = q.where('crisis_id', '=', f.crisisId);
  if (f.action) q = q.where('action', '=', f.action);
  if (f.entityType) q = q.where('entity_type', '=', f.entityType);
  if (f.entityId) q = q.where('entity_id', '=', f.entityId);
  if (f.actorId) q = q.where('actor_id', '=', f.actorId);
  if (f.before !== undefined) q = q.where('seq', '<', f.before);
  return q.orderBy('seq', 'desc').limit(f.limit).execute();
}
