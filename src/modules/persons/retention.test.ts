import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { familyRegistration } from '../../../test/fixtures/persons/registrations.js';
import { seedCrisis } from '../../../test/fixtures/persons/seed.js';
import { runCli } from '../../../test/helpers/cli.js';
import { createTestContext, DIALECTS, testEnv } from '../../../test/helpers/context.js';
import { staffActor, systemActor } from '../../access/actor.js';
import type { AppContext } from '../../app-context.js';
import { setCrisisClosed } from '../crises/crisis.service.js';
import { loadDemo } from './demo.service.js';
import { registerPublic } from './registration.service.js';
import { runRetention } from './retention.service.js';

const admin = systemActor('test retention');

for (const dialect of DIALECTS) {
  describe(`retention (${dialect})`, () => {
    let ctx: AppContext;
    let close: () => Promise<void>;

    beforeAll(async () => {
      ({ ctx, close } = await createTestContext(dialect));
    });
    afterAll(async () => close());

    it('anonymises only crises closed for longer than their retention period', async () => {
      const expired = (await seedCrisis(ctx, 'Old crisis', { retentionDays: 30 })).crisis;
      const recent = (await seedCrisis(ctx, 'Recently closed', { retentionDays: 30 })).crisis;
      const open = (await seedCrisis(ctx, 'Still open', { retentionDays: 0 })).crisis;
      for (const c of [expired, recent, open])
        await registerPublic(ctx, familyRegistration({ crisis: c.id }), { idempotencyKey: `ret-${c.id}` });
      await setCrisisClosed(ctx, admin, expired.id, true);
      await setCrisisClosed(ctx, admin, recent.id, true);
      const in31Days = new Date(Date.now() + 31 * 86_400_000);
      // Close "recent" later than "expired" by moving its closing date forward.
      await ctx.db.writer.write((trx) =>
        trx
          .updateTable('crises')
          .set({ closed_at: new Date(Date.now() + 10 * 86_400_000).toISOString() })
          .where('id', '=', recent.id)
          .execute(),
      );

      const dry = await runRetention(ctx, admin, { dryRun: true, now: in31Days });
      expect(dry.crises.map((c) => c.id)).toEqual([expired.id]);
      expect(
        (
          await ctx.db.db
            .selectFrom('persons')
            .select('anonymised_at')
            .where('crisis_id', '=', expired.id)
            .execute()
        ).every((p) => p.anonymised_at === null),
      ).toBe(true);

      const report = await runRetention(ctx, admin, { dryRun: false, now: in31Days });
      expect(report.crises).toEqual([expect.objectContaining({ id: expired.id, persons: 5, households: 1 })]);
      expect(report.idempotencyKeysDeleted).toBeGreaterThanOrEqual(3);
      const gone = await ctx.db.db
        .selectFrom('persons')
        .selectAll()
        .where('crisis_id', '=', expired.id)
        .execute();
      expect(
        gone.every(
          (p) =>
            p.anonymised_at &&
            p.full_name === null &&
            p.full_name_ar === null &&
            p.search_text === '' &&
            (p.birth_date === null || p.birth_date.length === 4),
        ),
      ).toBe(true);
      expect(
        await ctx.db.db
          .selectFrom('person_documents')
          .select('id')
          .where('crisis_id', '=', expired.id)
          .execute(),
      ).toHaveLength(0);
      expect(
        await ctx.db.db
          .selectFrom('person_contacts')
          .select('id')
          .where('crisis_id', '=', expired.id)
          .execute(),
      ).toHaveLength(0);
      const kept = await ctx.db.db
        .selectFrom('persons')
        .select('full_name')
        .where('crisis_id', 'in', [recent.id, open.id])
        .execute();
      expect(kept.filter((p) => p.full_name !== null).length).toBeGreaterThan(0);
      expect(
        (
          await ctx.db.db
            .selectFrom('audit_log')
            .select('action')
            .where('action', '=', 'retention.anonymised')
            .execute()
        ).length,
      ).toBe(1);
      // Idempotent: nothing left to do the second time.
      expect((await runRetention(ctx, admin, { dryRun: false, now: in31Days })).crises[0]?.persons).toBe(0);
    });

    it('is refused to anyone without the global retention permission', async () => {
      const officer = staffActor(
        's1',
        'officer',
        [{ role: 'consular_officer', crisisId: null }],
        ctx.rolePermissions,
      );
      await expect(runRetention(ctx, officer, { dryRun: true })).rejects.toMatchObject({ code: 'forbidden' });
    });

    it('loads the synthetic demo crisis with duplicates across channels and people in Israel', async () => {
      const result = await loadDemo(ctx, 150, 7);
      expect(result.households).toBeGreaterThan(150);
      const channels = await ctx.db.db
        .selectFrom('households')
        .select('channel')
        .distinct()
        .where('crisis_id', '=', result.crisisId)
        .execute();
      expect(channels.map((c) => c.channel).sort()).toEqual([
        'call_centre',
        'portal_on_behalf',
        'portal_self',
      ]);
      const waiting = await ctx.db.db
        .selectFrom('persons')
        .select('status')
        .where('crisis_id', '=', result.crisisId)
        .where('status', '=', 'awaiting_departure')
        .execute();
      expect(waiting.length).toBeGreaterThan(0);
      const arabic = await ctx.db.db
        .selectFrom('persons')
        .select('full_name_ar')
        .where('crisis_id', '=', result.crisisId)
        .where('full_name_ar', 'is not', null)
        .limit(1)
        .execute();
      expect(arabic[0]!.full_name_ar).toMatch(/[\u0600-\u06ff]/);
    });
  });
}

describe('corridor retention run / demo (CLI)', () => {
  it('loads the demo and reports retention from the command line', async () => {
    const e = await testEnv('sqlite');
    try {
      const demo = await runCli(['demo', '--households', '50'], e.env);
      expect(demo.code, demo.stderr).toBe(0);
      expect(demo.stdout).toMatch(/Demo crisis .*: \d+ registrations, \d+ persons \(synthetic\)/);
      const retention = await runCli(['retention', 'run', '--dry-run'], e.env);
      expect(retention.stdout).toContain('no crisis is past its retention period');
    } finally {
      await e.cleanup();
    }
  });
});
