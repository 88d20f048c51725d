import type { z } from 'zod';
import type { Actor } from '../../../access/actor.js';
import { requireAccess } from '../../../access/policy.js';
import type { AppContext } from '../../../app-context.js';
import { recordAudit } from '../../../audit/audit.service.js';
import { nowIso } from '../../../lib/clock.js';
import { conflict, notFound, validationFailed } from '../../../lib/errors.js';
import { newId } from '../../../lib/ids.js';
import type { MessageStatus } from '../messaging.table.js';
import { ChannelConfigurationError, createSender } from './channel-senders.js';
import { needsSecret, PROVIDERS_BY_CHANNEL, settingsSchemaOf } from './channel-settings.js';
import type {
  channelCreateSchema,
  channelSchema,
  channelUpdateSchema,
  dashboardSchema,
  messageListQuery,
  messageSchema,
  retrySchema,
} from './delivery.schemas.js';
import { type ChannelRow, findChannelRow, insertEvents } from './outbox.repository.js';

/**
 * Channels are read by anyone who may send messages in the crisis (`message.send`) and configured
 * by those who approve them (`message.approve`: crisis managers): a channel decides where every
 * message of the crisis goes.
 */
type ChannelView = z.infer<typeof channelSchema>;

async function toView(ctx: AppContext, row: ChannelRow): Promise<ChannelView> {
  const throttle = await ctx.db.db
    .selectFrom('message_channel_throttles')
    .select('paused_until')
    .where('channel_id', '=', row.id)
    .executeTakeFirst();
  const base = `${ctx.config.publicUrl}/api/v1/public/messaging/${row.id}`;
  return {
    id: row.id,
    crisisId: row.crisis_id,
    channel: row.channel,
    provider: row.provider,
    settings: JSON.parse(row.settings) as Record<string, unknown>,
    secretEnv: row.secret_env,
    secretSet: row.secret_env ? Boolean(process.env[row.secret_env]) : false,
    ratePerSecond: row.rate_per_second,
    enabled: row.enabled === 1,
    pausedUntil:
      throttle?.paused_until && Date.parse(throttle.paused_until) > Date.now() ? throttle.paused_until : null,
    statusUrl: `${base}/status`,
    inboundUrl: `${base}/inbound`,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function checkedSettings(
  channel: ChannelRow['channel'],
  provider: ChannelRow['provider'],
  settings: Record<string, unknown>,
  secretEnv: string | null,
): string {
  if (!PROVIDERS_BY_CHANNEL[channel].includes(provider)) {
    throw validationFailed([
      {
        path: 'provider',
        message: `A ${channel} channel uses ${PROVIDERS_BY_CHANNEL[channel].join(' or ')}.`,
      },
    ]);
  }
  const parsed = settingsSchemaOf(provider).safeParse(settings);
  if (!parsed.success) {
    throw validationFailed(
      parsed.error.issues.map((i) => ({ path: ['settings', ...i.path].join('.'), message: i.message })),
    );
  }
  if (needsSecret(provider, parsed.data as Record<string, unknown>) && !secretEnv) {
    throw validationFailed([
      {
        path: 'secretEnv',
        message: 'This provider needs a secret: name the environment variable holding it.',
      },
    ]);
  }
  return JSON.stringify(parsed.data);
}

async function channelInCrisis(ctx: AppContext, crisisId: string, channelId: string) {
  const row = await findChannelRow(ctx.db.db, channelId);
  if (!row || row.crisis_id !== crisisId) throw notFound('channel');
  return row;
}

export async function listChannels(ctx: AppContext, actor: Actor, crisisId: string) {
  requireAccess(actor, 'message.send', crisisId, { hide: 'crisis' });
  const rows = await ctx.db.db
    .selectFrom('message_channels')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .orderBy('channel')
    .execute();
  return Promise.all(rows.map((r) => toView(ctx, r)));
}

export async function createChannel(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  input: z.output<typeof channelCreateSchema>,
) {
  requireAccess(actor, 'message.send', crisisId, { hide: 'crisis' });
  requireAccess(actor, 'message.approve', crisisId);
  const crisis = await ctx.db.db
    .selectFrom('crises')
    .select('id')
    .where('id', '=', crisisId)
    .executeTakeFirst();
  if (!crisis) throw notFound('crisis');
  const settings = checkedSettings(input.channel, input.provider, input.settings, input.secretEnv);
  const at = nowIso();
  const row: ChannelRow = {
    id: newId(),
    crisis_id: crisisId,
    channel: input.channel,
    provider: input.provider,
    settings,
    secret_env: input.secretEnv,
    rate_per_second: input.ratePerSecond,
    enabled: input.enabled ? 1 : 0,
    created_at: at,
    updated_at: at,
  };
  const existing = await ctx.db.db
    .selectFrom('message_channels')
    .select('id')
    .where('crisis_id', '=', crisisId)
    .where('channel', '=', input.channel)
    .executeTakeFirst();
  if (existing)
    throw conflict(`This crisis already has a ${input.channel} channel: edit it.`, [
      { path: 'channel', message: 'Already configured.' },
    ]);
  await ctx.db.writer.write(async (trx) => {
    await trx.insertInto('message_channels').values(row).execute();
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'message.channel_created',
      entityType: 'message_channel',
      entityId: row.id,
      crisisId,
      change: {
        channel: row.channel,
        provider: row.provider,
        settings: row.settings,
        secretEnv: row.secret_env,
      },
    });
  });
  return toView(ctx, row);
}

