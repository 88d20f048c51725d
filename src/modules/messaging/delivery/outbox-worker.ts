import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { systemActor } from '../../../access/actor.js';
import type { AppContext } from '../../../app-context.js';
import { recordAudit } from '../../../audit/audit.service.js';
import {
  ChannelConfigurationError,
  type ChannelSender,
  createSender,
  type SendResult,
} from './channel-senders.js';
import {
  advanceCampaigns,
  type ChannelRow,
  type ClaimedMessage,
  channelFailures,
  claimDueMessages,
  closeCircuit,
  type EventRow,
  findChannelRow,
  insertEvents,
  listEnabledChannels,
  lockExpiredLeases,
  markSentMany,
  park,
  pauseChannel,
  requeue,
  takeTokens,
} from './outbox.repository.js';

export interface OutboxOptions {
  /** Names this worker's leases; unique per process. */
  workerId: string;
  /** Most messages claimed at once per channel (also bounded by the channel's tokens). */
  batchSize: number;
  /** How long a claim is held; an unfinished claim after this is reclaimed (a worker that died). */
  leaseMs: number;
  /** Message-level temporary failures before a message is parked. */
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** A message still failing this long after it was queued is parked. */
  maxAgeMs: number;
  /** First pause of a channel whose gateway is down; doubles per failure up to `pauseMaxMs`. */
  pauseBaseMs: number;
  pauseMaxMs: number;
  /** Idle wait between polls of the outbox. */
  pollMs: number;
  /** Results are committed in groups of this size while a batch is still being sent. */
  flushEvery: number;
  /** Environment holding channel secrets (tests pass their own). */
  env: NodeJS.ProcessEnv;
}

