import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { systemActor } from '../../src/access/actor.js';
import { createAppContext } from '../../src/app-context.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { databaseDigest } from '../../src/db/digest.js';
import { createLogger } from '../../src/lib/logger.js';
import { createCrisis, createZone } from '../../src/modules/crises/crisis.service.js';
import { runCli } from '../helpers/cli.js';
import { DIALECTS, testEnv } from '../helpers/context.js';

for (const dialect of DIALECTS) {
  describe(`corridor CLI operations (${dialect})`, () => {
    it('creates an administrator from stdin, verifies the audit chain, and round-trips a backup', async () => {
      const env = await testEnv(dialect);
      try {
        const short = await runCli(
          ['admin', 'create', '--email', 'ops@example.org', '--password-stdin'],
          env.env,
          'short\n',
        );
        expect(short.code).not.toBe(0);
        expect(short.stderr).toMatch(/password: use at least 12 characters/);

        const created = await runCli(
          ['admin', 'create', '--email', 'ops@example.org', '--password-stdin'],
          env.env,
          'a long enough password\n',
        );
        expect(created.stderr).toBe('');
        expect(created.code).toBe(0);
        expect(created.stdout).toMatch(/TOTP secret: [A-Z2-7]{32}/);

        const dup = await runCli(
          ['admin', 'create', '--email', 'ops@example.org', '--password-stdin'],
          env.env,
          'a long enough password\n',
        );
        expect(dup.code).not.toBe(0);
        expect(dup.stderr).toMatch(/already exists/);

        // Some data to back up.
        const ctx = await createAppContext(loadConfig(env.env), createLogger('silent'));
        const crisis = await createCrisis(ctx, systemActor(), { name: 'Backup drill crisis' });
        await createZone(ctx, systemActor(), crisis.id, { name: 'North zone' });
        await ctx.db.close();

        const verify = await runCli(['audit', 'verify'], env.env);
        expect(verify.code).toBe(0);
        expect(verify.stdout).toMatch(/Audit chain intact: \d+ entries verified/);

        const file = join(env.dataDir, 'backup.bin');
        const backup = await runCli(['backup', file], env.env);
        expect(backup.code, backup.stderr).toBe(0);
        const db = openDatabase(loadConfig(env.env).database);
        const before = await databaseDigest(db.db);
        expect(before.tables.zones).toBe(1);

        // Wipe.
        if (dialect === 'sqlite') {
          await db.close();
          for (const s of ['', '-wal', '-shm'])
            rmSync(join(env.dataDir, `corridor.sqlite${s}`), { force: true });
        } else {
          await sql`drop schema public cascade`.execute(db.db);
          await sql`create schema public`.execute(db.db);
          await db.close();
        }

        const restore = await runCli(['restore', file], env.env);
        expect(restore.code, restore.stderr).toBe(0);
        const db2 = openDatabase(loadConfig(env.env).database);
        const after = await databaseDigest(db2.db);
        await db2.close();
        expect(after.digest).toBe(before.digest);
        expect(after.tables).toEqual(before.tables);
        expect(restore.stdout).toContain(before.digest);

        const missing = await runCli(['restore', join(env.dataDir, 'nope.bin')], env.env);
        expect(missing.code).not.toBe(0);
        expect(missing.stderr).toMatch(/no such backup file/);
      } finally {
        await env.cleanup();
      }
    }, 120_000);
  });
}
