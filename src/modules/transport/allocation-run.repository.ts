import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { AllocationRunRowTable, AllocationRunTable } from './allocation-run.table.js';

type Q = Kysely<Database> | Transaction<Database>;
export type AllocationRunRow = Selectable<AllocationRunTable>;
export type AllocationRunPlanRow = Selectable<AllocationRunRowTable>;

export const insertRun = (trx: Transaction<Database>, row: AllocationRunRow) =>
  trx.insertInto('allocation_runs').values(row).execute();

export async function insertRunRows(trx: Transaction<Database>, rows: AllocationRunPlanRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500)
    await trx
      .insertInto('allocation_run_rows')
      .values(rows.slice(i, i + 500))
      .execute();
}

export const runInCrisis = (db: Q, crisisId: string, id: string) =>
  db
    .selectFrom('allocation_runs')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .where('id', '=', id)
    .executeTakeFirst();

export const rowsOfRun = (db: Q, runId: string) =>
  db
    .selectFrom('allocation_run_rows')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('leg_id')
    .orderBy('household_id')
    .orderBy('person_id')
    .execute();

/** Marks a proposed run committed; false when someone committed it first. */
export async function markRunCommitted(
  trx: Transaction<Database>,
  id: string,
  actorId: string | null,
  at: string,
): Promise<boolean> {
  const r = await trx
    .updateTable('allocation_runs')
    .set({ status: 'committed', committed_by: actorId, committed_at: at })
    .where('id', '=', id)
    .where('status', '=', 'proposed')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