export const defaultWorkerId = () => `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

export const DEFAULT_OUTBOX_OPTIONS: Omit<OutboxOptions, 'workerId' | 'env'> = {
  batchSize: 500,
  leaseMs: 120_000,
  maxAttempts: 8,
  backoffBaseMs: 5_000,
  backoffMaxMs: 3_600_000,
  maxAgeMs: 48 * 3_600_000,
  pauseBaseMs: 2_000,
  pauseMaxMs: 300_000,
  pollMs: 1_000,
  flushEvery: 200,
};

export interface ChannelPass {
  channelId: string;
  claimed: number;
  sent: number;
  retried: number;
  parked: number;
  released: number;
  /** The bucket had no token: messages may be due but must wait `waitMs`. */
  throttled: boolean;
  paused: boolean;
  waitMs: number;
}

type Outcome =
  | { kind: 'sent'; m: ClaimedMessage; result: Extract<SendResult, { ok: true }> }
  | { kind: 'permanent'; m: ClaimedMessage; reason: string }
  | { kind: 'temporary'; m: ClaimedMessage; reason: string; retryAfterMs?: number | undefined }
  | { kind: 'released'; m: ClaimedMessage };

const jitter = (ms: number) => Math.round(ms / 2 + Math.random() * (ms / 2));
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/**
 * Drains the durable outbox (`messages`): claims due rows under a lease, sends them through the
 * channel's gateway within its rate, and commits each outcome — sent, retry later with exponential
 * backoff and jitter, or parked. See docs/messaging.md (Delivery) for the guarantees.
 */
export class OutboxWorker {
  readonly options: OutboxOptions;
  private readonly actor = systemActor('worker');
  private readonly senders = new Map<string, { key: string; sender: ChannelSender }>();

  constructor(
    private readonly ctx: AppContext,
    options: Partial<OutboxOptions> = {},
  ) {
    this.options = {
      ...DEFAULT_OUTBOX_OPTIONS,
      workerId: defaultWorkerId(),
      env: process.env,
      ...options,
    };
  }

  /** Releases gateway connections (SMTP pools). */
  close(): void {
    for (const { sender } of this.senders.values()) sender.close();
    this.senders.clear();
  }

  private senderFor(channel: ChannelRow): ChannelSender {
    const key = `${channel.updated_at}|${channel.secret_env ? (this.options.env[channel.secret_env] ?? '') : ''}`;
    const cached = this.senders.get(channel.id);
    if (cached?.key === key) return cached.sender;
    cached?.sender.close();
    const sender = createSender(channel, { publicUrl: this.ctx.config.publicUrl, env: this.options.env });
    this.senders.set(channel.id, { key, sender });
    return sender;
  }

  /**
   * Messages left in `sending` by a worker whose lease ran out. Gateways that de-duplicate on our
   * message id get them again (same idempotency key); for the others the outcome is unknown, so
   * they are parked for a person to check rather than risk a second copy.
   */
  async reclaimExpiredLeases(now = Date.now()): Promise<{ requeued: number; parked: number }> {
    const at = new Date(now).toISOString();
    return this.ctx.db.writer.write(async (trx) => {
      const rows = await lockExpiredLeases(trx, this.ctx.db.dialect, at);
      if (rows.length === 0) return { requeued: 0, parked: 0 };
      const events: EventRow[] = [];
      let requeued = 0;
      let parked = 0;
      for (const r of rows) {
        if (r.provider === 'webhook' || r.provider === 'console') {
          await requeue(trx, {
            id: r.id,
            workerId: r.locked_by ?? '',
            nextAttemptAt: at,
            error: 'lease expired: sent again with the same idempotency key',
            refundAttempt: false,
            at,
          });
          events.push({
            message_id: r.id,
            status: 'queued',
            provider_event_id: null,
            detail: 'lease expired',
            at,
          });
          requeued += 1;
        } else {
          const error = 'in doubt: the worker stopped while sending; check the gateway before retrying';
          await park(trx, { id: r.id, workerId: null, error, at });
          events.push({ message_id: r.id, status: 'parked', provider_event_id: null, detail: error, at });
          parked += 1;
        }
      }
      await insertEvents(trx, events);
      for (const crisisId of new Set(rows.map((r) => r.crisis_id))) {
        await recordAudit(trx, this.ctx.db.dialect, this.actor, {
          action: 'message.leases_reclaimed',
          entityType: 'message',
          entityId: null,
          crisisId,
          change: { ids: rows.filter((r) => r.crisis_id === crisisId).map((r) => r.id) },
        });
      }
      return { requeued, parked };
    });
  }

  /** One claim → send → commit cycle for one channel. */
  async drainChannel(channel: ChannelRow, signal?: AbortSignal): Promise<ChannelPass> {
    const pass: ChannelPass = {
      channelId: channel.id,
      claimed: 0,
      sent: 0,
      retried: 0,
      parked: 0,
      released: 0,
      throttled: false,
      paused: false,
      waitMs: 0,
    };
    let sender: ChannelSender | undefined;
    let configError: string | undefined;
    try {
      sender = this.senderFor(channel);
    } catch (error) {
      if (!(error instanceof ChannelConfigurationError)) throw error;
      configError = error.message;
    }
    const now = Date.now();
    const leaseUntil = now + this.options.leaseMs;
    const claimed = await this.ctx.db.writer.write(async (trx) => {
      const tokens = await takeTokens(trx, this.ctx.db.dialect, channel, this.options.batchSize, now);
      pass.paused = tokens.paused;
      pass.waitMs = tokens.waitMs;
      pass.throttled = !tokens.paused && tokens.granted === 0;
      if (tokens.granted === 0) return [];
      const rows = await claimDueMessages(trx, this.ctx.db.dialect, {
        crisisId: channel.crisis_id,
        channel: channel.channel,
        provider: channel.provider,
        limit: tokens.granted,
        workerId: this.options.workerId,
        leaseUntil: new Date(leaseUntil).toISOString(),
        now: new Date(now).toISOString(),
      });
      await tokens.settle(rows.length);
      return rows;
    });
    pass.claimed = claimed.length;
    if (claimed.length === 0) return pass;
    if (configError !== undefined || !sender) {
      const reason = configError ?? 'channel not configured';
      await this.commit(
        channel,
        claimed.map((m) => ({ kind: 'permanent', m, reason }) as const),
        pass,
      );
      return pass;
    }
    await this.sendBatch(channel, sender, claimed, leaseUntil, pass, signal);
    return pass;
  }

  private async sendBatch(
    channel: ChannelRow,
    sender: ChannelSender,
    claimed: ClaimedMessage[],
    leaseUntil: number,
    pass: ChannelPass,
    signal?: AbortSignal,
  ): Promise<void> {
    const settings = JSON.parse(channel.settings) as { timeoutMs?: number };
    const timeoutMs = settings.timeoutMs ?? 10_000;
    const pending: Outcome[] = [];
    const temporary: Outcome[] = [];
    let successes = 0;
    let failureStreak = 0;
    let stop = false;
    let flushing: Promise<void> = Promise.resolve();
    const flush = () => {
      const chunk = pending.splice(0);
      if (chunk.length === 0) return flushing;
      flushing = flushing.then(() => this.commit(channel, chunk, pass));
      return flushing;
    };
    let next = 0;
    const runner = async () => {
      while (next < claimed.length) {
        const m = claimed[next++]!;
        // A send that could outlive the lease is not started: another worker may take the row then.
        if (stop || signal?.aborted || Date.now() + timeoutMs + 1_000 > leaseUntil) {
          temporary.push({ kind: 'released', m });
          continue;
        }
        const result = await sender.send({
          id: m.id,
          channel: m.channel,
          address: m.address,
          language: m.language,
          subject: m.subject,
          body: m.body,
        });
        if (result.ok) {
          successes += 1;
          failureStreak = 0;
          pending.push({ kind: 'sent', m, result });
        } else if (result.permanent) {
          pending.push({ kind: 'permanent', m, reason: result.reason });
        } else {
          failureStreak += 1;
          temporary.push({ kind: 'temporary', m, reason: result.reason, retryAfterMs: result.retryAfterMs });
          // The gateway looks down: stop hammering it, the rest of the batch waits for the pause.
          if (successes === 0 && failureStreak >= 3) stop = true;
        }
        if (pending.length >= this.options.flushEvery) void flush();
      }
    };
    await Promise.all(Array.from({ length: Math.min(sender.concurrency, claimed.length) }, runner));
    await flush();
    await this.commit(channel, temporary, pass, successes === 0);
  }

  private backoff(attempts: number, retryAfterMs?: number): number {
    const exp = Math.min(
      this.options.backoffMaxMs,
      this.options.backoffBaseMs * 2 ** Math.max(0, attempts - 1),
    );
    return Math.max(jitter(exp), retryAfterMs ?? 0);
  }

  /**
   * Commits one group of outcomes in one transaction, with one audit entry and one event per
   * message. `gatewayDown` (no success in the whole batch) pauses the channel for every worker and
   * does not count the attempt against the messages.
   */
  private async commit(channel: ChannelRow, outcomes: Outcome[], pass: ChannelPass, gatewayDown = false) {
    if (outcomes.length === 0) return;
    const workerId = this.options.workerId;
    const nowMs = Date.now();
    const at = new Date(nowMs).toISOString();
    const counts = { sent: 0, retried: 0, parked: 0, released: 0, lostLease: 0 };
    const hasTemporary = outcomes.some((o) => o.kind === 'temporary');
    let pausedUntil: number | undefined;
    if (gatewayDown && hasTemporary) {
      const failures = await channelFailures(this.ctx.db.db, channel.id);
      pausedUntil =
        nowMs +
        jitter(Math.min(this.options.pauseMaxMs, this.options.pauseBaseMs * 2 ** Math.min(failures, 20)));
    }
    await this.ctx.db.writer.write(async (trx) => {
      const events: EventRow[] = [];
      // Accepted sends are recorded in groups (one statement each): they are nearly all of the traffic.
      for (const delivered of [false, true]) {
        const group = outcomes.flatMap((o) =>
          o.kind === 'sent' && o.result.delivered === delivered
            ? [{ id: o.m.id, providerMessageId: o.result.providerMessageId }]
            : [],
        );
        if (group.length === 0) continue;
        const recorded = await markSentMany(trx, group, { workerId, delivered, at });
        counts.sent += recorded.size;
        counts.lostLease += group.length - recorded.size;
        for (const id of recorded)
          events.push({
            message_id: id,
            status: delivered ? 'delivered' : 'sent',
            provider_event_id: null,
            detail: null,
            at,
          });
      }
      for (const o of outcomes) {
        const { m } = o;
        let ok = true;
        if (o.kind === 'sent') {
          continue;
        } else if (o.kind === 'permanent') {
          ok = await park(trx, { id: m.id, workerId, error: o.reason, at });
          if (ok) {
            counts.parked += 1;
            events.push({
              message_id: m.id,
              status: 'parked',
              provider_event_id: null,
              detail: o.reason,
              at,
            });
          }
        } else if (o.kind === 'released') {
          ok = await requeue(trx, {
            id: m.id,
            workerId,
            nextAttemptAt: pausedUntil ? new Date(pausedUntil).toISOString() : at,
            error: null,
            refundAttempt: true,
            at,
          });
          if (ok) counts.released += 1;
        } else {
          const tooOld = nowMs - Date.parse(m.queued_at) > this.options.maxAgeMs;
          const tooMany = !gatewayDown && m.attempts >= this.options.maxAttempts;
          if (tooOld || tooMany) {
            const reason = `${tooOld ? 'still failing after the maximum age' : `${m.attempts} attempts`}: ${o.reason}`;
            ok = await park(trx, { id: m.id, workerId, error: reason, at });
            if (ok) {
              counts.parked += 1;
              events.push({
                message_id: m.id,
                status: 'parked',
                provider_event_id: null,
                detail: reason,
                at,
              });
            }
          } else {
            const retryAt = pausedUntil
              ? pausedUntil + jitter(1_000)
              : nowMs + this.backoff(m.attempts, o.retryAfterMs);
            ok = await requeue(trx, {
              id: m.id,
              workerId,
              nextAttemptAt: new Date(retryAt).toISOString(),
              error: o.reason,
              refundAttempt: gatewayDown,
              at,
            });
            if (ok) {
              counts.retried += 1;
              events.push({
                message_id: m.id,
                status: 'queued',
                provider_event_id: null,
                detail: `retry at ${new Date(retryAt).toISOString()}: ${o.reason}`,
                at,
              });
            }
          }
        }
        if (!ok) counts.lostLease += 1;
      }
      await insertEvents(trx, events);
      if (pausedUntil) await pauseChannel(trx, channel.id, new Date(pausedUntil).toISOString());
      else if (counts.sent > 0) await closeCircuit(trx, channel.id);
      const campaigns = [...new Set(outcomes.flatMap((o) => (o.m.campaign_id ? [o.m.campaign_id] : [])))];
      await advanceCampaigns(trx, campaigns, at);
      if (events.length > 0 || counts.lostLease > 0) {
        await recordAudit(trx, this.ctx.db.dialect, this.actor, {
          action: 'message.delivery_batch',
          entityType: 'message_channel',
          entityId: channel.id,
          crisisId: channel.crisis_id,
          change: { counts, ids: outcomes.map((o) => o.m.id) },
        });
      }
    });
    pass.sent += counts.sent;
    pass.retried += counts.retried;
    pass.parked += counts.parked;
    pass.released += counts.released;
    if (counts.lostLease > 0) {
      this.ctx.logger.warn(
        { channelId: channel.id, count: counts.lostLease },
        'outbox: results of messages whose lease was lost were not recorded',
      );
    }
  }

  /** One pass: reclaim dead leases, then one cycle of every enabled channel, side by side. */
  async drainOnce(signal?: AbortSignal): Promise<ChannelPass[]> {
    await this.reclaimExpiredLeases();
    const channels = await listEnabledChannels(this.ctx.db.db);
    return Promise.all(channels.map((c) => this.drainChannel(c, signal)));
  }

  /**
   * Sends until nothing is due (waiting for the throttle when messages are due but tokens are
   * short). Messages waiting on a backoff or a paused channel are left for a later pass.
   */
  async drainUntilIdle(signal?: AbortSignal): Promise<{ sent: number; retried: number; parked: number }> {
    const total = { sent: 0, retried: 0, parked: 0 };
    while (!signal?.aborted) {
      const passes = await this.drainOnce(signal);
      for (const p of passes) {
        total.sent += p.sent;
        total.retried += p.retried;
        total.parked += p.parked;
      }
      if (passes.some((p) => p.claimed > 0)) continue;
      const throttled = passes.filter((p) => p.throttled);
      if (throttled.length === 0) break;
      // Tokens are short: only worth waiting if a message is actually due on that channel.
      if (!(await this.anyDue(throttled.map((p) => p.channelId)))) break;
      await sleep(Math.max(5, Math.min(...throttled.map((p) => p.waitMs))), signal);
    }
    return total;
  }

  private async anyDue(channelIds: string[]): Promise<boolean> {
    const now = new Date().toISOString();
    for (const id of channelIds) {
      const c = await findChannelRow(this.ctx.db.db, id);
      if (!c) continue;
      const due = await this.ctx.db.db
        .selectFrom('messages')
        .select('id')
        .where('crisis_id', '=', c.crisis_id)
        .where('channel', '=', c.channel)
        .where('status', '=', 'queued')
        .where('next_attempt_at', '<=', now)
        .limit(1)
        .executeTakeFirst();
      if (due) return true;
    }
    return false;
  }

  /**
   * Runs until `signal` aborts: one lane per enabled channel (a slow gateway does not hold up the
   * others), lease reclaim and the channel list refreshed every few seconds. On abort, messages
   * not yet handed to a gateway go back to the queue; those in flight finish and are recorded.
   */
  async run(signal: AbortSignal): Promise<void> {
    const lanes = new Map<string, Promise<void>>();
    while (!signal.aborted) {
      try {
        await this.reclaimExpiredLeases();
        for (const channel of await listEnabledChannels(this.ctx.db.db)) {
          if (lanes.has(channel.id)) continue;
          lanes.set(
            channel.id,
            this.lane(channel.id, signal).finally(() => lanes.delete(channel.id)),
          );
        }
      } catch (error) {
        this.ctx.logger.error({ err: { message: (error as Error).message } }, 'outbox: pass failed');
      }
      await sleep(Math.max(this.options.pollMs, 2_000), signal);
    }
    await Promise.allSettled([...lanes.values()]);
    this.close();
  }

  private async lane(channelId: string, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const channel = await findChannelRow(this.ctx.db.db, channelId);
        if (channel?.enabled !== 1) return;
        const pass = await this.drainChannel(channel, signal);
        if (pass.claimed === 0) {
          await sleep(pass.throttled ? Math.max(5, pass.waitMs) : this.options.pollMs, signal);
        }
      } catch (error) {
        this.ctx.logger.error(
          { err: { message: (error as Error).message }, channelId },
          'outbox: channel pass failed',
        );
        await sleep(this.options.pollMs, signal);
      }
    }
  }
}
