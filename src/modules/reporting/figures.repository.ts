import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type CaseState, OPEN_STATES } from '../cases/case.rules.js';
import type { MessageStatus } from '../messaging/messaging.table.js';
import { restrictedPersonIds } from '../restricted/restricted-visibility.js';

type Q = Kysely<Database> | Transaction<Database>;

/** One cell of the registry cube: persons of a zone, intention, status and eligibility. */
export interface CubeCell {
  zoneId: string | null;
  intention: string;
  status: string;
  eligibility: string;
  n: number;
}

const num = (v: number | string | bigint | null | undefined) => Number(v ?? 0);

/**
 * Persons of the crisis (not anonymised) counted by zone × intention × status × eligibility, read
 * from the trigger-kept counters (a sum over a few hundred rows, whatever the registry's size).
 * Restricted persons are counted separately by `restrictedCube` and subtracted by the caller:
 * they are a handful, so the count needs no anti-join over the registry.
 */
export async function registryCube(db: Q, crisisId: string, zoneId?: string): Promise<CubeCell[]> {
  let q = db
    .selectFrom('report_person_counts')
    .select(['zone_id', 'intention', 'status', 'eligibility', sql<number | string>`sum(n)`.as('n')])
    .where('crisis_id', '=', crisisId);
  if (zoneId) q = q.where('zone_id', '=', zoneId);
  const rows = await q.groupBy(['zone_id', 'intention', 'status', 'eligibility']).execute();
  return rows
    .map((r) => ({
      zoneId: r.zone_id || null,
      intention: r.intention,
      status: r.status,
      eligibility: r.eligibility,
      n: num(r.n),
    }))
    .filter((c) => c.n !== 0);
}

/** The same cube over the restricted persons alone (linked to a hostage or missing-person case). */
export async function restrictedCube(db: Q, crisisId: string, zoneId?: string): Promise<CubeCell[]> {
  let q = db
    .selectFrom(
      db
        .selectFrom('restricted_cases')
        .select('restricted_cases.person_id')
        .distinct()
        .where('restricted_cases.person_id', 'is not', null)
        .as('r'),
    )
    .innerJoin('persons', 'persons.id', 'r.person_id')
    .select((eb) => [
      'persons.zone_id',
      'persons.intention',
      'persons.status',
      'persons.eligibility',
      eb.fn.countAll<number | string>().as('n'),
    ])
    .where('persons.crisis_id', '=', crisisId)
    .where('persons.anonymised_at', 'is', null);
  if (zoneId) q = q.where('persons.zone_id', '=', zoneId);
  const rows = await q
    .groupBy(['persons.zone_id', 'persons.intention', 'persons.status', 'persons.eligibility'])
    .execute();
  return rows.map((r) => ({
    zoneId: r.zone_id,
    intention: r.intention,
    status: r.status,
    eligibility: r.eligibility,
    n: num(r.n),
  }));
}

/**
 * Restricted persons of the crisis still counted by the triggers (anonymised ones already left the
 * counters when they were anonymised), as a derived table with one `id` column: a handful of rows.
 */
function restrictedCounted(db: Q, crisisId: string, zoneId?: string) {
  return db
    .selectFrom('restricted_cases')
    .innerJoin('persons', 'persons.id', 'restricted_cases.person_id')
    .select('persons.id')
    .distinct()
    .where('restricted_cases.crisis_id', '=', crisisId)
    .where('persons.anonymised_at', 'is', null)
    .$if(Boolean(zoneId), (q) => q.where('persons.zone_id', '=', zoneId ?? ''))
    .as('x');
}

/** Ids per query when persons are looked up by list (under both databases' parameter limits). */
const ID_CHUNK = 2000;
/** Beyond this many restricted persons, a join is cheaper than lists of ids. */
const MAX_LISTED = 20_000;

