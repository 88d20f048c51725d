import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedCrisis } from '../../../../test/fixtures/persons/seed.js';
import { runCli } from '../../../../test/helpers/cli.js';
import { createTestContext, DIALECTS, type TestEnv } from '../../../../test/helpers/context.js';
import { type AppContext, createAppContext } from '../../../app-context.js';
import { loadConfig } from '../../../config.js';
import { createLogger } from '../../../lib/logger.js';
import { OutboxWorker } from './outbox-worker.js';
import { type FakeGateway, startFakeGateway } from './testing/fake-gateway.js';
import { insertCampaignWithMessages, insertChannel } from './testing/outbox-fixtures.js';

const root = join(import.meta.dirname, '..', '..', '..', '..');
const phone = (i: number) => `+97059${String(2_000_000 + i).padStart(7, '0')}`;

for (const dialect of DIALECTS) {
  describe(`outbox reliability (${dialect})`, () => {
    let ctx: AppContext;
    let env: TestEnv;
    let close: () => Promise<void>;
    let gw: FakeGateway;
    let crisisId: string;

    beforeEach(async () => {
      ({ ctx, env, close } = await createTestContext(dialect));
      crisisId = (await seedCrisis(ctx)).crisis.id;
      gw = await startFakeGateway();
      await insertChannel(ctx, {
        crisisId,
        channel: 'sms',
        provider: 'webhook',
        settings: { url: `${gw.url}/send`, concurrency: 8 },
        secretEnv: 'MESSAGING_GW_TOKEN',
        ratePerSecond: 5000,
      });
    });
    afterEach(async () => {
      await gw.close();
      await close();
    });

    const statusCounts = async () =>
      Object.fromEntries(
        (
          await ctx.db.db
            .selectFrom('messages')
            .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
            .groupBy('status')
            .execute()
        ).map((r) => [r.status, Number(r.n)]),
      );

    it('sends every message exactly once when `corridor worker` is killed mid-campaign and started again', async () => {
      const total = 400;
      const { messageIds } = await insertCampaignWithMessages(ctx, {
        crisisId,
        recipients: Array.from({ length: total }, (_, i) => ({ address: phone(i), channel: 'sms' as const })),
      });
      gw.behaviour = () => ({ delayMs: 15 });
      const childEnv = {
        ...env.env,
        MESSAGING_GW_TOKEN: gw.token,
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
      };
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(root, 'src/entrypoints/cli.ts'), 'worker'],
        {
          cwd: root,
          env: childEnv,
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.on('exit', (_code, signal) => resolve(signal)),
      );
      for (let i = 0; i < 600 && gw.requests.length < 120; i += 1)
        await new Promise((r) => setTimeout(r, 50));
      expect(gw.requests.length, stderr).toBeGreaterThanOrEqual(120);
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      const atKill = await statusCounts();
      expect(atKill.sent ?? 0).toBeLessThan(total);
      // Messages the killed worker held: their lease runs out (here: now, instead of in two minutes).
      await ctx.db.writer.write((trx) =>
        trx
          .updateTable('messages')
          .set({ locked_until: new Date(Date.now() - 1000).toISOString() })
          .where('status', '=', 'sending')
          .execute(),
      );
      const again = await runCli(['worker', '--once'], { ...env.env, MESSAGING_GW_TOKEN: gw.token });
      expect(again.code, again.stderr).toBe(0);
      expect(await statusCounts()).toEqual({ sent: total });
      // At the gateway: each message accepted exactly once; resends of in-doubt ones were recognised by key.
      expect(gw.accepted.size).toBe(total);
      expect([...gw.accepted.values()].every((a) => a.count === 1)).toBe(true);
      expect(new Set(gw.requests.map((r) => r.messageId))).toEqual(new Set(messageIds));
      expect(gw.requests.length - total).toBe(gw.replays);
    }, 90_000);

    it('parks in-doubt messages of a gateway without idempotency keys instead of sending them twice', async () => {
      const twilioGw = await startFakeGateway();
      try {
        const waChannel = await insertChannel(ctx, {
          crisisId,
          channel: 'whatsapp',
          provider: 'twilio',
          settings: { baseUrl: twilioGw.url, accountSid: twilioGw.accountSid, from: '+15005550006' },
          secretEnv: 'MESSAGING_TW_TOKEN',
        });
        expect(waChannel).toBeTruthy();
        const { messageIds } = await insertCampaignWithMessages(ctx, {
          crisisId,
          recipients: [0, 1, 2].map((i) => ({ address: phone(i), channel: 'whatsapp' as const })),
        });
        // A worker that hangs on a gateway and is stopped: its claim outlives it.
        twilioGw.behaviour = (_req, nth) => (nth === 1 ? { delayMs: 400 } : undefined);
        const dying = new OutboxWorker(ctx, {
          env: { MESSAGING_TW_TOKEN: twilioGw.token },
          workerId: 'dying',
          leaseMs: 60_000,
        });
        const stop = new AbortController();
        const drain = dying.drainOnce(stop.signal);
        await new Promise((r) => setTimeout(r, 150));
        const held = await ctx.db.db
          .selectFrom('messages')
          .select(['status', 'locked_by'])
          .where('id', 'in', messageIds)
          .execute();
        expect(held, JSON.stringify(held)).toEqual(
          held.map(() => ({ status: 'sending', locked_by: 'dying' })),
        );
        // The lease runs out while the requests are in flight (the process is gone as far as the database knows).
        await ctx.db.writer.write((trx) =>
          trx
            .updateTable('messages')
            .set({ locked_until: new Date(Date.now() - 1000).toISOString() })
            .where('locked_by', '=', 'dying')
            .execute(),
        );
        const next = new OutboxWorker(ctx, { env: { MESSAGING_TW_TOKEN: twilioGw.token } });
        expect(await next.reclaimExpiredLeases()).toEqual({ requeued: 0, parked: 3 });
        await drain;
        await next.drainUntilIdle();
        next.close();
        dying.close();
        const rows = await ctx.db.db
          .selectFrom('messages')
          .select(['status', 'last_error'])
          .where('id', 'in', messageIds)
          .execute();
        expect(rows.map((r) => r.status)).toEqual(['parked', 'parked', 'parked']);
        expect(rows[0]!.last_error).toContain('in doubt');
        // Sent once each (by the worker that lost its lease), never again.
        expect(twilioGw.requests).toHaveLength(3);
      } finally {
        await twilioGw.close();
      }
    });

    it.runIf(dialect === 'postgres')(
      'two workers at once send no duplicates (FOR UPDATE SKIP LOCKED)',
      async () => {
        const total = 1500;
        await insertCampaignWithMessages(ctx, {
          crisisId,
          recipients: Array.from({ length: total }, (_, i) => ({
            address: phone(i),
            channel: 'sms' as const,
          })),
        });
        const second = await createAppContext(loadConfig(env.env), createLogger('silent'));
        try {
          const opts = { env: { MESSAGING_GW_TOKEN: gw.token }, batchSize: 100 };
          const a = new OutboxWorker(ctx, { ...opts, workerId: 'a' });
          const b = new OutboxWorker(second, { ...opts, workerId: 'b' });
          const [ra, rb] = await Promise.all([a.drainUntilIdle(), b.drainUntilIdle()]);
          a.close();
          b.close();
          expect(ra.sent + rb.sent).toBe(total);
          expect(ra.sent).toBeGreaterThan(0);
          expect(rb.sent).toBeGreaterThan(0);
          expect(gw.requests).toHaveLength(total);
          expect(gw.replays).toBe(0);
          expect(new Set(gw.requests.map((r) => r.messageId)).size).toBe(total);
          expect(await statusCounts()).toEqual({ sent: total });
        } finally {
          await second.db.close();
        }
      },
      60_000,
    );
  });
}
