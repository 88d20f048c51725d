import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DialectName } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type {
  ManifestTable,
  SeatAssignmentEventTable,
  SeatAssignmentTable,
  TransportLegTable,
} from './transport.table.js';

type Q = Kysely<Database> | Transaction<Database>;
export type LegRow = Selectable<TransportLegTable>;
export type AssignmentRow = Selectable<SeatAssignmentTable>;
export type AssignmentEventRow = Selectable<SeatAssignmentEventTable>;
export type ManifestRow = Selectable<ManifestTable>;

/** Statuses in which an assignment holds its place on the leg. */
export const HOLDING_STATUSES = ['offered', 'confirmed', 'checked_in', 'boarded'] as const;

export const listLegRows = (db: Q, crisisId: string) =>
  db
    .selectFrom('transport_legs')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .orderBy('departure_at')
    .orderBy('name')
    .execute();

export const findLegRow = (db: Q, crisisId: string, id: string) =>
  db
    .selectFrom('transport_legs')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .where('id', '=', id)
    .executeTakeFirst();

export const insertLeg = (trx: Transaction<Database>, row: LegRow) =>
  trx.insertInto('transport_legs').values(row).execute();

/**
 * Optimistic concurrency: the update applies only if nobody changed the leg since `version`;
 * returns false otherwise.
 */
export async function updateLegIfVersion(
  trx: Transaction<Database>,
  id: string,
  version: number,
  patch: Partial<LegRow>,
): Promise<boolean> {
  const result = await trx
    .updateTable('transport_legs')
    .set({ ...patch, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export const assignmentsOfLeg = (db: Q, legId: string) =>
  db
    .selectFrom('seat_assignments')
    .selectAll()
    .where('leg_id', '=', legId)
    .orderBy('household_id')
    .orderBy('created_at')
    .execute();

export const assignmentsOfLegs = (db: Q, legIds: string[]) =>
  legIds.length === 0
    ? Promise.resolve([] as AssignmentRow[])
    : db.selectFrom('seat_assignments').selectAll().where('leg_id', 'in', legIds).execute();

export const holdingAssignmentsOfPersons = (db: Q, personIds: string[]) =>
  personIds.length === 0
    ? Promise.resolve([] as AssignmentRow[])
    : db
        .selectFrom('seat_assignments')
        .selectAll()
        .where('person_id', 'in', personIds)
        .where('status', 'in', HOLDING_STATUSES)
        .execute();

export const assignmentsOfHousehold = (db: Q, householdId: string) =>
  db
    .selectFrom('seat_assignments')
    .selectAll()
    .where('household_id', '=', householdId)
    .orderBy('created_at')
    .execute();

export const findAssignmentRow = (db: Q, crisisId: string, id: string) =>
  db
    .selectFrom('seat_assignments')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .where('id', '=', id)
    .executeTakeFirst();

export const findAssignmentByCode = (db: Q, crisisId: string, code: string) =>
  db
    .selectFrom('seat_assignments')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .where('code', '=', code)
    .executeTakeFirst();

export const insertAssignment = (trx: Transaction<Database>, row: AssignmentRow) =>
  trx.insertInto('seat_assignments').values(row).execute();

/** Moves an assignment on only if it is still in `from`; returns false when someone got there first. */
export async function updateAssignmentIfStatus(
  trx: Transaction<Database>,
  id: string,
  from: AssignmentRow['status'],
  patch: Partial<AssignmentRow>,
): Promise<boolean> {
  const result = await trx
    .updateTable('seat_assignments')
    .set(patch)
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export const insertAssignmentEvent = (trx: Transaction<Database>, row: AssignmentEventRow) =>
  trx.insertInto('seat_assignment_events').values(row).execute();

export const eventsOfAssignment = (db: Q, assignmentId: string) =>
  db
    .selectFrom('seat_assignment_events')
    .selectAll()
    .where('assignment_id', '=', assignmentId)
    .orderBy('at')
    .execute();

export const overdueOffers = (db: Q, nowIso: string) =>
  db
    .selectFrom('seat_assignments')
    .selectAll()
    .where('status', '=', 'offered')
    .where('offer_deadline', '<', nowIso)
    .execute();

export const insertManifest = (trx: Transaction<Database>, row: ManifestRow) =>
  trx.insertInto('manifests').values(row).execute();

export const manifestsOfLeg = (db: Q, legId: string) =>
  db.selectFrom('manifests').selectAll().where('leg_id', '=', legId).orderBy('issued_at', 'desc').execute();

/** The people behind assignments, with what manifests and offers may show of them. */
export const passengersOf = (db: Q, personIds: string[]) =>
  personIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('persons')
        .innerJoin('households', 'households.id', 'persons.household_id')
        .select([
          'persons.id',
          'persons.household_id',
          'households.reference',
          'persons.given_name',
          'persons.given_name_ar',
          'persons.full_name',
          'persons.full_name_ar',
          'persons.sex',
          'persons.birth_date',
          'persons.nationalities',
        ])
        .where('persons.id', 'in', personIds)
        .execute();

export const documentsOf = (db: Q, personIds: string[]) =>
  personIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('person_documents')
        .select(['person_id', 'type', 'number', 'issuing_country', 'expiry_date'])
        .where('person_id', 'in', personIds)
        .execute();

export const householdMembers = (db: Q, crisisId: string, householdId: string) =>
  db
    .selectFrom('persons')
    .select(['id', 'birth_date', 'vulnerabilities', 'zone_id', 'status'])
    .where('crisis_id', '=', crisisId)
    .where('household_id', '=', householdId)
    .where('anonymised_at', 'is', null)
    .execute();

/**
 * Reads a leg for a change that depends on its free places. PostgreSQL runs writers side by side,
 * so the row is locked until commit; SQLite's group-commit writer already runs one job at a time
 * (and has no FOR UPDATE).
 */
export const lockLegRow = (trx: Transaction<Database>, dialect: DialectName, crisisId: string, id: string) =>
  trx
    .selectFrom('transport_legs')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .where('id', '=', id)
    .$if(dialect === 'postgres', (q) => q.forUpdate())
    .executeTakeFirst();

/** Serialises offers to one household (one place per person) on PostgreSQL; see lockLegRow. */
export const lockHouseholdRow = (trx: Transaction<Database>, dialect: DialectName, id: string) =>
  trx
    .selectFrom('households')
    .select('id')
    .where('id', '=', id)
    .$if(dialect === 'postgres', (q) => q.forUpdate())
    .executeTakeFirst();

export const legLinksOfCrisis = (db: Q, crisisId: string) =>
  db.selectFrom('transport_legs').select(['id', 'next_leg_id']).where('crisis_id', '=', crisisId).execute();