/** The restricted persons' ids, or undefined when there are too many to list (a join is used then). */
async function restrictedIds(db: Q, crisisId: string, zoneId?: string): Promise<string[] | undefined> {
  const rows = await db
    .selectFrom(restrictedCounted(db, crisisId, zoneId))
    .select('x.id')
    .limit(MAX_LISTED + 1)
    .execute();
  return rows.length > MAX_LISTED ? undefined : rows.map((r) => r.id);
}

/**
 * Runs `query` over the restricted persons: per chunk of listed ids (each an index lookup by
 * person), or as one join when they are too many to list. Planners cannot tell how few they are
 * and may scan the source table against a derived set; a list of ids they cannot misjudge.
 */
async function overRestricted<R>(
  db: Q,
  crisisId: string,
  zoneId: string | undefined,
  ids: string[] | undefined,
  query: (persons: { ids: string[] } | { join: ReturnType<typeof restrictedCounted> }) => Promise<R[]>,
): Promise<R[]> {
  if (!ids) return query({ join: restrictedCounted(db, crisisId, zoneId) });
  const out: R[] = [];
  for (let i = 0; i < ids.length; i += ID_CHUNK)
    out.push(...(await query({ ids: ids.slice(i, i + ID_CHUNK) })));
  return out;
}

export interface SeatCount {
  legId: string;
  status: string;
  n: number;
}
export interface CaseCount {
  state: string;
  n: number;
  overdue: number;
}
export interface MessageCount {
  status: string;
  n: number;
}
export interface SourceCounts {
  seats: SeatCount[];
  cases: CaseCount[];
  messages: MessageCount[];
}

export interface SourceOptions {
  zoneId?: string | undefined;
  /** Messages queued in [fromIso, toIso). */
  fromIso: string;
  toIso: string;
  /** Cases due before this instant (and still open) are overdue. */
  nowIso: string;
}

const overdueSum = (nowIso: string) =>
  sql<
    number | string
  >`sum(case when cases.due_at is not null and cases.due_at < ${nowIso} then 1 else 0 end)`;

/**
 * Seats, cases and messages of the crisis (or of the persons of one zone), grouped: from the
 * trigger-kept counters, which leave out anonymised persons' rows and keep each row under its
 * person's zone, minus the same counts over the restricted persons (a few index lookups). Overdue
 * cases come from the `cases_report` index.
 */
