import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Database, IdempotencyTable } from '../../db/schema.js';
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
    // biome-ignore lint/suspicious/noExplicitAny: Kysely cannot narrow a generic table name's insert type.
    await trx.insertInto(table).values(rows.slice(i, i + size) as any).execute();
  }
}

/**
 * Inserts several registrations with one multi-row INSERT per table (households before the rows
 * that reference them). Used by the intake batcher: a batch of registrations costs five
 * statements, not five per registration.
 */
export async function insertRegistrations(
  trx: Transaction<Database>,
  batch: readonly RegistrationRows[],
  idempotency: readonly Insertable<IdempotencyTable>[] = [],
): Promise<void> {
  await insertChunked(trx, 'households', batch.map((r) => r.household));
  await insertChunked(trx, 'persons', batch.flatMap((r) => r.persons));
  await insertChunked(trx, 'person_documents', batch.flatMap((r) => r.documents));
  await insertChunked(trx, 'person_contacts', batch.flatMap((r) => r.contacts));
  await insertChunked(trx, 'person_history', batch.flatMap((r) => r.history));
  await insertChunked(trx, 'idempotency_keys', [...idempotency]);
}

export const findIdempotentReply = (db: Q, scope: string, key: string) =>
  db.selectFrom('idempotency_keys').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirst();

export const deleteIdempotencyKeysBefore = (trx: Transaction<Database>, scope: string, before: string) =>
  trx.deleteFrom('idempotency_keys').where('scope', '=', scope).where('created_at', '<', before).executeTakeFirst();

/** True when the reference code is taken (codes are random; a clash is retried). */
export const referenceExists = async (db: Q, reference: string) =>
  (await db.selectFrom('households').select('id').where('reference', '=', reference).executeTakeFirst()) !== undefined;