export async function updateChannel(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  channelId: string,
  input: z.output<typeof channelUpdateSchema>,
) {
  requireAccess(actor, 'message.send', crisisId, { hide: 'channel' });
  requireAccess(actor, 'message.approve', crisisId);
  const row = await channelInCrisis(ctx, crisisId, channelId);
  const provider = input.provider ?? row.provider;
  const secretEnv = input.secretEnv !== undefined ? input.secretEnv : row.secret_env;
  const settings = checkedSettings(
    row.channel,
    provider,
    input.settings ??
      (provider === row.provider ? (JSON.parse(row.settings) as Record<string, unknown>) : {}),
    secretEnv,
  );
  const at = nowIso();
  const next: ChannelRow = {
    ...row,
    provider,
    settings,
    secret_env: secretEnv,
    rate_per_second: input.ratePerSecond ?? row.rate_per_second,
    enabled: input.enabled === undefined ? row.enabled : input.enabled ? 1 : 0,
    updated_at: at,
  };
  await ctx.db.writer.write(async (trx) => {
    await trx
      .updateTable('message_channels')
      .set({
        provider: next.provider,
        settings: next.settings,
        secret_env: next.secret_env,
        rate_per_second: next.rate_per_second,
        enabled: next.enabled,
        updated_at: at,
      })
      .where('id', '=', row.id)
      .execute();
    // A new configuration gets a fresh chance: the circuit of the old one does not carry over.
    await trx
      .updateTable('message_channel_throttles')
      .set({ paused_until: null, failures: 0 })
      .where('channel_id', '=', row.id)
      .execute();
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'message.channel_updated',
      entityType: 'message_channel',
      entityId: row.id,
      crisisId,
      change: input,
    });
  });
  return toView(ctx, next);
}

/** Sends one test message straight through the channel (not through the outbox) and says what happened. */
export async function testChannel(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  channelId: string,
  input: { to: string },
) {
  requireAccess(actor, 'message.send', crisisId, { hide: 'channel' });
  requireAccess(actor, 'message.approve', crisisId);
  const row = await channelInCrisis(ctx, crisisId, channelId);
  let result: {
    ok: boolean;
    providerMessageId: string | null;
    error: string | null;
    permanent: boolean | null;
  };
  try {
    const sender = createSender(row, { publicUrl: ctx.config.publicUrl });
    try {
      const r = await sender.send({
        id: newId(),
        channel: row.channel,
        address: input.to,
        language: 'en',
        subject: 'Corridor test message',
        body: 'Corridor test message: this channel works.',
      });
      result = r.ok
        ? { ok: true, providerMessageId: r.providerMessageId, error: null, permanent: null }
        : { ok: false, providerMessageId: null, error: r.reason, permanent: r.permanent };
    } finally {
      sender.close();
    }
  } catch (error) {
    if (!(error instanceof ChannelConfigurationError)) throw error;
    result = { ok: false, providerMessageId: null, error: error.message, permanent: true };
  }
  await ctx.db.writer.write((trx) =>
    recordAudit(trx, ctx.db.dialect, actor, {
      action: 'message.channel_tested',
      entityType: 'message_channel',
      entityId: row.id,
      crisisId,
      change: { ok: result.ok },
    }),
  );
  return result;
}

const countsOf = (rows: { status: string; n: number | string | bigint }[]) =>
  Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));

