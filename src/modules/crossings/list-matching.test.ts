import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildListPdf } from '../../../test/fixtures/crossing-lists/build.js';
import { familyRegistration } from '../../../test/fixtures/persons/registrations.js';
import { call, multipart, type Session, signIn } from '../../../test/helpers/api.js';
import { DIALECTS } from '../../../test/helpers/context.js';
import { startTestServer, type TestServer } from '../../../test/helpers/server.js';
import { decideListMatches, listDatesForPersons } from './index.js';
import { checkApprovedLists } from './list-check.service.js';

describe('decideListMatches', () => {
  const c = (listId: string, registryId: string, score: number, decision: 'match' | 'review') => ({
    listId,
    registryId,
    score,
    decision,
    fields: [],
  });
  it('auto-links only a lone match and folds script variants onto one pair', () => {
    const decided = decideListMatches([
      c('e1|l', 'p1|l', 20, 'match'),
      c('e1|a', 'p1|a', 25, 'match'),
      c('e1|l', 'p2|l', 9, 'review'),
      c('e2|l', 'p3|l', 18, 'match'),
      c('e2|l', 'p4|l', 16, 'match'),
    ]);
    expect(decided.filter((d) => d.entryId === 'e1')).toEqual([
      expect.objectContaining({ personId: 'p1', score: 25, status: 'auto_linked' }),
      expect.objectContaining({ personId: 'p2', status: 'pending' }),
    ]);
    // Two registered people both match one list row: a human decides.
    expect(decided.filter((d) => d.entryId === 'e2').map((d) => d.status)).toEqual(['pending', 'pending']);
  });
});

