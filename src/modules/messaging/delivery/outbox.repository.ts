import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { DialectName } from '../../../db/database.js';
import type { Database } from '../../../db/schema.js';
import { newId } from '../../../lib/ids.js';
import type {
  MessageChannel,
  MessageChannelTable,
  MessageProvider,
  MessageStatus,
  MessageTable,
} from '../messaging.table.js';
import { smsInfo } from '../segments.js';

type Q = Kysely<Database> | Transaction<Database>;
export type ChannelRow = Selectable<MessageChannelTable>;

/**
 * An outbox row for a reply outside any campaign (keyword confirmations, "which member?", a triage
 * answer), queued now, to the address the person wrote from; SMS parts counted like a campaign's.
 */
export function replyRow(reply: {
  id: string;
  crisisId: string;
  person: { id: string; household_id: string } | undefined;
  channel: MessageChannel;
  to: string;
  language: 'en' | 'fr' | 'ar';
  body: string;
  at: string;
}): MessageTable {
  const { at } = reply;
  return {
    id: reply.id,
    crisis_id: reply.crisisId,
    campaign_id: null,
    person_id: reply.person?.id ?? null,
    household_id: reply.person?.household_id ?? null,
    channel: reply.channel,
    address: reply.to,
    language: reply.language,
    subject: null,
    body: reply.body,
    segments: reply.channel === 'sms' ? smsInfo(reply.body).segments : 1,
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
  };
}

/** Campaign states whose queued messages the worker sends. */
const SENDABLE_CAMPAIGNS = ['approved', 'queued', 'sending'] as const;

export const listEnabledChannels = (db: Q) =>
  db.selectFrom('message_channels').selectAll().where('enabled', '=', 1).orderBy('id').execute();

export const findChannelRow = (db: Q, id: string) =>
  db.selectFrom('message_channels').selectAll().where('id', '=', id).executeTakeFirst();

export interface Tokens {
  granted: number;
  /** Milliseconds until at least one token (or the end of a pause). */
  waitMs: number;
  paused: boolean;
}

/**
 * Takes up to `want` tokens from the channel's bucket, shared by every worker: the row is locked
 * for the claim's transaction on PostgreSQL (SQLite has one writer). The bucket holds one second
 * of sending at most, refilled at `rate_per_second`; a paused channel (gateway down) gives none.
 */
export async function takeTokens(
  trx: Transaction<Database>,
  dialect: DialectName,
  channel: ChannelRow,
  want: number,
  now: number,
): Promise<Tokens & { settle: (used: number) => Promise<void> }> {
  const nowIso = new Date(now).toISOString();
  const rate = Math.max(0.01, channel.rate_per_second);
  const capacity = Math.max(1, rate);
  // A new bucket starts full.
  await trx
    .insertInto('message_channel_throttles')
    .values({
      channel_id: channel.id,
      tokens: capacity,
      refilled_at: nowIso,
      paused_until: null,
      failures: 0,
    })
    .onConflict((oc) => oc.column('channel_id').doNothing())
    .execute();
  let q = trx.selectFrom('message_channel_throttles').selectAll().where('channel_id', '=', channel.id);
  if (dialect === 'postgres') q = q.forUpdate();
  const row = await q.executeTakeFirstOrThrow();
  const elapsed = Math.max(0, now - Date.parse(row.refilled_at)) / 1000;
  const available = Math.min(capacity, Number(row.tokens) + elapsed * rate);
  const save = (tokens: number) =>
    trx
      .updateTable('message_channel_throttles')
      .set({ tokens, refilled_at: nowIso })
      .where('channel_id', '=', channel.id)
      .execute()
      .then(() => undefined);
  if (row.paused_until && Date.parse(row.paused_until) > now) {
    return { granted: 0, waitMs: Date.parse(row.paused_until) - now, paused: true, settle: async () => {} };
  }
  const granted = Math.min(want, Math.floor(available));
  const waitMs = granted > 0 ? 0 : Math.ceil(((1 - available) / rate) * 1000);
  return { granted, waitMs, paused: false, settle: (used) => save(available - used) };
}

/** Opens the circuit: no claims for this channel until `until`. Returns the failure count. */
export async function pauseChannel(trx: Transaction<Database>, channelId: string, until: string) {
  await trx
    .updateTable('message_channel_throttles')
    .set((eb) => ({ paused_until: until, failures: eb('failures', '+', 1) }))
    .where('channel_id', '=', channelId)
    .execute();
}

