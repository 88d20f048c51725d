import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * The public intake counts the persons of a batch itself, one counter row per cell per batch,
 * instead of the insert trigger adding one row per person (ADR 0007): `counted_in_batch = 1` marks
 * the persons it has counted, and the insert trigger skips them. Updates and deletes are counted by
 * the triggers as before, whoever inserted the person.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen snapshots and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('persons')
    .addColumn('counted_in_batch', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await installCounting(db, true);
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await installCounting(db, false);
  await db.schema.alterTable('persons').dropColumn('counted_in_batch').execute();
}

const cell = (row: string) =>
  `${row}.crisis_id, coalesce(${row}.zone_id, ''), ${row}.intention, ${row}.status, ${row}.eligibility`;
const insertCell = (row: string, n: number) =>
  `insert into report_person_counts (crisis_id, zone_id, intention, status, eligibility, n) values (${cell(row)}, ${n})`;

/** The insert counting of persons, skipping those counted in their batch (`skipBatch`) or not. */
// biome-ignore lint/suspicious/noExplicitAny: see up().
async function installCounting(db: Kysely<any>, skipBatch: boolean): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const counted = skipBatch ? ` and not (tg_op = 'INSERT' and new.counted_in_batch = 1)` : '';
    await sql
      .raw(`create or replace function report_person_counts_change() returns trigger language plpgsql as $$
       begin
         if tg_op <> 'INSERT' and old.anonymised_at is null then ${insertCell('old', -1)}; end if;
         if tg_op <> 'DELETE' and new.anonymised_at is null${counted} then ${insertCell('new', 1)}; end if;
         return null;
       end $$`)
      .execute(db);
    return;
  }
  const counted = skipBatch ? ' and new.counted_in_batch = 0' : '';
  await sql.raw('drop trigger report_person_counts_insert').execute(db);
  await sql
    .raw(`create trigger report_person_counts_insert after insert on persons
       when new.anonymised_at is null${counted}
       begin ${insertCell('new', 1)}; end`)
    .execute(db);
}
