import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { familyRegistration } from '../../../test/fixtures/persons/registrations.js';
import { call, type Session, signIn } from '../../../test/helpers/api.js';
import { DIALECTS } from '../../../test/helpers/context.js';
import { startTestServer, type TestServer } from '../../../test/helpers/server.js';
import { systemActor } from '../../access/actor.js';
import { createZone } from '../crises/crisis.service.js';

const day = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * day).toISOString();

for (const dialect of DIALECTS) {
  describe(`allocation runs and the person status flow (${dialect})`, () => {
    let server: TestServer;
    let coordinator: Session;
    let analyst: Session;
    let crisisId: string;
    let otherCrisisId: string;
    let zone: string;
    const families: { reference: string; secret: string; householdId: string }[] = [];
    let runs: string;
    let legs: string;

    const register = async (body: ReturnType<typeof familyRegistration>) => {
      const res = await server.app.inject({
        method: 'POST',
        url: '/api/v1/public/registrations',
        payload: body,
      });
      expect(res.statusCode, res.body).toBe(201);
      const { reference, updateSecret } = res.json();
      const h = await server.ctx.db.db
        .selectFrom('households')
        .select('id')
        .where('reference', '=', reference)
        .executeTakeFirstOrThrow();
      await server.ctx.db.db
        .updateTable('persons')
        .set({ eligibility: 'eligible', zone_id: zone })
        .where('household_id', '=', h.id)
        .execute();
      return { reference, secret: updateSecret as string, householdId: h.id };
    };
    const newLeg = async (overrides: Record<string, unknown> = {}) => {
      const res = await call(server.app, coordinator, 'POST', legs, {
        kind: 'bus',
        name: 'Bus A',
        origin: 'Rafah crossing',
        destination: 'Cairo',
        assemblyPoint: 'Synthetic school yard',
        reportAt: inDays(2.9),
        departureAt: inDays(3),
        seats: 6,
        lapPlaces: 0,
        stretcherPlaces: 0,
        reachableZoneIds: [zone],
        ...overrides,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; version: number; name: string };
    };
    const setStatus = async (legId: string, to: string) => {
      const leg = (await call(server.app, coordinator, 'GET', `${legs}/${legId}`)).json();
      const res = await call(server.app, coordinator, 'POST', `${legs}/${legId}/status`, {
        to,
        version: leg.version,
      });
      expect(res.statusCode, res.body).toBe(200);
    };

    beforeAll(async () => {
      server = await startTestServer({ dialect, env: { PORTAL_RATE_LIMIT_PER_MINUTE: '100000' } });
      crisisId = (await server.createCrisis({ name: 'Allocation crisis' })).id;
      otherCrisisId = (await server.createCrisis({ name: 'Other crisis' })).id;
      runs = `/api/v1/crises/${crisisId}/allocation-runs`;
      legs = `/api/v1/crises/${crisisId}/legs`;
      zone = (await createZone(server.ctx, systemActor(), crisisId, { name: 'Khan Younis' })).id;
      const c = await server.createStaff({
        email: 'mc@example.org',
        password: 'coordinator pw 1',
        grants: [{ role: 'movement_coordinator', crisisId }],
      });
      coordinator = await signIn(server.app, 'mc@example.org', 'coordinator pw 1', c.totpSecret);
      const a = await server.createStaff({
        email: 'an@example.org',
        password: 'analyst pw 123',
        grants: [{ role: 'analyst', crisisId }],
      });
      analyst = await signIn(server.app, 'an@example.org', 'analyst pw 123', a.totpSecret);
      for (let i = 0; i < 3; i += 1) families.push(await register(familyRegistration({ crisis: crisisId })));
    });
    afterAll(async () => server?.close());

    it('proposes a plan within capacity keeping households whole, commits it into offers, and follows people to arrival', async () => {
      const size = (
        await server.ctx.db.db
          .selectFrom('persons')
          .select('id')
          .where('household_id', '=', families[0]!.householdId)
          .execute()
      ).length;
      const bus = await newLeg({ seats: size * 2 });
      const res = await call(server.app, coordinator, 'POST', runs, { legIds: [bus.id] });
      expect(res.statusCode, res.body).toBe(201);
      const run = res.json();
      expect(run.status).toBe('proposed');
      expect(run.figures.householdsConsidered).toBe(3);
      expect(run.figures.peopleMoved).toBe(size * 2);
      expect(run.figures.splitHouseholds).toBe(0);
      const placed = new Set(run.assignments.map((a: { householdId: string }) => a.householdId));
      expect(placed.size).toBe(2);
      for (const h of placed)
        expect(run.assignments.filter((a: { householdId: string }) => a.householdId === h)).toHaveLength(
          size,
        );
      expect(run.explanations.length).toBeGreaterThan(0);
      expect(run.legs[0].planned.seats + run.legs[0].planned.lapInfants).toBe(size * 2);

      const again = await call(server.app, coordinator, 'GET', `${runs}/${run.id}`);
      expect(again.statusCode).toBe(200);
      expect(again.json().assignments).toHaveLength(size * 2);

      const committed = await call(server.app, coordinator, 'POST', `${runs}/${run.id}/commit`, {
        deadlineHours: 24,
      });
      expect(committed.statusCode, committed.body).toBe(200);
      expect(committed.json().offers).toHaveLength(size * 2);
      expect(committed.json().run.status).toBe('committed');
      const twice = await call(server.app, coordinator, 'POST', `${runs}/${run.id}/commit`, {
        deadlineHours: 24,
      });
      expect(twice.statusCode).toBe(409);

      // The portal confirms one family's seats.
      const family = families.find((f) => placed.has(f.householdId))!;
      const confirm = await server.app.inject({
        method: 'POST',
        url: '/api/v1/public/offers/respond',
        payload: { reference: family.reference, secret: family.secret, legId: bus.id, decision: 'confirm' },
      });
      expect(confirm.statusCode, confirm.body).toBe(200);
      await setStatus(bus.id, 'confirmed');
      const checkIn = await call(server.app, coordinator, 'POST', `${legs}/${bus.id}/check-in`, {
        code: family.reference,
      });
      expect(checkIn.statusCode, checkIn.body).toBe(200);
      for (const a of checkIn.json().checkedIn) {
        const b = await call(
          server.app,
          coordinator,
          'POST',
          `${legs}/${bus.id}/assignments/${a.id}/boarding`,
          { outcome: 'boarded' },
        );
        expect(b.statusCode, b.body).toBe(200);
      }
      await setStatus(bus.id, 'boarding');
      await setStatus(bus.id, 'departed');
      await setStatus(bus.id, 'arrived');
      const person = checkIn.json().checkedIn[0].personId as string;
      const history = await server.ctx.db.db
        .selectFrom('person_history')
        .select(['status', 'changes'])
        .where('person_id', '=', person)
        .where('kind', '=', 'status')
        .orderBy('at')
        .orderBy('id')
        .execute();
      expect(history.map((h) => JSON.parse(h.changes ?? '{}').movement)).toEqual([
        'allocated',
        'confirmed',
        'checked in',
        'departed',
        'arrived',
      ]);
      expect(history.map((h) => h.status)).toEqual([
        'awaiting_departure',
        'awaiting_departure',
        'awaiting_departure',
        'departed',
        'arrived',
      ]);
      const now = await server.ctx.db.db
        .selectFrom('persons')
        .select('status')
        .where('id', '=', person)
        .executeTakeFirstOrThrow();
      expect(now.status).toBe('arrived');
    });

    it('explains an infeasible run and refuses a commit after the leg changed', async () => {
      const tiny = await newLeg({ name: 'Bus B', seats: 1, reachableZoneIds: [zone] });
      const res = await call(server.app, coordinator, 'POST', runs, { legIds: [tiny.id], method: 'fast' });
      expect(res.statusCode, res.body).toBe(201);
      const run = res.json();
      expect(run.figures.peopleMoved).toBe(0);
      expect(run.unassigned.length).toBeGreaterThan(0);
      expect(run.explanations.map((e: { message: string }) => e.message).join(' ')).toMatch(/\d/);

      const roomy = await newLeg({ name: 'Bus C', seats: 40 });
      const plan = (await call(server.app, coordinator, 'POST', runs, { legIds: [roomy.id] })).json();
      expect(plan.figures.peopleMoved).toBeGreaterThan(0);
      const patched = await call(server.app, coordinator, 'PATCH', `${legs}/${roomy.id}`, {
        version: roomy.version,
        seats: 39,
      });
      expect(patched.statusCode, patched.body).toBe(200);
      const commit = await call(server.app, coordinator, 'POST', `${runs}/${plan.id}/commit`, {
        deadlineHours: 12,
      });
      expect(commit.statusCode).toBe(409);
      expect(commit.json().error).toMatchObject({
        code: 'plan_stale',
        params: { reason: 'leg_changed', leg: 'Bus C' },
      });
      expect(commit.body).toMatch(/Bus C changed since this plan was made/);
    });

    it('needs movement.manage and hides runs of other crises', async () => {
      const leg = await newLeg({ name: 'Bus D' });
      const denied = await call(server.app, analyst, 'POST', runs, { legIds: [leg.id] });
      expect(denied.statusCode).toBe(403);
      const run = (await call(server.app, coordinator, 'POST', runs, { legIds: [leg.id] })).json();
      expect((await call(server.app, analyst, 'GET', `${runs}/${run.id}`)).statusCode).toBe(403);
      const across = await call(
        server.app,
        coordinator,
        'GET',
        `/api/v1/crises/${otherCrisisId}/allocation-runs/${run.id}`,
      );
      expect(across.statusCode).toBe(404);
      const foreignLeg = await call(server.app, coordinator, 'POST', runs.replace(crisisId, crisisId), {
        legIds: ['00000000-0000-4000-8000-000000000000'],
      });
      expect(foreignLeg.statusCode).toBe(404);
    });
  });
}
