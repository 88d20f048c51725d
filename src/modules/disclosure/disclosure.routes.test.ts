import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Session, signIn } from '../../../test/helpers/api.js';
import { DIALECTS } from '../../../test/helpers/context.js';
import { startTestServer, type TestServer } from '../../../test/helpers/server.js';
import { systemActor } from '../../access/actor.js';
import { PORTAL_CSS } from '../../portal/portal.styles.js';
import { createZone } from '../crises/crisis.service.js';
import { createRestrictedCase } from '../restricted/restricted.service.js';
import { countRegistry } from './disclosure.repository.js';
import { publishableTables } from './index.js';
import type { PublishedCell, PublishedTable } from './types.js';

/** Synthetic households: `size` people of one zone and one intention. */
function household(zone: string, intention: 'leave' | 'stay' | 'undecided', size: number, tag: string) {
  return {
    registeredBy: 'self' as const,
    intention,
    location: { zone },
    contacts: [{ phone: '+970 59 000 0000' }],
    members: Array.from({ length: size }, (_, i) => ({
      relationship: i === 0 ? ('head' as const) : ('child' as const),
      nameLatin: { given: `Synth${i}`, family: `Testfamily${tag}` },
      birthDate: '1990',
      eligibilityCategory: 'citizen' as const,
    })),
  };
}

const valuesIn = (table: PublishedTable): PublishedCell[] => [
  table.grandTotal,
  ...table.cells.flat(),
  ...(table.rowTotals ?? []),
  ...(table.columnTotals ?? []),
];

