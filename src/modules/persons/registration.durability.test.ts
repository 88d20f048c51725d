import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { familyRegistration } from '../../../test/fixtures/persons/registrations.js';
import { seedCrisis } from '../../../test/fixtures/persons/seed.js';
import { DIALECTS, type TestEnv, testEnv } from '../../../test/helpers/context.js';
import { createAppContext } from '../../app-context.js';
import { loadConfig } from '../../config.js';
import { createLogger } from '../../lib/logger.js';

const root = join(import.meta.dirname, '..', '..', '..');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

function startServer(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(root, 'src/entrypoints/http.ts')], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: 'ignore',
  });
}

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 600; i += 1) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('server did not start');
}

/**
 * Principle 3: a reference code shown to a person means the data is on disk. The server is killed
 * with SIGKILL in the middle of a surge; after a restart every acknowledged registration is there,
 * with all its members, contacts and history.
 */
for (const dialect of DIALECTS) {
  describe(`registrations survive SIGKILL (${dialect})`, () => {
    let env: TestEnv | undefined;
    afterAll(async () => env?.cleanup());

    it('keeps every acknowledged registration, complete', { timeout: 60_000 }, async () => {
      const port = await freePort();
      env = await testEnv(dialect, {
        PORT: String(port),
        HOST: '127.0.0.1',
        PORTAL_RATE_LIMIT_PER_MINUTE: '10000000',
        LOG_LEVEL: 'silent',
      });
      const seed = await createAppContext(loadConfig(env.env), createLogger('silent'));
      await seedCrisis(seed);
      await seed.db.close();

      const server = startServer(env.env);
      const exited = new Promise((r) => server.once('exit', r));
      const url = `http://127.0.0.1:${port}`;
      await waitReady(url);
      const acknowledged: { reference: string; members: number }[] = [];
      let stop = false;
      const worker = async (w: number) => {
        for (let i = 0; !stop; i += 1) {
          try {
            const res = await fetch(`${url}/api/v1/public/registrations`, {
              method: 'POST',
              signal: AbortSignal.timeout(5000),
              headers: { 'content-type': 'application/json', 'idempotency-key': `kill-${w}-${i}` },
              body: JSON.stringify(
                familyRegistration({ contacts: [{ phone: `+97059${String(1000000 + w * 10000 + i)}` }] }),
              ),
            });
            if (res.status === 201)
              acknowledged.push((await res.json()) as { reference: string; members: number });
          } catch {
            return; // the server is gone
          }
        }
      };
      const workers = Array.from({ length: 24 }, (_, w) => worker(w));
      await new Promise((r) => setTimeout(r, 1500));
      server.kill('SIGKILL');
      stop = true;
      await Promise.all(workers);
      await exited;
      expect(acknowledged.length).toBeGreaterThan(20);

      const ctx = await createAppContext(loadConfig(env.env), createLogger('silent'));
      try {
        const references = acknowledged.map((a) => a.reference);
        const households = await ctx.db.db
          .selectFrom('households')
          .select(['id', 'reference'])
          .where('reference', 'in', references)
          .execute();
        expect(households.length).toBe(references.length);
        const ids = households.map((h) => h.id);
        const persons = await ctx.db.db
          .selectFrom('persons')
          .select(['household_id'])
          .where('household_id', 'in', ids)
          .execute();
        const contacts = await ctx.db.db
          .selectFrom('person_contacts')
          .select(['household_id'])
          .where('household_id', 'in', ids)
          .execute();
        const keys = await ctx.db.db
          .selectFrom('idempotency_keys')
          .select('key')
          .where('key', 'like', 'kill-%')
          .execute();
        expect(persons.length).toBe(acknowledged.reduce((n, a) => n + a.members, 0));
        expect(new Set(contacts.map((c) => c.household_id)).size).toBe(ids.length);
        expect(keys.length).toBeGreaterThanOrEqual(acknowledged.length);
      } finally {
        await ctx.db.close();
      }
    });
  });
}
