import type { Kysely } from 'kysely';

/** Crossing points with their sides and status history; approved lists, entries and matches. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen snapshots and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('crossing_points')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('crisis_id', 'text', (c) => c.notNull().references('crises.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('requires_approved_list', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('crossing_points_code_unique', ['crisis_id', 'code'])
    .execute();

  await db.schema
    .createTable('crossing_sides')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('crossing_point_id', 'text', (c) => c.notNull().references('crossing_points.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('operator', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_note', 'text', (c) => c.notNull())
    .addColumn('status_source', 'text', (c) => c.notNull())
    .addColumn('status_changed_at', 'text', (c) => c.notNull())
    .addColumn('opening_windows', 'text', (c) => c.notNull())
    .addColumn('public_notice', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('crossing_sides_point')
    .on('crossing_sides')
    .column('crossing_point_id')
    .execute();

  await db.schema
    .createTable('crossing_status_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('side_id', 'text', (c) => c.notNull().references('crossing_sides.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text')
    .execute();
  await db.schema
    .createIndex('crossing_status_events_side')
    .on('crossing_status_events')
    .columns(['side_id', 'at'])
    .execute();

  await db.schema
    .createTable('approved_lists')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('crisis_id', 'text', (c) => c.notNull().references('crises.id'))
    .addColumn('crossing_point_id', 'text', (c) => c.notNull().references('crossing_points.id'))
    .addColumn('list_date', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('file_digest', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('row_count', 'integer', (c) => c.notNull())
    .addColumn('by_nationality', 'text', (c) => c.notNull())
    .addColumn('imported_by', 'text')
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addColumn('matched_at', 'text')
    .addUniqueConstraint('approved_lists_file_unique', ['crossing_point_id', 'list_date', 'file_digest'])
    .execute();
  await db.schema
    .createIndex('approved_lists_crisis_date')
    .on('approved_lists')
    .columns(['crisis_id', 'list_date'])
    .execute();

  await db.schema
    .createTable('approved_list_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('list_id', 'text', (c) => c.notNull().references('approved_lists.id'))
    .addColumn('row_no', 'integer', (c) => c.notNull())
    .addColumn('source_ref', 'text', (c) => c.notNull())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('full_name_ar', 'text')
    .addColumn('given_name', 'text')
    .addColumn('father_name', 'text')
    .addColumn('grandfather_name', 'text')
    .addColumn('family_name', 'text')
    .addColumn('passport_number', 'text')
    .addColumn('id_number', 'text')
    .addColumn('nationality', 'text')
    .addColumn('date_of_birth', 'text')
    .addColumn('sex', 'text')
    .execute();
  await db.schema
    .createIndex('approved_list_entries_list')
    .on('approved_list_entries')
    .columns(['list_id', 'row_no'])
    .execute();
  await db.schema
    .createIndex('approved_list_entries_passport')
    .on('approved_list_entries')
    .column('passport_number')
    .execute();

  await db.schema
    .createTable('approved_list_matches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('list_id', 'text', (c) => c.notNull().references('approved_lists.id'))
    .addColumn('entry_id', 'text', (c) => c.notNull().references('approved_list_entries.id'))
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('explanation', 'text', (c) => c.notNull())
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', 'text')
    .addUniqueConstraint('approved_list_matches_pair', ['entry_id', 'person_id'])
    .execute();
  await db.schema
    .createIndex('approved_list_matches_list')
    .on('approved_list_matches')
    .columns(['list_id', 'status'])
    .execute();
  await db.schema
    .createIndex('approved_list_matches_person')
    .on('approved_list_matches')
    .columns(['person_id', 'status'])
    .execute();
}
