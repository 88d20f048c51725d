import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestContext, DIALECTS } from '../../test/helpers/context.js';
import { systemActor } from '../access/actor.js';
import { canonicalJson, recordAudit, verifyAuditChain } from './audit.service.js';

describe('canonicalJson', () => {
  it('sorts keys so equal changes give equal digests', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
  });
});

for (const dialect of DIALECTS) {
  describe(`audit hash chain (${dialect})`, () => {
    it('chains concurrent entries and reports the first tampered entry', async () => {
      const { ctx, close } = await createTestContext(dialect);
      try {
        const actor = systemActor('test');
        await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            ctx.db.writer.write((trx) =>
              recordAudit(trx, ctx.db.dialect, actor, {
                action: 'zone.created',
                entityType: 'zone',
                entityId: `z${i}`,
                crisisId: null,
                change: { n: i },
              }),
            ),
          ),
        );
        const before = await verifyAuditChain(ctx.db.db, 7);
        expect(before.ok).toBe(true);
        expect(before.checked).toBeGreaterThanOrEqual(40);

        const target = await ctx.db.db
          .selectFrom('audit_log')
          .select('seq')
          .where('entity_id', '=', 'z20')
          .executeTakeFirstOrThrow();
        await sql`update audit_log set entity_id = 'forged' where seq = ${target.seq}`.execute(ctx.db.db);
        const after = await verifyAuditChain(ctx.db.db, 7);
        expect(after).toMatchObject({ ok: false, firstBrokenSeq: target.seq });
      } finally {
        await close();
      }
    });

    it('detects a deleted entry in the middle of the chain', async () => {
      const { ctx, close } = await createTestContext(dialect);
      try {
        for (let i = 0; i < 5; i++) {
          await ctx.db.writer.write((trx) =>
            recordAudit(trx, ctx.db.dialect, systemActor(), {
              action: 'crisis.updated',
              entityType: 'crisis',
              entityId: `c${i}`,
              crisisId: null,
            }),
          );
        }
        const rows = await ctx.db.db.selectFrom('audit_log').select('seq').orderBy('seq').execute();
        const victim = rows[rows.length - 3]!.seq;
        await ctx.db.db.deleteFrom('audit_log').where('seq', '=', victim).execute();
        expect(await verifyAuditChain(ctx.db.db)).toMatchObject({ ok: false, firstBrokenSeq: victim });
      } finally {
        await close();
      }
    });
  });
}
