import type { Kysely } from 'kysely';

/** Duplicate candidates found by dedupe runs, and reviewers' reversible identity decisions. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen snapshots and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('duplicate_candidates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('crisis_id', 'text', (c) => c.notNull().references('crises.id'))
    .addColumn('person_a', 'text', (c) => c.notNull())
    .addColumn('person_b', 'text', (c) => c.notNull())
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addColumn('band', 'text', (c) => c.notNull())
    .addColumn('explanation', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('found_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('duplicate_candidates_pair', ['person_a', 'person_b'])
    .execute();
  await db.schema
    .createIndex('duplicate_candidates_queue')
    .on('duplicate_candidates')
    .columns(['crisis_id', 'status', 'score'])
    .execute();

  await db.schema
    .createTable('identity_decisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('crisis_id', 'text', (c) => c.notNull().references('crises.id'))
    .addColumn('person_a', 'text', (c) => c.notNull())
    .addColumn('person_b', 'text', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .addColumn('revoked_by', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema
    .createIndex('identity_decisions_a')
    .on('identity_decisions')
    .columns(['person_a', 'revoked_at'])
    .execute();
  await db.schema
    .createIndex('identity_decisions_b')
    .on('identity_decisions')
    .columns(['person_b', 'revoked_at'])
    .execute();
}
