/**
 * Test and benchmark fixtures: channels, campaigns and outbox rows written directly, the way the
 * campaign service queues them, so delivery can be exercised on its own.
 */
import type { AppContext } from '../../../../app-context.js';
import { newId } from '../../../../lib/ids.js';
import type { MessageChannel, MessageProvider, MessageTable } from '../../messaging.table.js';

export async function insertChannel(
  ctx: AppContext,
  input: {
    crisisId: string;
    channel: MessageChannel;
    provider: MessageProvider;
    settings: Record<string, unknown>;
    secretEnv?: string | null;
    ratePerSecond?: number;
  },
): Promise<string> {
  const id = newId();
  const at = new Date().toISOString();
  await ctx.db.writer.write((trx) =>
    trx
      .insertInto('message_channels')
      .values({
        id,
        crisis_id: input.crisisId,
        channel: input.channel,
        provider: input.provider,
        settings: JSON.stringify(input.settings),
        secret_env: input.secretEnv ?? null,
        rate_per_second: input.ratePerSecond ?? 1000,
        enabled: 1,
        created_at: at,
        updated_at: at,
      })
      .execute(),
  );
  return id;
}

/** A sending campaign (template included) with one outbox row per recipient. */
export async function insertCampaignWithMessages(
  ctx: AppContext,
  input: {
    crisisId: string;
    recipients: {
      personId?: string | null;
      address: string;
      channel: MessageChannel;
      body?: string;
      subject?: string | null;
      language?: 'en' | 'fr' | 'ar';
    }[];
    status?: 'queued' | 'approved';
  },
): Promise<{ campaignId: string; messageIds: string[] }> {
  const at = new Date().toISOString();
  const templateId = newId();
  const campaignId = newId();
  const rows: MessageTable[] = input.recipients.map((r) => ({
    id: newId(),
    crisis_id: input.crisisId,
    campaign_id: campaignId,
    person_id: r.personId === undefined ? newId() : r.personId,
    household_id: null,
    channel: r.channel,
    address: r.address,
    language: r.language ?? 'en',
    subject: r.subject ?? null,
    body: r.body ?? 'The crossing opens tomorrow at 09:00.',
    segments: 1,
    status: 'queued',
    attempts: 0,
    next_attempt_at: at,
    locked_by: null,
    locked_until: null,
    provider: null,
    provider_message_id: null,
    last_error: null,
    queued_at: at,
    sent_at: null,
    delivered_at: null,
    failed_at: null,
    updated_at: at,
  }));
  await ctx.db.writer.write(async (trx) => {
    await trx
      .insertInto('message_templates')
      .values({
        id: templateId,
        crisis_id: input.crisisId,
        name: 'Crossing notice',
        purpose: 'general',
        bodies: JSON.stringify({ en: { body: 'The crossing opens tomorrow.' } }),
        created_by: null,
        created_at: at,
        updated_at: at,
        archived_at: null,
      })
      .execute();
    await trx
      .insertInto('message_campaigns')
      .values({
        id: campaignId,
        crisis_id: input.crisisId,
        name: 'Crossing notice',
        template_id: templateId,
        purpose: 'general',
        audience: '{}',
        channels: '["sms","email"]',
        variables: '{}',
        status: input.status ?? 'queued',
        recipient_count: rows.length,
        source: 'staff',
        source_id: null,
        created_by: null,
        submitted_by: null,
        approved_by: null,
        approved_at: at,
        scheduled_at: null,
        queued_at: at,
        cancelled_by: null,
        cancelled_at: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto('messages')
        .values(rows.slice(i, i + 500))
        .execute();
  });
  return { campaignId, messageIds: rows.map((r) => r.id) };
}
