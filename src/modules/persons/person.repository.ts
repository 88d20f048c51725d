import {
  type Insertable,
  type Kysely,
  type Selectable,
  sql,
  type Transaction,
  type Updateable,
} from 'kysely';
import type {
  Database,
  HouseholdTable,
  PersonContactTable,
  PersonDocumentTable,
  PersonHistoryTable,
  PersonTable,
} from '../../db/schema.js';
import { restrictedPersonIds } from '../restricted/restricted-visibility.js';

type Q = Kysely<Database> | Transaction<Database>;
export type PersonRow = Selectable<PersonTable> & { reference: string };
export type HouseholdRow = Selectable<HouseholdTable>;
export type DocumentRow = Selectable<PersonDocumentTable>;
export type ContactRow = Selectable<PersonContactTable>;
export type HistoryRow = Selectable<PersonHistoryTable>;

export interface PersonFilter {
  /** Folded search tokens; each must appear in the person's search text. */
  tokens: string[];
  zoneId?: string | undefined;
  status?: string[] | undefined;
  intention?: string[] | undefined;
  eligibility?: string[] | undefined;
  vulnerability?: string[] | undefined;
  channel?: string[] | undefined;
}

const likeEscape = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

function filtered(db: Q, crisisId: string, f: PersonFilter) {
  let q = db
    .selectFrom('persons')
    .innerJoin('households', 'households.id', 'persons.household_id')
    .where('persons.crisis_id', '=', crisisId)
    .where('persons.anonymised_at', 'is', null)
    .where('persons.id', 'not in', restrictedPersonIds(db));
  for (const token of f.tokens)
    q = q.where(sql<boolean>`persons.search_text like ${`%${likeEscape(token)}%`} escape '\\'`);
  if (f.zoneId) q = q.where('persons.zone_id', '=', f.zoneId);
  if (f.status?.length) q = q.where('persons.status', 'in', f.status);
  if (f.intention?.length) q = q.where('persons.intention', 'in', f.intention);
  if (f.eligibility?.length) q = q.where('persons.eligibility', 'in', f.eligibility);
  if (f.channel?.length) q = q.where('persons.channel', 'in', f.channel);
  if (f.vulnerability?.length) {
    const wanted = f.vulnerability;
    q = q.where((eb) =>
      eb.or(wanted.map((v) => eb('persons.vulnerabilities', 'like', `%"${likeEscape(v)}"%`))),
    );
  }
  return q;
}

