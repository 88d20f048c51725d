import type { Kysely } from 'kysely';

/** Transport legs, seat assignments (offers, boarding) with their history, and handed-out manifests. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen snapshots and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('transport_legs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('crisis_id', 'text', (c) => c.notNull().references('crises.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('destination', 'text', (c) => c.notNull())
    .addColumn('assembly_point', 'text', (c) => c.notNull())
    .addColumn('report_at', 'text')
    .addColumn('departure_at', 'text', (c) => c.notNull())
    .addColumn('seats', 'integer', (c) => c.notNull())
    .addColumn('lap_places', 'integer', (c) => c.notNull())
    .addColumn('stretcher_places', 'integer', (c) => c.notNull())
    .addColumn('operator', 'text', (c) => c.notNull())
    .addColumn('cost_per_seat_minor', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('next_leg_id', 'text')
    .addColumn('crossing_point_id', 'text', (c) => c.references('crossing_points.id'))
    .addColumn('crossing_list_date', 'text')
    .addColumn('reachable_zone_ids', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('transport_legs_crisis_departure')
    .on('transport_legs')
    .columns(['crisis_id', 'departure_at'])
    .execute();

  await db.schema
    .createTable('seat_assignments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('crisis_id', 'text', (c) => c.notNull().references('crises.id'))
    .addColumn('leg_id', 'text', (c) => c.notNull().references('transport_legs.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('persons.id'))
    .addColumn('household_id', 'text', (c) => c.notNull())
    .addColumn('place_kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('offer_deadline', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('responded_at', 'text')
    .addColumn('checked_in_at', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('seat_assignments_code_unique', ['crisis_id', 'code'])
    .execute();
  await db.schema
    .createIndex('seat_assignments_leg')
    .on('seat_assignments')
    .columns(['leg_id', 'status'])
    .execute();
  await db.schema
    .createIndex('seat_assignments_household')
    .on('seat_assignments')
    .columns(['household_id', 'status'])
    .execute();
  await db.schema
    .createIndex('seat_assignments_deadline')
    .on('seat_assignments')
    .columns(['status', 'offer_deadline'])
    .execute();

  await db.schema
    .createTable('seat_assignment_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('assignment_id', 'text', (c) => c.notNull().references('seat_assignments.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('seat_assignment_events_assignment')
    .on('seat_assignment_events')
    .columns(['assignment_id', 'at'])
    .execute();

  await db.schema
    .createTable('manifests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('crisis_id', 'text', (c) => c.notNull().references('crises.id'))
    .addColumn('leg_id', 'text', (c) => c.notNull().references('transport_legs.id'))
    .addColumn('recipient_profile', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('row_count', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('issued_by', 'text')
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('manifests_leg').on('manifests').columns(['leg_id', 'issued_at']).execute();
}
