import { z } from 'zod';
import { systemActor } from '../../../access/actor.js';
import type { AppContext } from '../../../app-context.js';
import { recordAudit } from '../../../audit/audit.service.js';
import { AppError, notFound, validationFailed } from '../../../lib/errors.js';
import { newId } from '../../../lib/ids.js';
import type { MessageStatus } from '../messaging.table.js';
import { SECRET_ENV_PATTERN } from './channel-senders.js';
import { type InboundOutcome, receiveInbound } from './inbound.service.js';
import { type ChannelRow, findChannelRow } from './outbox.repository.js';
import { verifyTwilioSignature, verifyWebhookSignature } from './signatures.js';

/** A webhook request as it arrived: the raw body is what the signature covers. */
export interface WebhookRequest {
  rawBody: string;
  /** Path and query as requested (Twilio signs the full public URL). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

const header = (h: WebhookRequest['headers'], name: string) => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

const badSignature = () => new AppError(401, 'bad_signature', 'The webhook signature does not match.');

/**
 * Loads the channel and checks the request's signature with the channel's secret. An unknown or
 * disabled channel answers 404; a missing secret 503 (the gateway retries once it is set).
 */
async function verified(ctx: AppContext, channelId: string, req: WebhookRequest): Promise<ChannelRow> {
  const channel = await findChannelRow(ctx.db.db, channelId);
  if (!channel || (channel.provider !== 'webhook' && channel.provider !== 'twilio'))
    throw notFound('channel');
  const secret =
    channel.secret_env && SECRET_ENV_PATTERN.test(channel.secret_env)
      ? process.env[channel.secret_env]
      : undefined;
  if (!secret)
    throw new AppError(503, 'channel_not_configured', 'The channel secret is not set on this server.');
  if (channel.provider === 'webhook') {
    const ok = verifyWebhookSignature(
      secret,
      {
        signature: header(req.headers, 'x-corridor-signature'),
        timestamp: header(req.headers, 'x-corridor-timestamp'),
      },
      req.rawBody,
    );
    if (!ok) throw badSignature();
  } else {
    const ok = verifyTwilioSignature(
      secret,
      header(req.headers, 'x-twilio-signature'),
      `${ctx.config.publicUrl}${req.url}`,
      new URLSearchParams(req.rawBody),
    );
    if (!ok) throw badSignature();
  }
  return channel;
}

function parseJson<T>(schema: z.ZodType<T>, raw: string): T {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw validationFailed([{ path: '(body)', message: 'The body is not JSON.' }]);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw validationFailed(
      parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })),
    );
  }
  return parsed.data;
}

const GATEWAY_STATUSES = [
  'accepted',
  'queued',
  'sending',
  'sent',
  'delivered',
  'read',
  'failed',
  'undelivered',
  'bounced',
] as const;
type GatewayStatus = (typeof GATEWAY_STATUSES)[number];

const webhookStatusSchema = z.strictObject({
  eventId: z.string().min(1).max(200).optional(),
  /** Our message id, as sent to the gateway. */
  id: z.string().min(1).max(100).optional(),
  providerMessageId: z.string().min(1).max(200).optional(),
  status: z.enum(GATEWAY_STATUSES),
  error: z.string().max(500).optional(),
});

const webhookInboundSchema = z.strictObject({
  id: z.string().min(1).max(200),
  from: z.string().min(3).max(64),
  to: z.string().max(64).optional(),
  text: z.string().max(2000),
});

/** Where each gateway status takes a message, and from which states (never backwards). */
const TRANSITIONS: Record<GatewayStatus, { to: MessageStatus; from: MessageStatus[] } | null> = {
  accepted: null,
  queued: null,
  sending: null,
  sent: { to: 'sent', from: ['sending', 'parked'] },
  delivered: { to: 'delivered', from: ['sending', 'sent', 'parked'] },
  read: { to: 'delivered', from: ['sending', 'sent', 'parked'] },
  failed: { to: 'failed', from: ['sending', 'sent', 'parked'] },
  undelivered: { to: 'failed', from: ['sending', 'sent', 'parked'] },
  bounced: { to: 'bounced', from: ['sending', 'sent', 'parked'] },
};

