import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PortalClient } from '../../test/fixtures/persons/portal-client.js';
import { familyRegistration } from '../../test/fixtures/persons/registrations.js';
import { seedCrisis } from '../../test/fixtures/persons/seed.js';
import { createTestContext } from '../../test/helpers/context.js';
import { systemActor } from '../access/actor.js';
import { buildApp } from '../app.js';
import type { AppContext } from '../app-context.js';
import { crossingCreateSchema } from '../modules/crossings/crossing.schemas.js';
import { createCrossing } from '../modules/crossings/crossing.service.js';
import { assignHousehold } from '../modules/transport/assignment.service.js';
import { createLeg } from '../modules/transport/leg.service.js';
import { assignHouseholdSchema, legCreateSchema } from '../modules/transport/transport.schemas.js';

describe('portal: am I on the list, and "I need help"', () => {
  let ctx: AppContext;
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let link: { reference: string; updateSecret: string; updateUrl: string };

  beforeAll(async () => {
    ({ ctx, close } = await createTestContext('sqlite', { PORTAL_RATE_LIMIT_PER_MINUTE: '100000' }));
    app = await buildApp(ctx);
    const { crisis } = await seedCrisis(ctx);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/public/registrations',
      payload: familyRegistration({ crisis: crisis.id }),
    });
    link = res.json();
  });
  afterAll(async () => {
    await app.close();
    await close();
  });

  const path = () => new URL(link.updateUrl).pathname;

  it('shows each crossing’s status and public notice in the reader’s language', async () => {
    const crisisId = (await ctx.db.db.selectFrom('crises').select('id').executeTakeFirstOrThrow()).id;
    await createCrossing(
      ctx,
      systemActor(),
      crisisId,
      crossingCreateSchema.parse({
        name: 'Rafah',
        sides: [
          {
            name: 'Gaza side',
            status: 'closed',
            publicNotice: {
              en: 'Closed until further notice.',
              fr: "Fermé jusqu'à nouvel ordre.",
              ar: 'مغلق حتى إشعار آخر.',
            },
          },
          {
            name: 'Egyptian side',
            status: 'open',
            openingWindows: [{ days: [1, 2, 3, 4, 5, 6, 7], opens: '09:00', closes: '15:00' }],
          },
        ],
      }),
    );
    const ar = await app.inject('/ar/check');
    expect(ar.body).toContain('حالة المعابر');
    expect(ar.body).toContain('مغلق حتى إشعار آخر.');
    expect(ar.body).toContain('09:00–15:00');
    expect(ar.body).not.toContain('Closed until further notice.');
    expect((await app.inject('/fr/check')).body).toContain('Fermé jusqu&#39;à nouvel ordre.');
  });

  it('checks a list by document and birth date without JavaScript, errors in the reader’s language', async () => {
    const client = new PortalClient(app);
    const page = await client.get('/ar/check');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('dir="rtl"');
    expect(page.body).toContain('هل أنا على قائمة العبور؟');
    const bad = await client.submit(page.body, { document: '12', birthDate: '14/03/1980' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('aria-invalid="true"');
    expect(bad.body).toContain('value="14/03/1980"');
    const unknown = await client.submit(page.body, { document: 'ZZ999999', birthDate: '1980-03-14' });
    const known = await client.submit(page.body, { document: 'X1234-5678', birthDate: '1980-03-14' });
    expect(unknown.statusCode).toBe(200);
    // Not on a list and unknown answer the same.
    expect(unknown.body.replace(/value="[^"]*"/g, '')).toBe(known.body.replace(/value="[^"]*"/g, ''));
    expect(known.body).toContain('لم نجدك');
    const noCookie = await app.inject({
      method: 'POST',
      url: '/en/check',
      payload: 'document=X12345678&birthDate=1980-03-14',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(noCookie.statusCode).toBe(403);
  });

  it('lets the family ask for help from the update page and follow the request', async () => {
    const client = new PortalClient(app);
    const page = await client.get(`${path()}?lang=en`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Are we on a list to cross?');
    expect(page.body).toContain('Nobody of your household is on a list');
    const helpForm = page.body.slice(page.body.indexOf('<h2>I need help</h2>'));
    const empty = await client.submit(helpForm, { h_type: 'medical', h_message: '' }, 'help');
    expect(empty.statusCode).toBe(400);
    const sent = await client.submit(
      helpForm,
      { h_type: 'medical', h_message: 'Grandmother needs her heart medicine' },
      'help',
    );
    expect(sent.statusCode).toBe(303);
    const after = await client.get(String(sent.headers.location));
    expect(after.body).toMatch(/We have received your request \(number C-[2-9A-Z]{5}\)/);
    expect(after.body).toContain('Medical need: received');
    const cases = await ctx.db.db.selectFrom('cases').select(['source', 'type']).execute();
    expect(cases).toEqual([{ source: 'portal', type: 'medical' }]);
    expect(Buffer.byteLength(after.body)).toBeLessThan(30 * 1024);
  });

  it('shows the seats offered to the household and confirms them from the page, with the seat codes', async () => {
    const household = await ctx.db.db
      .selectFrom('households')
      .select(['id', 'crisis_id'])
      .where('reference', '=', link.reference)
      .executeTakeFirstOrThrow();
    const departure = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const leg = await createLeg(
      ctx,
      systemActor(),
      household.crisis_id,
      legCreateSchema.parse({
        kind: 'bus',
        name: 'Bus 1',
        origin: 'Rafah',
        destination: 'Cairo',
        assemblyPoint: 'Rafah crossing gate',
        departureAt: departure,
        seats: 10,
        lapPlaces: 2,
        stretcherPlaces: 2,
      }),
    );
    await assignHousehold(
      ctx,
      systemActor(),
      household.crisis_id,
      leg.id,
      assignHouseholdSchema.parse({
        householdId: household.id,
        offerDeadline: new Date(Date.now() + 86_400_000).toISOString(),
      }),
    );
    const client = new PortalClient(app);
    const page = await client.get(`${path()}?lang=ar`);
    expect(page.body).toContain('مقاعدكم');
    expect(page.body).toContain('Bus 1');
    const seatForm = page.body.slice(page.body.indexOf('<h2>مقاعدكم</h2>'));
    const confirmed = await client.submit(seatForm, {}, 'seat_confirm');
    expect(confirmed.statusCode).toBe(303);
    const after = await client.get(String(confirmed.headers.location));
    expect(after.body).toContain('تم تأكيد المقاعد');
    expect(after.body).toMatch(/<strong class="ref" dir="ltr">S-[0-9A-Z]{6}<\/strong><span class="qr"><svg /);
    expect(Buffer.byteLength(after.body)).toBeLessThan(30 * 1024);
    const again = await client.submit(seatForm, {}, 'seat_confirm');
    expect((await client.get(String(again.headers.location))).body).toContain('هذا العرض لم يعد متاحاً');
    const statuses = await ctx.db.db.selectFrom('seat_assignments').select('status').execute();
    expect(statuses.map((s) => s.status)).toEqual([
      'confirmed',
      'confirmed',
      'confirmed',
      'confirmed',
      'confirmed',
    ]);
  });
});