export async function sourceCounts(db: Q, crisisId: string, o: SourceOptions): Promise<SourceCounts> {
  const openStates = [...OPEN_STATES];
  const zone = o.zoneId;
  const ids = await restrictedIds(db, crisisId, zone);
  const [seats, seatsOut, cases, overdue, overdueAnonymised, casesOut, messages, messagesOut] =
    await Promise.all([
      db
        .selectFrom('report_seat_counts')
        .select(['leg_id', 'status', sql<number | string>`sum(n)`.as('n')])
        .where('crisis_id', '=', crisisId)
        .$if(Boolean(zone), (q) => q.where('zone_id', '=', zone ?? ''))
        .groupBy(['leg_id', 'status'])
        .execute(),
      overRestricted(db, crisisId, o.zoneId, ids, (x) => {
        const q =
          'ids' in x
            ? db.selectFrom('seat_assignments').where('seat_assignments.person_id', 'in', x.ids)
            : db.selectFrom(x.join).innerJoin('seat_assignments', 'seat_assignments.person_id', 'x.id');
        // By person id alone: the ids are this crisis's persons, and a crisis condition would tempt
        // the planner into scanning the crisis's rows instead of looking the persons up.
        return q
          .select((eb) => [
            'seat_assignments.leg_id',
            'seat_assignments.status',
            eb.fn.countAll<number | string>().as('n'),
          ])
          .groupBy(['seat_assignments.status', 'seat_assignments.leg_id'])
          .execute();
      }),
      db
        .selectFrom('report_case_counts')
        .select(['state', sql<number | string>`sum(n)`.as('n')])
        .where('crisis_id', '=', crisisId)
        .$if(Boolean(zone), (q) => q.where('zone_id', '=', zone ?? ''))
        .groupBy('state')
        .execute(),
      // Overdue depends on the clock: the crisis's overdue cases from the `cases_report` index; with a
      // zone, joined to their persons (only the overdue ones are read).
      zone
        ? db
            .selectFrom('cases')
            .innerJoin('persons', 'persons.id', 'cases.person_id')
            .select((eb) => ['cases.state', eb.fn.countAll<number | string>().as('o')])
            .where('cases.crisis_id', '=', crisisId)
            .where('cases.state', 'in', openStates)
            .where('cases.due_at', '<', o.nowIso)
            .where('persons.zone_id', '=', zone)
            .where('persons.anonymised_at', 'is', null)
            .groupBy('cases.state')
            .execute()
        : db
            .selectFrom('cases')
            .select((eb) => ['cases.state', eb.fn.countAll<number | string>().as('o')])
            .where('cases.crisis_id', '=', crisisId)
            .where('cases.state', 'in', openStates)
            .where('cases.due_at', '<', o.nowIso)
            .groupBy('cases.state')
            .execute(),
      // Without a zone, the overdue cases of anonymised persons come off (the index range has them).
      zone
        ? Promise.resolve([])
        : db
            .selectFrom('persons')
            .innerJoin('cases', 'cases.person_id', 'persons.id')
            .select((eb) => ['cases.state', eb.fn.countAll<number | string>().as('o')])
            .where('persons.crisis_id', '=', crisisId)
            .where('persons.anonymised_at', 'is not', null)
            .where('cases.state', 'in', openStates)
            .where('cases.due_at', '<', o.nowIso)
            .groupBy('cases.state')
            .execute(),
      overRestricted(db, crisisId, o.zoneId, ids, (x) => {
        const q =
          'ids' in x
            ? db.selectFrom('cases').where('cases.person_id', 'in', x.ids)
            : db.selectFrom(x.join).innerJoin('cases', 'cases.person_id', 'x.id');
        return q
          .select((eb) => [
            'cases.state',
            eb.fn.countAll<number | string>().as('n'),
            overdueSum(o.nowIso).as('o'),
          ])
          .groupBy('cases.state')
          .execute();
      }),
      db
        .selectFrom('report_message_counts')
        .select(['status', sql<number | string>`sum(n)`.as('n')])
        .where('crisis_id', '=', crisisId)
        .$if(Boolean(zone), (q) => q.where('zone_id', '=', zone ?? ''))
        .where('day', '>=', o.fromIso.slice(0, 10))
        .where('day', '<', o.toIso.slice(0, 10))
        .groupBy('status')
        .execute(),
      overRestricted(db, crisisId, o.zoneId, ids, (x) => {
        const q =
          'ids' in x
            ? db.selectFrom('messages').where('messages.person_id', 'in', x.ids)
            : db.selectFrom(x.join).innerJoin('messages', 'messages.person_id', 'x.id');
        return q
          .select((eb) => ['messages.status', eb.fn.countAll<number | string>().as('n')])
          .where('messages.queued_at', '>=', o.fromIso)
          .where('messages.queued_at', '<', o.toIso)
          .groupBy('messages.status')
          .execute();
      }),
    ]);
  const overdueByState = new Map(overdue.map((r) => [r.state, num(r.o)]));
  for (const r of overdueAnonymised)
    overdueByState.set(r.state, (overdueByState.get(r.state) ?? 0) - num(r.o));
  const seatKey = (r: { leg_id: string; status: string }) => `${r.leg_id}|${r.status}`;
  const seatOut = new Map<string, number>();
  for (const r of seatsOut) seatOut.set(seatKey(r), (seatOut.get(seatKey(r)) ?? 0) + num(r.n));
  const caseOut = new Map<string, { n: number; o: number }>();
  for (const r of casesOut) {
    const c = caseOut.get(r.state) ?? { n: 0, o: 0 };
    caseOut.set(r.state, { n: c.n + num(r.n), o: c.o + num(r.o) });
  }
  const messageOut = new Map<string, number>();
  for (const r of messagesOut) messageOut.set(r.status, (messageOut.get(r.status) ?? 0) + num(r.n));
  return {
    seats: seats
      .map((r) => ({ legId: r.leg_id, status: r.status, n: num(r.n) - (seatOut.get(seatKey(r)) ?? 0) }))
      .filter((r) => r.n > 0),
    cases: cases
      .map((r) => ({
        state: r.state,
        n: num(r.n) - (caseOut.get(r.state)?.n ?? 0),
        overdue: OPEN_STATES.includes(r.state as CaseState)
          ? (overdueByState.get(r.state) ?? 0) - (caseOut.get(r.state)?.o ?? 0)
          : 0,
      }))
      .filter((r) => r.n > 0),
    messages: messages
      .map((r) => ({ status: r.status, n: num(r.n) - (messageOut.get(r.status as MessageStatus) ?? 0) }))
      .filter((r) => r.n > 0),
  };
}