export interface StatusCallback {
  messageId: string | undefined;
  providerMessageId: string | undefined;
  status: GatewayStatus;
  eventId: string;
  error: string | undefined;
}

export type CallbackOutcome = 'applied' | 'ignored' | 'duplicate' | 'unknown_message';

type Trx = Parameters<Parameters<AppContext['db']['writer']['write']>[0]>[0];

/**
 * Applies one delivery callback inside the batch's transaction. The event id makes a repeated
 * callback harmless; a callback older than the message's state (e.g. "sent" after "delivered") is
 * recorded but changes nothing.
 */
async function applyOne(
  trx: Trx,
  channel: ChannelRow,
  cb: StatusCallback,
  at: string,
): Promise<{ outcome: CallbackOutcome; messageId?: string }> {
  let q = trx
    .selectFrom('messages')
    .select(['id', 'status'])
    .where('crisis_id', '=', channel.crisis_id)
    .where('channel', '=', channel.channel);
  if (cb.messageId) q = q.where('id', '=', cb.messageId);
  else if (cb.providerMessageId)
    q = q.where('provider', '=', channel.provider).where('provider_message_id', '=', cb.providerMessageId);
  else return { outcome: 'unknown_message' };
  const message = await q.executeTakeFirst();
  if (!message) return { outcome: 'unknown_message' };
  const inserted = await trx
    .insertInto('message_events')
    .values({
      id: newId(),
      message_id: message.id,
      status: TRANSITIONS[cb.status]?.to ?? 'sent',
      provider_event_id: `${channel.id}:${cb.eventId}`,
      detail: `${cb.status}${cb.error ? `: ${cb.error}` : ''}`.slice(0, 500),
      at,
    })
    .onConflict((oc) => oc.column('provider_event_id').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return { outcome: 'duplicate' };
  const move = TRANSITIONS[cb.status];
  if (!move?.from.includes(message.status)) return { outcome: 'ignored' };
  await trx
    .updateTable('messages')
    .set({
      status: move.to,
      ...(move.to === 'delivered' ? { delivered_at: at } : {}),
      ...(move.to === 'failed' || move.to === 'bounced'
        ? { failed_at: at, last_error: cb.error ? `${cb.status}: ${cb.error}` : cb.status }
        : {}),
      ...(cb.providerMessageId ? { provider_message_id: cb.providerMessageId } : {}),
      updated_at: at,
    })
    .where('id', '=', message.id)
    .where('status', 'in', move.from)
    .execute();
  return { outcome: 'applied', messageId: message.id };
}

interface PendingCallback {
  channel: ChannelRow;
  cb: StatusCallback;
  resolve: (outcome: CallbackOutcome) => void;
  reject: (error: unknown) => void;
}

/**
 * Callbacks arrive one request at a time, often thousands a minute after a campaign. They are
 * applied in small groups — one transaction and one audit entry per crisis per group, a few
 * milliseconds of wait — and each request is answered after its group has committed, so the gateway
 * retries anything that was not recorded.
 */
class StatusCallbackBatcher {
  private queue: PendingCallback[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ctx: AppContext,
    private readonly maxWaitMs = 5,
    private readonly maxBatch = 200,
  ) {}

  apply(channel: ChannelRow, cb: StatusCallback): Promise<CallbackOutcome> {
    return new Promise<CallbackOutcome>((resolve, reject) => {
      this.queue.push({ channel, cb, resolve, reject });
      if (this.queue.length >= this.maxBatch) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), this.maxWaitMs);
    });
  }

  private async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue.splice(0);
    if (batch.length === 0) return;
    const at = new Date().toISOString();
    try {
      const results = await this.ctx.db.writer.write(async (trx) => {
        const out: { outcome: CallbackOutcome; messageId?: string }[] = [];
        for (const item of batch) out.push(await applyOne(trx, item.channel, item.cb, at));
        const byCrisis = new Map<string, string[]>();
        batch.forEach((item, i) => {
          const id = out[i]?.messageId;
          if (!id) return;
          const list = byCrisis.get(item.channel.crisis_id) ?? [];
          list.push(id);
          byCrisis.set(item.channel.crisis_id, list);
        });
        for (const [crisisId, ids] of byCrisis) {
          await recordAudit(trx, this.ctx.db.dialect, systemActor('gateway'), {
            action: 'message.status_callbacks',
            entityType: 'message',
            entityId: null,
            crisisId,
            change: { ids },
          });
        }
        return out;
      });
      batch.forEach((item, i) => {
        item.resolve(results[i]!.outcome);
      });
    } catch (error) {
      for (const item of batch) item.reject(error);
    }
  }
}

