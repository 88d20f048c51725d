import type { Kysely } from 'kysely';

/**
 * Partners and data sharing: partners with contacts, engagements with participants and follow-ups,
 * requests to partners with their state history, sharing profiles, data packages (the log of what
 * was sent, the sealed bytes for the life of the link, the persons included, each download) and the
 * per-crisis link settings.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen snapshots and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('partners')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('crisis_id', 'text', (c) => c.notNull().references('crises.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('country', 'text')
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('partners_crisis_name').on('partners').columns(['crisis_id', 'name']).execute();

  await db.schema
    .createTable('partner_contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('crisis_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('language', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('partner_contacts_partner')
    .on('partner_contacts')
    .column('partner_id')
    .execute();

  await db.schema
    .createTable('engagements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('crisis_id', 'text', (c) => c.notNull().references('crises.id'))
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('engagements_crisis_time')
    .on('engagements')
    .columns(['crisis_id', 'occurred_at'])
    .execute();
  await db.schema
    .createTable('engagement_partners')
    .addColumn('engagement_id', 'text', (c) => c.notNull().references('engagements.id'))
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addPrimaryKeyConstraint('engagement_partners_pk', ['engagement_id', 'partner_id'])
    .execute();
  await db.schema
    .createIndex('engagement_partners_partner')
    .on('engagement_partners')
    .column('partner_id')
    .execute();
  await db.schema
    .createTable('engagement_participants')
    .addColumn('engagement_id', 'text', (c) => c.notNull().references('engagements.id'))
    .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
    .addPrimaryKeyConstraint('engagement_participants_pk', ['engagement_id', 'staff_id'])
    .execute();
  await db.schema
    .createTable('follow_ups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('engagement_id', 'text', (c) => c.notNull().references('engagements.id'))
    .addColumn('crisis_id', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('follow_ups_crisis_state_due')
    .on('follow_ups')
    .columns(['crisis_id', 'state', 'due_date'])
    .execute();
  await db.schema.createIndex('follow_ups_engagement').on('follow_ups').column('engagement_id').execute();

  await db.schema
    .createTable('partner_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('crisis_id', 'text', (c) => c.notNull().references('crises.id'))
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('partner_requests_crisis_partner')
    .on('partner_requests')
    .columns(['crisis_id', 'partner_id'])
    .execute();
  await db.schema
    .createTable('partner_request_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('partner_requests.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('partner_request_events_request')
    .on('partner_request_events')
    .columns(['request_id', 'at'])
    .execute();

  await db.schema
    .createTable('sharing_profiles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('crisis_id', 'text', (c) => c.notNull().references('crises.id'))
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('selection', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sharing_profiles_partner')
    .on('sharing_profiles')
    .columns(['crisis_id', 'partner_id'])
    .execute();

  await db.schema
    .createTable('data_packages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('crisis_id', 'text', (c) => c.notNull().references('crises.id'))
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('request_id', 'text', (c) => c.references('partner_requests.id'))
    .addColumn('profile_id', 'text', (c) => c.references('sharing_profiles.id'))
    .addColumn('profile_name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('selection', 'text', (c) => c.notNull())
    .addColumn('row_count', 'integer', (c) => c.notNull())
    .addColumn('person_count', 'integer', (c) => c.notNull())
    .addColumn('byte_size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('content', 'text')
    .addColumn('content_sealed', 'integer', (c) => c.notNull())
    .addColumn('link_hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('max_downloads', 'integer')
    .addColumn('downloads', 'integer', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_by', 'text')
    .addColumn('purged_at', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_by_label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('data_packages_crisis_created')
    .on('data_packages')
    .columns(['crisis_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('data_packages_purge')
    .on('data_packages')
    .columns(['purged_at', 'expires_at'])
    .execute();
  // No foreign key to persons: the record of who received a person's data outlives the registry row.
  await db.schema
    .createTable('package_persons')
    .addColumn('package_id', 'text', (c) => c.notNull().references('data_packages.id'))
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('crisis_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('package_persons_pk', ['package_id', 'person_id'])
    .execute();
  await db.schema
    .createIndex('package_persons_person')
    .on('package_persons')
    .columns(['person_id', 'package_id'])
    .execute();
  await db.schema
    .createTable('package_downloads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('package_id', 'text', (c) => c.notNull().references('data_packages.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('address_hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('package_downloads_package')
    .on('package_downloads')
    .columns(['package_id', 'at'])
    .execute();

  await db.schema
    .createTable('sharing_settings')
    .addColumn('crisis_id', 'text', (c) => c.primaryKey().references('crises.id'))
    .addColumn('default_link_hours', 'integer', (c) => c.notNull())
    .addColumn('max_link_hours', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'sharing_settings',
    'package_downloads',
    'package_persons',
    'data_packages',
    'sharing_profiles',
    'partner_request_events',
    'partner_requests',
    'follow_ups',
    'engagement_participants',
    'engagement_partners',
    'engagements',
    'partner_contacts',
    'partners',
  ])
    await db.schema.dropTable(table).execute();
}
