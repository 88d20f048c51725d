import type { Kysely } from 'kysely';

/**
 * Delivery: the shared token bucket and circuit state of each channel, an index the outbox worker
 * claims through (per campaign, status, channel, due time), and a phone lookup for inbound replies.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen snapshots and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('message_channel_throttles')
    .addColumn('channel_id', 'text', (c) => c.primaryKey().references('message_channels.id'))
    .addColumn('tokens', 'double precision', (c) => c.notNull())
    .addColumn('refilled_at', 'text', (c) => c.notNull())
    .addColumn('paused_until', 'text')
    .addColumn('failures', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('messages_claim')
    .on('messages')
    .columns(['campaign_id', 'status', 'channel', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('person_contacts_value')
    .on('person_contacts')
    .columns(['crisis_id', 'value'])
    .execute();
  await db.schema
    .createIndex('inbound_messages_from')
    .on('inbound_messages')
    .columns(['crisis_id', 'from_address', 'received_at'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('inbound_messages_from').execute();
  await db.schema.dropIndex('person_contacts_value').execute();
  await db.schema.dropIndex('messages_claim').execute();
  await db.schema.dropTable('message_channel_throttles').execute();
}
