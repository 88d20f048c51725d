import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ApprovedListEntryTable, ApprovedListMatchTable, ApprovedListTable } from './crossing.table.js';

type Q = Kysely<Database> | Transaction<Database>;
export type ApprovedListRowDb = Selectable<ApprovedListTable>;
export type EntryRow = Selectable<ApprovedListEntryTable>;
export type MatchRow = Selectable<ApprovedListMatchTable>;

export const insertApprovedList = (trx: Transaction<Database>, row: ApprovedListRowDb) =>
  trx.insertInto('approved_lists').values(row).execute();

/** Inserts entries in chunks (SQLite caps bound parameters per statement). */
export async function insertEntries(trx: Transaction<Database>, rows: EntryRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await trx
      .insertInto('approved_list_entries')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

export const findListByDigest = (db: Q, crossingId: string, listDate: string, digest: string) =>
  db
    .selectFrom('approved_lists')
    .selectAll()
    .where('crossing_point_id', '=', crossingId)
    .where('list_date', '=', listDate)
    .where('file_digest', '=', digest)
    .executeTakeFirst();

export const findApprovedList = (db: Q, crisisId: string, listId: string) =>
  db
    .selectFrom('approved_lists')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .where('id', '=', listId)
    .executeTakeFirst();

export const listApprovedLists = (db: Q, crisisId: string, crossingId?: string) => {
  let q = db.selectFrom('approved_lists').selectAll().where('crisis_id', '=', crisisId);
  if (crossingId) q = q.where('crossing_point_id', '=', crossingId);
  return q.orderBy('list_date', 'desc').orderBy('imported_at', 'desc').execute();
};

export const entriesOf = (db: Q, listId: string, offset = 0, limit = 100_000) =>
  db
    .selectFrom('approved_list_entries')
    .selectAll()
    .where('list_id', '=', listId)
    .orderBy('row_no')
    .offset(offset)
    .limit(limit)
    .execute();

export const matchesOf = (db: Q, listId: string) =>
  db.selectFrom('approved_list_matches').selectAll().where('list_id', '=', listId).execute();

/** Counts of matches by status for many lists at once. */
export async function matchCounts(db: Q, listIds: string[]): Promise<Map<string, Record<string, number>>> {
  const out = new Map<string, Record<string, number>>();
  if (listIds.length === 0) return out;
  const rows = await db
    .selectFrom('approved_list_matches')
    .select(['list_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('list_id', 'in', listIds)
    .groupBy(['list_id', 'status'])
    .execute();
  for (const r of rows) {
    const counts = out.get(r.list_id) ?? {};
    counts[r.status] = Number(r.n);
    out.set(r.list_id, counts);
  }
  return out;
}
