import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { restrictedPersonIds } from '../restricted/restricted-visibility.js';
import type { DisclosureCountsTable, DisclosureRulesTable } from './disclosure.table.js';

type Db = Kysely<Database> | Transaction<Database>;

/** One combination of the registry's dimensions and how many persons have it. */
export interface CountRow {
  /** Zone id, or null when the person gave none. */
  z: string | null;
  i: string;
  s: string;
  e: string;
  /** On an approved crossing list of the day (1) or not (0). */
  l: 0 | 1;
  /** Departed (status departed / arrived, or boarded a transport leg) (1) or not (0). */
  d: 0 | 1;
  n: number;
}

/** The counts of one crisis at one moment: internal only (they hold exact small counts). */
export interface FrozenCounts {
  rows: CountRow[];
  /** Registry persons linked to a restricted case (hostage, missing) of the crisis. */
  restricted: number;
  /** The crisis's zones at that moment (id and name). */
  zones: { id: string; name: string }[];
}

export const findRules = (db: Db, crisisId: string) =>
  db.selectFrom('disclosure_rules').selectAll().where('crisis_id', '=', crisisId).executeTakeFirst();

export async function saveRules(
  trx: Transaction<Database>,
  row: DisclosureRulesTable,
  previousVersion: number,
) {
  if (previousVersion === 0) {
    const inserted = await trx
      .insertInto('disclosure_rules')
      .values(row)
      .onConflict((oc) => oc.column('crisis_id').doNothing())
      .returning('crisis_id')
      .executeTakeFirst();
    return inserted !== undefined;
  }
  const { crisis_id, ...fields } = row;
  const result = await trx
    .updateTable('disclosure_rules')
    .set(fields)
    .where('crisis_id', '=', crisis_id)
    .where('version', '=', previousVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export const findCounts = (db: Db, crisisId: string, day: string) =>
  db
    .selectFrom('disclosure_counts')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .where('day', '=', day)
    .executeTakeFirst();

/** Stores the day's counts unless another instance did first; the stored row wins either way. */
export async function insertCountsOnce(
  trx: Transaction<Database>,
  row: DisclosureCountsTable,
): Promise<boolean> {
  const inserted = await trx
    .insertInto('disclosure_counts')
    .values(row)
    .onConflict((oc) => oc.columns(['crisis_id', 'day']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/**
 * Counts the registry of a crisis by zone × intention × status × eligibility × on the day's
 * list × departed, in one grouped query. Anonymised persons are left out; persons linked to a
 * restricted case are left out of the rows and counted apart.
 */
export async function countRegistry(db: Db, crisisId: string, day: string): Promise<FrozenCounts> {
  const perPerson = db
    .selectFrom('persons')
    .select((eb) => [
      'persons.zone_id as z',
      'persons.intention as i',
      'persons.status as s',
      'persons.eligibility as e',
      eb
        .case()
        .when(
          eb.exists(
            eb
              .selectFrom('approved_list_matches')
              .innerJoin('approved_lists', 'approved_lists.id', 'approved_list_matches.list_id')
              .select(sql<number>`1`.as('one'))
              .whereRef('approved_list_matches.person_id', '=', 'persons.id')
              .where('approved_lists.list_date', '=', day)
              .where('approved_list_matches.status', 'in', ['auto_linked', 'confirmed']),
          ),
        )
        .then(1)
        .else(0)
        .end()
        .as('l'),
      eb
        .case()
        .when(
          eb.or([
            eb('persons.status', 'in', ['departed', 'arrived']),
            eb.exists(
              eb
                .selectFrom('seat_assignments')
                .select(sql<number>`1`.as('one'))
                .whereRef('seat_assignments.person_id', '=', 'persons.id')
                .where('seat_assignments.status', '=', 'boarded'),
            ),
          ]),
        )
        .then(1)
        .else(0)
        .end()
        .as('d'),
    ])
    .where('persons.crisis_id', '=', crisisId)
    .where('persons.anonymised_at', 'is', null)
    .where('persons.id', 'not in', restrictedPersonIds(db));
  const rows = await db
    .selectFrom(perPerson.as('p'))
    .select((eb) => ['p.z', 'p.i', 'p.s', 'p.e', 'p.l', 'p.d', eb.fn.countAll<number | string>().as('n')])
    .groupBy(['p.z', 'p.i', 'p.s', 'p.e', 'p.l', 'p.d'])
    .execute();
  const restricted = await db
    .selectFrom('persons')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('persons.crisis_id', '=', crisisId)
    .where('persons.anonymised_at', 'is', null)
    .where('persons.id', 'in', restrictedPersonIds(db))
    .executeTakeFirstOrThrow();
  const zones = await db
    .selectFrom('zones')
    .select(['id', 'name'])
    .where('crisis_id', '=', crisisId)
    .orderBy('name')
    .execute();
  return {
    rows: rows.map((r) => ({
      z: r.z,
      i: r.i,
      s: r.s,
      e: r.e,
      l: Number(r.l) === 1 ? 1 : 0,
      d: Number(r.d) === 1 ? 1 : 0,
      n: Number(r.n),
    })),
    restricted: Number(restricted.n),
    zones,
  };
}
