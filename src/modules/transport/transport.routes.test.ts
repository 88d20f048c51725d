import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedApprovedList } from '../../../test/fixtures/crossing-lists/seed.js';
import { familyRegistration } from '../../../test/fixtures/persons/registrations.js';
import { call, type Session, signIn } from '../../../test/helpers/api.js';
import { DIALECTS } from '../../../test/helpers/context.js';
import { startTestServer, type TestServer } from '../../../test/helpers/server.js';
import { systemActor } from '../../access/actor.js';
import { createZone } from '../crises/crisis.service.js';
import { expireOffers } from './index.js';

const day = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * day).toISOString();

for (const dialect of DIALECTS) {
  describe(`transport legs, offers, boarding and manifests (${dialect})`, () => {
    let server: TestServer;
    let coordinator: Session;
    let analyst: Session;
    let crisisId: string;
    let otherCrisisId: string;
    let khanYounis: string;
    let rafah: string;
    /** Family of five, all on seats (synthetic). */
    let big: { reference: string; secret: string; householdId: string };
    /** Mother, infant (lap) and a father needing a stretcher (synthetic). */
    let small: { reference: string; secret: string; householdId: string };
    let base: string;

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
      return { reference, secret: updateSecret as string, householdId: h.id };
    };

    const newLeg = async (overrides: Record<string, unknown> = {}) => {
      const res = await call(server.app, coordinator, 'POST', base, {
        kind: 'bus',
        name: 'Bus 1',
        origin: 'Rafah crossing',
        destination: 'Cairo',
        assemblyPoint: 'Synthetic school yard, Khan Younis',
        reportAt: inDays(2.9),
        departureAt: inDays(3),
        seats: 4,
        lapPlaces: 1,
        stretcherPlaces: 1,
        operator: 'Synthetic Coaches',
        costPerSeat: 45.5,
        reachableZoneIds: [khanYounis],
        ...overrides,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; version: number; name: string };
    };
    const setStatus = async (legId: string, to: string) => {
      const leg = (await call(server.app, coordinator, 'GET', `${base}/${legId}`)).json();
      const res = await call(server.app, coordinator, 'POST', `${base}/${legId}/status`, {
        to,
        version: leg.version,
      });
      expect(res.statusCode, res.body).toBe(200);
    };
    const offer = (legId: string, householdId: string, extra: Record<string, unknown> = {}) =>
      call(server.app, coordinator, 'POST', `${base}/${legId}/assignments`, {
        householdId,
        offerDeadline: inDays(1),
        ...extra,
      });
    const respond = (who: { reference: string; secret: string }, legId: string, decision: string) =>
      server.app.inject({
        method: 'POST',
        url: '/api/v1/public/offers/respond',
        payload: { reference: who.reference, secret: who.secret, legId, decision },
      });

    beforeAll(async () => {
      server = await startTestServer({ dialect, env: { PORTAL_RATE_LIMIT_PER_MINUTE: '100000' } });
      crisisId = (await server.createCrisis({ name: 'Transport crisis' })).id;
      otherCrisisId = (await server.createCrisis({ name: 'Other crisis' })).id;
      base = `/api/v1/crises/${crisisId}/legs`;
      khanYounis = (await createZone(server.ctx, systemActor(), crisisId, { name: 'Khan Younis' })).id;
      rafah = (await createZone(server.ctx, systemActor(), crisisId, { name: 'Rafah' })).id;
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
      big = await register(familyRegistration({ crisis: crisisId }));
      small = await register(
        familyRegistration({
          crisis: crisisId,
          members: [
            {
              relationship: 'head',
              nameArabic: { given: 'نور', family: 'المثالي' },
              sex: 'female',
              birthDate: '1991-02-02',
              nationalities: ['US'],
              eligibilityCategory: 'citizen',
              documents: [
                { type: 'passport', number: 'Z9876-5432', issuingCountry: 'USA', expiryDate: '2031-01-01' },
              ],
            },
            {
              relationship: 'child',
              nameLatin: { given: 'Baby', family: 'Mithali' },
              sex: 'female',
              birthDate: new Date(Date.now() - 200 * day).toISOString().slice(0, 10),
            },
            {
              relationship: 'spouse',
              nameLatin: { given: 'Karim', family: 'Mithali' },
              sex: 'male',
              birthDate: '1988-05-05',
              vulnerabilities: ['medical'],
            },
          ],
        }),
      );
    });
    afterAll(async () => server?.close());

    it('plans legs with capacity by kind, refuses bad input and stale versions, and follows the status flow', async () => {
      const bad = await call(server.app, coordinator, 'POST', base, {
        kind: 'train',
        name: '',
        origin: 'A',
        destination: 'B',
        assemblyPoint: 'C',
        departureAt: 'tomorrow',
        seats: -1,
        crossingPointId: 'x',
        extra: true,
      });
      expect(bad.statusCode).toBe(400);
      const paths = bad.json().error.fields.map((f: { path: string }) => f.path);
      expect(paths).toEqual(expect.arrayContaining(['kind', 'name', 'departureAt', 'seats']));

      const unknownZone = await call(server.app, coordinator, 'POST', base, {
        kind: 'flight',
        name: 'Charter X',
        origin: 'Cairo',
        destination: 'Washington',
        assemblyPoint: 'Terminal 2',
        departureAt: inDays(5),
        seats: 150,
        reachableZoneIds: ['nope'],
      });
      expect(unknownZone.statusCode).toBe(400);
      expect(unknownZone.json().error.fields[0].path).toBe('reachableZoneIds.0');

      const flight = await newLeg({
        kind: 'flight',
        name: 'Charter Cairo–Dulles',
        seats: 150,
        lapPlaces: 10,
      });
      const bus = await newLeg({ name: 'Bus A', nextLegId: flight.id });
      expect(bus).toMatchObject({
        kind: 'bus',
        status: 'planned',
        capacity: { seats: 4, lapPlaces: 1, stretcherPlaces: 1 },
        costPerSeat: 45.5,
        currency: 'USD',
        nextLegId: flight.id,
        reachableZoneIds: [khanYounis],
        allowedTransitions: ['confirmed', 'cancelled'],
        version: 1,
      });
      const edited = await call(server.app, coordinator, 'PATCH', `${base}/${bus.id}`, {
        version: 1,
        seats: 5,
        reachableZoneIds: [khanYounis, rafah],
      });
      expect(edited.json()).toMatchObject({ version: 2, capacity: { seats: 5 } });
      const stale = await call(server.app, coordinator, 'PATCH', `${base}/${bus.id}`, {
        version: 1,
        seats: 6,
      });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().error.code).toBe('version_conflict');
      const jump = await call(server.app, coordinator, 'POST', `${base}/${bus.id}/status`, {
        to: 'departed',
        version: 2,
      });
      expect(jump.statusCode).toBe(409);
      expect(jump.json().error.message).toContain('allowed: confirmed, cancelled');
      await setStatus(bus.id, 'cancelled');
      const after = await call(server.app, coordinator, 'GET', `${base}/${bus.id}`);
      expect(after.json()).toMatchObject({ status: 'cancelled', allowedTransitions: [] });
      const list = await call(server.app, coordinator, 'GET', base);
      expect(list.json().items).toHaveLength(2);
    });

    it('checks capacity by kind, keeps households together, and gives infants laps and medical cases stretchers', async () => {
      const leg = await newLeg({ name: 'Bus B' });
      // Five people, four seats: refused whole, nobody is offered a place.
      const tooBig = await offer(leg.id, big.householdId);
      expect(tooBig.statusCode).toBe(409);
      expect(tooBig.json().error).toMatchObject({ code: 'capacity' });
      expect(tooBig.json().error.message).toContain('seat needs 5, 4 free');
      expect(tooBig.json().error.params).toEqual({
        leg: 'Bus B',
        short: [{ kind: 'seat', need: 5, free: 4 }],
      });
      const split = await offer(leg.id, big.householdId, {
        personIds: [
          (
            await server.ctx.db.db
              .selectFrom('persons')
              .select('id')
              .where('household_id', '=', big.householdId)
              .executeTakeFirstOrThrow()
          ).id,
        ],
      });
      expect(split.statusCode).toBe(409);
      expect(split.json().error.message).toContain('household travels together');
      expect(split.json().error.params).toEqual({ rule: 'travel_together' });
      expect(
        (await call(server.app, coordinator, 'GET', `${base}/${leg.id}/assignments`)).json().items,
      ).toEqual([]);

      const ok = await offer(leg.id, small.householdId);
      expect(ok.statusCode, ok.body).toBe(201);
      const kinds = ok
        .json()
        .items.map((i: { placeKind: string }) => i.placeKind)
        .sort();
      expect(kinds).toEqual(['lap', 'seat', 'stretcher']);
      expect(ok.json().items[0]).toMatchObject({ status: 'offered', householdReference: small.reference });
      expect(ok.json().items[0].code).toMatch(/^S-[346789ABCDEFGHJKMNPRTWXY]{6}$/);
      const counts = await call(server.app, coordinator, 'GET', `${base}/${leg.id}/counts`);
      expect(counts.json()).toMatchObject({
        offered: 3,
        emptySeats: 3,
        emptyLapPlaces: 0,
        emptyStretcherPlaces: 0,
      });
      // Holding one place already: a second offer to the same people is refused.
      const twice = await offer(leg.id, small.householdId);
      expect(twice.statusCode).toBe(409);
      // A connecting leg of the same journey may be offered too; an unrelated one may not.
      const feeder = await newLeg({ name: 'Feeder bus', nextLegId: leg.id });
      expect((await offer(feeder.id, small.householdId)).statusCode).toBe(201);
      const unrelated = await newLeg({ name: 'Bus D', seats: 10 });
      const clash = await offer(unrelated.id, small.householdId);
      expect(clash.statusCode).toBe(409);
      expect(clash.json().error.message).toContain('already hold a place');
      // Staff cancel one seat with a reason; cancelling a leg releases everybody's places.
      const onD = await offer(unrelated.id, big.householdId);
      expect(onD.statusCode, onD.body).toBe(201);
      const one = onD.json().items[0];
      const cancelled = await call(
        server.app,
        coordinator,
        'POST',
        `${base}/${unrelated.id}/assignments/${one.id}/cancel`,
        { reason: 'Registered twice' },
      );
      expect(cancelled.json()).toMatchObject({ status: 'cancelled', reason: 'Registered twice' });
      for (const l of [feeder.id, unrelated.id]) {
        const current = (await call(server.app, coordinator, 'GET', `${base}/${l}`)).json();
        const res = await call(server.app, coordinator, 'POST', `${base}/${l}/status`, {
          to: 'cancelled',
          version: current.version,
          reason: 'Driver unavailable',
        });
        expect(res.statusCode).toBe(200);
      }
      const released = (
        await call(server.app, coordinator, 'GET', `${base}/${unrelated.id}/assignments`)
      ).json();
      expect(released.items.map((i: { status: string }) => i.status)).toEqual(Array(5).fill('cancelled'));
      expect(released.items.find((i: { id: string }) => i.id !== one.id).reason).toBe(
        'Leg cancelled: Driver unavailable.',
      );
      expect(
        (await call(server.app, coordinator, 'GET', `${base}/${feeder.id}/counts`)).json(),
      ).toMatchObject({
        offered: 0,
        emptySeats: 4,
      });
      // Nobody from outside the reachable zones.
      const far = await newLeg({ name: 'Bus far', reachableZoneIds: [rafah], seats: 20 });
      const unreachable = await offer(far.id, big.householdId);
      expect(unreachable.statusCode).toBe(409);
      expect(unreachable.json().error.message).toContain('not in a zone');
      // Capacity cannot be cut below what is held.
      const cut = await call(server.app, coordinator, 'PATCH', `${base}/${leg.id}`, {
        version: 1,
        lapPlaces: 0,
      });
      expect(cut.statusCode).toBe(400);
      expect(cut.json().error.fields[0].path).toBe('lapPlaces');
    });

    it('puts only people on the day’s approved list on a leg through a crossing', async () => {
      const crossing = await call(server.app, coordinator, 'POST', `/api/v1/crises/${crisisId}/crossings`, {
        name: 'Synthetic gate',
        requiresApprovedList: true,
        sides: [{ name: 'North side', status: 'open' }],
      });
      expect(crossing.statusCode, crossing.body).toBe(201);
      const listDate = inDays(3).slice(0, 10);
      const leg = await newLeg({
        name: 'Gate bus',
        seats: 10,
        crossingPointId: crossing.json().id,
        crossingListDate: listDate,
      });
      const family = await register(familyRegistration({ crisis: crisisId }));
      const refusedOffer = await offer(leg.id, family.householdId);
      expect(refusedOffer.statusCode).toBe(409);
      expect(refusedOffer.json().error.message).toContain(`not on the approved list of ${listDate}`);

      // The list of that day names all five (as matching would have linked them).
      const db = server.ctx.db.db;
      const members = await db
        .selectFrom('persons')
        .select('id')
        .where('household_id', '=', family.householdId)
        .execute();
      await seedApprovedList(db, {
        crisisId,
        crossingPointId: crossing.json().id,
        listDate,
        matches: members.map((m) => ({ personId: m.id, status: 'auto_linked' })),
      });
      const accepted = await offer(leg.id, family.householdId);
      expect(accepted.statusCode, accepted.body).toBe(201);
      expect(accepted.json().items).toHaveLength(5);
      const current = (await call(server.app, coordinator, 'GET', `${base}/${leg.id}`)).json();
      await call(server.app, coordinator, 'POST', `${base}/${leg.id}/status`, {
        to: 'cancelled',
        version: current.version,
      });
    });

    it('lets the household see, confirm or decline offers behind its link; late confirmations are refused and expiry frees seats', async () => {
      const wrong = await server.app.inject({
        method: 'POST',
        url: '/api/v1/public/offers',
        payload: { reference: small.reference, secret: 'x'.repeat(22) },
      });
      const unknown = await server.app.inject({
        method: 'POST',
        url: '/api/v1/public/offers',
        payload: { reference: 'AAA-AAA-AAA', secret: 'x'.repeat(22) },
      });
      expect(wrong.statusCode).toBe(404);
      expect(unknown.statusCode).toBe(404);
      expect(wrong.body).toBe(unknown.body);

      const mine = await server.app.inject({
        method: 'POST',
        url: '/api/v1/public/offers',
        payload: { reference: small.reference, secret: small.secret },
      });
      expect(mine.statusCode).toBe(200);
      const busB = mine.json().items[0];
      expect(busB).toMatchObject({ name: 'Bus B', status: 'offered' });
      expect(busB.people.map((p: { givenName: string }) => p.givenName).sort()).toEqual([
        'Baby',
        'Karim',
        'نور',
      ]);
      expect(JSON.stringify(busB)).not.toContain('Z9876');

      const confirmed = await respond(small, busB.legId, 'confirm');
      expect(confirmed.statusCode, confirmed.body).toBe(200);
      expect(confirmed.json().people.every((p: { status: string }) => p.status === 'confirmed')).toBe(true);
      const again = await respond(small, busB.legId, 'decline');
      expect(again.statusCode).toBe(409);
      expect(again.json().error.message).toContain('no longer open: it is confirmed');

      // The big family: one offer declined, one left to run past its deadline.
      const flight = await newLeg({
        kind: 'flight',
        name: 'Flight 2',
        seats: 100,
        lapPlaces: 5,
        reachableZoneIds: [],
      });
      const offered = await offer(flight.id, big.householdId);
      expect(offered.statusCode, offered.body).toBe(201);
      await server.ctx.db.db
        .updateTable('seat_assignments')
        .set({ offer_deadline: new Date(Date.now() - 60_000).toISOString() })
        .where('leg_id', '=', flight.id)
        .execute();
      const late = await respond(big, flight.id, 'confirm');
      expect(late.statusCode).toBe(409);
      expect(late.json().error).toMatchObject({ code: 'offer_expired' });
      expect(late.json().error.message).toContain('deadline to confirm was');

      expect(await expireOffers(server.ctx, new Date())).toEqual({ expired: 5 });
      expect(await expireOffers(server.ctx, new Date())).toEqual({ expired: 0 });
      const counts = (await call(server.app, coordinator, 'GET', `${base}/${flight.id}/counts`)).json();
      expect(counts).toMatchObject({ offered: 0, emptySeats: 100 });
      const first = offered.json().items[0];
      const history = await call(
        server.app,
        coordinator,
        'GET',
        `${base}/${flight.id}/assignments/${first.id}/history`,
      );
      expect(history.json().items.map((e: { toStatus: string }) => e.toStatus)).toEqual([
        'offered',
        'expired',
      ]);

      // Freed seats can be offered again, then declined through the portal.
      const reoffer = await offer(flight.id, big.householdId);
      expect(reoffer.statusCode).toBe(201);
      const declined = await respond(big, flight.id, 'decline');
      expect(declined.json().status).toBe('declined');
      const audit = await server.ctx.db.db
        .selectFrom('audit_log')
        .select('action')
        .where('entity_id', '=', first.id)
        .execute();
      expect(audit.map((a) => a.action)).toEqual(['seat_assignment.expired']);
    });

    it('checks people in for the right leg only, records boarding outcomes and keeps live counts', async () => {
      const legs = (await call(server.app, coordinator, 'GET', base)).json().items;
      const busB = legs.find((l: { name: string }) => l.name === 'Bus B');
      const other = await newLeg({ name: 'Bus C', seats: 10 });
      const items = (await call(server.app, coordinator, 'GET', `${base}/${busB.id}/assignments`)).json()
        .items;
      const karim = items.find((i: { placeKind: string }) => i.placeKind === 'stretcher');

      const closed = await call(server.app, coordinator, 'POST', `${base}/${busB.id}/check-in`, {
        code: karim.code,
      });
      // Each refusal carries its facts (statuses as codes), so the console can word it in any language.
      expect(closed.json().error).toMatchObject({
        code: 'leg_not_boarding',
        params: { legStatus: 'planned' },
      });
      await setStatus(busB.id, 'confirmed');
      await setStatus(other.id, 'confirmed');

      const wrongLeg = await call(server.app, coordinator, 'POST', `${base}/${other.id}/check-in`, {
        code: karim.code.toLowerCase(),
      });
      expect(wrongLeg.statusCode).toBe(409);
      expect(wrongLeg.json().error).toMatchObject({
        code: 'wrong_leg',
        params: { leg: 'Bus C', otherLeg: 'Bus B' },
      });
      expect(wrongLeg.json().error.message).toContain('Bus B');

      const one = await call(server.app, coordinator, 'POST', `${base}/${busB.id}/check-in`, {
        code: karim.code,
      });
      expect(one.statusCode, one.body).toBe(200);
      expect(one.json().checkedIn).toHaveLength(1);
      expect(one.json().counts).toMatchObject({ confirmed: 2, checkedIn: 1 });
      const double = await call(server.app, coordinator, 'POST', `${base}/${busB.id}/check-in`, {
        code: karim.code,
      });
      expect(double.json().error).toMatchObject({
        code: 'already_checked_in',
        params: { seatStatus: 'checked_in', at: one.json().checkedIn[0].checkedInAt },
      });

      // The household reference checks in the rest of the family on this leg.
      const rest = await call(server.app, coordinator, 'POST', `${base}/${busB.id}/check-in`, {
        code: small.reference.replace(/-/g, ' '),
      });
      expect(rest.json().checkedIn).toHaveLength(2);

      // An unconfirmed seat cannot be checked in.
      const pending = await offer(other.id, big.householdId);
      expect(pending.statusCode, pending.body).toBe(201);
      const unconfirmed = await call(server.app, coordinator, 'POST', `${base}/${other.id}/check-in`, {
        code: pending.json().items[0].code,
      });
      expect(unconfirmed.json().error).toMatchObject({ code: 'not_confirmed' });
      const garbage = await call(server.app, coordinator, 'POST', `${base}/${other.id}/check-in`, {
        code: 'hello!',
      });
      expect(garbage.statusCode).toBe(400);

      const all = rest.json().checkedIn.concat(one.json().checkedIn) as { id: string; placeKind: string }[];
      const kind = (k: string) => all.find((x) => x.placeKind === k)!;
      const [a, b, c] = [kind('seat'), kind('lap'), kind('stretcher')];
      const board = (id: string, body: Record<string, string>) =>
        call(server.app, coordinator, 'POST', `${base}/${busB.id}/assignments/${id}/boarding`, body);
      expect((await board(a.id, { outcome: 'boarded' })).statusCode).toBe(200);
      const noReason = await board(b.id, { outcome: 'refused' });
      expect(noReason.statusCode).toBe(400);
      const refusedRes = await board(b.id, { outcome: 'refused', reason: 'Document does not match' });
      expect(refusedRes.json().assignment).toMatchObject({
        status: 'refused',
        reason: 'Document does not match',
      });
      const noShow = await board(c.id, { outcome: 'no_show' });
      expect(noShow.json().counts).toMatchObject({
        boarded: 1,
        refused: 1,
        noShow: 1,
        checkedIn: 0,
        emptySeats: 3,
      });
      const twice = await board(a.id, { outcome: 'no_show' });
      expect(twice.statusCode).toBe(409);
    });

    it('hands out manifests per recipient profile as CSV and PDF, logs and audits each one', async () => {
      const legs = (await call(server.app, coordinator, 'GET', base)).json().items;
      const flight = await newLeg({
        kind: 'flight',
        name: 'Charter Manifest',
        seats: 20,
        lapPlaces: 2,
        stretcherPlaces: 2,
      });
      const five = familyRegistration({ crisis: crisisId });
      const family = await register({
        ...five,
        members: [
          ...five.members,
          {
            relationship: 'child',
            nameArabic: {
              given: 'عبد الرحمن',
              father: 'محمد',
              grandfather: 'عبد الله',
              family: 'أبو السعود التستاوي',
            },
            sex: 'male',
            birthDate: '2010-01-01',
          },
        ],
      });
      expect((await offer(flight.id, family.householdId)).statusCode).toBe(201);
      expect((await respond(family, flight.id, 'confirm')).statusCode).toBe(200);
      const get = (profile: string, format: string) =>
        call(server.app, coordinator, 'POST', `${base}/${flight.id}/manifests`, {
          profile,
          format,
          recipient: 'Synthetic Air desk',
        });
      const airline = await get('airline', 'csv');
      expect(airline.statusCode, airline.body).toBe(200);
      expect(airline.headers['content-type']).toContain('text/csv');
      const lines = airline.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      expect(lines[0]).toBe('Name,Passport number,Nationality,Date of birth,Sex');
      expect(lines).toHaveLength(7);
      expect(lines).toContain('Samir Adel Hamdi Testawi,X1234-5678,USA,1980-03-14,M');
      expect(lines).toContain('ليلى التستاوي,,,1984,F');
      const authority = await get('crossing_authority', 'csv');
      expect(authority.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('Name,Document number,Nationality');
      const receiving = await get('receiving_country', 'csv');
      expect(receiving.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('Name,Nationality,Date of birth');
      expect(receiving.body).not.toContain('X1234');

      const pdf = await get('airline', 'pdf');
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.rawPayload.length).toBeGreaterThan(1000);
      expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      if (process.env.MANIFEST_PDF_OUT) {
        const { writeFileSync } = await import('node:fs');
        writeFileSync(process.env.MANIFEST_PDF_OUT, pdf.rawPayload);
      }

      const log = await call(server.app, coordinator, 'GET', `${base}/${flight.id}/manifests`);
      expect(log.json().items).toHaveLength(4);
      const pdfEntry = log.json().items.find((m: { format: string }) => m.format === 'pdf');
      const { createHash } = await import('node:crypto');
      expect(pdfEntry).toMatchObject({
        profile: 'airline',
        recipient: 'Synthetic Air desk',
        rowCount: 6,
        sha256: createHash('sha256').update(pdf.rawPayload).digest('hex'),
      });
      expect(pdf.headers['x-manifest-sha256']).toBe(pdfEntry.sha256);
      const audit = await server.ctx.db.db
        .selectFrom('audit_log')
        .select('action')
        .where('entity_id', '=', flight.id)
        .where('action', '=', 'manifest.issued')
        .execute();
      expect(audit).toHaveLength(4);
      expect(legs.length).toBeGreaterThan(0);
    });

    it('gives fill and no-show figures per leg', async () => {
      const figures = await call(server.app, coordinator, 'GET', `${base}/figures`);
      expect(figures.statusCode).toBe(200);
      const busB = figures.json().items.find((f: { name: string }) => f.name === 'Bus B');
      // Capacity 4 seats + 1 stretcher; the lap infant does not count against it.
      expect(busB).toMatchObject({
        capacity: 5,
        allocated: 1,
        confirmed: 2,
        boarded: 1,
        noShow: 1,
        noShowRate: 0.5,
      });
      const manifestLeg = figures.json().items.find((f: { name: string }) => f.name === 'Charter Manifest');
      expect(manifestLeg).toMatchObject({ capacity: 22, confirmed: 6, fillRate: 0.273 });

      // Over time: the same figures added up by day of departure, cancelled legs left out.
      const byDay = (await call(server.app, coordinator, 'GET', `${base}/figures/by-day`)).json().items as {
        day: string;
        legs: number;
        capacity: number;
        boarded: number;
        noShow: number;
      }[];
      const perLeg = (
        figures.json().items as {
          status: string;
          departureAt: string;
          capacity: number;
          boarded: number;
          noShow: number;
        }[]
      ).filter((l) => l.status !== 'cancelled');
      expect(byDay.map((d) => d.day)).toEqual(
        [...new Set(perLeg.map((l) => l.departureAt.slice(0, 10)))].sort(),
      );
      expect(byDay.reduce((n, d) => n + d.legs, 0)).toBe(perLeg.length);
      expect(byDay.reduce((n, d) => n + d.capacity, 0)).toBe(perLeg.reduce((n, l) => n + l.capacity, 0));
      expect(byDay.reduce((n, d) => n + d.noShow, 0)).toBe(perLeg.reduce((n, l) => n + l.noShow, 0));
    });

    it('refuses roles without movement permissions and hides legs of other crises', async () => {
      const leg = (await call(server.app, coordinator, 'GET', base)).json().items[0];
      expect((await call(server.app, analyst, 'GET', base)).statusCode).toBe(403);
      expect((await call(server.app, analyst, 'GET', `${base}/figures`)).statusCode).toBe(403);
      expect(
        (await call(server.app, analyst, 'POST', `${base}/${leg.id}/check-in`, { code: 'S-AAAAAA' }))
          .statusCode,
      ).toBe(403);
      const across = `/api/v1/crises/${otherCrisisId}/legs/${leg.id}`;
      expect((await call(server.app, coordinator, 'GET', across)).statusCode).toBe(404);
      expect(
        (
          await call(server.app, coordinator, 'POST', `${across}/manifests`, {
            profile: 'airline',
            format: 'csv',
            recipient: 'x',
          })
        ).statusCode,
      ).toBe(404);
    });
  });
}
