import type { Kysely } from 'kysely';

/** Messaging: channels per crisis, templates, campaigns, the durable outbox, delivery events, replies. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen snapshots and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('message_channels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('crisis_id', 'text', (c) => c.notNull().references('crises.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('secret_env', 'text')
    .addColumn('rate_per_second', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('message_channels_crisis_channel', ['crisis_id', 'channel'])
    .execute();
  await db.schema
    .createTable('message_settings')
    .addColumn('crisis_id', 'text', (c) => c.primaryKey().references('crises.id'))
    .addColumn('approval_threshold', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('message_templates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('crisis_id', 'text', (c) => c.notNull().references('crises.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('bodies', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('archived_at', 'text')
    .execute();
  await db.schema
    .createIndex('message_templates_crisis')
    .on('message_templates')
    .columns(['crisis_id', 'name'])
    .execute();
  await db.schema
    .createTable('message_campaigns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('crisis_id', 'text', (c) => c.notNull().references('crises.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('template_id', 'text', (c) => c.notNull().references('message_templates.id'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('channels', 'text', (c) => c.notNull())
    .addColumn('variables', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('recipient_count', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text')
    .addColumn('created_by', 'text')
    .addColumn('submitted_by', 'text')
    .addColumn('approved_by', 'text')
    .addColumn('approved_at', 'text')
    .addColumn('scheduled_at', 'text')
    .addColumn('queued_at', 'text')
    .addColumn('cancelled_by', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('message_campaigns_crisis')
    .on('message_campaigns')
    .columns(['crisis_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('message_campaigns_due')
    .on('message_campaigns')
    .columns(['status', 'scheduled_at'])
    .execute();
  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('crisis_id', 'text', (c) => c.notNull().references('crises.id'))
    .addColumn('campaign_id', 'text', (c) => c.references('message_campaigns.id'))
    .addColumn('person_id', 'text')
    .addColumn('household_id', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('segments', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'text')
    .addColumn('provider', 'text')
    .addColumn('provider_message_id', 'text')
    .addColumn('last_error', 'text')
    .addColumn('queued_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('delivered_at', 'text')
    .addColumn('failed_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // Never the same campaign twice to one person: the outbox is idempotent per message and recipient.
  await db.schema
    .createIndex('messages_campaign_person')
    .on('messages')
    .columns(['campaign_id', 'person_id'])
    .unique()
    .execute();
  await db.schema.createIndex('messages_due').on('messages').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('messages_person').on('messages').columns(['person_id', 'queued_at']).execute();
  await db.schema
    .createIndex('messages_provider_id')
    .on('messages')
    .columns(['provider', 'provider_message_id'])
    .execute();
  await db.schema.createIndex('messages_crisis').on('messages').columns(['crisis_id', 'status']).execute();
  await db.schema
    .createTable('message_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('provider_event_id', 'text', (c) => c.unique())
    .addColumn('detail', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('message_events_message')
    .on('message_events')
    .columns(['message_id'])
    .execute();
  await db.schema
    .createTable('inbound_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('crisis_id', 'text', (c) => c.notNull().references('crises.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('provider_message_id', 'text', (c) => c.unique())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text')
    .addColumn('candidate_person_ids', 'text', (c) => c.notNull())
    .addColumn('keyword', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('triage_status', 'text', (c) => c.notNull())
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('note', 'text')
    .addColumn('reply_message_id', 'text')
    .execute();
  await db.schema
    .createIndex('inbound_messages_triage')
    .on('inbound_messages')
    .columns(['crisis_id', 'triage_status', 'received_at'])
    .execute();
  await db.schema
    .createIndex('inbound_messages_person')
    .on('inbound_messages')
    .columns(['person_id', 'received_at'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'inbound_messages',
    'message_events',
    'messages',
    'message_campaigns',
    'message_templates',
    'message_settings',
    'message_channels',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
