import type { Kysely } from 'kysely';

/** Restricted (hostage, missing-person) cases with sealed details, events, liaisons and tasks. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen snapshots and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('restricted_cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('crisis_id', 'text', (c) => c.notNull().references('crises.id'))
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('citizenship', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text')
    .addColumn('sealed', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('restricted_cases_crisis')
    .on('restricted_cases')
    .columns(['crisis_id', 'status'])
    .execute();
  await db.schema.createIndex('restricted_cases_person').on('restricted_cases').column('person_id').execute();

  await db.schema
    .createTable('restricted_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('restricted_cases.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('event_date', 'text', (c) => c.notNull())
    .addColumn('sealed', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .execute();
  await db.schema
    .createIndex('restricted_events_case')
    .on('restricted_events')
    .columns(['case_id', 'event_date'])
    .execute();

  await db.schema
    .createTable('restricted_liaisons')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('restricted_cases.id'))
    .addColumn('sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('restricted_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('restricted_cases.id'))
    .addColumn('sealed_title', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text')
    .addColumn('assignee_id', 'text')
    .addColumn('done_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}
