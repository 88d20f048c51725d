import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type AppContext, createAppContext } from '../../src/app-context.js';
import { loadConfig } from '../../src/config.js';
import type { DialectName } from '../../src/db/database.js';
import { createLogger } from '../../src/lib/logger.js';

/** SQLite always; PostgreSQL too when TEST_DATABASE_URL is set (CI sets it). */
export const DIALECTS: DialectName[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

/** Creates an empty PostgreSQL database next to TEST_DATABASE_URL's and returns its URL and a dropper. */
export async function createScratchPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) throw new Error('TEST_DATABASE_URL is not set');
  const name = `corridor_t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export interface TestEnv {
  env: Record<string, string>;
  dataDir: string;
  cleanup: () => Promise<void>;
}

/** Environment variables for a fresh, isolated Corridor instance on the given dialect. */
export async function testEnv(dialect: DialectName, extra: Record<string, string> = {}): Promise<TestEnv> {
  const dataDir = mkdtempSync(join(tmpdir(), 'corridor-test-'));
  const scratch = dialect === 'postgres' ? await createScratchPostgres() : undefined;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    SECRET_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...(scratch ? { DATABASE_URL: scratch.url } : {}),
    ...extra,
  };
  return {
    env,
    dataDir,
    cleanup: async () => {
      await scratch?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A migrated application context on a fresh database. */
export async function createTestContext(
  dialect: DialectName,
  extra: Record<string, string> = {},
): Promise<{ ctx: AppContext; env: TestEnv; close: () => Promise<void> }> {
  const env = await testEnv(dialect, extra);
  const config = loadConfig(env.env);
  const ctx = await createAppContext(config, createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'));
  return {
    ctx,
    env,
    close: async () => {
      await ctx.db.close();
      await env.cleanup();
    },
  };
}
