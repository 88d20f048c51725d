import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedApprovedList } from '../../../test/fixtures/crossing-lists/seed.js';
import { call, type Session, signIn } from '../../../test/helpers/api.js';
import { DIALECTS } from '../../../test/helpers/context.js';
import { startTestServer, type TestServer } from '../../../test/helpers/server.js';
import { systemActor } from '../../access/actor.js';
import type { AppContext } from '../../app-context.js';
import { newId } from '../../lib/ids.js';
import { createZone } from '../crises/crisis.service.js';
import { runReportingPass, takeSnapshot } from './dashboard.service.js';
import { addDays, utcDay } from './figures.service.js';
import type { Dashboard, SituationReport } from './reporting.schemas.js';
import { saveNarrative } from './sitrep.service.js';

const DAY = 86_400_000;
const iso = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString();

interface PersonSeed {
  zoneId: string | null;
  intention: string;
  status: string;
  eligibility: string;
  anonymised?: boolean;
}

/** Inserts a synthetic household of one person straight into the registry tables. */
async function insertPerson(ctx: AppContext, crisisId: string, p: PersonSeed): Promise<string> {
  const at = new Date().toISOString();
  const householdId = newId();
  const personId = newId();
  await ctx.db.db
    .insertInto('households')
    .values({
      id: householdId,
      crisis_id: crisisId,
      reference: `R-${personId.slice(0, 8).toUpperCase()}`,
      update_secret_hash: 'x',
      channel: 'call_centre',
      registered_by: 'self',
      registrant_name: null,
      registrant_relationship: null,
      registrant_contact: null,
      registered_by_staff_id: null,
      locale: 'en',
      head_person_id: personId,
      safe_reported_at: null,
      created_at: at,
      updated_at: at,
      anonymised_at: p.anonymised ? at : null,
    })
    .execute();
  await ctx.db.db
    .insertInto('persons')
    .values({
      id: personId,
      crisis_id: crisisId,
      household_id: householdId,
      relationship: 'head',
      given_name: p.anonymised ? null : 'Sample',
      father_name: null,
      grandfather_name: null,
      family_name: p.anonymised ? null : 'Person',
      full_name: p.anonymised ? null : 'Sample Person',
      given_name_ar: null,
      father_name_ar: null,
      grandfather_name_ar: null,
      family_name_ar: null,
      full_name_ar: null,
      sex: 'unknown',
      birth_date: null,
      birth_precision: 'unknown',
      birth_place: null,
      nationalities: '["US"]',
      eligibility_category: 'citizen',
      citizen_person_id: null,
      eligibility: p.eligibility,
      eligibility_reason: '',
      zone_id: p.zoneId,
      place: null,
      latitude: null,
      longitude: null,
      location_confirmed_at: null,
      intention: p.intention,
      vulnerabilities: '[]',
      needs: null,
      status: p.status,
      channel: 'call_centre',
      search_text: 'sample person',
      created_at: at,
      updated_at: at,
      anonymised_at: p.anonymised ? at : null,
    })
    .execute();
  return personId;
}

/**
 * The text of a PDF, one line per row of glyphs (items grouped by baseline, left to right, joined
 * with a space), read with pdfjs-dist as another program would.
 */
async function pdfText(data: Buffer): Promise<string> {
  const pdf = await getDocument({ data: new Uint8Array(data), disableFontFace: true, verbosity: 0 }).promise;
  const out: string[] = [];
  try {
    for (let p = 1; p <= pdf.numPages; p++) {
      const content = await (await pdf.getPage(p)).getTextContent();
      const rows: Array<{ y: number; items: Array<{ x: number; text: string }> }> = [];
      for (const item of content.items) {
        if (!('str' in item) || !item.str.trim()) continue;
        const [, , , , x, y] = item.transform as number[];
        const row = rows.find((r) => Math.abs(r.y - y!) <= 4);
        if (row) row.items.push({ x: x!, text: item.str.trim() });
        else rows.push({ y: y!, items: [{ x: x!, text: item.str.trim() }] });
      }
      rows.sort((a, b) => b.y - a.y);
      for (const row of rows)
        out.push(
          row.items
            .sort((a, b) => a.x - b.x)
            .map((i) => i.text)
            .join(' '),
        );
    }
  } finally {
    await pdf.destroy();
  }
  return out.join('\n');
}