export const channelFailures = async (db: Q, channelId: string) =>
  (
    await db
      .selectFrom('message_channel_throttles')
      .select('failures')
      .where('channel_id', '=', channelId)
      .executeTakeFirst()
  )?.failures ?? 0;

export async function closeCircuit(trx: Transaction<Database>, channelId: string) {
  await trx
    .updateTable('message_channel_throttles')
    .set({ paused_until: null, failures: 0 })
    .where('channel_id', '=', channelId)
    .where('failures', '>', 0)
    .execute();
}

export interface ClaimedMessage {
  id: string;
  crisis_id: string;
  campaign_id: string | null;
  channel: 'email' | 'sms' | 'whatsapp';
  address: string;
  language: 'en' | 'fr' | 'ar';
  subject: string | null;
  body: string;
  attempts: number;
  queued_at: string;
}

/**
 * Claims up to `limit` due messages of one crisis and channel: replies first, then the sending
 * campaigns in turn, so a large campaign does not hold up a small one. On PostgreSQL the rows are
 * picked with FOR UPDATE SKIP LOCKED, so concurrent workers never pick the same row; the update
 * to `sending` under this worker's lease commits with the claim.
 */
export async function claimDueMessages(
  trx: Transaction<Database>,
  dialect: DialectName,
  input: {
    crisisId: string;
    channel: ChannelRow['channel'];
    provider: MessageProvider;
    limit: number;
    workerId: string;
    leaseUntil: string;
    now: string;
  },
): Promise<ClaimedMessage[]> {
  if (input.limit <= 0) return [];
  const campaigns = await trx
    .selectFrom('message_campaigns')
    .select('id')
    .where('crisis_id', '=', input.crisisId)
    .where('status', 'in', SENDABLE_CAMPAIGNS)
    .orderBy('created_at')
    .execute();
  const groups: (string | null)[] = [null, ...campaigns.map((c) => c.id)];
  const picked: string[][] = [];
  for (const group of groups) {
    let q = trx
      .selectFrom('messages')
      .select('id')
      .where('status', '=', 'queued')
      .where('channel', '=', input.channel)
      .where('next_attempt_at', '<=', input.now);
    q =
      group === null
        ? q.where('campaign_id', 'is', null).where('crisis_id', '=', input.crisisId)
        : q.where('campaign_id', '=', group);
    // Ordered by the index's last column only: an extra sort key would sort every due row per claim.
    q = q.orderBy('next_attempt_at').limit(input.limit);
    if (dialect === 'postgres') q = q.forUpdate().skipLocked();
    picked.push((await q.execute()).map((r) => r.id));
  }
  // Round robin over the groups until the limit.
  const ids: string[] = [];
  for (let i = 0; ids.length < input.limit; i += 1) {
    let any = false;
    for (const list of picked) {
      const id = list[i];
      if (id === undefined) continue;
      any = true;
      ids.push(id);
      if (ids.length === input.limit) break;
    }
    if (!any) break;
  }
  if (ids.length === 0) return [];
  const claimed: ClaimedMessage[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await trx
      .updateTable('messages')
      .set((eb) => ({
        status: 'sending',
        locked_by: input.workerId,
        locked_until: input.leaseUntil,
        attempts: eb('attempts', '+', 1),
        provider: input.provider,
        updated_at: input.now,
      }))
      .where('id', 'in', ids.slice(i, i + 500))
      .where('status', '=', 'queued')
      .returning([
        'id',
        'crisis_id',
        'campaign_id',
        'channel',
        'address',
        'language',
        'subject',
        'body',
        'attempts',
        'queued_at',
      ])
      .execute();
    claimed.push(...rows);
  }
  return claimed;
}

export interface EventRow {
  message_id: string;
  status: MessageStatus;
  provider_event_id: string | null;
  detail: string | null;
  at: string;
}

export async function insertEvents(trx: Transaction<Database>, events: EventRow[]): Promise<void> {
  for (let i = 0; i < events.length; i += 200) {
    await trx
      .insertInto('message_events')
      .values(events.slice(i, i + 200).map((e) => ({ id: newId(), ...e })))
      .execute();
  }
}

