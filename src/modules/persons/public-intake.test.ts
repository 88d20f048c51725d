import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { familyRegistration, singleRegistration } from '../../../test/fixtures/persons/registrations.js';
import { seedCrisis } from '../../../test/fixtures/persons/seed.js';
import { createTestContext, DIALECTS } from '../../../test/helpers/context.js';
import { systemActor } from '../../access/actor.js';
import type { AppContext } from '../../app-context.js';
import { verifyAuditChain } from '../../audit/audit.service.js';
import type { GroupCommitWriter } from '../../db/write-batcher.js';
import { SecretBox } from '../../lib/secret-box.js';
import { registrationBodySchema } from './person.schemas.js';
import {
  digestOf,
  type IntakeEnv,
  type IntakeRequest,
  prepareIntakeBatch,
  processIntakeBatch,
  writeIntakeBatch,
} from './public-intake.js';
import { registerByStaff, registerPublic } from './registration.service.js';

// Reference codes the next registrations get, before random ones: to provoke a clash.
const forcedReferences = vi.hoisted(() => [] as string[]);
vi.mock('./reference-code.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('./reference-code.js')>();
  return { ...real, newReferenceCode: () => forcedReferences.shift() ?? real.newReferenceCode() };
});

const request = (body: unknown, idempotencyKey?: string): IntakeRequest => ({
  body: JSON.stringify(registrationBodySchema.parse(body)),
  idempotencyKey,
  channel: 'portal_self',
  at: new Date().toISOString(),
});

for (const dialect of DIALECTS) {
  describe(`public intake batches (${dialect})`, () => {
    let ctx: AppContext;
    let close: () => Promise<void>;
    let env: IntakeEnv;

    beforeAll(async () => {
      ({ ctx, close } = await createTestContext(dialect));
      await seedCrisis(ctx);
      env = {
        db: ctx.db.db,
        dialect: ctx.db.dialect,
        sqlite: ctx.db.sqlite,
        box: new SecretBox(ctx.config.secretKey, 'idempotency'),
        publicUrl: ctx.config.publicUrl,
        transaction: (job) => ctx.db.writer.write(job),
      };
    });
    afterAll(async () => close());

    const households = async (reference: string) =>
      ctx.db.db.selectFrom('households').select('id').where('reference', '=', reference).execute();

    it('answers each registration of a batch on its own: stored key, bad zone, clashing code, new ones', async () => {
      const [earlier] = await processIntakeBatch(env, [request(singleRegistration(1), 'batch-key-0001')]);
      if (!earlier || !('reply' in earlier)) throw new Error('the first registration was not stored');

      // The next registration draws the code of the earlier household first, then a free one.
      forcedReferences.push(earlier.reply.reference);
      const outcomes = await processIntakeBatch(env, [
        request(singleRegistration(2), 'batch-key-0002'),
        request(singleRegistration(1), 'batch-key-0001'),
        request({ ...singleRegistration(3), location: { zone: 'NOWHERE' } }, 'batch-key-0003'),
        request(familyRegistration()),
      ]);
      const [clashed, repeated, badZone, family] = outcomes;
      expect(forcedReferences).toHaveLength(0);

      // The clash was drawn again; the household keeps its own code.
      if (!clashed || !('reply' in clashed)) throw new Error('the clashing registration was not stored');
      expect(clashed.reply.reference).not.toBe(earlier.reply.reference);
      expect(await households(clashed.reply.reference)).toHaveLength(1);
      expect(await households(earlier.reply.reference)).toHaveLength(1);

      // A repeated key gets the first answer and writes nothing new.
      expect(repeated).toEqual({ ...earlier, bodyDigest: earlier.digest });

      // A bad zone names its field, and nothing of it is written.
      expect(badZone).toEqual({ errors: [expect.objectContaining({ path: 'location.zone' })] });
      const persons = await ctx.db.db
        .selectFrom('persons')
        .select('id')
        .where('family_name', '=', 'Person3')
        .execute();
      expect(persons).toHaveLength(0);

      if (!family || !('reply' in family)) throw new Error('the family was not stored');
      expect(family.reply.members).toBe(5);
      expect(family.digest).toBe(family.bodyDigest);
      expect(await households(family.reply.reference)).toHaveLength(1);
    });

    it('draws a clashing code again in the writer when the batch was built elsewhere (no crisis snapshot of its own)', async () => {
      const [earlier] = await processIntakeBatch(env, [request(singleRegistration(11), 'writer-key-0001')]);
      if (!earlier || !('reply' in earlier)) throw new Error('the first registration was not stored');
      forcedReferences.push(earlier.reply.reference);
      // Built through one query handle (the builder thread's), written through another whose
      // crisis snapshot is empty: the redraw must load it inside the open transaction.
      const built = await prepareIntakeBatch(env, [request(singleRegistration(12), 'writer-key-0002')]);
      const writerDb = ctx.db.db.withoutPlugins();
      const [clashed] = await writeIntakeBatch({ ...env, db: writerDb }, built);
      if (!clashed || !('reply' in clashed)) throw new Error('the clashing registration was not stored');
      expect(clashed.reply.reference).not.toBe(earlier.reply.reference);
      expect(await households(clashed.reply.reference)).toHaveLength(1);
    });

    it('counts the persons of a batch once per cell, and staff registrations through the trigger, never twice', async () => {
      const crisisId = (await ctx.db.db.selectFrom('crises').select('id').executeTakeFirstOrThrow()).id;
      const counted = async () => {
        const rows = await ctx.db.db
          .selectFrom('report_person_counts')
          .select(['zone_id', 'intention', 'status', 'eligibility', 'n'])
          .where('crisis_id', '=', crisisId)
          .execute();
        const byCell = new Map<string, number>();
        for (const r of rows) {
          const key = [r.zone_id, r.intention, r.status, r.eligibility].join('|');
          byCell.set(key, (byCell.get(key) ?? 0) + Number(r.n));
        }
        return { rows: rows.length, byCell };
      };
      const actual = async () => {
        const rows = await ctx.db.db
          .selectFrom('persons')
          .select(['zone_id', 'intention', 'status', 'eligibility'])
          .where('crisis_id', '=', crisisId)
          .where('anonymised_at', 'is', null)
          .execute();
        const byCell = new Map<string, number>();
        for (const r of rows) {
          const key = [r.zone_id ?? '', r.intention, r.status, r.eligibility].join('|');
          byCell.set(key, (byCell.get(key) ?? 0) + 1);
        }
        return byCell;
      };
      const before = await counted();
      // Twenty households of one person each and three families of five, in one batch.
      const outcomes = await processIntakeBatch(env, [
        ...Array.from({ length: 20 }, (_, i) => request(singleRegistration(200 + i), `count-key-${200 + i}`)),
        ...Array.from({ length: 3 }, (_, i) => request(familyRegistration(), `count-family-${i}`)),
      ]);
      expect(outcomes.every((o) => 'reply' in o)).toBe(true);
      const after = await counted();
      // A handful of counter rows for 35 persons (one per cell), not one per person.
      expect(after.rows - before.rows).toBeLessThanOrEqual(6);
      const crisis = await ctx.db.db
        .selectFrom('crises')
        .selectAll()
        .where('id', '=', crisisId)
        .executeTakeFirstOrThrow();
      await registerByStaff(ctx, systemActor('test'), crisis.id, familyRegistration());
      const final = await counted();
      const truth = await actual();
      expect(Object.fromEntries([...final.byCell].filter(([, n]) => n !== 0))).toEqual(
        Object.fromEntries(truth),
      );
    });

    it('gives the stored answer to a repeated key whose body changed, with both digests to compare', async () => {
      const first = request(singleRegistration(10), 'changed-body-key');
      await processIntakeBatch(env, [first]);
      const [again] = await processIntakeBatch(env, [request(singleRegistration(11), 'changed-body-key')]);
      if (!again || !('reply' in again)) throw new Error('no stored answer');
      expect(again.digest).toBe(digestOf(first.body));
      expect(again.bodyDigest).not.toBe(again.digest);
    });
  });
}