for (const dialect of DIALECTS) {
  describe(`disclosure rules, publishable figures and the public status page (${dialect})`, () => {
    let server: TestServer;
    let crisisId: string;
    let slug: string;
    let analyst: Session;
    let manager: Session;
    let coordinator: Session;
    let agent: Session;
    let zones: Record<string, string>;
    let restrictedPersonId: string;
    let base: string;

    const register = async (body: ReturnType<typeof household>) => {
      const res = await server.app.inject({
        method: 'POST',
        url: '/api/v1/public/registrations',
        payload: { crisis: crisisId, ...body },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { reference: string };
    };
    const staff = async (email: string, role: string) => {
      const password = `${role} password 1`;
      const s = await server.createStaff({ email, password, grants: [{ role, crisisId }] });
      return signIn(server.app, email, password, s.totpSecret);
    };
    const rulesBody = (over: Record<string, unknown> = {}) => ({
      minCount: 10,
      roundingBase: 5,
      bands: [
        { key: 'few', from: 1 },
        { key: 'dozens', from: 10 },
        { key: 'hundreds', from: 100 },
        { key: 'thousands', from: 1000 },
      ],
      breakdowns: [
        { key: 'total', style: 'rounded' },
        { key: 'zone', style: 'rounded' },
        { key: 'intention', style: 'rounded' },
        { key: 'zone_intention', style: 'rounded' },
        { key: 'departed', style: 'band' },
      ],
      restricted: 'exclude',
      publicAdvice: {
        en: 'Stay indoors when you can.\n\nKeep your documents with you.',
        fr: 'Restez à l’abri autant que possible.',
        ar: 'ابقوا في الداخل قدر الإمكان.',
      },
      ...over,
    });
    const putRules = async (over: Record<string, unknown> = {}) => {
      const current = (await call(server.app, manager, 'GET', `${base}/rules`)).json();
      return call(server.app, manager, 'PUT', `${base}/rules`, {
        rules: rulesBody(over),
        version: current.version,
      });
    };

    beforeAll(async () => {
      server = await startTestServer({
        dialect,
        env: { PORTAL_RATE_LIMIT_PER_MINUTE: '100000', API_RATE_LIMIT_PER_MINUTE: '100000' },
      });
      crisisId = (await server.createCrisis({ name: 'Disclosure crisis' })).id;
      slug = (
        await server.ctx.db.db
          .selectFrom('crises')
          .select('slug')
          .where('id', '=', crisisId)
          .executeTakeFirstOrThrow()
      ).slug;
      base = `/api/v1/crises/${crisisId}/disclosure`;
      zones = {};
      for (const name of ['Gaza City', 'Khan Younis', 'Rafah']) {
        zones[name] = (await createZone(server.ctx, systemActor(), crisisId, { name })).id;
      }
      analyst = await staff('analyst@example.org', 'analyst');
      manager = await staff('manager@example.org', 'crisis_manager');
      coordinator = await staff('coordinator@example.org', 'movement_coordinator');
      agent = await staff('agent@example.org', 'call_centre_agent');
      // Gaza City: 40 leave + 20 stay; Khan Younis: 3 leave (a small count); Rafah: 25 leave + 12 undecided.
      await register(household('GAZA-CITY', 'leave', 20, 'a'));
      const withRestricted = await register(household('GAZA-CITY', 'leave', 20, 'b'));
      await register(household('GAZA-CITY', 'stay', 20, 'c'));
      await register(household('KHAN-YOUNIS', 'leave', 3, 'd'));
      await register(household('RAFAH', 'leave', 20, 'e'));
      await register(household('RAFAH', 'leave', 5, 'f'));
      await register(household('RAFAH', 'undecided', 12, 'g'));
      // One person of household b is a hostage case: hidden from every figure.
      const person = await server.ctx.db.db
        .selectFrom('persons')
        .innerJoin('households', 'households.id', 'persons.household_id')
        .select('persons.id')
        .where('households.reference', '=', withRestricted.reference)
        .executeTakeFirstOrThrow();
      restrictedPersonId = person.id;
      await createRestrictedCase(server.ctx, systemActor(), crisisId, {
        kind: 'hostage',
        status: 'confirmed_held',
        citizenship: 'confirmed',
        person: { fullName: 'Synthetic Hostage Person' },
        circumstances: '',
        personId: restrictedPersonId,
      });
    }, 60_000);
    afterAll(async () => server?.close());

    it('starts from safe default rules, readable by analysts and aggregate viewers, hidden from others', async () => {
      const res = await call(server.app, analyst, 'GET', `${base}/rules`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        isDefault: true,
        version: 0,
        rules: { minCount: 10, restricted: 'exclude' },
      });
      expect((await call(server.app, coordinator, 'GET', `${base}/rules`)).statusCode).toBe(200);
      expect((await call(server.app, agent, 'GET', `${base}/rules`)).statusCode).toBe(404);
      expect((await call(server.app, agent, 'GET', `${base}/figures`)).statusCode).toBe(404);
      expect((await call(server.app, undefined, 'GET', `${base}/figures`)).statusCode).toBe(401);
    });

    it('lets only report.publish change the rules, rejects unsafe rules naming the field, and audits the change', async () => {
      const denied = await call(server.app, analyst, 'PUT', `${base}/rules`, {
        rules: rulesBody(),
        version: 0,
      });
      expect(denied.statusCode).toBe(403);

      const tooCoarse = await call(server.app, manager, 'PUT', `${base}/rules`, {
        rules: rulesBody({ roundingBase: 25 }),
        version: 0,
      });
      expect(tooCoarse.statusCode).toBe(400);
      expect(tooCoarse.body).toContain('roundingBase');
      const badBands = await call(server.app, manager, 'PUT', `${base}/rules`, {
        rules: rulesBody({
          bands: [
            { key: 'few', from: 1 },
            { key: 'dozens', from: 1 },
          ],
        }),
        version: 0,
      });
      expect(badBands.statusCode).toBe(400);
      expect(badBands.body).toContain('bands');
      const tinyK = await call(server.app, manager, 'PUT', `${base}/rules`, {
        rules: rulesBody({ minCount: 1 }),
        version: 0,
      });
      expect(tinyK.statusCode).toBe(400);
      expect(tinyK.body).toContain('minCount');

      const saved = await call(server.app, manager, 'PUT', `${base}/rules`, {
        rules: rulesBody(),
        version: 0,
      });
      expect(saved.statusCode, saved.body).toBe(200);
      expect(saved.json()).toMatchObject({ version: 1, isDefault: false, rules: { roundingBase: 5 } });
      const stale = await call(server.app, manager, 'PUT', `${base}/rules`, {
        rules: rulesBody(),
        version: 0,
      });
      expect(stale.statusCode).toBe(409);

      const audit = await server.ctx.db.db
        .selectFrom('audit_log')
        .select(['action', 'entity_id'])
        .where('action', '=', 'disclosure.rules_updated')
        .execute();
      expect(audit).toEqual([{ action: 'disclosure.rules_updated', entity_id: crisisId }]);
    });

    it('counts the registry without the restricted person, who is counted apart', async () => {
      const counts = await countRegistry(server.ctx.db.db, crisisId, new Date().toISOString().slice(0, 10));
      expect(counts.rows.reduce((n, r) => n + r.n, 0)).toBe(99);
      expect(counts.restricted).toBe(1);
      const gazaLeave = counts.rows.filter((r) => r.z === zones['Gaza City'] && r.i === 'leave');
      expect(gazaLeave.reduce((n, r) => n + r.n, 0)).toBe(39);
      expect(counts.zones.map((z) => z.name)).toEqual(['Gaza City', 'Khan Younis', 'Rafah']);
    });

    it('shows analysts what is published and which cells are hidden and why, never a small count', async () => {
      const res = await call(server.app, analyst, 'GET', `${base}/figures`);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as {
        tables: PublishedTable[];
        sentences: { tableId: string; row: string | null; text: string }[];
        protection: { figure: string; low: number; high: number | null }[];
      };
      const byId = new Map(body.tables.map((t) => [t.id, t]));
      expect([...byId.keys()]).toEqual(['total', 'zone', 'intention', 'zone_intention', 'departed']);
      // 99 people without the hostage: published as 100 (rounded to 5).
      expect(byId.get('total')!.grandTotal).toMatchObject({
        status: 'published',
        value: 100,
        low: 98,
        high: 102,
      });
      const zone = byId.get('zone')!;
      const khanYounis = zone.rows.findIndex((r) => r.key === zones['Khan Younis']);
      expect(zone.rows[khanYounis]!.label).toBe('Khan Younis');
      expect(zone.cells[khanYounis]![0]).toEqual({ status: 'suppressed', reason: 'small' });
      const reasons = zone.cells.map((r) => (r[0]!.status === 'suppressed' ? r[0]!.reason : 'published'));
      expect(reasons.filter((r) => r === 'complement')).toHaveLength(1);
      // No published figure is 1..9, and the hidden 3 appears nowhere.
      for (const table of body.tables) {
        for (const cell of valuesIn(table)) {
          if (cell.status === 'published' && cell.value !== null)
            expect(cell.value === 0 || cell.value >= 10).toBe(true);
        }
      }
      expect(JSON.stringify(body)).not.toMatch(/"value":3\b/);
      expect(body.protection.length).toBeGreaterThan(0);
      for (const p of body.protection) expect(p.high === null || p.high - p.low >= 10).toBe(true);
      // The spokesperson's sentence: 67 people want to leave (40 − 1 + 3 + 25), about 65.
      expect(body.sentences.find((s) => s.tableId === 'intention' && s.row === 'leave')!.text).toBe(
        'About 65 people want to leave.',
      );
      expect(body.sentences.find((s) => s.tableId === 'departed')).toBeUndefined();
      // Movement coordinators hold person.aggregate: they get the same view.
      expect((await call(server.app, coordinator, 'GET', `${base}/figures`)).statusCode).toBe(200);
    });

    it('publishes to the public only what the rules allow, without reasons, cached briefly', async () => {
      const res = await server.app.inject({
        method: 'GET',
        url: `/api/v1/public/crises/${slug}/figures?lang=fr`,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=60');
      expect(res.body).not.toContain('reason');
      expect(res.body).not.toContain('Synth');
      const body = res.json();
      expect(body.advice).toBe('Restez à l’abri autant que possible.');
      expect(body.sentences.map((s: { text: string }) => s.text)).toContain(
        'Environ 65 personnes veulent partir.',
      );
      const ar = await server.app.inject({
        method: 'GET',
        url: `/api/v1/public/crises/${slug}/figures?lang=ar`,
      });
      expect(ar.json().sentences.map((s: { text: string }) => s.text)).toContain(
        'نحو 65 شخص يريدون المغادرة.',
      );
      expect(
        (await server.app.inject({ method: 'GET', url: '/api/v1/public/crises/no-such-crisis/figures' }))
          .statusCode,
      ).toBe(404);
      const bad = await server.app.inject({
        method: 'GET',
        url: `/api/v1/public/crises/${slug}/figures?lang=de`,
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('lang');
      // The function other modules call returns the same public shape.
      const tables = await publishableTables(server.ctx, crisisId);
      expect(JSON.stringify(tables)).not.toContain('reason');
      expect(tables.tables.map((t) => t.id)).toEqual(body.tables.map((t: PublishedTable) => t.id));
    });

    it('publishes zeros for a crisis with no zones and nobody registered yet', async () => {
      const empty = (await server.createCrisis({ name: 'Empty crisis' })).id;
      const tables = await publishableTables(server.ctx, empty);
      expect(tables.tables.map((t) => t.id)).toEqual(['total', 'zone', 'intention', 'departed']);
      expect(tables.tables.find((t) => t.id === 'zone')!.rows).toEqual([{ key: 'none', label: 'none' }]);
      for (const table of tables.tables)
        expect(table.grandTotal).toMatchObject({ status: 'published', value: 0 });
      await expect(publishableTables(server.ctx, '00000000-0000-4000-8000-000000000000')).rejects.toThrow(
        /crisis/,
      );
    });

    it('freezes the day’s counts: new registrations change the live preview, not the publication', async () => {
      const before = (await call(server.app, analyst, 'GET', `${base}/figures`)).json();
      await register(household('RAFAH', 'leave', 20, 'h'));
      const after = (await call(server.app, analyst, 'GET', `${base}/figures`)).json();
      expect(after.computedAt).toBe(before.computedAt);
      expect(after.tables[0].grandTotal).toEqual(before.tables[0].grandTotal);
      const live = (await call(server.app, analyst, 'GET', `${base}/figures?source=live`)).json();
      expect(live.source).toBe('live');
      expect(live.tables[0].grandTotal).toMatchObject({ status: 'published', value: 120 });
      const frozen = await server.ctx.db.db
        .selectFrom('disclosure_counts')
        .select('day')
        .where('crisis_id', '=', crisisId)
        .execute();
      expect(frozen).toHaveLength(1);
      const audited = await server.ctx.db.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', '=', 'disclosure.counts_frozen')
        .where('crisis_id', '=', crisisId)
        .execute();
      expect(audited).toHaveLength(1);
    });

    it('in total_only mode counts restricted persons only in a protected overall total, from the next publication', async () => {
      const saved = await putRules({ restricted: 'total_only' });
      expect(saved.statusCode, saved.body).toBe(200);
      // Today's publication keeps the rules it was made with: two protections of the same counts
      // (with and without restricted persons) must never both be out.
      const published = (await call(server.app, analyst, 'GET', `${base}/figures`)).json();
      expect(published.pendingChange).toBe(true);
      expect(published.rules.restricted).toBe('exclude');
      expect(published.tables.map((t: PublishedTable) => t.id)).not.toContain('overall');
      const publicBody = (
        await server.app.inject({ method: 'GET', url: `/api/v1/public/crises/${slug}/figures` })
      ).json();
      expect(publicBody.tables.map((t: PublishedTable) => t.id)).not.toContain('overall');

      const live = (await call(server.app, analyst, 'GET', `${base}/figures?source=live`)).json() as {
        tables: PublishedTable[];
        pendingChange: boolean;
      };
      expect(live.pendingChange).toBe(false);
      expect(live.tables[0]!.id).toBe('overall');
      // 119 registered now + the hostage = 120; the total without restricted persons is hidden everywhere.
      expect(live.tables[0]!.grandTotal).toMatchObject({ status: 'published', value: 120 });
      for (const table of live.tables.slice(1)) {
        expect(table.grandTotal).toEqual({ status: 'suppressed', reason: 'restricted' });
      }
      await putRules();
    });

    it('serves the status page: crossings, advice and figures, under 30 KB, in Arabic right to left, no script', async () => {
      const en = await server.app.inject({ method: 'GET', url: `/en/c/${slug}/status` });
      expect(en.statusCode, en.body).toBe(200);
      expect(en.headers['content-type']).toContain('text/html');
      expect(en.body).toContain('About 65 people want to leave.');
      expect(en.body).toContain('<p>Stay indoors when you can.</p><p>Keep your documents with you.</p>');
      expect(en.body).toContain('Khan Younis</bdi>: <bdi class="k">not published</bdi>');
      expect(en.body).toContain('Crossing status');
      expect(en.body).not.toMatch(/<script/i);
      expect(Buffer.byteLength(en.body) + Buffer.byteLength(PORTAL_CSS)).toBeLessThan(30_000);

      const ar = await server.app.inject({ method: 'GET', url: `/ar/c/${slug}/status` });
      expect(ar.statusCode).toBe(200);
      expect(ar.body).toContain('<html lang="ar" dir="rtl">');
      expect(ar.body).toContain('نحو 65 شخص يريدون المغادرة.');
      expect(ar.body).toContain('ابقوا في الداخل قدر الإمكان.');
      expect(ar.body).toContain(`href="/en/c/${slug}/status"`);

      const first = await server.app.inject({ method: 'GET', url: `/fr/c/${slug}/` });
      expect(first.body).toContain(
        `<a href="/fr/c/${slug}/status">État des passages et chiffres publics</a>`,
      );
      expect((await server.app.inject({ method: 'GET', url: '/en/c/nope/status' })).statusCode).toBe(404);
    });
  });
}
