import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { restrictedPersonIds } from '../restricted/restricted-visibility.js';
import type { CaseEventTable, CaseTable, CaseTaskTable } from './case.table.js';

type Q = Kysely<Database> | Transaction<Database>;
export type CaseRow = Selectable<CaseTable>;
export type CaseEventRow = Selectable<CaseEventTable>;
export type TaskRow = Selectable<CaseTaskTable>;

export const findCase = (db: Q, crisisId: string, caseId: string) =>
  db
    .selectFrom('cases')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .where('id', '=', caseId)
    .executeTakeFirst();

export const insertCase = (trx: Transaction<Database>, row: CaseRow) =>
  trx.insertInto('cases').values(row).execute();

/**
 * Optimistic concurrency: the update applies only if nobody changed the case since `version`
 * was read. Returns false on a lost race so the caller can answer 409.
 */
export async function updateCaseIfVersion(
  trx: Transaction<Database>,
  caseId: string,
  version: number,
  patch: Partial<CaseRow>,
): Promise<boolean> {
  const r = await trx
    .updateTable('cases')
    .set({ ...patch, version: version + 1 })
    .where('id', '=', caseId)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export const insertEvent = (trx: Transaction<Database>, row: CaseEventRow) =>
  trx.insertInto('case_events').values(row).execute();

export const eventsOf = (db: Q, caseId: string) =>
  db
    .selectFrom('case_events')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('at')
    .orderBy('id')
    .execute();

export const tasksOf = (db: Q, caseId: string) =>
  db.selectFrom('case_tasks').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute();

export const insertTask = (trx: Transaction<Database>, row: TaskRow) =>
  trx.insertInto('case_tasks').values(row).execute();

export const findTask = (db: Q, caseId: string, taskId: string) =>
  db
    .selectFrom('case_tasks')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('id', '=', taskId)
    .executeTakeFirst();

export const teamsOfStaff = async (db: Q, crisisId: string, staffId: string): Promise<string[]> =>
  (
    await db
      .selectFrom('case_team_members')
      .innerJoin('case_teams', 'case_teams.id', 'case_team_members.team_id')
      .select('case_teams.id')
      .where('case_teams.crisis_id', '=', crisisId)
      .where('case_team_members.staff_id', '=', staffId)
      .execute()
  ).map((r) => r.id);

/** Who a case is about, for a queue row: the household reference and the registered names. */
export interface CaseSubjectRow {
  householdReference: string;
  fullName: string | null;
  fullNameAr: string | null;
}

/**
 * The subjects of a page of cases, by case id. A case about a person linked to a restricted case
 * gets no entry at all (neither name nor reference), as on the case page; a case about a household
 * gets its reference with no name.
 */
export async function caseSubjects(
  db: Q,
  cases: readonly Pick<CaseRow, 'id' | 'person_id' | 'household_id'>[],
): Promise<Map<string, CaseSubjectRow>> {
  const out = new Map<string, CaseSubjectRow>();
  const personIds = [...new Set(cases.flatMap((c) => (c.person_id ? [c.person_id] : [])))];
  const householdIds = [
    ...new Set(cases.flatMap((c) => (!c.person_id && c.household_id ? [c.household_id] : []))),
  ];
  const persons = personIds.length
    ? await db
        .selectFrom('persons')
        .innerJoin('households', 'households.id', 'persons.household_id')
        .select(['persons.id', 'households.reference', 'persons.full_name', 'persons.full_name_ar'])
        .where('persons.id', 'in', personIds)
        .where('persons.id', 'not in', restrictedPersonIds(db))
        .execute()
    : [];
  const households = householdIds.length
    ? await db.selectFrom('households').select(['id', 'reference']).where('id', 'in', householdIds).execute()
    : [];
  const personById = new Map(persons.map((p) => [p.id, p]));
  const referenceOf = new Map(households.map((h) => [h.id, h.reference]));
  for (const c of cases) {
    if (c.person_id) {
      const p = personById.get(c.person_id);
      if (p)
        out.set(c.id, { householdReference: p.reference, fullName: p.full_name, fullNameAr: p.full_name_ar });
    } else if (c.household_id) {
      const reference = referenceOf.get(c.household_id);
      if (reference !== undefined)
        out.set(c.id, { householdReference: reference, fullName: null, fullNameAr: null });
    }
  }
  return out;
}
