import type { Kysely } from 'kysely';

/** Allocation runs: the seat plans the allocator proposed, and which of them were committed. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen snapshots and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('allocation_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('crisis_id', 'text', (c) => c.notNull().references('crises.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('request', 'text', (c) => c.notNull())
    .addColumn('legs_snapshot', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('committed_by', 'text')
    .addColumn('committed_at', 'text')
    .execute();
  await db.schema
    .createIndex('allocation_runs_crisis')
    .on('allocation_runs')
    .columns(['crisis_id', 'created_at'])
    .execute();
  await db.schema
    .createTable('allocation_run_rows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('run_id', 'text', (c) => c.notNull().references('allocation_runs.id'))
    .addColumn('household_id', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('leg_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('allocation_run_rows_run')
    .on('allocation_run_rows')
    .columns(['run_id'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('allocation_run_rows').execute();
  await db.schema.dropTable('allocation_runs').execute();
}
