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
  const cell = `new.crisis_id, coalesce(new.zone_id, ''), new.intention, new.status, new.eligibility`;
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql
      .raw(`create or replace function report_person_counts_change() returns trigger language plpgsql as $$
     begin
       if tg_op <> 'INSERT' and old.anonymised_at is null then
         insert into report_person_counts (crisis_id, zone_id, intention, status, eligibility, n)
         values (old.crisis_id, coalesce(old.zone_id, ''), old.intention, old.status, old.eligibility, -1);
       end if;
       if tg_op <> 'DELETE' and new.anonymised_at is null
          and not (tg_op = 'INSERT' and new.counted_in_batch = 1) then
         insert into report_person_counts (crisis_id, zone_id, intention, status, eligibility, n)
         values (${cell}, 1);
       end if;
       return null;
     end $$`)
      .execute(db);
    return;
  }
  await sql.raw('drop trigger report_person_counts_insert').execute(db);
  await sql
    .raw(`create trigger report_person_counts_insert after insert on persons
     when new.anonymised_at is null and new.counted_in_batch = 0
     begin insert into report_person_counts (crisis_id, zone_id, intention, status, eligibility, n)
       values (${cell}, 1); end`)
    .execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  const cell = `new.crisis_id, coalesce(new.zone_id, ''), new.intention, new.status, new.eligibility`;
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql
      .raw(`create or replace function report_person_counts_change() returns trigger language plpgsql as $$
     begin
       if tg_op <> 'INSERT' and old.anonymised_at is null then
         insert into report_person_counts (crisis_id, zone_id, intention, status, eligibility, n)
         values (old.crisis_id, coalesce(old.zone_id, ''), old.intention, old.status, old.eligibility, -1);
       end if;
       if tg_op <> 'DELETE' and new.anonymised_at is null then
         insert into report_person_counts (crisis_id, zone_id, intention, status, eligibility, n)
         values (${cell}, 1);
       end if;
       return null;
     end $$`)
      .execute(db);
  } else {
    await sql.raw('drop trigger report_person_counts_insert').execute(db);
    await sql
      .raw(`create trigger report_person_counts_insert after insert on persons when new.anonymised_at is null
     begin insert into report_person_counts (crisis_id, zone_id, intention, status, eligibility, n)
       values (${cell}, 1); end`)
      .execute(db);
  }
  await db.schema.alterTable('persons').dropColumn('counted_in_batch').execute();
}
