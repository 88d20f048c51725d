import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { familyRegistration } from '../../../test/fixtures/persons/registrations.js';
import { seedCrisis } from '../../../test/fixtures/persons/seed.js';
import { createTestContext } from '../../../test/helpers/context.js';
import { buildApp } from '../../app.js';
import type { AppContext } from '../../app-context.js';

/** Garbage into the registration API: never a 500, never a partial record, errors name a field. */
describe('registration API under generated garbage', () => {
  let ctx: AppContext;
  let app: FastifyInstance;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ ctx, close } = await createTestContext('sqlite', { PORTAL_RATE_LIMIT_PER_MINUTE: '1000000' }));
    app = await buildApp(ctx);
    await seedCrisis(ctx);
  });
  afterAll(async () => {
    await app.close();
    await close();
  });

  const counts = async () => {
    const n = async (
      t: 'households' | 'persons' | 'person_contacts' | 'person_documents' | 'person_history',
    ) =>
      Number(
        (
          await ctx.db.db
            .selectFrom(t)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      households: await n('households'),
      persons: await n('persons'),
      contacts: await n('person_contacts'),
      documents: await n('person_documents'),
      history: await n('person_history'),
    };
  };

  const check = async (payload: string) => {
    const before = await counts();
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/public/registrations',
      payload,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBeLessThan(500);
    const after = await counts();
    if (res.statusCode === 201) {
      const { members } = res.json<{ members: number }>();
      expect(after.households).toBe(before.households + 1);
      expect(after.persons).toBe(before.persons + members);
      expect(after.history).toBe(before.history + members);
    } else {
      expect(after).toEqual(before);
      const body = res.json<{ error: { code: string; fields?: { path: string }[] } }>();
      if (res.statusCode === 400 && body.error.code === 'validation_failed') {
        expect(body.error.fields?.length ?? 0).toBeGreaterThan(0);
        for (const f of body.error.fields ?? []) expect(typeof f.path).toBe('string');
      }
    }
  };

  it('survives arbitrary JSON values', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => check(JSON.stringify(value))),
      { numRuns: 150 },
    );
  });

  it('survives arbitrary strings as bodies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (text) => check(text)),
      { numRuns: 100 },
    );
  });

  it('survives a valid registration with one field replaced by garbage', async () => {
    const base = familyRegistration() as unknown as Record<string, unknown>;
    const member = (familyRegistration().members[0] ?? {}) as Record<string, unknown>;
    const garbage = fc.oneof(
      fc.jsonValue(),
      fc.string({ maxLength: 60 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constant(null),
      fc.integer(),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(base)),
        fc.constantFrom(...Object.keys(member)),
        garbage,
        fc.boolean(),
        async (top, field, value, inMember) => {
          const body = structuredClone(base);
          if (inMember) {
            const members = body.members as Record<string, unknown>[];
            members[0] = { ...members[0], [field]: value };
          } else body[top] = value;
          await check(JSON.stringify(body));
        },
      ),
      { numRuns: 200 },
    );
  });
});
