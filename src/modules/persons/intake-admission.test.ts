import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { singleRegistration } from '../../../test/fixtures/persons/registrations.js';
import { seedCrisis } from '../../../test/fixtures/persons/seed.js';
import { createTestContext, DIALECTS } from '../../../test/helpers/context.js';
import { buildApp } from '../../app.js';
import type { AppContext } from '../../app-context.js';
import { IntakeAdmission } from './intake-admission.js';

describe('intake admission (load shedding)', () => {
  const clock = () => {
    let now = 1_000_000;
    return { now: () => now, advance: (ms: number) => (now += ms) };
  };

  it('takes everything while registrations are stored within the allowed wait', () => {
    const c = clock();
    const admission = new IntakeAdmission({ maxWaitSeconds: 2, minQueued: 3, now: c.now });
    for (let second = 0; second < 5; second += 1) {
      for (let i = 0; i < 500; i += 1) expect(admission.admit().admitted).toBe(true);
      c.advance(1000);
      admission.answered(500, 400); // the quickest waited 0.4 s
    }
    expect(admission.refusing).toBe(false);
    expect(admission.shortestWaitSeconds).toBe(0.4);
    expect(admission.refused).toBe(0);
  });

  it('refuses beyond the minimum backlog while even the quickest wait too long, and takes again once waits fall', () => {
    const c = clock();
    const admission = new IntakeAdmission({ maxWaitSeconds: 2, minQueued: 3, now: c.now });
    for (let i = 0; i < 10; i += 1) admission.admit();
    c.advance(1000);
    admission.answered(4, 2500); // the quickest answered this second waited 2.5 s
    expect(admission.refusing).toBe(true);
    expect(admission.queued).toBe(6);
    expect(admission.admit()).toEqual({ admitted: false, retryAfterSeconds: 3 });
    expect(admission.check().admitted).toBe(false);
    expect(admission.refused).toBe(2);
    // The backlog drains below the minimum: those are taken even while refusing.
    admission.answered(4, 2600);
    expect(admission.queued).toBe(2);
    expect(admission.admit().admitted).toBe(true);
    expect(admission.admit().admitted).toBe(false);
    // The next second the quickest waited 0.3 s: everything is taken again.
    c.advance(1000);
    admission.answered(1, 300);
    expect(admission.refusing).toBe(false);
    expect(admission.admit().admitted).toBe(true);
  });

  it('counts a backlog that gets no answer for longer than the allowed wait (a stalled database)', () => {
    const c = clock();
    const admission = new IntakeAdmission({ maxWaitSeconds: 1, minQueued: 2, now: c.now });
    admission.admit();
    admission.admit();
    c.advance(900);
    expect(admission.admit().admitted).toBe(true); // 0.9 s without an answer: still within the wait
    c.advance(400);
    expect(admission.admit()).toEqual({ admitted: false, retryAfterSeconds: 2 });
    expect(admission.shortestWaitSeconds).toBe(1.3);
    // Answers come again, quickly: taken again after the next judged second.
    admission.answered(3, 50);
    c.advance(1000);
    expect(admission.admit().admitted).toBe(true);
    expect(admission.refusing).toBe(false);
  });

  it('is not fooled by an idle intake: no backlog, no answers, nothing refused', () => {
    const c = clock();
    const admission = new IntakeAdmission({ maxWaitSeconds: 1, minQueued: 1, now: c.now });
    admission.admit();
    admission.answered(1, 10);
    c.advance(60_000);
    expect(admission.admit().admitted).toBe(true);
    expect(admission.refusing).toBe(false);
  });

  it('refuses nonsense settings', () => {
    expect(() => new IntakeAdmission({ maxWaitSeconds: 0, minQueued: 1 })).toThrow(RangeError);
    const admission = new IntakeAdmission({ maxWaitSeconds: 1, minQueued: 0 });
    expect(admission.admit().admitted).toBe(true);
  });
});

/** Holds the registry's write lock from another connection until released. */
async function holdWrites(ctx: AppContext): Promise<() => Promise<void>> {
  const database = ctx.config.database;
  if (database.kind === 'sqlite') {
    const other = new Database(database.file);
    other.exec('BEGIN IMMEDIATE');
    return async () => {
      other.exec('ROLLBACK');
      other.close();
    };
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query('BEGIN');
  // Inserts wait; reads (the crisis, stored answers) go on.
  await client.query('LOCK TABLE households IN EXCLUSIVE MODE');
  return async () => {
    await client.query('ROLLBACK');
    await client.end();
  };
}

for (const dialect of DIALECTS) {
  describe(`public registrations under overload (${dialect})`, () => {
    let ctx: AppContext;
    let app: FastifyInstance;
    let close: () => Promise<void>;

    beforeAll(async () => {
      ({ ctx, close } = await createTestContext(dialect, {
        PORTAL_RATE_LIMIT_PER_MINUTE: '100000',
        INTAKE_MIN_QUEUED: '3',
        INTAKE_MAX_WAIT_SECONDS: '0.5',
      }));
      app = await buildApp(ctx);
      await seedCrisis(ctx);
    });
    afterAll(async () => {
      await app.close();
      await close();
    });

    const post = (n: number) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/public/registrations',
        payload: singleRegistration(n),
        headers: { 'idempotency-key': `overload-${dialect}-${n}` },
      });

    it('refuses while registrations wait too long, with 503 and Retry-After, stores nothing of it, and takes it when sent again', async () => {
      const release = await holdWrites(ctx);
      let answers: Awaited<ReturnType<typeof post>>[];
      try {
        // Three are taken and wait for the database; the fourth is refused at once.
        const waiting = [post(1), post(2), post(3)];
        const queued = async () =>
          /^corridor_intake_queued (\d+)$/m.exec(
            (await app.inject({ method: 'GET', url: '/metrics' })).body,
          )?.[1];
        await expect.poll(queued).toBe('3');
        // Longer than the allowed wait without an answer: turned away before the body is even read.
        await new Promise((r) => setTimeout(r, 700));
        const early = await app.inject({
          method: 'POST',
          url: '/api/v1/public/registrations',
          payload: { not: 'a registration' },
        });
        expect(early.statusCode).toBe(503);
        expect(early.json().error.code).toBe('intake_busy');
        const refused = await post(4);
        expect(refused.statusCode).toBe(503);
        expect(refused.json().error.code).toBe('intake_busy');
        expect(refused.json().error.message).toContain('nothing was stored');
        expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
        expect(metrics).toMatch(/^corridor_intake_refused_total 2$/m);
        expect(metrics).toMatch(/^corridor_intake_refusing 1$/m);
        await release();
        answers = await Promise.all(waiting);
      } catch (error) {
        await release().catch(() => undefined);
        throw error;
      }
      expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201]);
      const again = await post(4);
      expect(again.statusCode, again.body).toBe(201);
      const households = await ctx.db.db
        .selectFrom('households')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(households.n)).toBe(4);
      const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(metrics).toMatch(/^corridor_intake_queued 0$/m);
    });
  });
}
