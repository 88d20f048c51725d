import type { Kysely } from 'kysely';

/**
 * Disclosure control: the rules of each crisis, and the day's frozen counts from which the public
 * figures are derived (one row per crisis and UTC day, so figures change at most once a day).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen snapshots and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('disclosure_rules')
    .addColumn('crisis_id', 'text', (c) => c.primaryKey().references('crises.id'))
    .addColumn('min_count', 'integer', (c) => c.notNull())
    .addColumn('rounding_base', 'integer', (c) => c.notNull())
    .addColumn('bands', 'text', (c) => c.notNull())
    .addColumn('breakdowns', 'text', (c) => c.notNull())
    .addColumn('restricted', 'text', (c) => c.notNull())
    .addColumn('public_advice', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('disclosure_counts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('crisis_id', 'text', (c) => c.notNull().references('crises.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .addColumn('counts', 'text', (c) => c.notNull())
    .addUniqueConstraint('disclosure_counts_crisis_day', ['crisis_id', 'day'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('disclosure_counts').execute();
  await db.schema.dropTable('disclosure_rules').execute();
}
