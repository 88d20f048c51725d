import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { familyRegistration } from '../../../test/fixtures/persons/registrations.js';
import { seedCrisis } from '../../../test/fixtures/persons/seed.js';
import { call, type Session, signIn } from '../../../test/helpers/api.js';
import { DIALECTS } from '../../../test/helpers/context.js';
import { startTestServer, type TestServer } from '../../../test/helpers/server.js';

type Item = {
  id: string;
  reference: string;
  displayName: string;
  relationship: string;
  eligibility: string;
  status: string;
};
type Page = {
  person: {
    id: string;
    status: string;
    eligibility: string;
    documents: { numberNormalised: string }[];
    contacts: { value: string }[];
  };
  household: { members: { id: string; eligibility: string; relationship: string }[] };
  history: { kind: string; status: string | null; reason: string | null }[];
  audit: { action: string }[];
};

for (const dialect of DIALECTS) {
  describe(`staff registry API (${dialect})`, () => {
    let server: TestServer;
    let agent: Session;
    let outsider: Session;
    let analyst: Session;
    let crisisId: string;
    let reference: string;

    beforeAll(async () => {
      server = await startTestServer({
        dialect,
        env: { API_RATE_LIMIT_PER_MINUTE: '100000', PORTAL_RATE_LIMIT_PER_MINUTE: '100000' },
      });
      crisisId = (await seedCrisis(server.ctx)).crisis.id;
      const other = (await seedCrisis(server.ctx, 'Another crisis')).crisis.id;
      const make = async (email: string, role: string, crisis: string) => {
        const { totpSecret } = await server.createStaff({
          email,
          password: `${email} password`,
          grants: [{ role, crisisId: crisis }],
        });
        return signIn(server.app, email, `${email} password`, totpSecret);
      };
      agent = await make('agent@example.org', 'call_centre_agent', crisisId);
      outsider = await make('outsider@example.org', 'consular_officer', other);
      analyst = await make('analyst@example.org', 'analyst', crisisId);
      const res = await server.app.inject({
        method: 'POST',
        url: '/api/v1/public/registrations',
        payload: familyRegistration({ crisis: crisisId }),
      });
      reference = res.json<{ reference: string }>().reference;
    });
    afterAll(async () => server.close());

    const list = (session: Session, query: string) =>
      call(server.app, session, 'GET', `/api/v1/crises/${crisisId}/persons?${query}`);

    it('searches by partial names in either script, phone, document number and reference', async () => {
      for (const q of [
        'sam test',
        'التستاوي',
        'التستاوى',
        'ليلى',
        '+970 59 912 3456',
        'X1234-5678',
        reference.toLowerCase(),
      ]) {
        const res = await list(agent, `q=${encodeURIComponent(q)}`);
        expect(res.statusCode, q).toBe(200);
        expect(res.json<{ total: number }>().total, q).toBeGreaterThan(0);
      }
      const byReference = await list(agent, `q=${encodeURIComponent(reference)}`);
      expect(byReference.json<{ items: Item[] }>().items.every((i) => i.reference === reference)).toBe(true);
      expect((await list(agent, 'q=nobody-like-this')).json<{ total: number }>().total).toBe(0);
    });

    it('filters by zone, status, intention, eligibility, vulnerability and channel', async () => {
      const pregnant = await list(
        agent,
        'vulnerability=pregnancy&intention=leave&channel=portal_self&status=registered',
      );
      expect(pregnant.json<{ items: Item[] }>().items.map((i) => i.relationship)).toEqual(['spouse']);
      const toVerify = await list(agent, 'eligibility=not_eligible');
      expect(toVerify.json<{ total: number }>().total).toBe(0);
      const bad = await list(agent, 'status=flying');
      expect(bad.statusCode).toBe(400);
    });

    it('hides another crisis and refuses roles without person.read', async () => {
      expect((await list(outsider, '')).statusCode).toBe(404);
      expect((await list(analyst, '')).statusCode).toBe(403);
      expect((await list({ cookie: '', csrfToken: '' }, '')).statusCode).toBe(401);
    });

    it('shows the person page with household, documents, history and audit, and audits the read', async () => {
      const head = (await list(agent, 'q=samir')).json<{ items: Item[] }>().items[0]!;
      const res = await call(server.app, agent, 'GET', `/api/v1/crises/${crisisId}/persons/${head.id}`);
      expect(res.statusCode).toBe(200);
      const page = res.json<Page>();
      expect(page.household.members).toHaveLength(5);
      expect(page.person.documents[0]!.numberNormalised).toBe('X12345678');
      expect(page.person.contacts.map((c) => c.value)).toContain('+970599123456');
      expect(page.history[0]!.kind).toBe('registered');
      expect(page.audit.map((a) => a.action)).toContain('person.viewed');
      expect(
        (await call(server.app, outsider, 'GET', `/api/v1/crises/${crisisId}/persons/${head.id}`)).statusCode,
      ).toBe(404);
    });

    it('edits with a reason, keeps status history and derives eligibility again', async () => {
      const head = (await list(agent, 'q=samir')).json<{ items: Item[] }>().items[0]!;
      const noReason = await call(
        server.app,
        agent,
        'PATCH',
        `/api/v1/crises/${crisisId}/persons/${head.id}`,
        { status: 'verified' },
      );
      expect(noReason.statusCode).toBe(400);
      expect(noReason.json().error.fields[0].path).toBe('reason');
      const res = await call(server.app, agent, 'PATCH', `/api/v1/crises/${crisisId}/persons/${head.id}`, {
        reason: 'Passport seen on video call; not a citizen after all',
        status: 'verified',
        eligibilityCategory: 'other_person_of_interest',
      });
      expect(res.statusCode).toBe(200);
      const page = res.json<Page>();
      expect(page.person.status).toBe('verified');
      expect(page.history.find((h) => h.kind === 'status')).toMatchObject({
        status: 'verified',
        reason: 'Passport seen on video call; not a citizen after all',
      });
      const spouse = page.household.members.find((m) => m.relationship === 'spouse')!;
      expect(spouse.eligibility).toBe('to_verify');
      expect(page.audit.map((a) => a.action)).toContain('person.updated');
    });

    it('takes a call-centre registration in the agent’s crisis only', async () => {
      const body = familyRegistration({
        members: [
          {
            relationship: 'head',
            nameArabic: { full: 'جدة تجريبية' },
            birthDate: '1941',
            vulnerabilities: ['elderly'],
          },
        ],
        contacts: [],
      });
      const res = await call(server.app, agent, 'POST', `/api/v1/crises/${crisisId}/registrations`, body);
      expect(res.statusCode).toBe(201);
      const { householdId } = res.json<{ householdId: string }>();
      const household = await server.ctx.db.db
        .selectFrom('households')
        .selectAll()
        .where('id', '=', householdId)
        .executeTakeFirstOrThrow();
      expect(household).toMatchObject({ channel: 'call_centre', registered_by: 'staff' });
      const refused = await call(
        server.app,
        outsider,
        'POST',
        `/api/v1/crises/${crisisId}/registrations`,
        body,
      );
      expect(refused.statusCode).toBe(404);
    });
  });
}
