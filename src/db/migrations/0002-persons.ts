import type { Kysely } from 'kysely';

/**
 * People registry: households (one intake event each, with its reference code and hashed update
 * secret), persons, their documents and contacts, and a history of every change of status or
 * data. Location and intention are kept per person so a household that splits can be followed.
 *
 * Indexes are few on purpose: during a surge every index whose keys are random (a reference
 * code, a phone number) costs one more page written per registration at each group commit.
 * Search by name, phone, document number or reference goes through `persons.search_text`.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen snapshots and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('households')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('crisis_id', 'text', (c) => c.notNull().references('crises.id'))
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    // Looked up together with the reference (the link carries both), so it needs no index of its own.
    .addColumn('update_secret_hash', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('registered_by', 'text', (c) => c.notNull())
    .addColumn('registrant_name', 'text')
    .addColumn('registrant_relationship', 'text')
    .addColumn('registrant_contact', 'text')
    .addColumn('registered_by_staff_id', 'text')
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('head_person_id', 'text')
    .addColumn('safe_reported_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('anonymised_at', 'text')
    .execute();
  await db.schema
    .createIndex('households_crisis')
    .on('households')
    .columns(['crisis_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('persons')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('crisis_id', 'text', (c) => c.notNull())
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('relationship', 'text', (c) => c.notNull())
    .addColumn('given_name', 'text')
    .addColumn('father_name', 'text')
    .addColumn('grandfather_name', 'text')
    .addColumn('family_name', 'text')
    .addColumn('full_name', 'text')
    .addColumn('given_name_ar', 'text')
    .addColumn('father_name_ar', 'text')
    .addColumn('grandfather_name_ar', 'text')
    .addColumn('family_name_ar', 'text')
    .addColumn('full_name_ar', 'text')
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('birth_date', 'text')
    .addColumn('birth_precision', 'text', (c) => c.notNull())
    .addColumn('birth_place', 'text')
    .addColumn('nationalities', 'text', (c) => c.notNull())
    .addColumn('eligibility_category', 'text')
    .addColumn('citizen_person_id', 'text')
    .addColumn('eligibility', 'text', (c) => c.notNull())
    .addColumn('eligibility_reason', 'text', (c) => c.notNull())
    .addColumn('zone_id', 'text')
    .addColumn('place', 'text')
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .addColumn('location_confirmed_at', 'text')
    .addColumn('intention', 'text', (c) => c.notNull())
    .addColumn('vulnerabilities', 'text', (c) => c.notNull())
    .addColumn('needs', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('anonymised_at', 'text')
    .execute();
  await db.schema.createIndex('persons_crisis').on('persons').columns(['crisis_id', 'created_at']).execute();
  await db.schema.createIndex('persons_household').on('persons').column('household_id').execute();

  await db.schema
    .createTable('person_documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull().references('persons.id'))
    .addColumn('crisis_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('number_normalised', 'text', (c) => c.notNull())
    .addColumn('issuing_country', 'text')
    .addColumn('expiry_date', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('person_documents_person').on('person_documents').column('person_id').execute();

  await db.schema
    .createTable('person_contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('person_id', 'text')
    .addColumn('crisis_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('whatsapp', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('person_contacts_household')
    .on('person_contacts')
    .column('household_id')
    .execute();

  await db.schema
    .createTable('person_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('crisis_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text')
    .addColumn('reason', 'text')
    .addColumn('changes', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('person_history_person')
    .on('person_history')
    .columns(['person_id', 'at'])
    .execute();
}