for (const dialect of DIALECTS) {
  describe(`dashboard, snapshots and situation reports (${dialect})`, () => {
    let server: TestServer;
    let ctx: AppContext;
    let crisisId: string;
    let otherCrisisId: string;
    let gaza: string;
    let khanYounis: string;
    let otherZone: string;
    const ids: Record<string, string> = {};
    const sessions: Record<string, Session> = {};
    let base: string;

    const staff = async (key: string, role: string, crisis: string) => {
      const email = `${key}@example.org`;
      const password = `${key} password 1`;
      const s = await server.createStaff({ email, password, grants: [{ role, crisisId: crisis }] });
      sessions[key] = await signIn(server.app, email, password, s.totpSecret);
    };

    beforeAll(async () => {
      server = await startTestServer({ dialect, env: { API_RATE_LIMIT_PER_MINUTE: '100000' } });
      ctx = server.ctx;
      crisisId = (await server.createCrisis({ name: 'Reporting crisis' })).id;
      otherCrisisId = (await server.createCrisis({ name: 'Other crisis' })).id;
      base = `/api/v1/crises/${crisisId}`;
      const sys = systemActor('test');
      gaza = (await createZone(ctx, sys, crisisId, { name: 'Gaza City' })).id;
      khanYounis = (await createZone(ctx, sys, crisisId, { name: 'Khan Younis' })).id;
      otherZone = (await createZone(ctx, sys, otherCrisisId, { name: 'Elsewhere' })).id;

      const seed: Record<string, PersonSeed> = {
        p1: { zoneId: gaza, intention: 'leave', status: 'verified', eligibility: 'eligible' },
        p2: { zoneId: gaza, intention: 'leave', status: 'registered', eligibility: 'to_verify' },
        p3: { zoneId: gaza, intention: 'stay', status: 'registered', eligibility: 'eligible' },
        p4: { zoneId: khanYounis, intention: 'leave', status: 'verified', eligibility: 'eligible' },
        p5: { zoneId: khanYounis, intention: 'undecided', status: 'departed', eligibility: 'eligible' },
        p6: { zoneId: null, intention: 'leave', status: 'registered', eligibility: 'to_verify' },
        // Restricted (linked to a hostage case) and anonymised: in no figure.
        pR: { zoneId: gaza, intention: 'leave', status: 'verified', eligibility: 'eligible' },
        pA: {
          zoneId: khanYounis,
          intention: 'leave',
          status: 'verified',
          eligibility: 'eligible',
          anonymised: true,
        },
      };
      for (const [key, p] of Object.entries(seed)) ids[key] = await insertPerson(ctx, crisisId, p);
      ids.pB = await insertPerson(ctx, otherCrisisId, {
        zoneId: otherZone,
        intention: 'leave',
        status: 'verified',
        eligibility: 'eligible',
      });
      const at = new Date().toISOString();
      const db = ctx.db.db;
      await db
        .insertInto('restricted_cases')
        .values({
          id: newId(),
          crisis_id: crisisId,
          number: 'H-1',
          kind: 'hostage',
          status: 'confirmed_held',
          citizenship: 'confirmed',
          person_id: ids.pR!,
          sealed: 'sealed',
          version: 1,
          created_by: null,
          created_at: at,
          updated_at: at,
        })
        .execute();

      // Crossing point, today's approved list and its matches.
      const pointId = newId();
      await db
        .insertInto('crossing_points')
        .values({
          id: pointId,
          crisis_id: crisisId,
          name: 'Rafah',
          code: 'RAFAH',
          description: '',
          requires_approved_list: 1,
          status: 'active',
          created_at: at,
          updated_at: at,
        })
        .execute();
      for (const [i, side] of [
        ['Gaza side', 'closed'],
        ['Egypt side', 'open'],
      ].entries())
        await db
          .insertInto('crossing_sides')
          .values({
            id: newId(),
            crossing_point_id: pointId,
            name: side[0]!,
            operator: '',
            status: side[1] as 'open' | 'closed',
            status_note: '',
            status_source: '',
            status_changed_at: at,
            opening_windows: '[]',
            public_notice: '{}',
            position: i,
          })
          .execute();
      const matches: Array<[string, 'auto_linked' | 'confirmed' | 'pending']> = [
        ['p1', 'auto_linked'],
        ['p4', 'confirmed'],
        ['p2', 'pending'],
        ['pR', 'auto_linked'],
        ['pA', 'confirmed'],
      ];
      await seedApprovedList(db, {
        crisisId,
        crossingPointId: pointId,
        listDate: utcDay(new Date()),
        matches: matches.map(([key, status]) => ({ personId: ids[key]!, status })),
      });

      // One bus of ten seats and its assignments.
      ids.leg = newId();
      await db
        .insertInto('transport_legs')
        .values({
          id: ids.leg,
          crisis_id: crisisId,
          kind: 'bus',
          name: 'Bus 1',
          origin: 'Rafah',
          destination: 'Cairo',
          assembly_point: 'Synthetic yard',
          report_at: null,
          departure_at: iso(2),
          seats: 10,
          lap_places: 0,
          stretcher_places: 0,
          operator: '',
          cost_per_seat_minor: 0,
          currency: 'USD',
          status: 'confirmed',
          next_leg_id: null,
          crossing_point_id: null,
          crossing_list_date: null,
          reachable_zone_ids: '[]',
          version: 1,
          created_by: null,
          created_at: at,
          updated_at: at,
        })
        .execute();
      const seats: Array<[string, string]> = [
        ['p1', 'offered'],
        ['p4', 'confirmed'],
        ['p5', 'boarded'],
        ['pR', 'confirmed'],
        ['pA', 'checked_in'],
        ['p3', 'declined'],
      ];
      for (const [key, status] of seats)
        await db
          .insertInto('seat_assignments')
          .values({
            id: newId(),
            crisis_id: crisisId,
            leg_id: ids.leg,
            person_id: ids[key]!,
            household_id: newId(),
            place_kind: 'seat',
            status: status as 'offered',
            code: `S-${key}`,
            offer_deadline: iso(1),
            reason: null,
            responded_at: null,
            checked_in_at: null,
            created_by: null,
            created_at: at,
            updated_at: at,
          })
          .execute();

      const cases: Array<[string | null, string, string | null]> = [
        ['p1', 'new', iso(-1)],
        ['p2', 'in_progress', iso(1)],
        ['p3', 'resolved', iso(-1)],
        ['pR', 'new', iso(-1)],
        [null, 'triaged', iso(-1)],
      ];
      for (const [n, [key, state, due]] of cases.entries())
        await db
          .insertInto('cases')
          .values({
            id: newId(),
            crisis_id: crisisId,
            number: `C-${n}`,
            person_id: key ? ids[key]! : null,
            household_id: null,
            type: 'departure',
            state,
            priority: 3,
            priority_computed: 3,
            priority_reason: '',
            priority_overridden: 0,
            summary: 'Synthetic case',
            source: 'staff',
            assignee_id: null,
            team_id: null,
            welfare_run_id: null,
            state_changed_at: at,
            due_at: due,
            version: 1,
            created_by: null,
            created_at: at,
            updated_at: at,
            closed_at: null,
          })
          .execute();

      const messages: Array<[string, string, string]> = [
        ['p1', 'delivered', at],
        ['p2', 'failed', at],
        ['pR', 'delivered', at],
        ['p4', 'sent', iso(-30)],
      ];
      for (const [key, status, queuedAt] of messages)
        await db
          .insertInto('messages')
          .values({
            id: newId(),
            crisis_id: crisisId,
            campaign_id: null,
            person_id: ids[key]!,
            household_id: null,
            channel: 'sms',
            address: '+10000000000',
            language: 'en',
            subject: null,
            body: 'Synthetic message',
            segments: 1,
            status: status as 'sent',
            attempts: 1,
            next_attempt_at: queuedAt,
            locked_by: null,
            locked_until: null,
            provider: null,
            provider_message_id: null,
            last_error: null,
            queued_at: queuedAt,
            sent_at: null,
            delivered_at: null,
            failed_at: null,
            updated_at: queuedAt,
          })
          .execute();

      await staff('manager', 'crisis_manager', crisisId);
      await staff('analyst', 'analyst', crisisId);
      await staff('coordinator', 'movement_coordinator', crisisId);
      await staff('liaison', 'partner_liaison', crisisId);
      await staff('agent', 'call_centre_agent', crisisId);
      await staff('outsider', 'crisis_manager', otherCrisisId);
    });
    afterAll(async () => server?.close());

    const dashboard = async (who: string, query = '') => {
      const res = await call(server.app, sessions[who], 'GET', `${base}/dashboard${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as Dashboard;
    };
    const count = (list: Array<{ key: string; count: number }>, key: string) =>
      list.find((f) => f.key === key)?.count ?? 0;

    it('counts every source of the crisis, leaving out restricted and anonymised persons and other crises', async () => {
      const { figures: f, zones } = await dashboard('manager');
      expect(zones.map((z) => z.name)).toEqual(['Gaza City', 'Khan Younis']);
      expect(f.registry.total.count).toBe(6);
      expect(f.registry.verified).toEqual({ key: 'verified', count: 2, link: '/registry?status=verified' });
      const cell = (zoneId: string | null, intention: string) =>
        f.registry.byZoneIntention.find((c) => c.zoneId === zoneId && c.intention === intention)?.count ?? 0;
      expect(cell(gaza, 'leave')).toBe(2);
      expect(cell(gaza, 'stay')).toBe(1);
      expect(cell(khanYounis, 'leave')).toBe(1);
      expect(cell(khanYounis, 'undecided')).toBe(1);
      expect(cell(null, 'leave')).toBe(1);
      expect(f.registry.byZoneIntention.find((c) => c.zoneId === gaza && c.intention === 'leave')?.link).toBe(
        `/registry?zone=${gaza}&intention=leave`,
      );
      expect(count(f.registry.byIntention, 'leave')).toBe(4);
      expect(count(f.registry.byStatus, 'registered')).toBe(3);
      expect(count(f.registry.byEligibility, 'eligible')).toBe(4);
      expect(count(f.registry.byEligibility, 'to_verify')).toBe(2);
      expect(f.onList.count).toBe(2);
      expect(f.movement.allocated.count).toBe(3);
      expect(f.movement.offered.count).toBe(1);
      expect(f.movement.confirmed.count).toBe(1);
      expect(f.movement.checkedIn.count).toBe(0);
      expect(f.movement.boarded.count).toBe(1);
      expect(f.movement.departed.count).toBe(1);
      expect(f.legs).toHaveLength(1);
      expect(f.legs[0]).toMatchObject({
        id: ids.leg,
        held: 3,
        capacity: 10,
        fillRate: 0.3,
        link: `/legs/${ids.leg}`,
      });
      expect(f.crossings).toEqual([
        expect.objectContaining({
          name: 'Rafah',
          sides: [
            expect.objectContaining({ name: 'Gaza side', status: 'closed' }),
            expect.objectContaining({ name: 'Egypt side', status: 'open' }),
          ],
        }),
      ]);
      expect(f.cases.open.count).toBe(3);
      expect(f.cases.overdue).toEqual({ key: 'overdue', count: 2, link: '/cases?queue=overdue' });
      expect(count(f.cases.byState, 'new')).toBe(1);
      expect(count(f.cases.byState, 'resolved')).toBe(1);
      expect(f.messages.total).toBe(2);
      expect(count(f.messages.byStatus, 'delivered')).toBe(1);
      expect(count(f.messages.byStatus, 'failed')).toBe(1);
    });

    it('filters by zone, joining every source to the zone of its person', async () => {
      const { figures: f } = await dashboard('manager', `?zoneId=${gaza}`);
      expect(f.zoneId).toBe(gaza);
      expect(f.registry.total).toEqual({ key: 'total', count: 3, link: `/registry?zone=${gaza}` });
      expect(f.registry.verified.count).toBe(1);
      expect(f.onList.count).toBe(1);
      expect(f.movement.allocated.count).toBe(1);
      expect(f.cases.open.count).toBe(2);
      expect(f.cases.overdue.count).toBe(1);
      expect(f.messages.total).toBe(2);
    });

    it('keeps history exact: snapshots are taken once a day and the series reads them after records change', async () => {
      const yesterday = addDays(utcDay(new Date()), -1);
      const sys = systemActor('worker');
      const first = await takeSnapshot(ctx, sys, crisisId, new Date(`${yesterday}T00:05:00Z`));
      expect(first).toMatchObject({ day: yesterday, taken: true });
      const again = await takeSnapshot(ctx, sys, crisisId, new Date(`${yesterday}T09:00:00Z`));
      expect(again).toMatchObject({ day: yesterday, taken: false, takenAt: first.takenAt });

      const post = await call(server.app, sessions.manager, 'POST', `${base}/snapshots`);
      expect(post.statusCode, post.body).toBe(201);
      const repeat = await call(server.app, sessions.manager, 'POST', `${base}/snapshots`);
      expect(repeat.statusCode).toBe(200);
      expect(repeat.json()).toMatchObject({ taken: false, day: utcDay(new Date()) });
      // The worker's pass finds today's taken for this crisis (the other crisis gets its own).
      const pass = await runReportingPass(ctx, sys);
      expect(pass.snapshotsTaken).toBe(1);
      expect(pass.counterRowsFolded).toBeGreaterThan(0);
      expect(await runReportingPass(ctx, sys)).toEqual({ snapshotsTaken: 0, counterRowsFolded: 0 });

      // Records change after the snapshots: one more person, one more verified.
      ids.p7 = await insertPerson(ctx, crisisId, {
        zoneId: gaza,
        intention: 'leave',
        status: 'registered',
        eligibility: 'to_verify',
      });
      await ctx.db.db.updateTable('persons').set({ status: 'verified' }).where('id', '=', ids.p2!).execute();

      const { series, figures } = await dashboard('manager');
      expect(series).toHaveLength(14);
      const past = series.find((p) => p.day === yesterday)!;
      expect(past).toMatchObject({
        source: 'snapshot',
        registered: 6,
        verified: 2,
        leave: 4,
        onList: 0,
        allocated: 3,
      });
      expect(past.openCases).toBe(3);
      const today = series[series.length - 1]!;
      expect(today).toMatchObject({ source: 'live', registered: 7, verified: 3, leave: 5 });
      expect(series[0]).toMatchObject({ source: 'none', registered: null });
      expect(figures.registry.total.count).toBe(7);

      // A zone's past days have its seats, cases and list too (kept zone by zone in the snapshot):
      // Khan Younis holds two seats (p4 confirmed, p5 boarded), has no case and nobody on that list.
      const zoned = await dashboard('manager', `?zoneId=${khanYounis}&from=${yesterday}`);
      expect(zoned.series.map((p) => p.registered)).toEqual([2, 2]);
      expect(zoned.series[0]).toMatchObject({ source: 'snapshot', allocated: 2, openCases: 0, onList: 0 });
      expect(zoned.series[1]).toMatchObject({ source: 'live', allocated: 2, openCases: 0 });
      const gazaPast = (await dashboard('manager', `?zoneId=${gaza}&from=${yesterday}`)).series[0]!;
      // p1 offered (p3 declined holds nothing; pR restricted); p1 new and p2 in progress.
      expect(gazaPast).toMatchObject({ allocated: 1, openCases: 2 });
      // A snapshot from before zones were split answers null for them, not the whole crisis's figure.
      await ctx.db.db
        .deleteFrom('report_snapshots')
        .where('crisis_id', '=', crisisId)
        .where('day', '=', yesterday)
        .where('metric', '=', 'zones_split')
        .execute();
      const older = await dashboard('manager', `?zoneId=${khanYounis}&from=${yesterday}`);
      expect(older.series[0]).toMatchObject({
        registered: 2,
        allocated: null,
        openCases: null,
        onList: null,
      });

      const listed = await call(server.app, sessions.analyst, 'GET', `${base}/snapshots`);
      expect(listed.json().items.map((i: { day: string }) => i.day)).toEqual([utcDay(new Date()), yesterday]);
    });

    it('refuses bad ranges and zones of another crisis, naming the field', async () => {
      const bad = await call(
        server.app,
        sessions.manager,
        'GET',
        `${base}/dashboard?from=2026-02-10&to=2026-02-01`,
      );
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('from');
      const zone = await call(server.app, sessions.manager, 'GET', `${base}/dashboard?zoneId=${otherZone}`);
      expect(zone.statusCode).toBe(400);
      expect(zone.json().error.fields[0].path).toBe('zoneId');
      const future = await call(
        server.app,
        sessions.manager,
        'GET',
        `${base}/dashboard?to=${addDays(utcDay(new Date()), 3)}`,
      );
      expect(future.statusCode).toBe(400);
      const day = await call(server.app, sessions.manager, 'GET', `${base}/sitreps/2026-02-30`);
      expect(day.statusCode).toBe(400);
      const word = await call(server.app, sessions.manager, 'GET', `${base}/sitreps/today/pdf`);
      expect(word.statusCode).toBe(400);
      expect(word.json().error.fields[0].path).toBe('day');
      const extra = await call(server.app, sessions.manager, 'PUT', `${base}/sitreps/${utcDay(new Date())}`, {
        narrative: 'x',
        version: 0,
        colour: 'red',
      });
      expect(extra.statusCode).toBe(400);
    });

    it('lets those who report or count people read the dashboard, and nobody else', async () => {
      for (const who of ['analyst', 'coordinator', 'liaison']) await dashboard(who);
      expect((await call(server.app, sessions.agent, 'GET', `${base}/dashboard`)).statusCode).toBe(404);
      expect((await call(server.app, sessions.outsider, 'GET', `${base}/dashboard`)).statusCode).toBe(404);
      expect((await call(server.app, undefined, 'GET', `${base}/dashboard`)).statusCode).toBe(401);
      expect((await call(server.app, sessions.analyst, 'POST', `${base}/snapshots`)).statusCode).toBe(403);
      expect((await call(server.app, sessions.coordinator, 'GET', `${base}/sitreps`)).statusCode).toBe(403);
      expect((await call(server.app, sessions.outsider, 'GET', `${base}/sitreps`)).statusCode).toBe(404);
      const audit = await ctx.db.db
        .selectFrom('audit_log')
        .select('action')
        .where('crisis_id', '=', crisisId)
        .where('action', '=', 'report.dashboard_viewed')
        .execute();
      expect(audit.length).toBeGreaterThanOrEqual(5);
    });

    it('lets crisis managers write the narrative, with versions, and archives the figures', async () => {
      const today = utcDay(new Date());
      const url = `${base}/sitreps/${today}`;
      const live = await call(server.app, sessions.analyst, 'GET', url);
      expect(live.statusCode, live.body).toBe(200);
      expect(live.json()).toMatchObject({ archived: false, version: 0, canEdit: false });
      const refused = await call(server.app, sessions.analyst, 'PUT', url, {
        narrative: 'Analyst text',
        version: 0,
      });
      expect(refused.statusCode).toBe(403);
      const outsider = await call(server.app, sessions.outsider, 'PUT', url, { narrative: 'x', version: 0 });
      expect(outsider.statusCode).toBe(404);

      const saved = await call(server.app, sessions.manager, 'PUT', url, {
        narrative: 'Rafah closed on the Gaza side. Bus 1 is filling.',
        version: 0,
      });
      expect(saved.statusCode, saved.body).toBe(200);
      const report = saved.json() as SituationReport;
      expect(report).toMatchObject({ archived: true, version: 1, canEdit: true });
      expect(report.content.figures.registry.total.count).toBe(7);
      const stale = await call(server.app, sessions.manager, 'PUT', url, {
        narrative: 'Late edit',
        version: 0,
      });
      expect(stale.statusCode).toBe(409);

      // The archived figures stay when records change; refreshing takes them again.
      await insertPerson(ctx, crisisId, {
        zoneId: gaza,
        intention: 'stay',
        status: 'registered',
        eligibility: 'eligible',
      });
      const kept = (await call(server.app, sessions.analyst, 'GET', url)).json() as SituationReport;
      expect(kept.content.figures.registry.total.count).toBe(7);
      const refreshed = await call(server.app, sessions.manager, 'PUT', url, {
        narrative: 'Rafah closed on the Gaza side. Bus 1 is filling.',
        version: 1,
        refreshFigures: true,
      });
      expect(refreshed.statusCode, refreshed.body).toBe(200);
      expect((refreshed.json() as SituationReport).content.figures.registry.total.count).toBe(8);

      const archive = await call(server.app, sessions.liaison, 'GET', `${base}/sitreps`);
      expect(archive.json().items).toEqual([
        expect.objectContaining({
          day: today,
          version: 2,
          narrativeExcerpt: expect.stringContaining('Rafah'),
        }),
      ]);
      // A past day without an archived report is not rebuilt from today's records.
      const missing = await call(
        server.app,
        sessions.manager,
        'GET',
        `${base}/sitreps/${addDays(today, -5)}`,
      );
      expect(missing.statusCode).toBe(404);
    });

    it('renders HTML with SVG charts and PDFs in en, fr and ar, regenerating a past day from its archive', async () => {
      const today = utcDay(new Date());
      const html = await call(server.app, sessions.analyst, 'GET', `${base}/sitreps/${today}/html?lang=fr`);
      expect(html.statusCode).toBe(200);
      expect(html.headers['content-type']).toContain('text/html');
      expect(html.body).toContain('<html lang="fr" dir="ltr">');
      expect(html.body).toContain('Rapport de situation');
      expect(html.body).toContain('Rafah closed on the Gaza side.');
      expect((html.body.match(/<svg /g) ?? []).length).toBe(3);
      expect(html.body).toContain('Inscriptions par zone et intention');
      const htmlAr = await call(server.app, sessions.analyst, 'GET', `${base}/sitreps/${today}/html?lang=ar`);
      expect(htmlAr.body).toContain('<html lang="ar" dir="rtl">');

      const pdf = async (day: string, lang: string) => {
        const res = await call(
          server.app,
          sessions.analyst,
          'GET',
          `${base}/sitreps/${day}/pdf?lang=${lang}`,
        );
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toBe('application/pdf');
        expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
        return { text: await pdfText(res.rawPayload), sha: res.headers['x-content-sha256'] };
      };
      const en = await pdf(today, 'en');
      expect(en.text).toContain('Situation report');
      expect(en.text).toMatch(/Registered 8/);
      expect(en.text).toMatch(/On the day's approved list 2/);
      expect(en.text).toMatch(/Overdue cases 2/);
      expect(en.text).toContain('Bus 1');
      expect(en.text).toContain('14-day trend');
      const fr = await pdf(today, 'fr');
      expect(fr.text).toMatch(/Inscrits 8/);
      const ar = await pdf(today, 'ar');
      // Shaped Arabic: the words come back from the PDF's glyphs.
      expect(ar.text).toContain('تقرير الوضع');
      expect(ar.text).toContain('المسجلون');
      // The same archived report gives the same file again.
      expect((await pdf(today, 'en')).sha).toBe(en.sha);

      const stored = await ctx.db.db
        .selectFrom('situation_reports')
        .select('pdf_digests')
        .where('crisis_id', '=', crisisId)
        .where('day', '=', today)
        .executeTakeFirstOrThrow();
      expect(Object.keys(JSON.parse(stored.pdf_digests)).sort()).toEqual(['ar', 'en', 'fr']);
      const downloads = await ctx.db.db
        .selectFrom('audit_log')
        .select('action')
        .where('crisis_id', '=', crisisId)
        .where('action', '=', 'situation_report.downloaded')
        .execute();
      expect(downloads).toHaveLength(4);

      // A past day archived then: its PDF is built from its own figures, not today's.
      const past = addDays(today, -2);
      await saveNarrative(
        ctx,
        systemActor('test'),
        crisisId,
        past,
        { narrative: 'Two days ago.', version: 0, refreshFigures: false },
        new Date(`${past}T07:00:00Z`),
      );
      const archived = await ctx.db.db
        .selectFrom('situation_reports')
        .select('figures')
        .where('crisis_id', '=', crisisId)
        .where('day', '=', past)
        .executeTakeFirstOrThrow();
      await ctx.db.db
        .updateTable('situation_reports')
        .set({
          figures: archived.figures.replace(
            '"total":{"key":"total","count":8',
            '"total":{"key":"total","count":4321',
          ),
        })
        .where('crisis_id', '=', crisisId)
        .where('day', '=', past)
        .execute();
      const old = await pdf(past, 'en');
      expect(old.text).toMatch(/Registered 4,321/);
      expect(old.text).toContain('Two days ago.');
    });

    it("moves a person's seats, cases and messages with them when they change zone", async () => {
      const zoneFigures = async (zoneId: string) => (await dashboard('manager', `?zoneId=${zoneId}`)).figures;
      const [gazaBefore, kyBefore] = [await zoneFigures(gaza), await zoneFigures(khanYounis)];
      // p2: Gaza City, an in-progress case and a failed message; moves to Khan Younis.
      const move = (zoneId: string) =>
        ctx.db.db.updateTable('persons').set({ zone_id: zoneId }).where('id', '=', ids.p2!).execute();
      await move(khanYounis);
      const [gazaAfter, kyAfter] = [await zoneFigures(gaza), await zoneFigures(khanYounis)];
      expect(gazaAfter.registry.total.count).toBe(gazaBefore.registry.total.count - 1);
      expect(kyAfter.registry.total.count).toBe(kyBefore.registry.total.count + 1);
      expect(gazaAfter.cases.open.count).toBe(gazaBefore.cases.open.count - 1);
      expect(kyAfter.cases.open.count).toBe(kyBefore.cases.open.count + 1);
      expect(count(gazaAfter.messages.byStatus, 'failed')).toBe(
        count(gazaBefore.messages.byStatus, 'failed') - 1,
      );
      expect(count(kyAfter.messages.byStatus, 'failed')).toBe(
        count(kyBefore.messages.byStatus, 'failed') + 1,
      );
      // The whole crisis does not change.
      const whole = (await dashboard('manager')).figures;
      expect(whole.cases.open.count).toBe(gazaAfter.cases.open.count + kyAfter.cases.open.count + 1);
      await move(gaza);
      expect((await zoneFigures(gaza)).cases.open.count).toBe(gazaBefore.cases.open.count);
    });

    it('takes a person out of every figure at once when anonymised later, and back on the database counters', async () => {
      const before = (await dashboard('manager')).figures;
      // p1: verified, in Gaza City, on today's list, offered a seat, an overdue new case, a delivered message.
      await ctx.db.db
        .updateTable('persons')
        .set({ anonymised_at: new Date().toISOString() })
        .where('id', '=', ids.p1!)
        .execute();
      const after = (await dashboard('manager')).figures;
      expect(after.registry.total.count).toBe(before.registry.total.count - 1);
      expect(after.registry.verified.count).toBe(before.registry.verified.count - 1);
      expect(after.onList.count).toBe(before.onList.count - 1);
      expect(after.movement.offered.count).toBe(before.movement.offered.count - 1);
      expect(after.cases.open.count).toBe(before.cases.open.count - 1);
      expect(after.cases.overdue.count).toBe(before.cases.overdue.count - 1);
      expect(count(after.messages.byStatus, 'delivered')).toBe(
        count(before.messages.byStatus, 'delivered') - 1,
      );
      // Folding the counters changes no figure.
      await runReportingPass(ctx, systemActor('worker'));
      expect((await dashboard('manager')).figures.registry).toEqual(after.registry);
      // The sums match the records themselves (a plain count with the same exclusions).
      const plain = await ctx.db.db
        .selectFrom('persons')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('crisis_id', '=', crisisId)
        .where('anonymised_at', 'is', null)
        .where('id', '!=', ids.pR!)
        .executeTakeFirstOrThrow();
      expect(after.registry.total.count).toBe(Number(plain.n));
    });
  });
}
