import { describe, expect, it } from 'vitest';
import { createTestContext, DIALECTS } from '../../test/helpers/context.js';
import { GroupCommitWriter } from './write-batcher.js';

const row = (scope: string, key: string) => ({
  scope,
  key,
  request_digest: 'd',
  response_status: 200,
  response_body: '{}',
  created_at: new Date().toISOString(),
});

for (const dialect of DIALECTS) {
  describe(`database writer (${dialect})`, () => {
    it('commits many concurrent writes, isolating the one that fails', async () => {
      const { ctx, close } = await createTestContext(dialect);
      try {
        const writes = Array.from({ length: 300 }, (_, i) =>
          ctx.db.writer.write(async (trx) => {
            await trx
              .insertInto('idempotency_keys')
              .values(row('t', `k${i}`))
              .execute();
            if (i === 150) throw new Error('job 150 fails');
            return i;
          }),
        );
        const results = await Promise.allSettled(writes);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(299);
        expect(results[150]).toMatchObject({ status: 'rejected' });
        const keys = await ctx.db.db
          .selectFrom('idempotency_keys')
          .select('key')
          .where('scope', '=', 't')
          .execute();
        expect(keys).toHaveLength(299);
        expect(keys.map((k) => k.key)).not.toContain('k150');
        if (ctx.db.writer instanceof GroupCommitWriter) {
          // Group commit: 300 acknowledged writes shared far fewer transactions (fsyncs).
          expect(ctx.db.writer.stats.jobs).toBeGreaterThanOrEqual(300);
          expect(ctx.db.writer.stats.batches).toBeLessThan(ctx.db.writer.stats.jobs / 10);
        }
      } finally {
        await close();
      }
    });

    it('answers a write only after it is committed and visible to a new connection', async () => {
      const { ctx, env, close } = await createTestContext(dialect);
      try {
        await ctx.db.writer.write((trx) =>
          trx.insertInto('idempotency_keys').values(row('d', 'durable')).execute(),
        );
        const { openDatabase } = await import('./database.js');
        const { loadConfig } = await import('../config.js');
        const other = openDatabase(loadConfig(env.env).database);
        try {
          const found = await other.db
            .selectFrom('idempotency_keys')
            .selectAll()
            .where('key', '=', 'durable')
            .executeTakeFirst();
          expect(found?.scope).toBe('d');
        } finally {
          await other.close();
        }
      } finally {
        await close();
      }
    });
  });
}

describe('writer turns for another connection (SQLite)', () => {
  it('runs shared tasks together under one turn and lets waiting writes through before the next', async () => {
    const { ctx, close } = await createTestContext('sqlite');
    const writer = ctx.db.writer;
    if (!(writer instanceof GroupCommitWriter)) throw new Error('SQLite uses group commit');
    try {
      const events: string[] = [];
      const gate = () => {
        let open: () => void = () => undefined;
        const opened = new Promise<void>((resolve) => {
          open = resolve;
        });
        return { open, opened };
      };
      const first = gate();
      const second = gate();
      const a = writer.shared(async () => {
        events.push('a starts');
        await first.opened;
        events.push('a ends');
      });
      const b = writer.shared(async () => {
        events.push('b starts');
        await second.opened;
        events.push('b ends');
      });
      await new Promise((r) => setTimeout(r, 20));
      // Both shared tasks hold the turn at once.
      expect(events).toEqual(['a starts', 'b starts']);

      // A plain write now waits for the turn; a shared task arriving after it queues behind it.
      const write = writer.write(async (trx) => {
        events.push('write');
        await trx.insertInto('idempotency_keys').values(row('turn', 'w')).execute();
      });
      await new Promise((r) => setTimeout(r, 20));
      const c = writer.shared(async () => {
        events.push('c starts');
      });
      await new Promise((r) => setTimeout(r, 20));
      expect(events).toEqual(['a starts', 'b starts']);

      first.open();
      await a;
      expect(events).not.toContain('write');
      second.open();
      await Promise.all([b, write, c]);
      expect(events).toEqual(['a starts', 'b starts', 'a ends', 'b ends', 'write', 'c starts']);
    } finally {
      await close();
    }
  });

  it('refuses turns once closed', async () => {
    const { ctx, close } = await createTestContext('sqlite');
    const writer = ctx.db.writer as GroupCommitWriter;
    await close();
    await expect(writer.shared(async () => 1)).rejects.toThrow(/closed/);
  });
});