/**
 * Distinct persons on the crisis's approved lists of `day` (auto-linked or confirmed matches),
 * visible ones only. Without a zone: all matched persons minus those anonymised or restricted —
 * both sets come from small indexes (`persons_anonymised`, `restricted_cases_person`), so the
 * registry's own pages are never read. With a zone: a join to the persons of the zone.
 */
export async function onListCount(db: Q, crisisId: string, day: string, zoneId?: string): Promise<number> {
  const matched = () =>
    db
      .selectFrom('approved_list_matches')
      .innerJoin('approved_lists', 'approved_lists.id', 'approved_list_matches.list_id')
      .where('approved_lists.crisis_id', '=', crisisId)
      .where('approved_lists.list_date', '=', day)
      .where('approved_list_matches.status', 'in', ['auto_linked', 'confirmed']);
  const distinct = sql<number | string>`count(distinct approved_list_matches.person_id)`.as('n');
  if (zoneId) {
    const row = await matched()
      .innerJoin('persons', 'persons.id', 'approved_list_matches.person_id')
      .select(distinct)
      .where('persons.zone_id', '=', zoneId)
      .where('persons.anonymised_at', 'is', null)
      .where('persons.id', 'not in', restrictedPersonIds(db))
      .executeTakeFirst();
    return num(row?.n);
  }
  const hiddenIds = db
    .selectFrom('persons')
    .select('persons.id')
    .where('persons.crisis_id', '=', crisisId)
    .where('persons.anonymised_at', 'is not', null)
    .union(
      db
        .selectFrom('restricted_cases')
        .select(sql<string>`restricted_cases.person_id`.as('id'))
        .where('restricted_cases.crisis_id', '=', crisisId)
        .where('restricted_cases.person_id', 'is not', null),
    );
  const [all, hidden] = await Promise.all([
    matched().select(distinct).executeTakeFirst(),
    matched().select(distinct).where('approved_list_matches.person_id', 'in', hiddenIds).executeTakeFirst(),
  ]);
  return num(all?.n) - num(hidden?.n);
}

export interface CrossingSideRow {
  pointId: string;
  pointName: string;
  sideName: string;
  status: string;
  changedAt: string;
}

/** Crossing points of the crisis in use, with each side's status. */
export async function crossingSides(db: Q, crisisId: string): Promise<CrossingSideRow[]> {
  const rows = await db
    .selectFrom('crossing_points')
    .innerJoin('crossing_sides', 'crossing_sides.crossing_point_id', 'crossing_points.id')
    .select([
      'crossing_points.id',
      'crossing_points.name as point_name',
      'crossing_sides.name as side_name',
      'crossing_sides.status',
      'crossing_sides.status_changed_at',
    ])
    .where('crossing_points.crisis_id', '=', crisisId)
    .where('crossing_points.status', '=', 'active')
    .orderBy('crossing_points.name')
    .orderBy('crossing_sides.position')
    .execute();
  return rows.map((r) => ({
    pointId: r.id,
    pointName: r.point_name,
    sideName: r.side_name,
    status: r.status,
    changedAt: r.status_changed_at,
  }));
}

