import type BetterSqlite3 from 'better-sqlite3';
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Database, IdempotencyTable } from '../../db/schema.js';
import type { ReportPersonCountTable } from '../reporting/reporting.table.js';
import type { RegistrationRows } from './registration-rows.js';

type Q = Kysely<Database> | Transaction<Database>;

// SQLite allows 32,766 bound parameters per statement; stay well below on both databases.
const MAX_PARAMS = 30_000;

async function insertChunked<T extends keyof Database & string>(
  trx: Transaction<Database>,
  table: T,
  rows: Insertable<Database[T]>[],
): Promise<void> {
  if (rows.length === 0) return;
  const perRow = Object.keys(rows[0] as object).length;
  const size = Math.max(1, Math.floor(MAX_PARAMS / perRow));
  for (let i = 0; i < rows.length; i += size) {
    // Kysely cannot relate a generic table name to its insert type; the signature above does.
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + size) as never)
      .execute();
  }
}

const statements = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

/**
 * SQLite fast path for the surge: one cached prepared statement per table, run row by row on the
 * raw connection. It must only be called from inside a write job: better-sqlite3 has a single
 * connection, so these statements run inside the job's open transaction (and savepoint) and
 * commit or roll back with it.
 */
function insertRowsSqlite<T extends keyof Database & string>(
  sqlite: BetterSqlite3.Database,
  table: T,
  rows: readonly Insertable<Database[T]>[],
): void {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as object);
  const key = `${table}:${columns.join(',')}`;
  let cache = statements.get(sqlite);
  if (!cache) {
    cache = new Map();
    statements.set(sqlite, cache);
  }
  let statement = cache.get(key);
  if (!statement) {
    statement = sqlite.prepare(
      `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`,
    );
    cache.set(key, statement);
  }
  for (const row of rows) statement.run(valuesInOrder(row as Record<string, unknown>, columns));
}

/**
 * The row's values in `columns` order. Rows built alike have their keys in the same order, and
 * then Object.values (V8's cached key list) is a few times cheaper than a lookup per column.
 */
export function valuesInOrder(row: Record<string, unknown>, columns: readonly string[]): unknown[] {
  const keys = Object.keys(row);
  let same = keys.length === columns.length;
  for (let i = 0; same && i < keys.length; i += 1) same = keys[i] === columns[i];
  if (!same) return columns.map((c) => row[c] ?? null);
  const values = Object.values(row);
  for (let i = 0; i < values.length; i += 1) if (values[i] === undefined) values[i] = null;
  return values;
}

/**
 * Inserts several registrations, households before the rows that reference them, and the
 * counter rows of persons marked `counted_in_batch` (public intake). Used by the
 * intake batcher: a batch costs one multi-row INSERT per table on PostgreSQL, and cached
 * prepared statements on SQLite (pass `sqlite`, the raw handle of the same connection).
 */
export async function insertRegistrations(
  trx: Transaction<Database>,
  batch: readonly RegistrationRows[],
  idempotency: readonly Insertable<IdempotencyTable>[] = [],
  sqlite?: BetterSqlite3.Database,
  personCounts: readonly Insertable<ReportPersonCountTable>[] = [],
): Promise<void> {
  if (sqlite) {
    insertRowsSqlite(
      sqlite,
      'households',
      batch.map((r) => r.household),
    );
    insertRowsSqlite(
      sqlite,
      'persons',
      batch.flatMap((r) => r.persons),
    );
    insertRowsSqlite(
      sqlite,
      'person_documents',
      batch.flatMap((r) => r.documents),
    );
    insertRowsSqlite(
      sqlite,
      'person_contacts',
      batch.flatMap((r) => r.contacts),
    );
    insertRowsSqlite(
      sqlite,
      'person_history',
      batch.flatMap((r) => r.history),
    );
    insertRowsSqlite(sqlite, 'idempotency_keys', idempotency);
    insertRowsSqlite(sqlite, 'report_person_counts', personCounts);
    return;
  }
  await insertChunked(
    trx,
    'households',
    batch.map((r) => r.household),
  );
  await insertChunked(
    trx,
    'persons',
    batch.flatMap((r) => r.persons),
  );
  await insertChunked(
    trx,
    'person_documents',
    batch.flatMap((r) => r.documents),
  );
  await insertChunked(
    trx,
    'person_contacts',
    batch.flatMap((r) => r.contacts),
  );
  await insertChunked(
    trx,
    'person_history',
    batch.flatMap((r) => r.history),
  );
  await insertChunked(trx, 'idempotency_keys', [...idempotency]);
  await insertChunked(trx, 'report_person_counts', [...personCounts]);
}

export const findIdempotentReply = (db: Q, scope: string, key: string) =>
  db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('scope', '=', scope)
    .where('key', '=', key)
    .executeTakeFirst();

export const deleteIdempotencyKeysBefore = (trx: Transaction<Database>, scope: string, before: string) =>
  trx
    .deleteFrom('idempotency_keys')
    .where('scope', '=', scope)
    .where('created_at', '<', before)
    .executeTakeFirst();

/** True when the reference code is taken (codes are random; a clash is retried). */
export const referenceExists = async (db: Q, reference: string) =>
  (await db.selectFrom('households').select('id').where('reference', '=', reference).executeTakeFirst()) !==
  undefined;