describe('public intake thread (sqlite)', () => {
  it('writes public registrations beside the event loop while staff writes go on, one audit chain', async () => {
    const { ctx, close } = await createTestContext('sqlite');
    try {
      const { crisis } = await seedCrisis(ctx);
      const writer = ctx.db.writer as GroupCommitWriter;
      const jobsBefore = writer.stats.jobs;
      const publicOnes = Array.from({ length: 300 }, (_, i) =>
        registerPublic(ctx, registrationBodySchema.parse(singleRegistration(100 + i)), {
          idempotencyKey: `thread-key-${i}`,
        }),
      );
      const staffOnes = Array.from({ length: 20 }, (_, i) =>
        registerByStaff(
          ctx,
          systemActor('call centre'),
          crisis.id,
          registrationBodySchema.parse(singleRegistration(1000 + i)),
        ),
      );
      const replies = await Promise.all([...publicOnes, ...staffOnes]);
      expect(new Set(replies.map((r) => r.reference)).size).toBe(320);

      const count = await ctx.db.db
        .selectFrom('households')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(320);
      // The public registrations did not go through this connection's writer (the thread wrote them).
      expect(writer.stats.jobs - jobsBefore).toBeLessThan(300);
      // Both connections appended to the same hash chain without breaking it.
      const chain = await verifyAuditChain(ctx.db.db);
      expect(chain.ok).toBe(true);
      const received = await ctx.db.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', 'in', ['registration.received', 'person.registered'])
        .execute();
      expect(received.filter((r) => r.action === 'person.registered')).toHaveLength(20);
      expect(received.filter((r) => r.action === 'registration.received').length).toBeGreaterThan(0);

      // A retry after the commit gets the same answer from the stored copy.
      const again = await registerPublic(ctx, registrationBodySchema.parse(singleRegistration(100)), {
        idempotencyKey: 'thread-key-0',
      });
      expect(again).toEqual(replies[0]);
    } finally {
      await close();
    }
  });
});