export interface LegRow {
  id: string;
  name: string;
  kind: string;
  status: string;
  departureAt: string;
  capacity: number;
}

/** Legs not cancelled that depart on or after `fromIso`, soonest first (at most `limit`). */
export async function legsFrom(db: Q, crisisId: string, fromIso: string, limit = 40): Promise<LegRow[]> {
  const rows = await db
    .selectFrom('transport_legs')
    .select(['id', 'name', 'kind', 'status', 'departure_at', 'seats', 'lap_places', 'stretcher_places'])
    .where('crisis_id', '=', crisisId)
    .where('status', '!=', 'cancelled')
    .where('departure_at', '>=', fromIso)
    .orderBy('departure_at')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    status: r.status,
    departureAt: r.departure_at,
    capacity: r.seats + r.lap_places + r.stretcher_places,
  }));
}

/** Zones of the crisis (id → name), archived ones included: people may still be counted there. */
export async function zoneNames(db: Q, crisisId: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('zones')
    .select(['id', 'name'])
    .where('crisis_id', '=', crisisId)
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The counter tables and the columns of their cells. */
const COUNTER_CELLS = {
  report_person_counts: ['zone_id', 'intention', 'status', 'eligibility'],
  report_seat_counts: ['zone_id', 'leg_id', 'status'],
  report_case_counts: ['zone_id', 'state'],
  report_message_counts: ['zone_id', 'day', 'status'],
} as const;

/**
 * Folds a crisis's counter rows into one row per cell (cells summing to zero go). On PostgreSQL
 * one statement deletes exactly the rows it sums, so changes committed meanwhile are kept; on
 * SQLite the single writer runs it alone. Returns how many rows were folded away.
 */
export async function compactCounters(
  trx: Transaction<Database>,
  dialect: 'sqlite' | 'postgres',
  crisisId: string,
) {
  let folded = 0;
  for (const [table, cells] of Object.entries(COUNTER_CELLS)) {
    const cols = cells.join(', ');
    if (dialect === 'postgres') {
      const result = await sql<{ before: number | string; after: number | string }>`
        with gone as (delete from ${sql.table(table)} where crisis_id = ${crisisId} returning *),
        kept as (
          insert into ${sql.table(table)} (crisis_id, ${sql.raw(cols)}, n)
          select crisis_id, ${sql.raw(cols)}, sum(n) from gone group by crisis_id, ${sql.raw(cols)} having sum(n) <> 0
          returning 1
        )
        select (select count(*) from gone) as before, (select count(*) from kept) as after`.execute(trx);
      const row = result.rows[0];
      folded += num(row?.before) - num(row?.after);
    } else {
      const before = await sql<{
        c: number;
      }>`select count(*) as c from ${sql.table(table)} where crisis_id = ${crisisId}`.execute(trx);
      const sums = await sql<Record<string, string | number>>`
        select ${sql.raw(cols)}, sum(n) as n from ${sql.table(table)} where crisis_id = ${crisisId}
        group by ${sql.raw(cols)} having sum(n) <> 0`.execute(trx);
      if (num(before.rows[0]?.c) === sums.rows.length) continue;
      await sql`delete from ${sql.table(table)} where crisis_id = ${crisisId}`.execute(trx);
      for (const row of sums.rows)
        await sql`insert into ${sql.table(table)} (crisis_id, ${sql.raw(cols)}, n) values (${crisisId}, ${sql.join(
          cells.map((c) => row[c]),
        )}, ${row.n})`.execute(trx);
      folded += num(before.rows[0]?.c) - sums.rows.length;
    }
  }
  return folded;
}
