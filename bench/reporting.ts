/**
 * Reporting benchmark: the dashboard and the situation report on a crisis of 1,000,000 persons
 * (with households, legs and seats, cases, messages, today's approved list, restricted cases and
 * 13 days of snapshots), on SQLite and on PostgreSQL, through the real HTTP routes.
 *
 * Measures, per database: dashboard p95 (and with a zone filter), report query p95 (today's live
 * report), seconds to generate the PDF report (the slowest of en / fr / ar), and a baseline: the
 * same figures computed by plain queries (one per figure, anti-join to the restricted persons,
 * joins to persons) after dropping the reporting indexes, in the same run.
 *
 *   npm run bench:reporting     (BENCH_PERSONS=1000000 BENCH_RUNS=30 BENCH_DATABASES=sqlite,postgres)
 *
 * PostgreSQL: a scratch database next to TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test),
 * dropped at the end. Progress goes to stderr; the last line of stdout is the JSON array.
 */
import { type Kysely, sql } from 'kysely';
import { systemActor } from '../src/access/actor.js';
import { buildApp } from '../src/app.js';
import type { DialectName } from '../src/db/database.js';
import type { Database } from '../src/db/schema.js';
import { createZone } from '../src/modules/crises/crisis.service.js';
import { takeSnapshot } from '../src/modules/reporting/dashboard.service.js';
import {
  compactCounters,
  crossingSides,
  legsFrom,
  onListCount,
  registryCube,
  restrictedCube,
  sourceCounts,
} from '../src/modules/reporting/figures.repository.js';
import { addDays, utcDay } from '../src/modules/reporting/figures.service.js';
import { snapshotRowsBetween } from '../src/modules/reporting/reporting.repository.js';
import { restrictedPersonIds } from '../src/modules/restricted/restricted-visibility.js';
import { createActiveStaff } from '../src/modules/staff/staff.service.js';
import { seedCrisis } from '../test/fixtures/persons/seed.js';
import { call, signIn } from '../test/helpers/api.js';
import { createTestContext } from '../test/helpers/context.js';

process.env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
const PERSONS = Number(process.env.BENCH_PERSONS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const BASELINE_RUNS = Number(process.env.BENCH_BASELINE_RUNS ?? 5);
const DATABASES = (process.env.BENCH_DATABASES ?? 'sqlite,postgres').split(',') as DialectName[];
const LEGS = 200;
const CHUNK = 100_000;

const log = (...args: unknown[]) => console.error('[bench:reporting]', ...args);

const p95 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)]!;
};
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** A row source 1..n in SQL, per dialect: generate_series on PostgreSQL, a recursive CTE on SQLite. */
function series(dialect: DialectName, from: number, to: number) {
  // bigint on PostgreSQL: the spread multiplies row numbers past 2^31.
  return dialect === 'postgres'
    ? { with: '', from: `generate_series(${from}::bigint, ${to}::bigint) as s(i)` }
    : {
        with: `with recursive s(i) as (select ${from} union all select i + 1 from s where i < ${to})`,
        from: 's',
      };
}

/** Deterministic spread from the row number (the same on both databases). */
const bucket = (mult: number, mod: number) => `((i * ${mult}) % ${mod})`;