/** One page of persons of a crisis (the crisis id is the scope: there is no "all"). */
export async function listPersons(
  db: Q,
  crisisId: string,
  f: PersonFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: PersonRow[]; total: number }> {
  const rows = await filtered(db, crisisId, f)
    .selectAll('persons')
    .select('households.reference')
    .orderBy('persons.created_at', 'desc')
    .orderBy('persons.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const count = await filtered(db, crisisId, f)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return { rows, total: Number(count.n) };
}

/** Every matching person, in pages, for exports. */
export async function* iteratePersons(
  db: Q,
  crisisId: string,
  f: PersonFilter,
  pageSize = 2000,
): AsyncGenerator<PersonRow[]> {
  for (let offset = 0; ; offset += pageSize) {
    const rows = await filtered(db, crisisId, f)
      .selectAll('persons')
      .select('households.reference')
      .orderBy('persons.created_at')
      .orderBy('persons.id')
      .limit(pageSize)
      .offset(offset)
      .execute();
    if (rows.length > 0) yield rows;
    if (rows.length < pageSize) return;
  }
}

export const findPerson = (db: Q, crisisId: string, personId: string) =>
  db
    .selectFrom('persons')
    .innerJoin('households', 'households.id', 'persons.household_id')
    .selectAll('persons')
    .select('households.reference')
    .where('persons.crisis_id', '=', crisisId)
    .where('persons.id', '=', personId)
    .where('persons.anonymised_at', 'is', null)
    .where('persons.id', 'not in', restrictedPersonIds(db))
    .executeTakeFirst();

export const findHousehold = (db: Q, householdId: string) =>
  db.selectFrom('households').selectAll().where('id', '=', householdId).executeTakeFirst();

/** The household behind an update link: reference and secret hash must both match. */
export const findHouseholdByLink = (db: Q, reference: string, secretHash: string) =>
  db
    .selectFrom('households')
    .selectAll()
    .where('reference', '=', reference)
    .where('update_secret_hash', '=', secretHash)
    .where('anonymised_at', 'is', null)
    .executeTakeFirst();

/**
 * Members of a household. Staff views leave out members linked to a restricted case
 * (`visibleToStaff`); the family's own update page and the eligibility rules see everyone.
 */
export const listHouseholdMembers = (
  db: Q,
  householdId: string,
  options: { visibleToStaff?: boolean } = {},
) => {
  let q = db
    .selectFrom('persons')
    .innerJoin('households', 'households.id', 'persons.household_id')
    .selectAll('persons')
    .select('households.reference')
    .where('persons.household_id', '=', householdId)
    .where('persons.anonymised_at', 'is', null);
  if (options.visibleToStaff) q = q.where('persons.id', 'not in', restrictedPersonIds(db));
  return q.orderBy('persons.created_at').orderBy('persons.id').execute();
};

export const listDocuments = (db: Q, personIds: string[]) =>
  personIds.length === 0
    ? Promise.resolve([] as DocumentRow[])
    : db
        .selectFrom('person_documents')
        .selectAll()
        .where('person_id', 'in', personIds)
        .orderBy('created_at')
        .execute();

export const listContacts = (db: Q, householdIds: string[]) =>
  householdIds.length === 0
    ? Promise.resolve([] as ContactRow[])
    : db
        .selectFrom('person_contacts')
        .selectAll()
        .where('household_id', 'in', householdIds)
        .orderBy('created_at')
        .execute();

export const listHistory = (db: Q, personId: string) =>
  db
    .selectFrom('person_history')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .execute();

export const updatePersonRow = (
  trx: Transaction<Database>,
  personId: string,
  patch: Updateable<PersonTable>,
) => trx.updateTable('persons').set(patch).where('id', '=', personId).execute();

export const updatePersonsOfHousehold = (
  trx: Transaction<Database>,
  householdId: string,
  patch: Updateable<PersonTable>,
) =>
  trx
    .updateTable('persons')
    .set(patch)
    .where('household_id', '=', householdId)
    .where('anonymised_at', 'is', null)
    .execute();

export const updateHouseholdRow = (
  trx: Transaction<Database>,
  householdId: string,
  patch: Updateable<HouseholdTable>,
) => trx.updateTable('households').set(patch).where('id', '=', householdId).execute();

export const insertHistory = (trx: Transaction<Database>, rows: Insertable<PersonHistoryTable>[]) =>
  rows.length === 0
    ? Promise.resolve()
    : trx
        .insertInto('person_history')
        .values(rows)
        .execute()
        .then(() => undefined);

export const insertDocuments = (trx: Transaction<Database>, rows: Insertable<PersonDocumentTable>[]) =>
  rows.length === 0
    ? Promise.resolve()
    : trx
        .insertInto('person_documents')
        .values(rows)
        .execute()
        .then(() => undefined);

export const insertContacts = (trx: Transaction<Database>, rows: Insertable<PersonContactTable>[]) =>
  rows.length === 0
    ? Promise.resolve()
    : trx
        .insertInto('person_contacts')
        .values(rows)
        .execute()
        .then(() => undefined);

export const insertPersons = (trx: Transaction<Database>, rows: Insertable<PersonTable>[]) =>
  rows.length === 0
    ? Promise.resolve()
    : trx
        .insertInto('persons')
        .values(rows)
        .execute()
        .then(() => undefined);

export const deleteHouseholdContacts = (trx: Transaction<Database>, householdId: string) =>
  trx.deleteFrom('person_contacts').where('household_id', '=', householdId).execute();