/**
 * Records accepted sends under this worker's lease, one statement per group of rows. A delivery
 * callback that arrived before this commit has already moved a row further: its status is kept
 * (never backwards). Returns the ids recorded, so a row whose lease was lost is told apart.
 */
export async function markSentMany(
  trx: Transaction<Database>,
  items: { id: string; providerMessageId: string }[],
  m: { workerId: string; delivered: boolean; at: string },
): Promise<Set<string>> {
  const done = new Set<string>();
  const target = m.delivered ? 'delivered' : 'sent';
  for (let i = 0; i < items.length; i += 300) {
    const chunk = items.slice(i, i + 300);
    const providerIds = sql<string>`case id ${sql.join(
      chunk.map((c) => sql`when ${c.id} then ${c.providerMessageId}`),
      sql` `,
    )} end`;
    const rows = await trx
      .updateTable('messages')
      .set({
        status: sql<MessageStatus>`case when status = 'sending' then ${target} else status end`,
        provider_message_id: providerIds,
        sent_at: m.at,
        ...(m.delivered ? { delivered_at: m.at } : {}),
        locked_by: null,
        locked_until: null,
        last_error: null,
        updated_at: m.at,
      })
      .where(
        'id',
        'in',
        chunk.map((c) => c.id),
      )
      .where('locked_by', '=', m.workerId)
      .returning('id')
      .execute();
    for (const r of rows) done.add(r.id);
  }
  return done;
}

/** Puts a claimed message back in the queue (retry later, or not attempted at all). */
export async function requeue(
  trx: Transaction<Database>,
  m: {
    id: string;
    workerId: string;
    nextAttemptAt: string;
    error: string | null;
    refundAttempt: boolean;
    at: string;
  },
): Promise<boolean> {
  const res = await trx
    .updateTable('messages')
    .set((eb) => ({
      status: 'queued',
      next_attempt_at: m.nextAttemptAt,
      locked_by: null,
      locked_until: null,
      ...(m.refundAttempt ? { attempts: eb('attempts', '-', 1) } : {}),
      ...(m.error !== null ? { last_error: m.error } : {}),
      updated_at: m.at,
    }))
    .where('id', '=', m.id)
    .where('locked_by', '=', m.workerId)
    .where('status', '=', 'sending')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function park(
  trx: Transaction<Database>,
  m: { id: string; workerId: string | null; error: string; at: string },
): Promise<boolean> {
  let q = trx
    .updateTable('messages')
    .set({
      status: 'parked',
      locked_by: null,
      locked_until: null,
      last_error: m.error,
      failed_at: m.at,
      updated_at: m.at,
    })
    .where('id', '=', m.id)
    .where('status', '=', 'sending');
  q = m.workerId === null ? q : q.where('locked_by', '=', m.workerId);
  return Number((await q.executeTakeFirst()).numUpdatedRows) === 1;
}

/** Messages whose worker's lease ran out while they were being sent (a worker that died). */
export async function lockExpiredLeases(trx: Transaction<Database>, dialect: DialectName, now: string) {
  let q = trx
    .selectFrom('messages')
    .select(['id', 'crisis_id', 'provider', 'locked_by'])
    .where('status', '=', 'sending')
    .where('locked_until', '<', now)
    .orderBy('locked_until')
    .limit(5000);
  if (dialect === 'postgres') q = q.forUpdate().skipLocked();
  return q.execute();
}

/**
 * Campaigns of the batch start sending; a campaign with nothing left queued or in flight is done.
 * An `approved` campaign is still being queued (the campaign service moves it to `queued` after its
 * last batch), so it is left alone: its first messages may already go out meanwhile.
 */
export async function advanceCampaigns(trx: Transaction<Database>, campaignIds: string[], at: string) {
  if (campaignIds.length === 0) return;
  await trx
    .updateTable('message_campaigns')
    .set({ status: 'sending', updated_at: at })
    .where('id', 'in', campaignIds)
    .where('status', '=', 'queued')
    .execute();
  for (const id of campaignIds) {
    const left = await trx
      .selectFrom('messages')
      .select('id')
      .where('campaign_id', '=', id)
      .where('status', 'in', ['queued', 'sending'])
      .limit(1)
      .executeTakeFirst();
    if (!left) {
      await trx
        .updateTable('message_campaigns')
        .set({ status: 'done', updated_at: at })
        .where('id', '=', id)
        .where('status', '=', 'sending')
        .execute();
    }
  }
}