async function seed(db: Kysely<Database>, dialect: DialectName, crisisId: string, zoneIds: string[]) {
  const at = new Date().toISOString();
  const today = utcDay(new Date());
  const z = zoneIds.map((id) => `'${id}'`);
  // Zones: 30 / 25 / 20 / 13 / 9 %, and 3 % with no zone yet.
  const zone = `case when ${bucket(7919, 100)} < 30 then ${z[0]} when ${bucket(7919, 100)} < 55 then ${z[1]} when ${bucket(7919, 100)} < 75 then ${z[2]} when ${bucket(7919, 100)} < 88 then ${z[3]} when ${bucket(7919, 100)} < 97 then ${z[4]} else null end`;
  const intention = `case when ${bucket(31, 10)} < 6 then 'leave' when ${bucket(31, 10)} < 8 then 'stay' else 'undecided' end`;
  const status = `case when ${bucket(17, 100)} < 55 then 'registered' when ${bucket(17, 100)} < 75 then 'verified' when ${bucket(17, 100)} < 80 then 'safe' when ${bucket(17, 100)} < 85 then 'awaiting_departure' when ${bucket(17, 100)} < 93 then 'departed' when ${bucket(17, 100)} < 97 then 'arrived' when ${bucket(17, 100)} < 98 then 'missing' when ${bucket(17, 100)} < 99 then 'withdrawn' else 'deceased' end`;
  const eligibility = `case when ${bucket(13, 10)} < 6 then 'eligible' when ${bucket(13, 10)} < 8 then 'to_verify' else 'not_eligible' end`;
  const anonymised = `case when i % 200 = 0 then '${at}' else null end`;
  const started = Date.now();
  // Households of three (the last one shorter).
  const households = Math.ceil(PERSONS / 3);
  for (let a = 1; a <= households; a += CHUNK) {
    const s = series(dialect, a, Math.min(households, a + CHUNK - 1));
    await sql
      .raw(
        `insert into households (id, crisis_id, reference, update_secret_hash, channel, registered_by, locale, created_at, updated_at)
         ${s.with} select 'h' || i, '${crisisId}', 'R-' || i, 'x', 'portal_self', 'self', 'en', '${at}', '${at}' from ${s.from}`,
      )
      .execute(db);
  }
  for (let a = 1; a <= PERSONS; a += CHUNK) {
    const s = series(dialect, a, Math.min(PERSONS, a + CHUNK - 1));
    await sql
      .raw(
        `insert into persons (id, crisis_id, household_id, relationship, given_name, family_name, full_name, sex,
           birth_precision, nationalities, eligibility, eligibility_reason, zone_id, intention, vulnerabilities,
           status, channel, search_text, created_at, updated_at, anonymised_at)
         ${s.with} select 'p' || i, '${crisisId}', 'h' || ((i + 2) / 3), case when i % 3 = 1 then 'head' else 'child' end,
           'Given' || (i % 977), 'Family' || (i % 1523), 'Given' || (i % 977) || ' Family' || (i % 1523), 'unknown',
           'year', '["US"]', ${eligibility}, '', ${zone}, ${intention}, '[]', ${status}, 'portal_self', '', '${at}', '${at}', ${anonymised}
         from ${s.from}`,
      )
      .execute(db);
    log(`${dialect}: ${Math.min(PERSONS, a + CHUNK - 1)} persons`);
  }
  // Legs: 200 buses of 320 places, departing over the next 20 days.
  for (let l = 0; l < LEGS; l++) {
    await db
      .insertInto('transport_legs')
      .values({
        id: `leg${l}`,
        crisis_id: crisisId,
        kind: 'bus',
        name: `Bus ${l + 1}`,
        origin: 'Rafah',
        destination: 'Cairo',
        assembly_point: 'Synthetic yard',
        report_at: null,
        departure_at: new Date(Date.now() + (l / 10) * 86_400_000).toISOString(),
        seats: 300,
        lap_places: 10,
        stretcher_places: 10,
        operator: '',
        cost_per_seat_minor: 0,
        currency: 'USD',
        status: l < 20 ? 'boarding' : 'planned',
        next_leg_id: null,
        crossing_point_id: null,
        crossing_list_date: null,
        reachable_zone_ids: '[]',
        version: 1,
        created_by: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
  }
  const seatStatus = `case ${bucket(1, 7)} when 0 then 'offered' when 1 then 'confirmed' when 2 then 'confirmed' when 3 then 'checked_in' when 4 then 'boarded' when 5 then 'declined' else 'expired' end`;
  for (let a = 1; a <= PERSONS; a += CHUNK) {
    const s = series(dialect, a, Math.min(PERSONS, a + CHUNK - 1));
    // One person in 16 has a seat (62,500 at 1M): ~310 per leg.
    await sql
      .raw(
        `insert into seat_assignments (id, crisis_id, leg_id, person_id, household_id, place_kind, status, code, offer_deadline, created_at, updated_at)
         ${s.with} select 'sa' || i, '${crisisId}', 'leg' || ((i / 16) % ${LEGS}), 'p' || i, 'h' || ((i + 2) / 3), 'seat', ${seatStatus},
           'S' || i, '${at}', '${at}', '${at}' from ${s.from} where i % 16 = 0`,
      )
      .execute(db);
    // One in 20 has a case (50,000): states spread, half of them due yesterday.
    await sql
      .raw(
        `insert into cases (id, crisis_id, number, person_id, type, state, priority, priority_computed, priority_reason,
           priority_overridden, summary, source, state_changed_at, due_at, version, created_at, updated_at)
         ${s.with} select 'c' || i, '${crisisId}', 'C-' || i, 'p' || i, 'departure',
           case ((i / 20) % 7) when 0 then 'new' when 1 then 'triaged' when 2 then 'in_progress' when 3 then 'waiting_person'
             when 4 then 'waiting_partner' when 5 then 'resolved' else 'closed' end,
           3, 3, '', 0, 'Synthetic case', 'staff', '${at}',
           case when i % 40 = 0 then '${addDays(today, -1)}T12:00:00.000Z' else '${addDays(today, 2)}T12:00:00.000Z' end,
           1, '${at}', '${at}' from ${s.from} where i % 20 = 0`,
      )
      .execute(db);
    // One in 5 was sent a message (200,000) over the last 10 days.
    await sql
      .raw(
        `insert into messages (id, crisis_id, person_id, channel, address, language, body, segments, status, attempts,
           next_attempt_at, queued_at, updated_at)
         ${s.with} select 'm' || i, '${crisisId}', 'p' || i, 'sms', '+10000000000', 'en', 'Synthetic message', 1,
           case ${bucket(1, 8)} when 0 then 'queued' when 1 then 'sent' when 2 then 'failed' else 'delivered' end, 1, '${at}',
           '${addDays(today, -9)}T08:00:00.000Z', '${at}' from ${s.from} where i % 5 = 0`,
      )
      .execute(db);
  }
  // Crossing points, and today's approved list of 5,000 names, all matched.
  for (const [n, name] of ['Rafah', 'Kerem Shalom'].entries()) {
    await db
      .insertInto('crossing_points')
      .values({
        id: `cp${n}`,
        crisis_id: crisisId,
        name,
        code: name.toUpperCase().replace(/\s/g, '-'),
        description: '',
        requires_approved_list: 1,
        status: 'active',
        created_at: at,
        updated_at: at,
      })
      .execute();
    for (const [k, side] of ['Gaza side', 'Egypt side'].entries())
      await db
        .insertInto('crossing_sides')
        .values({
          id: `cs${n}${k}`,
          crossing_point_id: `cp${n}`,
          name: side,
          operator: '',
          status: k === 0 ? 'restricted' : 'open',
          status_note: '',
          status_source: '',
          status_changed_at: at,
          opening_windows: '[]',
          public_notice: '{}',
          position: k,
        })
        .execute();
  }
  await db
    .insertInto('approved_lists')
    .values({
      id: 'list0',
      crisis_id: crisisId,
      crossing_point_id: 'cp0',
      list_date: today,
      source: 'authority',
      file_name: 'list.csv',
      file_digest: 'd',
      format: 'csv',
      row_count: 5000,
      by_nationality: '{}',
      imported_by: null,
      imported_at: at,
      matched_at: at,
    })
    .execute();
  const list = series(dialect, 1, 5000);
  await sql
    .raw(
      `insert into approved_list_entries (id, list_id, row_no, source_ref, full_name)
       ${list.with} select 'e' || i, 'list0', i, '', 'Synthetic name' from ${list.from}`,
    )
    .execute(db);
  await sql
    .raw(
      `insert into approved_list_matches (id, list_id, entry_id, person_id, score, decision, status, explanation)
       ${list.with} select 'am' || i, 'list0', 'e' || i, 'p' || (((i * 37) % ${PERSONS}) + 1), 0.97, 'match',
         case when i % 10 = 0 then 'pending' else 'auto_linked' end, '{}' from ${list.from}`,
    )
    .execute(db);
  // Fifty restricted (hostage / missing) cases linked to registry persons.
  const restricted = series(dialect, 1, 50);
  await sql
    .raw(
      `insert into restricted_cases (id, crisis_id, number, kind, status, citizenship, person_id, sealed, version, created_at, updated_at)
       ${restricted.with} select 'rc' || i, '${crisisId}', 'H-' || i, 'hostage', 'confirmed_held', 'confirmed', 'p' || (((i * 9973) % ${PERSONS}) + 1),
         'sealed', 1, '${at}', '${at}' from ${restricted.from}`,
    )
    .execute(db);
  return (Date.now() - started) / 1000;
}

/** What the worker does after a surge: fold the counter rows the triggers appended. */
async function analyse(db: Kysely<Database>, dialect: DialectName) {
  if (dialect === 'postgres') await sql`vacuum analyze`.execute(db);
  else await sql`analyze`.execute(db);
}

/**
 * The baseline: the same figures by plain queries, one per figure, each one an anti-join to the
 * restricted persons and a join to persons where the figure is not about persons.
 */
async function plainFigures(db: Kysely<Database>, crisisId: string, today: string) {
  const visible = () =>
    db
      .selectFrom('persons')
      .where('persons.crisis_id', '=', crisisId)
      .where('persons.anonymised_at', 'is', null)
      .where('persons.id', 'not in', restrictedPersonIds(db));
  const from = `${addDays(today, -13)}T00:00:00.000Z`;
  const [byZoneIntention, byStatus, byEligibility, total, seats, legs, cases, overdue, messages, onList] =
    await Promise.all([
      visible()
        .select(['zone_id', 'intention', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy(['zone_id', 'intention'])
        .execute(),
      visible()
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute(),
      visible()
        .select(['eligibility', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('eligibility')
        .execute(),
      visible()
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst(),
      db
        .selectFrom('seat_assignments')
        .innerJoin('persons', 'persons.id', 'seat_assignments.person_id')
        .select(['seat_assignments.status', (eb) => eb.fn.countAll<number>().as('n')])
        .where('seat_assignments.crisis_id', '=', crisisId)
        .where('persons.anonymised_at', 'is', null)
        .where('persons.id', 'not in', restrictedPersonIds(db))
        .groupBy('seat_assignments.status')
        .execute(),
      db
        .selectFrom('seat_assignments')
        .innerJoin('persons', 'persons.id', 'seat_assignments.person_id')
        .select(['seat_assignments.leg_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('seat_assignments.crisis_id', '=', crisisId)
        .where('seat_assignments.status', 'in', ['offered', 'confirmed', 'checked_in', 'boarded'])
        .where('persons.anonymised_at', 'is', null)
        .where('persons.id', 'not in', restrictedPersonIds(db))
        .groupBy('seat_assignments.leg_id')
        .execute(),
      db
        .selectFrom('cases')
        .innerJoin('persons', 'persons.id', 'cases.person_id')
        .select(['cases.state', (eb) => eb.fn.countAll<number>().as('n')])
        .where('cases.crisis_id', '=', crisisId)
        .where('persons.anonymised_at', 'is', null)
        .where('persons.id', 'not in', restrictedPersonIds(db))
        .groupBy('cases.state')
        .execute(),
      db
        .selectFrom('cases')
        .innerJoin('persons', 'persons.id', 'cases.person_id')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('cases.crisis_id', '=', crisisId)
        .where('cases.state', 'in', ['new', 'triaged', 'in_progress', 'waiting_person', 'waiting_partner'])
        .where('cases.due_at', '<', new Date().toISOString())
        .where('persons.anonymised_at', 'is', null)
        .where('persons.id', 'not in', restrictedPersonIds(db))
        .executeTakeFirst(),
      db
        .selectFrom('messages')
        .innerJoin('persons', 'persons.id', 'messages.person_id')
        .select(['messages.status', (eb) => eb.fn.countAll<number>().as('n')])
        .where('messages.crisis_id', '=', crisisId)
        .where('messages.queued_at', '>=', from)
        .where('persons.anonymised_at', 'is', null)
        .where('persons.id', 'not in', restrictedPersonIds(db))
        .groupBy('messages.status')
        .execute(),
      db
        .selectFrom('approved_list_matches')
        .innerJoin('approved_lists', 'approved_lists.id', 'approved_list_matches.list_id')
        .innerJoin('persons', 'persons.id', 'approved_list_matches.person_id')
        .select(sql<number>`count(distinct approved_list_matches.person_id)`.as('n'))
        .where('approved_lists.crisis_id', '=', crisisId)
        .where('approved_lists.list_date', '=', today)
        .where('approved_list_matches.status', 'in', ['auto_linked', 'confirmed'])
        .where('persons.anonymised_at', 'is', null)
        .where('persons.id', 'not in', restrictedPersonIds(db))
        .executeTakeFirst(),
    ]);
  return {
    total: Number(total?.n ?? 0),
    verified: Number(byStatus.find((s) => s.status === 'verified')?.n ?? 0),
    cells: byZoneIntention.length,
    eligibility: byEligibility.length,
    allocated: seats
      .filter((s) => ['offered', 'confirmed', 'checked_in', 'boarded'].includes(s.status))
      .reduce((sum, s) => sum + Number(s.n), 0),
    legs: legs.length,
    cases: cases.length,
    overdue: Number(overdue?.n ?? 0),
    messages: messages.reduce((sum, m) => sum + Number(m.n), 0),
    onList: Number(onList?.n ?? 0),
  };
}

/** Bulk person inserts per second with the counter triggers, then without (the triggers dropped). */
async function personWriteCost(
  db: Kysely<Database>,
  dialect: DialectName,
  crisisId: string,
  zoneIds: string[],
) {
  const n = 50_000;
  const at = new Date().toISOString();
  const insert = async (offset: number) => {
    const s = series(dialect, offset + 1, offset + n);
    const started = performance.now();
    await sql
      .raw(
        `insert into persons (id, crisis_id, household_id, relationship, sex, birth_precision, nationalities, eligibility,
           eligibility_reason, zone_id, intention, vulnerabilities, status, channel, search_text, created_at, updated_at)
         ${s.with} select 'w' || i, '${crisisId}', 'h1', 'other', 'unknown', 'year', '["US"]', 'eligible', '', '${zoneIds[0]}',
           'leave', '[]', 'registered', 'portal_self', '', '${at}', '${at}' from ${s.from}`,
      )
      .execute(db);
    return Math.round(n / ((performance.now() - started) / 1000));
  };
  const withTriggers = await insert(0);
  for (const trigger of ['report_person_counts_insert', 'report_person_counts_update', 'report_person_moved'])
    await sql.raw(`drop trigger ${trigger}${dialect === 'postgres' ? ' on persons' : ''}`).execute(db);
  if (dialect === 'sqlite') await sql.raw('drop trigger report_person_counts_delete').execute(db);
  const withoutTriggers = await insert(n);
  return { withTriggers, withoutTriggers };
}

const REPORTING_INDEXES = [
  'persons_anonymised',
  'seat_assignments_person',
  'cases_report',
  'messages_report',
];

async function explain(db: Kysely<Database>, dialect: DialectName, crisisId: string) {
  const query = `select zone_id, intention, status, eligibility, sum(n) from report_person_counts where crisis_id = '${crisisId}' group by zone_id, intention, status, eligibility`;
  const rows = await sql
    .raw<Record<string, unknown>>(`${dialect === 'postgres' ? 'explain' : 'explain query plan'} ${query}`)
    .execute(db);
  return rows.rows.map((r) => String(r['QUERY PLAN'] ?? r.detail)).join(' | ');
}

async function benchDatabase(dialect: DialectName) {
  log(`${dialect}: seeding ${PERSONS} persons`);
  const { ctx, close } = await createTestContext(dialect, { API_RATE_LIMIT_PER_MINUTE: '1000000' });
  try {
    const { crisis, zones } = await seedCrisis(ctx, 'Benchmark crisis');
    const extra = await createZone(ctx, systemActor('bench'), crisis.id, { name: 'North', code: 'NORTH' });
    const zoneIds = [...zones.map((z) => z.id), extra.id];
    const seedSeconds = await seed(ctx.db.db, dialect, crisis.id, zoneIds);
    log(`${dialect}: seeded in ${round(seedSeconds)} s`);
    const foldStarted = Date.now();
    const folded = await ctx.db.writer.write((trx) => compactCounters(trx, dialect, crisis.id));
    const compactSeconds = (Date.now() - foldStarted) / 1000;
    log(`${dialect}: ${folded} counter rows folded in ${round(compactSeconds, 2)} s`);
    await analyse(ctx.db.db, dialect);

    // Thirteen past days of snapshots (the worker's daily pass), so the series has history.
    const snapStarted = Date.now();
    for (let d = 13; d >= 1; d--)
      await takeSnapshot(
        ctx,
        systemActor('bench'),
        crisis.id,
        new Date(`${addDays(utcDay(new Date()), -d)}T00:05:00Z`),
      );
    const snapshotSeconds = (Date.now() - snapStarted) / 13 / 1000;

    const app = await buildApp(ctx);
    const staff = await createActiveStaff(ctx, systemActor('bench'), {
      email: 'manager@example.org',
      password: 'bench manager password',
      displayName: 'Manager',
      grants: [{ role: 'crisis_manager', crisisId: crisis.id }],
    });
    const session = await signIn(app, 'manager@example.org', 'bench manager password', staff.totpSecret);
    const base = `/api/v1/crises/${crisis.id}`;
    const today = utcDay(new Date());
    const time = async (url: string, runs: number) => {
      const times: number[] = [];
      for (let i = 0; i < runs + 2; i++) {
        const t0 = performance.now();
        const res = await call(app, session, 'GET', url);
        const ms = performance.now() - t0;
        if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        if (i >= 2) times.push(ms);
      }
      return times;
    };
    const plan = await explain(ctx.db.db, dialect, crisis.id);
    log(`${dialect}: plan of the registry cube: ${plan}`);
    // Where a dashboard call spends its time, query by query.
    const db = ctx.db.db;
    const nowIso = new Date().toISOString();
    const window = {
      fromIso: `${addDays(today, -13)}T00:00:00.000Z`,
      toIso: `${addDays(today, 1)}T00:00:00.000Z`,
      nowIso,
    };
    const parts: Record<string, () => Promise<unknown>> = {
      registryCube: () => registryCube(db, crisis.id),
      restrictedCube: () => restrictedCube(db, crisis.id),
      sourceCounts: () => sourceCounts(db, crisis.id, window),
      sourceCountsZone: () => sourceCounts(db, crisis.id, { ...window, zoneId: zoneIds[0] }),
      onList: () => onListCount(db, crisis.id, today),
      crossings: () => crossingSides(db, crisis.id),
      legs: () => legsFrom(db, crisis.id, window.fromIso),
      snapshots: () => snapshotRowsBetween(db, crisis.id, addDays(today, -13), today),
    };
    const partTimes: Record<string, number> = {};
    for (const [name, run] of Object.entries(parts)) {
      const times: number[] = [];
      for (let i = 0; i < 6; i++) {
        const t0 = performance.now();
        await run();
        if (i > 0) times.push(performance.now() - t0);
      }
      partTimes[name] = round(p95(times));
    }
    log(`${dialect}: query times (ms) ${JSON.stringify(partTimes)}`);
    if (process.env.BENCH_DIAGNOSE === '1') {
      const c = `'${crisis.id}'`;
      const ids = (
        await sql
          .raw<{ id: string }>(
            `select person_id as id from restricted_cases where crisis_id = ${c} and person_id is not null union select id from persons where crisis_id = ${c} and anonymised_at is not null`,
          )
          .execute(db)
      ).rows.map((r) => `'${r.id}'`);
      const list = ids.slice(0, 2000).join(',');
      const diag: Record<string, string> = {
        excluded: `select person_id as id from restricted_cases where crisis_id = ${c} and person_id is not null union select id from persons where crisis_id = ${c} and anonymised_at is not null`,
        seatCounters: `select leg_id, status, sum(n) from report_seat_counts where crisis_id = ${c} group by leg_id, status`,
        caseCounters: `select state, sum(n) from report_case_counts where crisis_id = ${c} group by state`,
        overdue: `select state, count(*) from cases where crisis_id = ${c} and state in ('new','triaged','in_progress','waiting_person','waiting_partner') and due_at < '${nowIso}' group by state`,
        messageCounters: `select status, sum(n) from report_message_counts where crisis_id = ${c} and day >= '${addDays(today, -13)}' and day < '${addDays(today, 1)}' group by status`,
        seatsOut: `select leg_id, status, count(*) from seat_assignments where person_id in (${list}) group by status, leg_id`,
        casesOut: `select state, count(*) from cases where person_id in (${list}) group by state`,
        messagesOut: `select status, count(*) from messages where person_id in (${list}) and queued_at >= '${window.fromIso}' and queued_at < '${window.toIso}' group by status`,
      };
      for (const [name, query] of Object.entries(diag)) {
        const t0 = performance.now();
        await sql.raw(query).execute(db);
        const ms = performance.now() - t0;
        const plan = await sql
          .raw<Record<string, unknown>>(
            `${dialect === 'postgres' ? 'explain' : 'explain query plan'} ${query}`,
          )
          .execute(db);
        log(
          `${dialect}: ${name} ${round(ms)} ms: ${plan.rows.map((r) => String(r['QUERY PLAN'] ?? r.detail)).join(' | ')}`,
        );
      }
      await app.close();
      return { database: dialect, persons: PERSONS, diagnosed: true };
    }
    const dashboard = await time(`${base}/dashboard`, RUNS);
    const zoned = await time(`${base}/dashboard?zoneId=${zoneIds[0]}`, RUNS);
    const report = await time(`${base}/sitreps/${today}`, RUNS);
    const check = (await call(app, session, 'GET', `${base}/dashboard`)).json() as {
      figures: {
        registry: { total: { count: number } };
        movement: { allocated: { count: number } };
        onList: { count: number };
      };
    };
    log(
      `${dialect}: dashboard p95 ${round(p95(dashboard))} ms, zone ${round(p95(zoned))} ms, report ${round(p95(report))} ms`,
    );

    // PDF: the first download archives today's report; each language is produced three times.
    const pdfSeconds: Record<string, number> = {};
    for (const lang of ['en', 'fr', 'ar']) {
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        const res = await call(app, session, 'GET', `${base}/sitreps/${today}/pdf?lang=${lang}`);
        if (res.statusCode !== 200) throw new Error(`pdf ${lang}: ${res.statusCode}`);
        times.push((performance.now() - t0) / 1000);
      }
      pdfSeconds[lang] = round(Math.max(...times), 2);
    }
    log(`${dialect}: PDF seconds ${JSON.stringify(pdfSeconds)}`);

    // Baseline: the reporting indexes dropped, the same figures by plain queries.
    for (const index of REPORTING_INDEXES) await ctx.db.db.schema.dropIndex(index).execute();
    if (dialect === 'postgres') await sql`analyze`.execute(ctx.db.db);
    const baseline: number[] = [];
    let plain: Awaited<ReturnType<typeof plainFigures>> | undefined;
    for (let i = 0; i < BASELINE_RUNS + 1; i++) {
      const t0 = performance.now();
      plain = await plainFigures(ctx.db.db, crisis.id, today);
      if (i >= 1) baseline.push(performance.now() - t0);
    }
    const same =
      plain?.total === check.figures.registry.total.count &&
      plain?.allocated === check.figures.movement.allocated.count &&
      plain?.onList === check.figures.onList.count;
    log(`${dialect}: baseline p95 ${round(p95(baseline))} ms; same figures: ${same}`, plain);
    // Last, as it changes the registry: what the counters cost writers. 50,000 more persons inserted
    // with the person triggers, then 50,000 without them (dropped for the measure), same statement.
    const writeCost = await personWriteCost(ctx.db.db, dialect, crisis.id, zoneIds);
    log(`${dialect}: person inserts per second with triggers / without: ${JSON.stringify(writeCost)}`);

    await app.close();
    return {
      database: dialect,
      persons: PERSONS,
      dashboardP95Ms: round(p95(dashboard)),
      dashboardZoneP95Ms: round(p95(zoned)),
      reportQueryP95Ms: round(p95(report)),
      reportSeconds: Math.max(...Object.values(pdfSeconds)),
      reportSecondsByLanguage: pdfSeconds,
      baselineP95Ms: round(p95(baseline)),
      baselineSameFigures: same,
      snapshotSeconds: round(snapshotSeconds, 2),
      queryP95Ms: partTimes,
      seedSeconds: round(seedSeconds),
      compactSeconds: round(compactSeconds, 2),
      personInsertsPerSec: writeCost,
      runs: RUNS,
      baselineRuns: BASELINE_RUNS,
    };
  } finally {
    await close();
  }
}

const results = [];
for (const dialect of DATABASES) results.push(await benchDatabase(dialect));
console.log(JSON.stringify(results));
