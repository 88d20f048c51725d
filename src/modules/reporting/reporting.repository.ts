import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { SnapshotRow } from './figures.service.js';
import type { SituationReportTable } from './reporting.table.js';

type Q = Kysely<Database> | Transaction<Database>;
export type SituationReportRow = Selectable<SituationReportTable>;

export const findSnapshotDay = (db: Q, crisisId: string, day: string) =>
  db
    .selectFrom('report_snapshot_days')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .where('day', '=', day)
    .executeTakeFirst();

export const listSnapshotDays = (db: Q, crisisId: string, limit: number) =>
  db
    .selectFrom('report_snapshot_days')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .orderBy('day', 'desc')
    .limit(limit)
    .execute();

/** Stores one day's snapshot: the day row and its figures, in the caller's transaction. */
export async function insertSnapshot(
  trx: Transaction<Database>,
  crisisId: string,
  day: string,
  takenAt: string,
  takenBy: string | null,
  rows: SnapshotRow[],
): Promise<void> {
  await trx
    .insertInto('report_snapshot_days')
    .values({ crisis_id: crisisId, day, taken_at: takenAt, taken_by: takenBy, row_count: rows.length })
    .execute();
  // 200 rows × 5 parameters stays under SQLite's and PostgreSQL's parameter limits.
  for (let i = 0; i < rows.length; i += 200) {
    await trx
      .insertInto('report_snapshots')
      .values(
        rows.slice(i, i + 200).map((r) => ({
          crisis_id: crisisId,
          day,
          metric: r.metric,
          dimension: r.dimension,
          value: r.value,
        })),
      )
      .execute();
  }
}

/** Snapshot rows of the days in [from, to], by day. */
export async function snapshotRowsBetween(
  db: Q,
  crisisId: string,
  from: string,
  to: string,
): Promise<Map<string, SnapshotRow[]>> {
  const rows = await db
    .selectFrom('report_snapshots')
    .select(['day', 'metric', 'dimension', 'value'])
    .where('crisis_id', '=', crisisId)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .execute();
  const out = new Map<string, SnapshotRow[]>();
  for (const r of rows) {
    const list = out.get(r.day) ?? [];
    list.push({ metric: r.metric, dimension: r.dimension, value: Number(r.value) });
    out.set(r.day, list);
  }
  return out;
}

export const findSituationReport = (db: Q, crisisId: string, day: string) =>
  db
    .selectFrom('situation_reports')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .where('day', '=', day)
    .executeTakeFirst();

export const listSituationReports = (db: Q, crisisId: string, limit: number) =>
  db
    .selectFrom('situation_reports')
    .select(['day', 'version', 'narrative', 'updated_at', 'pdf_digests'])
    .where('crisis_id', '=', crisisId)
    .orderBy('day', 'desc')
    .limit(limit)
    .execute();

export const insertSituationReport = (trx: Transaction<Database>, row: Insertable<SituationReportTable>) =>
  trx.insertInto('situation_reports').values(row).execute();

/** Updates a report if its version is still `version`; returns whether it did. */
export async function updateSituationReportIfVersion(
  trx: Transaction<Database>,
  id: string,
  version: number,
  patch: Partial<SituationReportRow>,
): Promise<boolean> {
  const result = await trx
    .updateTable('situation_reports')
    .set(patch)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export const setPdfDigests = (trx: Transaction<Database>, id: string, digests: string) =>
  trx.updateTable('situation_reports').set({ pdf_digests: digests }).where('id', '=', id).execute();
