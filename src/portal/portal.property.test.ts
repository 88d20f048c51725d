import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PortalClient } from '../../test/fixtures/persons/portal-client.js';
import { seedCrisis } from '../../test/fixtures/persons/seed.js';
import { createTestContext } from '../../test/helpers/context.js';
import { buildApp } from '../app.js';
import type { AppContext } from '../app-context.js';

const FIELDS = [
  'accept',
  'registeredBy',
  'r_name',
  'r_phone',
  'm0_given',
  'm0_nameArabic',
  'm0_birthDate',
  'm0_sex',
  'm0_category',
  'm0_passport',
  'm0_vuln',
  'm1_relationship',
  'c_phone',
  'c_email',
  'l_zone',
  'intention',
  'draft',
  'csrf',
  'action',
];

/** Garbage into the portal forms: never a 500, never a household from a half-filled draft. */
describe('portal forms under generated garbage', () => {
  let ctx: AppContext;
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let slug: string;

  beforeAll(async () => {
    ({ ctx, close } = await createTestContext('sqlite', { PORTAL_RATE_LIMIT_PER_MINUTE: '1000000' }));
    app = await buildApp(ctx);
    slug = (await seedCrisis(ctx)).crisis.slug;
  });
  afterAll(async () => {
    await app.close();
    await close();
  });

  it('answers every garbage post with a page, not a crash', async () => {
    const c = new PortalClient(app);
    const start = (await c.get(`/fr/c/${slug}/`)).body;
    const value = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constantFrom('yes', 'send', 'add', 'remove:0', 'remove:99', 'back', '1984', '+970599123456'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom(...FIELDS), fc.oneof(value, fc.array(value, { maxLength: 3 })), {
          maxKeys: 8,
        }),
        fc.boolean(),
        async (fields, keepHidden) => {
          const page = keepHidden ? start : start.replace(/<input type="hidden"[^>]*>/g, '');
          const { action, ...rest } = fields;
          const res = await c.submit(
            page,
            rest as Record<string, string | string[]>,
            typeof action === 'string' ? action : 'next',
          );
          expect(res.statusCode).toBeLessThan(500);
          expect(res.headers['content-type']).toContain('text/html');
        },
      ),
      { numRuns: 150 },
    );
    const count = await ctx.db.db
      .selectFrom('households')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });
});
