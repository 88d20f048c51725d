import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * Reporting: daily snapshots of a crisis's figures, situation reports archived per day, counters
 * of persons, seats, cases and messages kept by triggers, and the indexes the dashboard's other
 * queries read (each measured with EXPLAIN on both databases: see docs/reporting.md).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen snapshots and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('report_snapshot_days')
    .addColumn('crisis_id', 'text', (c) => c.notNull().references('crises.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('taken_at', 'text', (c) => c.notNull())
    .addColumn('taken_by', 'text')
    .addColumn('row_count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_snapshot_days_pk', ['crisis_id', 'day'])
    .execute();
  await db.schema
    .createTable('report_snapshots')
    .addColumn('crisis_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('dimension', 'text', (c) => c.notNull())
    .addColumn('value', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_snapshots_pk', ['crisis_id', 'day', 'metric', 'dimension'])
    .execute();

  await db.schema
    .createTable('situation_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('crisis_id', 'text', (c) => c.notNull().references('crises.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('narrative', 'text', (c) => c.notNull())
    .addColumn('figures', 'text', (c) => c.notNull())
    .addColumn('pdf_digests', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('updated_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('situation_reports_crisis_day')
    .on('situation_reports')
    .columns(['crisis_id', 'day'])
    .unique()
    .execute();

  // Counters kept by triggers: one row per change (+1 / -1), never updated in place, so writers
  // never wait on each other's counter rows (no lock, no deadlock); the worker folds them into one
  // row per cell (compaction). Reading a cube is then a sum over a few hundred rows, not a scan of
  // a million persons.
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  for (const c of COUNTERS) {
    let table = db.schema.createTable(c.counter).addColumn('crisis_id', 'text', (col) => col.notNull());
    for (const [name] of c.keys) table = table.addColumn(name, 'text', (col) => col.notNull());
    await table.addColumn('n', 'integer', (col) => col.notNull()).execute();
    await db.schema
      .createIndex(`${c.counter}_cell`)
      .on(c.counter)
      .columns(['crisis_id', ...c.keys.map(([name]) => name)])
      .execute();
    for (const statement of postgres ? postgresTriggers(c) : sqliteTriggers(c))
      await sql.raw(statement).execute(db);
    // What is already there is counted once.
    const exprs = c.keys.map(([, expr]) => expr('t')).join(', ');
    await sql
      .raw(
        `insert into ${c.counter} (crisis_id, ${c.keys.map(([n]) => n).join(', ')}, n)
         select t.crisis_id, ${exprs}, count(*) from ${c.table} t where ${c.counts('t')} group by t.crisis_id, ${exprs}`,
      )
      .execute(db);
  }

  for (const statement of postgres ? postgresPersonMovedTrigger() : sqlitePersonMovedTrigger())
    await sql.raw(statement).execute(db);

  // Anonymised persons are left out of every figure (and of the lists of the day): this small
  // index finds them.
  await db.schema
    .createIndex('persons_anonymised')
    .on('persons')
    .columns(['crisis_id', 'id'])
    .where(sql.ref('anonymised_at'), 'is not', null)
    .execute();
  // The seats, cases and messages of restricted or anonymised persons, found from the person.
  await db.schema
    .createIndex('seat_assignments_person')
    .on('seat_assignments')
    .columns(['person_id', 'status'])
    .execute();
  // Overdue cases: a range per open state (crisis, state, due before now).
  await db.schema.createIndex('cases_report').on('cases').columns(['crisis_id', 'state', 'due_at']).execute();
  // Messages of a zone over a date range (the zone filter joins them to their persons).
  await db.schema
    .createIndex('messages_report')
    .on('messages')
    .columns(['crisis_id', 'queued_at', 'status'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await sql.raw(`drop trigger if exists report_person_moved${postgres ? ' on persons' : ''}`).execute(db);
  if (postgres) await sql.raw('drop function if exists report_person_moved_change()').execute(db);
  for (const c of COUNTERS) {
    for (const suffix of ['insert', 'delete', 'update'])
      await sql
        .raw(`drop trigger if exists ${c.counter}_${suffix}${postgres ? ` on ${c.table}` : ''}`)
        .execute(db);
    if (postgres) await sql.raw(`drop function if exists ${c.counter}_change()`).execute(db);
    await db.schema.dropTable(c.counter).execute();
  }
  for (const index of ['messages_report', 'cases_report', 'seat_assignments_person', 'persons_anonymised'])
    await db.schema.dropIndex(index).execute();
  await db.schema.dropTable('situation_reports').execute();
  await db.schema.dropTable('report_snapshots').execute();
  await db.schema.dropTable('report_snapshot_days').execute();
}

/** A counter kept by triggers: the source table, the cell's columns (as expressions of a row). */
interface Counter {
  counter: string;
  table: string;
  keys: Array<[string, (row: string) => string]>;
  /** Whether a row is counted (persons: not anonymised). */
  counts: (row: string) => string;
  /** Columns whose change moves a row between cells. */
  watch: string[];
}

/**
 * A seat, case or message counts while its person is not anonymised (or it has no person); when a
 * person is anonymised, `report_person_moved` takes their rows out of the counters at once.
 */
const visiblePerson = (r: string) =>
  `(select p.anonymised_at from persons p where p.id = ${r}.person_id) is null`;
/**
 * Seats, cases and messages are counted under their person's zone ('' without one); when a person
 * moves, `report_person_moved` moves their rows between zones at once.
 */
const personZone = (r: string) =>
  `coalesce((select p.zone_id from persons p where p.id = ${r}.person_id), '')`;

const COUNTERS: Counter[] = [
  {
    counter: 'report_person_counts',
    table: 'persons',
    keys: [
      ['zone_id', (r) => `coalesce(${r}.zone_id, '')`],
      ['intention', (r) => `${r}.intention`],
      ['status', (r) => `${r}.status`],
      ['eligibility', (r) => `${r}.eligibility`],
    ],
    counts: (r) => `${r}.anonymised_at is null`,
    watch: ['crisis_id', 'zone_id', 'intention', 'status', 'eligibility', 'anonymised_at'],
  },
  {
    counter: 'report_seat_counts',
    table: 'seat_assignments',
    keys: [
      ['zone_id', personZone],
      ['leg_id', (r) => `${r}.leg_id`],
      ['status', (r) => `${r}.status`],
    ],
    counts: visiblePerson,
    watch: ['crisis_id', 'leg_id', 'status', 'person_id'],
  },
  {
    counter: 'report_case_counts',
    table: 'cases',
    keys: [
      ['zone_id', personZone],
      ['state', (r) => `${r}.state`],
    ],
    counts: visiblePerson,
    watch: ['crisis_id', 'state', 'person_id'],
  },
  {
    counter: 'report_message_counts',
    table: 'messages',
    keys: [
      ['zone_id', personZone],
      ['day', (r) => `substr(${r}.queued_at, 1, 10)`],
      ['status', (r) => `${r}.status`],
    ],
    counts: visiblePerson,
    watch: ['crisis_id', 'queued_at', 'status', 'person_id'],
  },
];

const columns = (c: Counter) => `crisis_id, ${c.keys.map(([name]) => name).join(', ')}, n`;
const values = (c: Counter, row: string, n: number) =>
  `${row}.crisis_id, ${c.keys.map(([, expr]) => expr(row)).join(', ')}, ${n}`;

function sqliteTriggers(c: Counter): string[] {
  const changed = c.watch.map((col) => `old.${col} is not new.${col}`).join(' or ');
  return [
    `create trigger ${c.counter}_insert after insert on ${c.table} when ${c.counts('new')}
     begin insert into ${c.counter} (${columns(c)}) values (${values(c, 'new', 1)}); end`,
    `create trigger ${c.counter}_delete after delete on ${c.table} when ${c.counts('old')}
     begin insert into ${c.counter} (${columns(c)}) values (${values(c, 'old', -1)}); end`,
    `create trigger ${c.counter}_update after update on ${c.table} when ${changed}
     begin
       insert into ${c.counter} (${columns(c)}) select ${values(c, 'old', -1)} where ${c.counts('old')};
       insert into ${c.counter} (${columns(c)}) select ${values(c, 'new', 1)} where ${c.counts('new')};
     end`,
  ];
}

function postgresTriggers(c: Counter): string[] {
  const changed = c.watch.map((col) => `old.${col} is distinct from new.${col}`).join(' or ');
  return [
    `create function ${c.counter}_change() returns trigger language plpgsql as $$
     begin
       if tg_op <> 'INSERT' and ${c.counts('old')} then
         insert into ${c.counter} (${columns(c)}) values (${values(c, 'old', -1)});
       end if;
       if tg_op <> 'DELETE' and ${c.counts('new')} then
         insert into ${c.counter} (${columns(c)}) values (${values(c, 'new', 1)});
       end if;
       return null;
     end $$`,
    `create trigger ${c.counter}_insert after insert or delete on ${c.table}
     for each row execute function ${c.counter}_change()`,
    `create trigger ${c.counter}_update after update on ${c.table}
     for each row when (${changed}) execute function ${c.counter}_change()`,
  ];
}

/** The rows of a person's seats, cases and messages, as counter deltas under `zone`, when `when` holds. */
const personRowsDelta = (person: string, zone: string, sign: number, when: string) => [
  `insert into report_seat_counts (crisis_id, zone_id, leg_id, status, n)
   select s.crisis_id, coalesce(${zone}, ''), s.leg_id, s.status, ${sign} from seat_assignments s
   where s.person_id = ${person}.id and ${when}`,
  `insert into report_case_counts (crisis_id, zone_id, state, n)
   select c.crisis_id, coalesce(${zone}, ''), c.state, ${sign} from cases c where c.person_id = ${person}.id and ${when}`,
  `insert into report_message_counts (crisis_id, zone_id, day, status, n)
   select m.crisis_id, coalesce(${zone}, ''), substr(m.queued_at, 1, 10), m.status, ${sign} from messages m
   where m.person_id = ${person}.id and ${when}`,
];

/**
 * When a person moves to another zone, or is anonymised (or, never in practice, restored), their
 * seats, cases and messages leave their old cell and join the new one (or none).
 */
const movedStatements = () => [
  ...personRowsDelta('old', 'old.zone_id', -1, 'old.anonymised_at is null'),
  ...personRowsDelta('new', 'new.zone_id', 1, 'new.anonymised_at is null'),
];
const moved = (distinct: string) =>
  `(old.anonymised_at is null) ${distinct} (new.anonymised_at is null) or old.zone_id ${distinct === '<>' ? 'is not' : 'is distinct from'} new.zone_id`;

function sqlitePersonMovedTrigger(): string[] {
  return [
    `create trigger report_person_moved after update on persons when ${moved('<>')}
     begin
       ${movedStatements().join(';\n')};
     end`,
  ];
}

function postgresPersonMovedTrigger(): string[] {
  return [
    `create function report_person_moved_change() returns trigger language plpgsql as $$
     begin
       ${movedStatements().join(';\n')};
       return null;
     end $$`,
    `create trigger report_person_moved after update on persons for each row
     when (${moved('is distinct from')})
     execute function report_person_moved_change()`,
  ];
}