/** Counts by status per campaign and per channel, the commonest failure reasons. */
export async function deliveryDashboard(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
): Promise<z.infer<typeof dashboardSchema>> {
  requireAccess(actor, 'message.send', crisisId, { hide: 'crisis' });
  const db = ctx.db.db;
  const byCampaign = await db
    .selectFrom('messages')
    .select(['campaign_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('crisis_id', '=', crisisId)
    .groupBy(['campaign_id', 'status'])
    .execute();
  const byChannel = await db
    .selectFrom('messages')
    .select(['channel', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('crisis_id', '=', crisisId)
    .groupBy(['channel', 'status'])
    .execute();
  const campaigns = await db
    .selectFrom('message_campaigns')
    .select(['id', 'name', 'status', 'created_at'])
    .where('crisis_id', '=', crisisId)
    .where('status', 'not in', ['draft', 'awaiting_approval'])
    .orderBy('created_at', 'desc')
    .limit(50)
    .execute();
  const channels = await db
    .selectFrom('message_channels')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .execute();
  const failures = await db
    .selectFrom('messages')
    .select(['status', 'last_error', (eb) => eb.fn.countAll<number>().as('n')])
    .where('crisis_id', '=', crisisId)
    .where('status', 'in', ['parked', 'failed', 'bounced'])
    .groupBy(['status', 'last_error'])
    .orderBy('n', 'desc')
    .limit(20)
    .execute();
  const views = await Promise.all(channels.map((c) => toView(ctx, c)));
  return {
    campaigns: campaigns.map((c) => {
      const counts = countsOf(byCampaign.filter((r) => r.campaign_id === c.id));
      return {
        id: c.id,
        name: c.name,
        status: c.status,
        counts,
        total: Object.values(counts).reduce((a, b) => a + b, 0),
      };
    }),
    replies: countsOf(byCampaign.filter((r) => r.campaign_id === null)),
    channels: views.map((v) => ({
      id: v.id,
      channel: v.channel,
      provider: v.provider,
      enabled: v.enabled,
      pausedUntil: v.pausedUntil,
      counts: countsOf(byChannel.filter((r) => r.channel === v.channel)),
    })),
    failures: failures.map((f) => ({ status: f.status, reason: f.last_error ?? '', count: Number(f.n) })),
  };
}

/** Outbox messages (addresses and text are personal data: the read is audited). */
export async function listMessages(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  query: z.output<typeof messageListQuery>,
): Promise<z.infer<typeof messageSchema>[]> {
  requireAccess(actor, 'message.send', crisisId, { hide: 'crisis' });
  requireAccess(actor, 'person.read', crisisId);
  let q = ctx.db.db.selectFrom('messages').selectAll().where('crisis_id', '=', crisisId);
  if (query.status) q = q.where('status', '=', query.status);
  if (query.channel) q = q.where('channel', '=', query.channel);
  if (query.campaignId) q = q.where('campaign_id', '=', query.campaignId);
  if (query.provider) q = q.where('provider', '=', query.provider);
  const rows = await q
    .orderBy('updated_at', 'desc')
    .orderBy('id')
    .limit(query.limit)
    .offset(query.offset)
    .execute();
  await ctx.db.writer.write((trx) =>
    recordAudit(trx, ctx.db.dialect, actor, {
      action: 'message.list_viewed',
      entityType: 'message',
      entityId: null,
      crisisId,
      change: { query, count: rows.length },
    }),
  );
  return rows.map((r) => ({
    id: r.id,
    campaignId: r.campaign_id,
    personId: r.person_id,
    channel: r.channel,
    provider: r.provider,
    address: r.address,
    language: r.language,
    subject: r.subject,
    body: r.body,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    queuedAt: r.queued_at,
    sentAt: r.sent_at,
    deliveredAt: r.delivered_at,
    failedAt: r.failed_at,
  }));
}

/** Puts parked (or failed) messages back in the queue with a fresh attempt count. */
export async function retryMessages(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  input: z.output<typeof retrySchema>,
): Promise<{ requeued: number }> {
  requireAccess(actor, 'message.send', crisisId, { hide: 'crisis' });
  const at = nowIso();
  return ctx.db.writer.write(async (trx) => {
    let q = trx
      .selectFrom('messages')
      .select(['id', 'campaign_id'])
      .where('crisis_id', '=', crisisId)
      .where('status', 'in', ['parked', 'failed'] as MessageStatus[]);
    if (input.messageIds) q = q.where('id', 'in', input.messageIds);
    if (input.channel) q = q.where('channel', '=', input.channel);
    if (input.campaignId) q = q.where('campaign_id', '=', input.campaignId);
    const rows = await q.limit(100_000).execute();
    for (let i = 0; i < rows.length; i += 500) {
      await trx
        .updateTable('messages')
        .set({
          status: 'queued',
          attempts: 0,
          next_attempt_at: at,
          last_error: null,
          failed_at: null,
          updated_at: at,
        })
        .where(
          'id',
          'in',
          rows.slice(i, i + 500).map((r) => r.id),
        )
        .where('status', 'in', ['parked', 'failed'])
        .execute();
    }
    await insertEvents(
      trx,
      rows.map((r) => ({
        message_id: r.id,
        status: 'queued',
        provider_event_id: null,
        detail: 'retry by staff',
        at,
      })),
    );
    const campaigns = [...new Set(rows.flatMap((r) => (r.campaign_id ? [r.campaign_id] : [])))];
    if (campaigns.length > 0) {
      await trx
        .updateTable('message_campaigns')
        .set({ status: 'sending', updated_at: at })
        .where('id', 'in', campaigns)
        .where('status', '=', 'done')
        .execute();
    }
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'message.retried',
      entityType: 'message',
      entityId: null,
      crisisId,
      change: { ids: rows.map((r) => r.id) },
    });
    return { requeued: rows.length };
  });
}
