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

  it('takes up to the minimum backlog on a quiet server, then refuses with a retry time', () => {
    const c = clock();
    const admission = new IntakeAdmission({ maxWaitSeconds: 5, minQueued: 3, now: c.now });
    expect([1, 2, 3].map(() => admission.admit().admitted)).toEqual([true, true, true]);
    const refused = admission.admit();
    expect(refused).toEqual({ admitted: false, retryAfterSeconds: 30 });
    expect(admission.queued).toBe(3);
    expect(admission.refused).toBe(1);
    admission.answered(1);
    expect(admission.admit().admitted).toBe(true);
  });

  it('lets the backlog grow to what it stored in the allowed wait, and asks to come back when it has drained', () => {
    const c = clock();
    const admission = new IntakeAdmission({ maxWaitSeconds: 2, minQueued: 10, now: c.now });
    // Three busy seconds storing 1,000 registrations a second.
    for (let s = 0; s < 3; s += 1) {
      for (let i = 0; i < 1000; i += 1) admission.admit();
      c.advance(1000);
      admission.answered(1000);
    }
    expect(admission.answeredPerSecond).toBe(1000);
    expect(admission.limit()).toBe(2000);
    let taken = 0;
    while (admission.admit().admitted) taken += 1;
    expect(taken).toBe(2000);
    const refused = admission.admit();
    expect(refused).toEqual({ admitted: false, retryAfterSeconds: 2 });
  });

  it('lowers the backlog it takes while nothing gets stored (a stalled database)', () => {
    const c = clock();
    const admission = new IntakeAdmission({ maxWaitSeconds: 1, minQueued: 5, now: c.now });
    for (let s = 0; s < 2; s += 1) {
      for (let i = 0; i < 400; i += 1) admission.admit();
      c.advance(1000);
      admission.answered(400);
    }
    expect(admission.limit()).toBe(400);
    for (let i = 0; i < 400; i += 1) admission.admit();
    // Nothing answered for four seconds: the measured rate halves each second.
    for (let s = 0; s < 4; s += 1) {
      c.advance(1000);
      admission.answered(0);
    }
    expect(admission.answeredPerSecond).toBe(25);
    expect(admission.limit()).toBe(25);
    expect(admission.admit()).toEqual({ admitted: false, retryAfterSeconds: 16 });
  });

  it('does not take quiet seconds for the capacity', () => {
    const c = clock();
    const admission = new IntakeAdmission({ maxWaitSeconds: 1, minQueued: 5, now: c.now });
    for (let i = 0; i < 300; i += 1) admission.admit();
    c.advance(1000);
    admission.answered(300);
    expect(admission.answeredPerSecond).toBe(300);
    // Ten idle seconds (nothing waiting, nothing coming): the rate stays what was measured.
    for (let s = 0; s < 10; s += 1) {
      c.advance(1000);
      admission.answered(0);
    }
    expect(admission.answeredPerSecond).toBe(300);
  });

  it('refuses nonsense settings', () => {
    expect(() => new IntakeAdmission({ maxWaitSeconds: 0, minQueued: 1 })).toThrow(RangeError);
    expect(new IntakeAdmission({ maxWaitSeconds: 1, minQueued: 0 }).limit()).toBe(1);
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
        INTAKE_MAX_WAIT_SECONDS: '5',
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

    it('refuses what it cannot store in time with 503 and Retry-After, stores nothing of it, and takes it when sent again', async () => {
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
        const refused = await post(4);
        expect(refused.statusCode).toBe(503);
        expect(refused.json().error.code).toBe('intake_busy');
        expect(refused.json().error.message).toContain('nothing was stored');
        expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
        expect(metrics).toMatch(/^corridor_intake_refused_total 1$/m);
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