for (const dialect of DIALECTS) {
  describe(`matching an approved list against the registry (${dialect})`, () => {
    let server: TestServer;
    let officer: Session;
    let crisisId: string;
    let firstLink: { reference: string; updateSecret: string };

    beforeAll(async () => {
      server = await startTestServer({ dialect, env: { PORTAL_RATE_LIMIT_PER_MINUTE: '100000' } });
      const crisis = await server.createCrisis({ name: 'List matching crisis' });
      crisisId = crisis.id;
      for (const name of ['Khan Younis', 'Rafah']) {
        await server.app.inject({ method: 'GET', url: '/healthz' });
        const { createZone } = await import('../crises/crisis.service.js');
        const { systemActor } = await import('../../access/actor.js');
        await createZone(server.ctx, systemActor(), crisisId, { name });
      }
      const s = await server.createStaff({
        email: 'mo@example.org',
        password: 'movement officer 1',
        grants: [
          { role: 'movement_coordinator', crisisId },
          { role: 'consular_officer', crisisId },
        ],
      });
      officer = await signIn(server.app, 'mo@example.org', 'movement officer 1', s.totpSecret);
      const register = (members: ReturnType<typeof familyRegistration>['members']) =>
        server.app.inject({
          method: 'POST',
          url: '/api/v1/public/registrations',
          payload: familyRegistration({ crisis: crisisId, members }),
        });
      // Same man as list row 1, spelled differently, same passport.
      const first = await register([
        {
          relationship: 'head',
          nameLatin: { given: 'Muhammad', full: 'Muhammad Abd al-Rahman' },
          sex: 'male',
          birthDate: '1980-03-14',
          eligibilityCategory: 'citizen',
          documents: [{ type: 'passport', number: 'A 123 4567' }],
        },
      ]);
      expect(first.statusCode).toBe(201);
      firstLink = first.json();
      // List row 2, registered in Arabic only by a relative.
      expect(
        (
          await register([
            {
              relationship: 'head',
              nameArabic: { full: 'فاطمه المصرى' },
              sex: 'female',
              birthDate: '1984',
              eligibilityCategory: 'citizen',
            },
          ])
        ).statusCode,
      ).toBe(201);
      // Someone not on the list.
      expect(
        (
          await register([
            {
              relationship: 'head',
              nameLatin: { full: 'Omar Haddad' },
              sex: 'male',
              birthDate: '1970',
              eligibilityCategory: 'citizen',
            },
          ])
        ).statusCode,
      ).toBe(201);
    });
    afterAll(async () => server?.close());

    it('auto-links the clear matches, queues the doubtful ones, and keeps reviewers’ decisions on a re-match', async () => {
      const rafah = await call(server.app, officer, 'POST', `/api/v1/crises/${crisisId}/crossings`, {
        name: 'Rafah',
        requiresApprovedList: true,
        sides: [{ name: 'Gaza side' }, { name: 'Egyptian side' }],
      });
      const body = multipart(
        { listDate: '2023-11-01', source: 'Crossings authority' },
        { name: 'file', filename: 'list.pdf', data: await buildListPdf() },
      );
      const imported = await server.app.inject({
        method: 'POST',
        url: `/api/v1/crises/${crisisId}/crossings/${rafah.json().id}/lists`,
        headers: { cookie: officer.cookie, 'x-csrf-token': officer.csrfToken, ...body.headers },
        payload: body.payload,
      });
      expect(imported.statusCode, imported.body).toBe(201);
      const listId = imported.json().id;

      const matched = await call(
        server.app,
        officer,
        'POST',
        `/api/v1/crises/${crisisId}/lists/${listId}/match`,
        {},
      );
      expect(matched.statusCode, matched.body).toBe(200);
      expect(matched.json()).toMatchObject({ entries: 6, registryPersons: 3 });
      expect(matched.json().autoLinked).toBeGreaterThanOrEqual(1);

      const all = await call(
        server.app,
        officer,
        'GET',
        `/api/v1/crises/${crisisId}/lists/${listId}/matches`,
      );
      const items = all.json().items as {
        id: string;
        status: string;
        entry: { rowNo: number };
        person: { id: string; fullName: string | null; fullNameAr: string | null };
        explanation: { field: string; level: string }[];
      }[];
      const row1 = items.find((i) => i.entry.rowNo === 1)!;
      expect(row1.person.fullName).toBe('Muhammad Abd al-Rahman');
      expect(row1.status).toBe('auto_linked');
      expect(row1.explanation.find((f) => f.field === 'passportNumber')?.level).toBe('agree');
      const row2 = items.find((i) => i.entry.rowNo === 2);
      expect(row2?.person.fullNameAr).toBe('فاطمه المصرى');
      expect(items.some((i) => i.person.fullName === 'Omar Haddad')).toBe(false);

      // A reviewer rejects row 2's candidate (or confirms it); a re-match keeps that decision.
      const decision = await call(
        server.app,
        officer,
        'POST',
        `/api/v1/crises/${crisisId}/lists/${listId}/matches/${row2!.id}/decision`,
        { decision: 'confirm' },
      );
      expect(decision.statusCode).toBe(200);
      const again = await call(
        server.app,
        officer,
        'POST',
        `/api/v1/crises/${crisisId}/lists/${listId}/match`,
        {},
      );
      expect(again.json().keptDecisions).toBe(1);
      const confirmed = await call(
        server.app,
        officer,
        'GET',
        `/api/v1/crises/${crisisId}/lists/${listId}/matches?status=confirmed`,
      );
      expect(confirmed.json().items).toHaveLength(1);

      // The portal's check: only with the update link or document + birth date; unknown looks like "not on a list".
      const byLink = await checkApprovedLists(
        server.ctx,
        { reference: firstLink.reference, secret: firstLink.updateSecret },
        '2023-11-01',
      );
      expect(byLink).toEqual({
        onList: true,
        lists: [{ listDate: '2023-11-01', crossing: 'Rafah', people: ['Muhammad'] }],
      });
      expect(
        await checkApprovedLists(
          server.ctx,
          { reference: firstLink.reference, secret: firstLink.updateSecret },
          '2023-11-02',
        ),
      ).toEqual({ onList: false, lists: [] });
      const byDocument = await checkApprovedLists(
        server.ctx,
        { documentNumber: 'a1234567', dateOfBirth: '1980-03-14' },
        '2023-11-01',
      );
      expect(byDocument.onList).toBe(true);
      expect(byDocument.lists[0]!.people).toEqual([]);
      expect(
        await checkApprovedLists(
          server.ctx,
          { documentNumber: 'A1234567', dateOfBirth: '1980-03-15' },
          '2023-11-01',
        ),
      ).toEqual({ onList: false, lists: [] });
      const wrongSecret = await server.app.inject({
        method: 'POST',
        url: '/api/v1/public/list-check',
        payload: { reference: firstLink.reference, secret: 'x'.repeat(22) },
      });
      const unknownRef = await server.app.inject({
        method: 'POST',
        url: '/api/v1/public/list-check',
        payload: { reference: 'AAA-AAA-AAA', secret: 'x'.repeat(22) },
      });
      expect(wrongSecret.statusCode).toBe(200);
      expect(wrongSecret.body).toBe(unknownRef.body);
      const badBody = await server.app.inject({
        method: 'POST',
        url: '/api/v1/public/list-check',
        payload: { documentNumber: 'A1234567', dateOfBirth: '14/03/1980' },
      });
      expect(badBody.statusCode).toBe(400);

      const dates = await listDatesForPersons(server.ctx, crisisId, [row1.person.id, row2!.person.id]);
      expect(dates.get(row1.person.id)?.[0]?.listDate).toBe('2023-11-01');
      expect(dates.get(row2!.person.id)?.[0]?.listDate).toBe('2023-11-01');
    }, 60_000);
  });
}
