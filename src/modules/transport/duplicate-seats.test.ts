import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { familyRegistration } from '../../../test/fixtures/persons/registrations.js';
import { call, type Session, signIn } from '../../../test/helpers/api.js';
import { DIALECTS } from '../../../test/helpers/context.js';
import { startTestServer, type TestServer } from '../../../test/helpers/server.js';
import { systemActor } from '../../access/actor.js';
import { newId } from '../../lib/ids.js';
import { createZone } from '../crises/crisis.service.js';
import { confirmedIdentityGroups } from '../duplicates/identity-groups.js';

const day = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * day).toISOString();

type Family = { reference: string; householdId: string; personIds: string[] };
type Run = {
  id: string;
  assignments: { personId: string; householdId: string; legId: string }[];
  duplicates: { personId: string; keptPersonId: string; reason: string; message: string }[];
  explanations: { code: string; message: string }[];
  figures: { peopleConsidered: number };
};

for (const dialect of DIALECTS) {
  describe(`one person, one seat across duplicate registrations (${dialect})`, () => {
    let server: TestServer;
    let coordinator: Session;
    let crisisId: string;
    let zone: string;
    let legs: string;
    let runs: string;
    /** The father registered with his family in Khan Younis. */
    let family: Family;
    /** The same father registered again, alone, by his brother abroad. */
    let again: Family;
    let father: string;
    let copy: string;
    let candidateId: string;
    let stalePlan: Run;
    let fourthLeg: string;

    const register = async (body: ReturnType<typeof familyRegistration>): Promise<Family> => {
      const res = await server.app.inject({
        method: 'POST',
        url: '/api/v1/public/registrations',
        payload: body,
      });
      expect(res.statusCode, res.body).toBe(201);
      const { reference } = res.json();
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
      const persons = await server.ctx.db.db
        .selectFrom('persons')
        .select('id')
        .where('household_id', '=', h.id)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return { reference, householdId: h.id, personIds: persons.map((p) => p.id) };
    };
    const newLeg = async (name: string, seats = 40) => {
      const res = await call(server.app, coordinator, 'POST', legs, {
        kind: 'bus',
        name,
        origin: 'Rafah crossing',
        destination: 'Cairo',
        assemblyPoint: 'Synthetic school yard',
        reportAt: inDays(2.9),
        departureAt: inDays(3),
        seats,
        lapPlaces: 4,
        stretcherPlaces: 4,
        reachableZoneIds: [zone],
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; name: string };
    };
    const offer = (legId: string, householdId: string) =>
      call(server.app, coordinator, 'POST', `${legs}/${legId}/assignments`, {
        householdId,
        offerDeadline: inDays(1),
      });
    const cancelAll = async (legId: string, householdId: string) => {
      const items = (await call(server.app, coordinator, 'GET', `${legs}/${legId}/assignments`)).json()
        .items as { id: string; householdId: string; status: string }[];
      for (const a of items.filter((i) => i.householdId === householdId && i.status === 'offered')) {
        const res = await call(
          server.app,
          coordinator,
          'POST',
          `${legs}/${legId}/assignments/${a.id}/cancel`,
          { reason: 'Test reset' },
        );
        expect(res.statusCode, res.body).toBe(200);
      }
    };
    const decide = (id: string, decision: string) =>
      call(server.app, coordinator, 'POST', `/api/v1/crises/${crisisId}/duplicates/${id}/decision`, {
        decision,
      });
    const propose = async (legId: string): Promise<Run> => {
      const res = await call(server.app, coordinator, 'POST', runs, { legIds: [legId], method: 'exact' });
      expect(res.statusCode, res.body).toBe(201);
      return res.json();
    };

    beforeAll(async () => {
      server = await startTestServer({ dialect, env: { PORTAL_RATE_LIMIT_PER_MINUTE: '100000' } });
      crisisId = (await server.createCrisis({ name: 'Duplicate seats crisis' })).id;
      legs = `/api/v1/crises/${crisisId}/legs`;
      runs = `/api/v1/crises/${crisisId}/allocation-runs`;
      zone = (await createZone(server.ctx, systemActor(), crisisId, { name: 'Khan Younis' })).id;
      const c = await server.createStaff({
        email: 'dup-mc@example.org',
        password: 'coordinator pw 1',
        grants: [{ role: 'movement_coordinator', crisisId }],
      });
      coordinator = await signIn(server.app, 'dup-mc@example.org', 'coordinator pw 1', c.totpSecret);
      family = await register(familyRegistration({ crisis: crisisId }));
      again = await register(
        familyRegistration({
          crisis: crisisId,
          registeredBy: 'relative',
          registrant: { name: 'Khalid Example', relationship: 'brother' },
          members: [
            {
              relationship: 'head',
              nameLatin: { full: 'Synthetic Father Example' },
              sex: 'male',
              birthDate: '1975-04-02',
              eligibilityCategory: 'citizen',
            },
          ],
        }),
      );
      expect(family.personIds.length).toBeGreaterThan(1);
      expect(again.personIds).toHaveLength(1);
      // The household head (born 1980-03-14 in the fixture).
      const head = await server.ctx.db.db
        .selectFrom('persons')
        .select('id')
        .where('household_id', '=', family.householdId)
        .where('birth_date', '=', '1980-03-14')
        .executeTakeFirstOrThrow();
      father = head.id;
      copy = again.personIds[0]!;
      // The dedupe run's suggestion: a pending pair, not yet decided.
      candidateId = newId();
      const [a, b] = [father, copy].sort() as [string, string];
      await server.ctx.db.db
        .insertInto('duplicate_candidates')
        .values({
          id: candidateId,
          crisis_id: crisisId,
          person_a: a,
          person_b: b,
          score: 0.97,
          band: 'match',
          explanation: '[]',
          status: 'pending',
          found_at: new Date().toISOString(),
        })
        .execute();
    });
    afterAll(async () => server?.close());

    it('lets a pending suggestion pass: both registrations can hold a seat', async () => {
      expect(await confirmedIdentityGroups(server.ctx.db.db, crisisId)).toEqual([]);
      const bus = await newLeg('Bus pending');
      expect((await offer(bus.id, family.householdId)).statusCode).toBe(201);
      const second = await offer(bus.id, again.householdId);
      expect(second.statusCode, second.body).toBe(201);
      await cancelAll(bus.id, family.householdId);
      await cancelAll(bus.id, again.householdId);
      const later = await newLeg('Bus later');
      stalePlan = await propose(later.id);
      expect(stalePlan.duplicates).toEqual([]);
      expect(stalePlan.assignments.map((a) => a.personId)).toEqual(expect.arrayContaining([father, copy]));
    });

    it('refuses a second seat to a confirmed duplicate, naming the registration that holds one', async () => {
      const decided = await call(
        server.app,
        coordinator,
        'POST',
        `/api/v1/crises/${crisisId}/duplicates/${candidateId}/decision`,
        { decision: 'same', note: 'Same passport seen by phone' },
      );
      expect(decided.statusCode, decided.body).toBe(200);
      expect(await confirmedIdentityGroups(server.ctx.db.db, crisisId)).toEqual([[father, copy].sort()]);
      // A plan made before the merge gave both registrations a seat: its commit offers nothing.
      const commit = await call(server.app, coordinator, 'POST', `${runs}/${stalePlan.id}/commit`, {
        deadlineHours: 24,
      });
      expect(commit.statusCode).toBe(409);
      expect(commit.json().error).toMatchObject({ code: 'plan_stale', params: { reason: 'merged' } });
      expect(commit.json().error.message).toContain('same person');
      const offered = await server.ctx.db.db
        .selectFrom('seat_assignments')
        .select('id')
        .where('person_id', 'in', [father, copy])
        .where('status', '=', 'offered')
        .execute();
      expect(offered).toEqual([]);
      expect(await confirmedIdentityGroups(server.ctx.db.db, crisisId, [copy])).toEqual([
        [father, copy].sort(),
      ]);
      expect(
        await confirmedIdentityGroups(server.ctx.db.db, crisisId, [
          family.personIds.find((p) => p !== father)!,
        ]),
      ).toEqual([]);

      const first = await newLeg('Bus one');
      const other = await newLeg('Bus two');
      expect((await offer(first.id, family.householdId)).statusCode).toBe(201);
      const refused = await offer(other.id, again.householdId);
      expect(refused.statusCode).toBe(409);
      const error = refused.json().error;
      expect(error.fields[0].path).toBe('personIds');
      expect(error.message).toContain(family.reference);
      expect(error.message).toContain('Bus one');
      expect(error.message).toContain('same person');
      expect(error.params).toMatchObject({
        count: 1,
        places: [{ reference: family.reference, leg: 'Bus one', seatStatus: expect.any(String) }],
      });
      // Same leg: refused too, and nothing was written.
      expect((await offer(first.id, again.householdId)).statusCode).toBe(409);
      const onFirst = (await call(server.app, coordinator, 'GET', `${legs}/${first.id}/assignments`)).json()
        .items as { personId: string }[];
      expect(onFirst.map((a) => a.personId)).not.toContain(copy);
      const onOther = (await call(server.app, coordinator, 'GET', `${legs}/${other.id}/assignments`)).json()
        .items;
      expect(onOther).toEqual([]);

      // An allocation run does not plan the copy while the father holds a place.
      const bus = await newLeg('Bus three');
      const run = await propose(bus.id);
      expect(run.assignments.map((a) => a.personId)).not.toContain(copy);
      expect(run.duplicates).toEqual([
        expect.objectContaining({ personId: copy, keptPersonId: father, reason: 'seat-held' }),
      ]);
      expect(run.explanations.filter((e) => e.code === 'duplicate-registration')).toHaveLength(1);
      expect(run.explanations.find((e) => e.code === 'duplicate-registration')!.message).toContain(
        family.reference,
      );
      await cancelAll(first.id, family.householdId);
    });

    it('plans one seat for the person in an allocation run, with the more complete household', async () => {
      const bus = await newLeg('Bus four');
      fourthLeg = bus.id;
      const run = await propose(bus.id);
      const planned = run.assignments.map((a) => a.personId);
      expect(planned).toContain(father);
      expect(planned).not.toContain(copy);
      expect(planned.filter((p) => family.personIds.includes(p))).toHaveLength(family.personIds.length);
      expect(run.figures.peopleConsidered).toBe(family.personIds.length);
      expect(run.duplicates).toEqual([
        expect.objectContaining({ personId: copy, keptPersonId: father, reason: 'collapsed' }),
      ]);
      expect(run.duplicates[0]!.message).toContain(`planned once, with household ${family.reference}`);
      const committed = await call(server.app, coordinator, 'POST', `${runs}/${run.id}/commit`, {
        deadlineHours: 24,
      });
      expect(committed.statusCode, committed.body).toBe(200);
      const offered = committed.json().offers.map((o: { personId: string }) => o.personId);
      expect(offered).toContain(father);
      expect(offered).not.toContain(copy);
      const held = await server.ctx.db.db
        .selectFrom('seat_assignments')
        .select('person_id')
        .where('person_id', 'in', [father, copy])
        .where('status', '=', 'offered')
        .execute();
      expect(held.map((h) => h.person_id)).toEqual([father]);
    });

    it('after the merge is undone, the other registration can get a seat again', async () => {
      const decision = await server.ctx.db.db
        .selectFrom('identity_decisions')
        .select('id')
        .where('crisis_id', '=', crisisId)
        .where('revoked_at', 'is', null)
        .executeTakeFirstOrThrow();
      const undone = await call(
        server.app,
        coordinator,
        'POST',
        `/api/v1/crises/${crisisId}/identity-decisions/${decision.id}/revoke`,
        {},
      );
      expect(undone.statusCode, undone.body).toBe(200);
      expect(await confirmedIdentityGroups(server.ctx.db.db, crisisId)).toEqual([]);
      const bus = await newLeg('Bus five');
      const run = await propose(bus.id);
      expect(run.duplicates).toEqual([]);
      expect(run.assignments.map((a) => a.personId)).toContain(copy);
      const seat = await offer(bus.id, again.householdId);
      expect(seat.statusCode, seat.body).toBe(201);
      expect(seat.json().items.map((i: { personId: string }) => i.personId)).toEqual([copy]);

      // Merged again while both hold a place: the coordinator sees the double booking to clean up.
      const doubles = `/api/v1/crises/${crisisId}/duplicate-seats`;
      expect((await call(server.app, coordinator, 'GET', doubles)).json().items).toEqual([]);
      expect((await decide(candidateId, 'same')).statusCode).toBe(200);
      const listed = await call(server.app, coordinator, 'GET', doubles);
      expect(listed.statusCode, listed.body).toBe(200);
      expect(listed.json().items).toHaveLength(1);
      expect(listed.json().items[0].personIds).toEqual([father, copy].sort());
      expect(
        listed
          .json()
          .items[0].assignments.map((a: { personId: string; legId: string }) => `${a.personId}|${a.legId}`)
          .sort(),
      ).toEqual([`${father}|${fourthLeg}`, `${copy}|${bus.id}`].sort());
      const elsewhere = await call(
        server.app,
        coordinator,
        'GET',
        '/api/v1/crises/00000000-0000-4000-8000-000000000000/duplicate-seats',
      );
      expect(elsewhere.statusCode).toBe(404);
    });

    it('does not offer one person twice within one household, and an "unsure" decision does not join', async () => {
      const twin = await register(
        familyRegistration({
          crisis: crisisId,
          members: [
            {
              relationship: 'head',
              nameLatin: { full: 'Synthetic Mother Example' },
              sex: 'female',
              birthDate: '1982-01-05',
              eligibilityCategory: 'citizen',
            },
            {
              relationship: 'child',
              nameLatin: { full: 'Synthetic Child Example' },
              sex: 'male',
              birthDate: '2014-02-02',
            },
            {
              relationship: 'child',
              nameLatin: { full: 'Synthetic Kid Example' },
              sex: 'male',
              birthDate: '2014-02-02',
            },
          ],
        }),
      );
      const [mother, child, sameChild] = twin.personIds as [string, string, string];
      const pair = async (x: string, y: string) => {
        const id = newId();
        const [a, b] = [x, y].sort() as [string, string];
        await server.ctx.db.db
          .insertInto('duplicate_candidates')
          .values({
            id,
            crisis_id: crisisId,
            person_a: a,
            person_b: b,
            score: 0.9,
            band: 'match',
            explanation: '[]',
            status: 'pending',
            found_at: new Date().toISOString(),
          })
          .execute();
        return id;
      };
      const motherChild = await pair(mother, child);
      expect((await decide(motherChild, 'unsure')).statusCode).toBe(200);
      expect((await decide(await pair(mother, sameChild), 'not_same')).statusCode).toBe(200);
      expect(await confirmedIdentityGroups(server.ctx.db.db, crisisId, twin.personIds)).toEqual([]);
      expect((await decide(await pair(child, sameChild), 'same')).statusCode).toBe(200);
      expect(await confirmedIdentityGroups(server.ctx.db.db, crisisId, [mother, child])).toEqual([
        [child, sameChild].sort(),
      ]);

      const bus = await newLeg('Bus six');
      const refused = await offer(bus.id, twin.householdId);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.fields[0].path).toBe('personIds');
      expect(refused.json().error.message).toContain('chosen twice');
      expect(refused.json().error.params).toEqual({ count: 1 });
      const run = await propose(bus.id);
      const planned = run.assignments
        .filter((a) => a.householdId === twin.householdId)
        .map((a) => a.personId);
      // Same household size: the earlier registered is kept, then the smaller id.
      const order = await server.ctx.db.db
        .selectFrom('persons')
        .select('id')
        .where('id', 'in', [child, sameChild])
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      const kept = order[0]!.id;
      const other = order[1]!.id;
      expect(planned.sort()).toEqual([mother, kept].sort());
      expect(run.duplicates).toEqual([
        expect.objectContaining({
          personId: other,
          keptPersonId: kept,
          reason: 'collapsed',
        }),
      ]);
      const committed = await call(server.app, coordinator, 'POST', `${runs}/${run.id}/commit`, {
        deadlineHours: 24,
      });
      expect(committed.statusCode, committed.body).toBe(200);
      expect(
        committed
          .json()
          .offers.filter((o: { householdId: string }) => o.householdId === twin.householdId)
          .map((o: { personId: string }) => o.personId)
          .sort(),
      ).toEqual([mother, kept].sort());

      // A registration linked to a restricted case is left out of the groups; a chain through it still joins.
      expect((await decide(motherChild, 'same')).statusCode).toBe(200);
      expect(await confirmedIdentityGroups(server.ctx.db.db, crisisId, [mother])).toEqual([
        [mother, child, sameChild].sort(),
      ]);
      const at = new Date().toISOString();
      await server.ctx.db.db
        .insertInto('restricted_cases')
        .values({
          id: newId(),
          crisis_id: crisisId,
          number: 'R-SYN-0001',
          kind: 'missing',
          status: 'missing',
          citizenship: 'confirmed',
          person_id: child,
          sealed: '{}',
          version: 1,
          created_by: null,
          created_at: at,
          updated_at: at,
        })
        .execute();
      expect(await confirmedIdentityGroups(server.ctx.db.db, crisisId, [mother])).toEqual([
        [mother, sameChild].sort(),
      ]);
    });
  });
}
