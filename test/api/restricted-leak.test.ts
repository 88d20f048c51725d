import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/access/actor.js';
import { BUILT_IN_ROLES } from '../../src/access/roles.js';
import { createZone } from '../../src/modules/crises/crisis.service.js';
import { familyRegistration } from '../fixtures/persons/registrations.js';
import { call, type Session, signIn } from '../helpers/api.js';
import { DIALECTS } from '../helpers/context.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * The leak test of the restricted area: once a registered person is linked to a hostage case,
 * every non-restricted role tries search, list, filters, counts, export, id guessing, duplicate
 * queues and case creation — and nothing about that person comes back.
 */
for (const dialect of DIALECTS) {
  describe(`restricted persons never leak (${dialect})`, () => {
    let server: TestServer;
    let crisisId: string;
    let cell: Session;
    const sessions = new Map<string, Session>();
    let hidden: { id: string; householdId: string };
    let visibleCount: number;

    beforeAll(async () => {
      server = await startTestServer({
        dialect,
        env: { PORTAL_RATE_LIMIT_PER_MINUTE: '100000', API_RATE_LIMIT_PER_MINUTE: '100000' },
      });
      crisisId = (await server.createCrisis({ name: 'Leak test crisis' })).id;
      for (const name of ['Khan Younis', 'Rafah'])
        await createZone(server.ctx, systemActor(), crisisId, { name });
      for (const role of BUILT_IN_ROLES) {
        const email = `${role.id}@example.org`;
        const s = await server.createStaff({
          email,
          password: `${role.id} password`,
          grants: [{ role: role.id, crisisId: role.id === 'administrator' ? null : crisisId }],
        });
        sessions.set(role.id, await signIn(server.app, email, `${role.id} password`, s.totpSecret));
      }
      cell = sessions.get('restricted_cases_officer')!;
      // The same family registered twice (so the duplicate queue would pair the grandmother).
      for (let i = 0; i < 2; i++) {
        const res = await server.app.inject({
          method: 'POST',
          url: '/api/v1/public/registrations',
          payload: familyRegistration({ crisis: crisisId }),
        });
        expect(res.statusCode, res.body).toBe(201);
      }
      const grandmothers = await server.ctx.db.db
        .selectFrom('persons')
        .select(['id', 'household_id'])
        .where('crisis_id', '=', crisisId)
        .where('relationship', '=', 'parent')
        .execute();
      hidden = { id: grandmothers[0]!.id, householdId: grandmothers[0]!.household_id };
      const totalBefore = (
        await call(
          server.app,
          sessions.get('consular_officer'),
          'GET',
          `/api/v1/crises/${crisisId}/persons?limit=200`,
        )
      ).json().total as number;
      const linked = await call(server.app, cell, 'POST', `/api/v1/crises/${crisisId}/restricted-cases`, {
        kind: 'hostage',
        status: 'confirmed_held',
        citizenship: 'unconfirmed',
        person: { fullNameAr: 'فاطمة حسن التستاوي' },
        personId: hidden.id,
      });
      expect(linked.statusCode, linked.body).toBe(201);
      visibleCount = totalBefore - 1;
    });
    afterAll(async () => server?.close());

    it('shows nothing of the linked person to any other role, on any endpoint that returns persons', async () => {
      const base = `/api/v1/crises/${crisisId}`;
      for (const role of BUILT_IN_ROLES.filter((r) => r.id !== 'restricted_cases_officer')) {
        const s = sessions.get(role.id)!;
        const probes = [
          `${base}/persons?limit=200`,
          `${base}/persons?q=${encodeURIComponent('فاطمة')}`,
          `${base}/persons?q=${encodeURIComponent('التستاوي')}&vulnerability=elderly`,
          `${base}/persons?vulnerability=elderly,mobility`,
          `${base}/persons/${hidden.id}`,
          `${base}/persons/${hidden.id}/registrations`,
          `${base}/persons/export?format=csv`,
          `${base}/duplicates?limit=200`,
          `${base}/duplicates?status=same`,
          `${base}/cases?queue=all`,
          `${base}/restricted-cases`,
        ];
        for (const url of probes) {
          const res = await call(server.app, s, 'GET', url);
          const label = `${role.id} GET ${url} -> ${res.statusCode}`;
          expect(res.body, label).not.toContain(hidden.id);
          if (url.endsWith(`/persons/${hidden.id}`) || url.endsWith('/registrations'))
            expect([403, 404], label).toContain(res.statusCode);
          if (url.endsWith('/persons?limit=200') && res.statusCode === 200)
            expect(res.json().total, label).toBe(visibleCount);
        }
        if (role.permissions.includes('matching.review')) {
          const search = await call(server.app, s, 'POST', `${base}/duplicates/search`, {});
          expect(search.statusCode).toBe(200);
          const queue = await call(server.app, s, 'GET', `${base}/duplicates?limit=200`);
          expect(queue.body).not.toContain(hidden.id);
        }
        if (role.permissions.includes('case.update')) {
          const open = await call(server.app, s, 'POST', `${base}/cases`, {
            personId: hidden.id,
            type: 'medical',
            summary: 'Probe',
          });
          expect(open.statusCode, `${role.id} case for hidden person`).toBe(400);
        }
      }
      // The restricted cell still has the full file.
      const file = await call(server.app, cell, 'GET', `${base}/restricted-cases`);
      expect(file.json().items[0].personId).toBe(hidden.id);
    }, 120_000);
  });
}
