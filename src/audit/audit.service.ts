import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../access/actor.js';
import type { DialectName } from '../db/database.js';
import { lockAuditChain } from '../db/dialect.js';
import type { AuditLogTable, Database } from '../db/schema.js';
import { nowIso } from '../lib/clock.js';
import type { AuditEvent } from './audit.events.js';

const GENESIS = '0'.repeat(64);

/** Canonical JSON: keys sorted, so the same change always gives the same digest. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The hash of one entry covers every field and the previous entry's hash. */
export function entryHash(entry: Omit<AuditLogTable, 'hash'>): string {
  return sha256(
    canonicalJson([
      entry.seq,
      entry.at,
      entry.actor_id,
      entry.actor_label,
      entry.crisis_id,
      entry.action,
      entry.entity_type,
      entry.entity_id,
      entry.digest,
      entry.prev_hash,
    ]),
  );
}

/**
 * Appends one entry to the hash-chained audit log, inside the caller's transaction so the
 * entry and the change commit (or roll back) together.
 */
export async function recordAudit(
  trx: Transaction<Database>,
  dialect: DialectName,
  actor: Actor,
  event: AuditEvent,
): Promise<void> {
  await lockAuditChain(trx, dialect);
  const last = await trx
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const entry: Omit<AuditLogTable, 'hash'> = {
    seq: (last?.seq ?? 0) + 1,
    at: nowIso(),
    actor_id: actor.id,
    actor_label: actor.label,
    crisis_id: event.crisisId,
    action: event.action,
    entity_type: event.entityType,
    entity_id: event.entityId,
    digest: sha256(canonicalJson(event.change ?? null)),
    prev_hash: last?.hash ?? GENESIS,
  };
  await trx
    .insertInto('audit_log')
    .values({ ...entry, hash: entryHash(entry) })
    .execute();
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBrokenSeq: number | null;
}

/** Walks the chain in order and reports the first entry whose link or hash does not hold. */
export async function verifyAuditChain(db: Kysely<Database>, pageSize = 5000): Promise<VerifyResult> {
  let prevHash = GENESIS;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return { ok: true, checked, firstBrokenSeq: null };
    for (const row of rows) {
      const { hash, ...rest } = row;
      if (row.seq !== expectedSeq || row.prev_hash !== prevHash || entryHash(rest) !== hash) {
        return { ok: false, checked, firstBrokenSeq: expectedSeq };
      }
      prevHash = hash;
      expectedSeq += 1;
      checked += 1;
    }
  }
}