const batchers = new WeakMap<AppContext, StatusCallbackBatcher>();

/** Applies one delivery callback (grouped with others arriving at the same moment). */
export function applyStatusCallback(
  ctx: AppContext,
  channel: ChannelRow,
  cb: StatusCallback,
): Promise<CallbackOutcome> {
  let batcher = batchers.get(ctx);
  if (!batcher) {
    batcher = new StatusCallbackBatcher(ctx);
    batchers.set(ctx, batcher);
  }
  return batcher.apply(channel, cb);
}

/** A gateway's delivery callback, verified, parsed and applied. */
export async function handleStatusWebhook(
  ctx: AppContext,
  channelId: string,
  req: WebhookRequest,
): Promise<CallbackOutcome> {
  const channel = await verified(ctx, channelId, req);
  if (channel.provider === 'webhook') {
    const b = parseJson(webhookStatusSchema, req.rawBody);
    if (!b.id && !b.providerMessageId)
      throw validationFailed([{ path: 'id', message: 'Give our message id or the gateway message id.' }]);
    return applyStatusCallback(ctx, channel, {
      messageId: b.id,
      providerMessageId: b.providerMessageId,
      status: b.status,
      eventId: b.eventId ?? `${b.providerMessageId ?? b.id}:${b.status}`,
      error: b.error,
    });
  }
  const form = new URLSearchParams(req.rawBody);
  const sid = form.get('MessageSid') ?? form.get('SmsSid');
  const status = form.get('MessageStatus') ?? form.get('SmsStatus');
  if (!sid) throw validationFailed([{ path: 'MessageSid', message: 'Required.' }]);
  if (!status || !(GATEWAY_STATUSES as readonly string[]).includes(status))
    throw validationFailed([{ path: 'MessageStatus', message: `One of ${GATEWAY_STATUSES.join(', ')}.` }]);
  const ourId = new URL(req.url, 'http://x').searchParams.get('m') ?? undefined;
  const code = form.get('ErrorCode');
  return applyStatusCallback(ctx, channel, {
    messageId: ourId,
    providerMessageId: sid,
    status: status as GatewayStatus,
    eventId: `${sid}:${status}`,
    error: code ? `error ${code}` : undefined,
  });
}

/** A person's reply forwarded by a gateway, verified and handled. */
export async function handleInboundWebhook(
  ctx: AppContext,
  channelId: string,
  req: WebhookRequest,
): Promise<{ channel: ChannelRow; outcome: InboundOutcome }> {
  const channel = await verified(ctx, channelId, req);
  if (channel.provider === 'webhook') {
    const b = parseJson(webhookInboundSchema, req.rawBody);
    return {
      channel,
      outcome: await receiveInbound(ctx, channel, { providerMessageId: b.id, from: b.from, body: b.text }),
    };
  }
  const form = new URLSearchParams(req.rawBody);
  const sid = form.get('MessageSid') ?? form.get('SmsSid');
  const from = form.get('From');
  if (!sid || !from) throw validationFailed([{ path: sid ? 'From' : 'MessageSid', message: 'Required.' }]);
  return {
    channel,
    outcome: await receiveInbound(ctx, channel, {
      providerMessageId: sid,
      from,
      body: form.get('Body') ?? '',
    }),
  };
}
