import type { Kysely } from 'kysely';

/** Cases with their timeline, tasks and teams; welfare-check runs; evacuation loans. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen snapshots and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_teams')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('crisis_id', 'text', (c) => c.notNull().references('crises.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('case_teams_name', ['crisis_id', 'name'])
    .execute();
  await db.schema
    .createTable('case_team_members')
    .addColumn('team_id', 'text', (c) => c.notNull().references('case_teams.id'))
    .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
    .addPrimaryKeyConstraint('case_team_members_pk', ['team_id', 'staff_id'])
    .execute();

  await db.schema
    .createTable('welfare_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('crisis_id', 'text', (c) => c.notNull().references('crises.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('follow_up_after_hours', 'integer', (c) => c.notNull())
    .addColumn('call_after_hours', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('crisis_id', 'text', (c) => c.notNull().references('crises.id'))
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('person_id', 'text')
    .addColumn('household_id', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('priority_computed', 'integer', (c) => c.notNull())
    .addColumn('priority_reason', 'text', (c) => c.notNull())
    .addColumn('priority_overridden', 'integer', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'text')
    .addColumn('team_id', 'text')
    .addColumn('welfare_run_id', 'text')
    .addColumn('state_changed_at', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .execute();
  await db.schema
    .createIndex('cases_queue')
    .on('cases')
    .columns(['crisis_id', 'state', 'priority', 'created_at'])
    .execute();
  await db.schema.createIndex('cases_assignee').on('cases').columns(['assignee_id', 'state']).execute();
  await db.schema.createIndex('cases_person').on('cases').column('person_id').execute();
  await db.schema.createIndex('cases_household').on('cases').column('household_id').execute();
  await db.schema.createIndex('cases_welfare').on('cases').column('welfare_run_id').execute();

  await db.schema
    .createTable('case_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_events_case').on('case_events').columns(['case_id', 'at']).execute();

  await db.schema
    .createTable('case_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('crisis_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text')
    .addColumn('assignee_id', 'text')
    .addColumn('done_at', 'text')
    .addColumn('done_by', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_tasks_case').on('case_tasks').column('case_id').execute();
  await db.schema
    .createIndex('case_tasks_assignee')
    .on('case_tasks')
    .columns(['assignee_id', 'done_at'])
    .execute();

  await db.schema
    .createTable('loans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('crisis_id', 'text', (c) => c.notNull().references('crises.id'))
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text')
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('promissory_note_signed', 'integer', (c) => c.notNull())
    .addColumn('signed_at', 'text')
    .addColumn('repaid_minor', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('loans_person').on('loans').columns(['crisis_id', 'person_id']).execute();
}
