/** Starting a Corridor (or baseline) server process for a benchmark, on loopback. */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppContext } from '../../src/app-context.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/lib/logger.js';
import { seedCrisis } from '../../test/fixtures/persons/seed.js';

export const root = join(import.meta.dirname, '..', '..');

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Waits until `url` answers 2xx (30 s at most), failing early if the process exits. */
export async function waitFor(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i += 1) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
}

/** Node with the TypeScript loader, in the project folder, with only the given environment. */
export function startNode(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/**
 * A fresh data folder with one crisis and its zones, and the environment of a production server
 * on it (the load comes from one address: the per-address limits are raised for the bench only).
 */
export async function seededServerEnv(
  name: string,
  extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  const env = {
    NODE_ENV: 'production',
    DATA_DIR: mkdtempSync(join(tmpdir(), `corridor-${name}-`)),
    SECRET_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    PORTAL_RATE_LIMIT_PER_MINUTE: '100000000',
    API_RATE_LIMIT_PER_MINUTE: '100000000',
    ...extra,
  };
  // Seed the crisis and its zones, then hand the database to the server process.
  const seedCtx = await createAppContext(loadConfig(env), createLogger('warn'));
  await seedCrisis(seedCtx, `Bench crisis (${name})`);
  await seedCtx.db.close();
  return env;
}
