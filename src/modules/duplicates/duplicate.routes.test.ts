import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { familyRegistration } from '../../../test/fixtures/persons/registrations.js';
import { call, type Session, signIn } from '../../../test/helpers/api.js';
import { DIALECTS } from '../../../test/helpers/context.js';
import { startTestServer, type TestServer } from '../../../test/helpers/server.js';
import { systemActor } from '../../access/actor.js';
import { createZone } from '../crises/crisis.service.js';

type QueueItem = {
  id: string;
  band: string;
  status: string;
  explanation: { field: string; level: string }[];
  a: { id: string; fullName: string | null; fullNameAr: string | null };
  b: { id: string; fullName: string | null; fullNameAr: string | null };
};

for (const dialect of DIALECTS) {
  describe(`duplicates review queue (${dialect})`, () => {
    let server: TestServer;
    let officer: Session;
    let analyst: Session;
    let crisisId: string;

    beforeAll(async () => {
      server = await startTestServer({ dialect, env: { PORTAL_RATE_LIMIT_PER_MINUTE: '100000' } });
      crisisId = (await server.createCrisis({ name: 'Duplicates crisis' })).id;
      for (const name of ['Khan Younis', 'Rafah'])
        await createZone(server.ctx, systemActor(), crisisId, { name });
      const s = await server.createStaff({
        email: 'co@example.org',
        password: 'consular officer 1',
        grants: [{ role: 'consular_officer', crisisId }],
      });
      officer = await signIn(server.app, 'co@example.org', 'consular officer 1', s.totpSecret);
      const a = await server.createStaff({
        email: 'an2@example.org',
        password: 'analyst password',
        grants: [{ role: 'analyst', crisisId }],
      });
      analyst = await signIn(server.app, 'an2@example.org', 'analyst password', a.totpSecret);
      const register = async (body: ReturnType<typeof familyRegistration>) => {
        const res = await server.app.inject({
          method: 'POST',
          url: '/api/v1/public/registrations',
          payload: { ...body, crisis: crisisId },
        });
        expect(res.statusCode, res.body).toBe(201);
      };
      // The same father registered by himself in Arabic, by his brother abroad in English, and by a call centre.
      await register(
        familyRegistration({
          members: [
            {
              relationship: 'head',
              nameArabic: { full: 'محمد عبد الرحمن الشوا' },
              sex: 'male',
              birthDate: '1975-04-02',
              eligibilityCategory: 'citizen',
              documents: [{ type: 'passport', number: 'P5550001' }],
            },
          ],
        }),
      );
      await register(
        familyRegistration({
          registeredBy: 'relative',
          registrant: { name: 'Khalid Alshawwa', relationship: 'brother' },
          members: [
            {
              relationship: 'head',
              nameLatin: { full: 'Mohammed Abdelrahman Al-Shawwa' },
              sex: 'male',
              birthDate: '1975-04-02',
              eligibilityCategory: 'citizen',
              documents: [{ type: 'passport', number: 'P5550001' }],
            },
          ],
        }),
      );
      await register(
        familyRegistration({
          members: [
            {
              relationship: 'head',
              nameLatin: { full: 'Muhammad Al Shawa' },
              sex: 'male',
              birthDate: '1975',
              eligibilityCategory: 'citizen',
            },
          ],
        }),
      );
      // A different man with a common name and another passport.
      await register(
        familyRegistration({
          members: [
            {
              relationship: 'head',
              nameLatin: { full: 'Mohammed Khalil' },
              sex: 'male',
              birthDate: '1990-01-01',
              eligibilityCategory: 'citizen',
              documents: [{ type: 'passport', number: 'Q9990002' }],
            },
          ],
        }),
      );
    });
    afterAll(async () => server?.close());

    it('queues pairs with evidence; merge, undo and "not the same person" are kept with who and when', async () => {
      const search = await call(
        server.app,
        officer,
        'POST',
        `/api/v1/crises/${crisisId}/duplicates/search`,
        {},
      );
      expect(search.statusCode, search.body).toBe(200);
      expect(search.json().newlyQueued).toBeGreaterThanOrEqual(1);
      // Searching again queues nothing new.
      expect(
        (await call(server.app, officer, 'POST', `/api/v1/crises/${crisisId}/duplicates/search`, {})).json()
          .newlyQueued,
      ).toBe(0);

      const queue = await call(server.app, officer, 'GET', `/api/v1/crises/${crisisId}/duplicates`);
      const items = queue.json().items as QueueItem[];
      const names = (i: QueueItem) =>
        [i.a.fullName ?? i.a.fullNameAr, i.b.fullName ?? i.b.fullNameAr].sort().join(' / ');
      const shawwa = items.find((i) => names(i) === 'Mohammed Abdelrahman Al-Shawwa / محمد عبد الرحمن الشوا');
      expect(shawwa, items.map(names).join('\n')).toBeDefined();
      expect(shawwa!.band).toBe('match');
      expect(shawwa!.explanation.find((f) => f.field === 'passportNumber')?.level).toBe('agree');
      expect(items.some((i) => names(i).includes('Mohammed Khalil'))).toBe(false);

      const merged = await call(
        server.app,
        officer,
        'POST',
        `/api/v1/crises/${crisisId}/duplicates/${shawwa!.id}/decision`,
        { decision: 'same', note: 'Same passport' },
      );
      expect(merged.statusCode).toBe(200);
      const identity = await call(
        server.app,
        officer,
        'GET',
        `/api/v1/crises/${crisisId}/persons/${shawwa!.a.id}/registrations`,
      );
      expect(
        identity
          .json()
          .registrations.map((r: { id: string }) => r.id)
          .sort(),
      ).toEqual([shawwa!.a.id, shawwa!.b.id].sort());
      expect(identity.json().decisions[0]).toMatchObject({ note: 'Same passport', decidedByName: 'co' });

      expect(
        (
          await call(
            server.app,
            officer,
            'POST',
            `/api/v1/crises/${crisisId}/duplicates/${shawwa!.id}/decision`,
            { decision: 'same' },
          )
        ).statusCode,
      ).toBe(409);
      const undo = await call(
        server.app,
        officer,
        'POST',
        `/api/v1/crises/${crisisId}/identity-decisions/${merged.json().decisionId}/revoke`,
        {},
      );
      expect(undo.statusCode).toBe(200);
      const after = await call(
        server.app,
        officer,
        'GET',
        `/api/v1/crises/${crisisId}/persons/${shawwa!.a.id}/registrations`,
      );
      expect(after.json().registrations).toHaveLength(1);
      expect(
        (await call(server.app, officer, 'GET', `/api/v1/crises/${crisisId}/duplicates`))
          .json()
          .items.some((i: QueueItem) => i.id === shawwa!.id),
      ).toBe(true);

      const notSame = await call(
        server.app,
        officer,
        'POST',
        `/api/v1/crises/${crisisId}/duplicates/${shawwa!.id}/decision`,
        { decision: 'not_same' },
      );
      expect(notSame.json().status).toBe('not_same');
      const decided = await call(
        server.app,
        officer,
        'GET',
        `/api/v1/crises/${crisisId}/duplicates?status=not_same`,
      );
      expect(decided.json().items.map((i: QueueItem) => i.id)).toEqual([shawwa!.id]);

      const actions = await server.ctx.db.db
        .selectFrom('audit_log')
        .select('action')
        .where('crisis_id', '=', crisisId)
        .execute();
      expect(actions.map((a) => a.action)).toEqual(
        expect.arrayContaining([
          'duplicates.searched',
          'identity.same',
          'identity.decision_revoked',
          'identity.not_same',
        ]),
      );

      // Analysts see aggregates only.
      expect(
        (await call(server.app, analyst, 'GET', `/api/v1/crises/${crisisId}/duplicates`)).statusCode,
      ).toBe(403);
    }, 60_000);
  });
}
