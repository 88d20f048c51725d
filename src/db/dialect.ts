import { sql, type Transaction } from 'kysely';
import type { DialectName } from './database.js';
import type { Database } from './schema.js';

/** Everything that differs between SQLite and PostgreSQL lives here. */

/**
 * Serialises appends to the audit hash chain. On PostgreSQL several instances write at
 * once, so a transaction-scoped advisory lock orders them; on SQLite the group-commit
 * writer already runs one job at a time.
 */
export async function lockAuditChain(trx: Transaction<Database>, dialect: DialectName): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(7201001)`.execute(trx);
}

/** Case-insensitive LIKE operator for the dialect. */
export const ilikeOperator = (dialect: DialectName): 'ilike' | 'like' =>
  dialect === 'postgres' ? 'ilike' : 'like';
