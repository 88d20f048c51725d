import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedApprovedList } from '../../../test/fixtures/crossing-lists/seed.js';
import { familyRegistration } from '../../../test/fixtures/persons/registrations.js';
import { call, type Session, signIn } from '../../../test/helpers/api.js';
import { DIALECTS } from '../../../test/helpers/context.js';
import { startTestServer, type TestServer } from '../../../test/helpers/server.js';
import { systemActor } from '../../access/actor.js';
import { newId } from '../../lib/ids.js';
import { advanceWelfareRuns } from '../cases/welfare.service.js';
import { createZone } from '../crises/crisis.service.js';
import { assignHousehold } from '../transport/assignment.service.js';
import { createLeg } from '../transport/leg.service.js';
import { queueCampaign, queueDueCampaigns } from './campaign.service.js';

const hour = 3_600_000;
const inHours = (n: number) => new Date(Date.now() + n * hour).toISOString();

for (const dialect of DIALECTS) {
  describe(`messaging: templates, audiences, campaigns, approval, hooks (${dialect})`, () => {
    let server: TestServer;
    let manager: Session;
    let manager2: Session;
    let officer: Session;
    let analyst: Session;
    let managerId: string;
    let crisisId: string;
    let otherCrisisId: string;
    let base: string;
    /** Arabic-speaking family of five sharing one WhatsApp phone (synthetic). */
    let familyA: { householdId: string; personIds: string[] };
    /** English-speaking couple, each with their own contact (synthetic). */
    let familyB: { householdId: string; personIds: string[] };
    /** A French-speaking person without any contact. */
    let loneC: { householdId: string; personIds: string[] };
    /** A person linked to a restricted (missing-person) case. */
    let restrictedD: { householdId: string; personIds: string[] };

    const register = async (body: ReturnType<typeof familyRegistration>) => {
      const res = await server.app.inject({
        method: 'POST',
        url: '/api/v1/public/registrations',
        payload: body,
      });
      expect(res.statusCode, res.body).toBe(201);
      const h = await server.ctx.db.db
        .selectFrom('households')
        .select('id')
        .where('reference', '=', res.json().reference)
        .executeTakeFirstOrThrow();
      const persons = await server.ctx.db.db
        .selectFrom('persons')
        .select('id')
        .where('household_id', '=', h.id)
        .orderBy('id')
        .execute();
      return { householdId: h.id, personIds: persons.map((p) => p.id) };
    };
    const staff = async (email: string, role: string) => {
      const s = await server.createStaff({ email, password: `${email} pw`, grants: [{ role, crisisId }] });
      return { id: s.id, session: await signIn(server.app, email, `${email} pw`, s.totpSecret) };
    };
    const messagesOf = (campaignId: string) =>
      server.ctx.db.db
        .selectFrom('messages')
        .selectAll()
        .where('campaign_id', '=', campaignId)
        .orderBy('person_id')
        .execute();

    beforeAll(async () => {
      server = await startTestServer({ dialect, env: { PORTAL_RATE_LIMIT_PER_MINUTE: '100000' } });
      crisisId = (await server.createCrisis({ name: 'Messaging crisis' })).id;
      otherCrisisId = (await server.createCrisis({ name: 'Other crisis' })).id;
      base = `/api/v1/crises/${crisisId}/messaging`;
      await createZone(server.ctx, systemActor(), crisisId, { name: 'Khan Younis' });
      const m = await staff('cm1@example.org', 'crisis_manager');
      manager = m.session;
      managerId = m.id;
      manager2 = (await staff('cm2@example.org', 'crisis_manager')).session;
      officer = (await staff('co@example.org', 'consular_officer')).session;
      analyst = (await staff('an@example.org', 'analyst')).session;
      familyA = await register(familyRegistration({ crisis: crisisId }));
      familyB = await register(
        familyRegistration({
          crisis: crisisId,
          locale: 'en',
          contacts: [],
          members: [
            {
              relationship: 'head',
              nameLatin: { given: 'Omar', family: 'Sampleton' },
              birthDate: '1979-01-01',
              nationalities: ['US'],
              eligibilityCategory: 'citizen',
              phone: '+970 59 700 0001',
              email: 'omar.sampleton@example.org',
            },
            {
              relationship: 'spouse',
              nameLatin: { given: 'Huda', family: 'Sampleton' },
              birthDate: '1982-02-02',
              email: 'huda.sampleton@example.org',
            },
          ],
        }),
      );
      loneC = await register(
        familyRegistration({
          crisis: crisisId,
          locale: 'fr',
          contacts: [],
          members: [
            {
              relationship: 'head',
              nameLatin: { given: 'Claire', family: 'Fictive' },
              birthDate: '1990',
              nationalities: ['FR'],
            },
          ],
        }),
      );
      restrictedD = await register(
        familyRegistration({
          crisis: crisisId,
          locale: 'en',
          contacts: [{ phone: '+970 59 700 0099', whatsapp: true }],
          members: [
            {
              relationship: 'head',
              nameLatin: { given: 'Hidden', family: 'Person' },
              birthDate: '1970',
              nationalities: ['US'],
              eligibilityCategory: 'citizen',
            },
          ],
        }),
      );
      const rco = await staff('rco@example.org', 'restricted_cases_officer');
      const rc = await call(server.app, rco.session, 'POST', `/api/v1/crises/${crisisId}/restricted-cases`, {
        kind: 'missing',
        status: 'missing',
        citizenship: 'confirmed',
        person: { fullName: 'Hidden Person' },
        personId: restrictedD.personIds[0],
      });
      expect(rc.statusCode, rc.body).toBe(201);
    });
    afterAll(async () => server?.close());

    const template = {
      name: 'Crossing opens',
      bodies: {
        en: {
          subject: 'Crossing {{crossing}}',
          body: 'Hello {{name}}, {{crossing}} opens tomorrow. Ref {{reference}}.',
        },
        fr: { body: 'Bonjour {{name}}, {{crossing}} ouvre demain. Réf. {{reference}}.' },
        ar: { body: 'مرحباً {{name}}، معبر {{crossing}} يفتح غداً. المرجع {{reference}}.' },
      },
    };
    let templateId: string;

    it('refuses callers without message.send, hides other crises, and refuses unknown variables by name', async () => {
      expect((await call(server.app, analyst, 'GET', `${base}/templates`)).statusCode).toBe(403);
      expect(
        (await call(server.app, manager, 'GET', `/api/v1/crises/${otherCrisisId}/messaging/templates`))
          .statusCode,
      ).toBe(404);
      const bad = await call(server.app, officer, 'POST', `${base}/templates`, {
        name: 'Typo',
        bodies: { en: { body: 'Hello {{nmae}}' }, ar: { body: 'مرحبا {{name}}' } },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.fields).toEqual([
        expect.objectContaining({ path: 'bodies.en.body', code: 'unknown_variable' }),
      ]);
      expect(bad.json().error.fields[0].message).toContain('{{nmae}}');
      const empty = await call(server.app, officer, 'POST', `${base}/templates`, { name: 'x', bodies: {} });
      expect(empty.statusCode).toBe(400);
      const ok = await call(server.app, officer, 'POST', `${base}/templates`, template);
      expect(ok.statusCode, ok.body).toBe(201);
      templateId = ok.json().id;
      expect(ok.json().variables).toEqual(['crossing', 'name', 'reference']);
      const list = await call(server.app, manager, 'GET', `${base}/templates`);
      expect(list.json().items.map((t: { id: string }) => t.id)).toContain(templateId);
    });

    it('renders drafts per language with SMS length, encoding and segments, and for one person in their language', async () => {
      const res = await call(server.app, officer, 'POST', `${base}/templates/render`, {
        bodies: template.bodies,
        variables: { crossing: { en: 'Rafah', ar: 'رفح' } },
        personId: familyA.personIds[0],
      });
      expect(res.statusCode, res.body).toBe(200);
      const r = res.json();
      expect(r.languages.en.sms.encoding).toBe('GSM-7');
      expect(r.languages.en.body).toBe('Hello Noor Example, Rafah opens tomorrow. Ref K7R-4MX-9PD.');
      expect(r.languages.ar.sms.encoding).toBe('UCS-2');
      expect(r.languages.ar.sms.units).toBe(r.languages.ar.body.length);
      // French falls back to the English value; a variable left empty shows its name in the editor.
      expect(r.languages.fr.body).toBe('Bonjour Noor Example, Rafah ouvre demain. Réf. K7R-4MX-9PD.');
      const unfilled = await call(server.app, officer, 'POST', `${base}/templates/render`, {
        bodies: template.bodies,
      });
      expect(unfilled.json().languages.fr.body).toContain('[crossing]');
      expect(unfilled.json().person).toBeNull();
      // Family A registered in Arabic: the person preview is the Arabic text with their reference.
      expect(r.person.language).toBe('ar');
      expect(r.person.body).toContain('رفح');
      const ref = await server.ctx.db.db
        .selectFrom('households')
        .select('reference')
        .where('id', '=', familyA.householdId)
        .executeTakeFirstOrThrow();
      expect(r.person.body).toContain(ref.reference);
      const audited = await server.ctx.db.db
        .selectFrom('audit_log')
        .select('entity_id')
        .where('action', '=', 'message_template.previewed_for_person')
        .execute();
      expect(audited.map((a) => a.entity_id)).toContain(familyA.personIds[0]);
    });

    it('counts an audience once per person, choosing a channel from the preference order, never the restricted', async () => {
      const count = async (channels: string[], audience: Record<string, unknown> = {}) => {
        const res = await call(server.app, officer, 'POST', `${base}/audience/count`, { audience, channels });
        expect(res.statusCode, res.body).toBe(200);
        return res.json();
      };
      expect(await count(['sms', 'email'])).toEqual({
        people: 7,
        byChannel: { sms: 6, email: 1, whatsapp: 0 },
        unreachable: 1,
      });
      // WhatsApp only to a phone flagged for it: family A's shared phone is; Omar's own phone is not.
      expect(await count(['whatsapp', 'email'])).toEqual({
        people: 7,
        byChannel: { sms: 0, email: 2, whatsapp: 5 },
        unreachable: 1,
      });
      expect(await count(['email'])).toMatchObject({ people: 2, unreachable: 6 });
      expect(await count(['sms'], { vulnerability: ['pregnancy'] })).toMatchObject({ people: 1 });
      expect(await count(['sms'], { personIds: restrictedD.personIds })).toMatchObject({
        people: 0,
        unreachable: 0,
      });
      const bad = await call(server.app, officer, 'POST', `${base}/audience/count`, {
        audience: { status: ['sleeping'] },
        channels: ['sms'],
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.fields[0].path).toContain('audience.status');

      // People with a case in any of several states (the editor offers them as checkboxes).
      const openCase = async (personId: string, type: string) => {
        const res = await call(server.app, officer, 'POST', `/api/v1/crises/${crisisId}/cases`, {
          personId,
          type,
          summary: 'Synthetic case for an audience',
        });
        expect(res.statusCode, res.body).toBe(201);
        return res.json() as { id: string; version: number };
      };
      await openCase(familyA.personIds[0]!, 'medical');
      const waiting = await openCase(familyB.personIds[0]!, 'medical');
      await openCase(loneC.personIds[0]!, 'travel_documents');
      const moved = await call(
        server.app,
        officer,
        'POST',
        `/api/v1/crises/${crisisId}/cases/${waiting.id}/state`,
        {
          to: 'waiting_person',
          version: waiting.version,
        },
      );
      expect(moved.statusCode, moved.body).toBe(200);
      // Reached or not: everyone the filter selects.
      const selected = async (audience: Record<string, unknown>) => {
        const c = await count(['sms', 'email'], audience);
        return c.people + c.unreachable;
      };
      expect(await selected({ caseState: ['new'] })).toBe(2);
      expect(await selected({ caseState: ['waiting_person'] })).toBe(1);
      expect(await selected({ caseState: ['new', 'waiting_person'] })).toBe(3);
      expect(await selected({ caseType: 'medical', caseState: ['new', 'waiting_person'] })).toBe(2);
    });

    let campaignId: string;
    it('drafts a campaign, refusing a missing variable by name and a stranger template', async () => {
      const missing = await call(server.app, officer, 'POST', `${base}/campaigns`, {
        name: 'Rafah tomorrow',
        templateId,
        audience: { intention: ['leave'] },
        channels: ['sms', 'email'],
      });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().error.fields[0]).toMatchObject({
        path: 'variables.crossing',
        code: 'missing_variable',
      });
      const stranger = await call(server.app, officer, 'POST', `${base}/campaigns`, {
        name: 'x',
        templateId: newId(),
        audience: {},
        channels: ['sms'],
      });
      expect(stranger.json().error.fields[0].path).toBe('templateId');
      const res = await call(server.app, officer, 'POST', `${base}/campaigns`, {
        name: 'Rafah tomorrow',
        templateId,
        audience: { intention: ['leave'] },
        channels: ['sms', 'email'],
        variables: { crossing: { en: 'Rafah', fr: 'Rafah', ar: 'رفح' } },
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ status: 'draft', source: 'staff', recipientCount: 0 });
      campaignId = res.json().id;
    });

    it('needs a second person above the threshold: the creator and non-approvers cannot approve', async () => {
      expect(
        (await call(server.app, officer, 'PUT', `${base}/settings`, { approvalThreshold: 3 })).statusCode,
      ).toBe(403);
      const set = await call(server.app, manager, 'PUT', `${base}/settings`, { approvalThreshold: 3 });
      expect(set.statusCode, set.body).toBe(200);
      expect((await call(server.app, officer, 'GET', `${base}/settings`)).json().approvalThreshold).toBe(3);

      const notYet = await call(server.app, officer, 'POST', `${base}/campaigns/${campaignId}/send`, {});
      expect(notYet.statusCode).toBe(409);
      const submitted = await call(server.app, officer, 'POST', `${base}/campaigns/${campaignId}/submit`);
      expect(submitted.statusCode, submitted.body).toBe(200);
      expect(submitted.json()).toMatchObject({ status: 'awaiting_approval', recipientCount: 7 });
      const waiting = await call(server.app, officer, 'POST', `${base}/campaigns/${campaignId}/send`, {});
      expect(waiting.statusCode).toBe(409);
      expect(waiting.json().error.message).toContain('second person');
      // The officer may send but not approve.
      expect(
        (await call(server.app, officer, 'POST', `${base}/campaigns/${campaignId}/approve`)).statusCode,
      ).toBe(403);

      // A manager who created a campaign cannot approve their own.
      const own = await call(server.app, manager, 'POST', `${base}/campaigns`, {
        name: 'Own',
        templateId,
        audience: {},
        channels: ['sms'],
        variables: { crossing: 'Rafah' },
      });
      const ownId = own.json().id;
      expect(own.json().createdBy).toBe(managerId);
      expect(
        (await call(server.app, manager, 'POST', `${base}/campaigns/${ownId}/submit`)).json().status,
      ).toBe('awaiting_approval');
      const self = await call(server.app, manager, 'POST', `${base}/campaigns/${ownId}/approve`);
      expect(self.statusCode).toBe(403);
      expect(self.json().error.code).toBe('second_person_required');
      expect(
        (await call(server.app, manager, 'POST', `${base}/campaigns/${ownId}/cancel`)).json().status,
      ).toBe('cancelled');

      const approved = await call(server.app, manager2, 'POST', `${base}/campaigns/${campaignId}/approve`);
      expect(approved.statusCode, approved.body).toBe(200);
      expect(approved.json()).toMatchObject({ status: 'approved' });
      expect(approved.json().approvedBy).not.toBeNull();
      expect(
        (await call(server.app, manager2, 'POST', `${base}/campaigns/${campaignId}/approve`)).statusCode,
      ).toBe(409);
      const actions = await server.ctx.db.db
        .selectFrom('audit_log')
        .select('action')
        .where('entity_id', '=', campaignId)
        .execute();
      expect(actions.map((a) => a.action)).toEqual([
        'message_campaign.created',
        'message_campaign.submitted',
        'message_campaign.approved',
      ]);
    });

    it('shows each recipient their own text before sending', async () => {
      const res = await call(server.app, officer, 'GET', `${base}/campaigns/${campaignId}/preview?limit=20`);
      expect(res.statusCode, res.body).toBe(200);
      const items = res.json().items as {
        personId: string;
        channel: string;
        rendered: { language: string; body: string };
      }[];
      expect(items).toHaveLength(7);
      const b = items.find((i) => i.personId === familyB.personIds.find((p) => p))!;
      expect(['en']).toContain(b.rendered.language);
      const a = items.find((i) => familyA.personIds.includes(i.personId))!;
      expect(a.rendered.language).toBe('ar');
      expect(a.rendered.body).toContain('رفح');
    });

    it('queues one message per person in their language, idempotently', async () => {
      const sent = await call(server.app, officer, 'POST', `${base}/campaigns/${campaignId}/send`, {});
      expect(sent.statusCode, sent.body).toBe(200);
      expect(sent.json()).toMatchObject({ status: 'queued', recipientCount: 7 });
      expect(sent.json().progress).toMatchObject({ queued: 7, total: 7 });
      const rows = await messagesOf(campaignId);
      expect(rows).toHaveLength(7);
      expect(new Set(rows.map((r) => r.person_id)).size).toBe(7);
      expect(rows.some((r) => r.person_id === loneC.personIds[0])).toBe(false);
      expect(rows.some((r) => r.person_id === restrictedD.personIds[0])).toBe(false);
      const a = rows.filter((r) => r.household_id === familyA.householdId);
      expect(a.map((r) => [r.channel, r.address, r.language])).toEqual(
        Array(5).fill(['sms', '+970599123456', 'ar']),
      );
      expect(a.every((r) => r.segments >= 1 && r.body.includes('رفح') && r.subject === null)).toBe(true);
      const b = rows.filter((r) => r.household_id === familyB.householdId);
      expect(b.map((r) => r.channel).sort()).toEqual(['email', 'sms']);
      const email = b.find((r) => r.channel === 'email')!;
      expect(email).toMatchObject({
        address: 'huda.sampleton@example.org',
        language: 'en',
        subject: 'Crossing Rafah',
      });
      expect(email.body).toContain('Hello Huda Sampleton');
      expect(rows.every((r) => r.status === 'queued' && r.attempts === 0)).toBe(true);

      const again = await queueCampaign(server.ctx, campaignId);
      expect(again).toMatchObject({ recipients: 7, inserted: 0 });
      expect(await messagesOf(campaignId)).toHaveLength(7);
      const resent = await call(server.app, officer, 'POST', `${base}/campaigns/${campaignId}/send`, {});
      expect(resent.statusCode).toBe(409);
    });

    it('sends one identical text once to a family’s shared phone', async () => {
      const plain = await call(server.app, officer, 'POST', `${base}/templates`, {
        name: 'Plain',
        bodies: {
          en: { body: 'The crossing opens tomorrow at 09:00.' },
          ar: { body: 'يفتح المعبر غداً الساعة 09:00.' },
        },
      });
      await call(server.app, manager, 'PUT', `${base}/settings`, { approvalThreshold: 500 });
      const c = await call(server.app, officer, 'POST', `${base}/campaigns`, {
        name: 'Plain to family A',
        templateId: plain.json().id,
        audience: { personIds: familyA.personIds },
        channels: ['sms'],
      });
      const id = c.json().id;
      expect(
        (await call(server.app, officer, 'POST', `${base}/campaigns/${id}/submit`)).json(),
      ).toMatchObject({
        status: 'approved',
        recipientCount: 5,
      });
      await call(server.app, officer, 'POST', `${base}/campaigns/${id}/send`, {});
      const rows = await messagesOf(id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        person_id: familyA.personIds[0],
        body: 'يفتح المعبر غداً الساعة 09:00.',
      });
      // Every member's history shows the family's message.
      const history = await call(
        server.app,
        manager,
        'GET',
        `/api/v1/crises/${crisisId}/persons/${familyA.personIds[3]}/messages`,
      );
      expect(history.statusCode, history.body).toBe(200);
      const items = history.json().items as {
        campaignId: string;
        viaHousehold: boolean;
        direction: string;
      }[];
      expect(items.find((i) => i.campaignId === id)).toMatchObject({ viaHousehold: true, direction: 'out' });
      expect(items.find((i) => i.campaignId === campaignId)).toMatchObject({ viaHousehold: false });
    });

    it('schedules, queues due campaigns for the worker, cancels, and marks finished campaigns done', async () => {
      const c = await call(server.app, officer, 'POST', `${base}/campaigns`, {
        name: 'Later',
        templateId,
        audience: { personIds: familyB.personIds },
        channels: ['email', 'sms'],
        variables: { crossing: 'Rafah' },
      });
      const id = c.json().id;
      await call(server.app, officer, 'POST', `${base}/campaigns/${id}/submit`);
      const scheduled = await call(server.app, officer, 'POST', `${base}/campaigns/${id}/send`, {
        scheduledAt: inHours(2),
      });
      expect(scheduled.json()).toMatchObject({ status: 'approved', progress: { total: 0 } });
      expect((await queueDueCampaigns(server.ctx, new Date())).queued).toBe(0);
      expect(await messagesOf(id)).toHaveLength(0);
      expect((await queueDueCampaigns(server.ctx, new Date(Date.now() + 3 * hour))).queued).toBe(1);
      expect(await messagesOf(id)).toHaveLength(2);
      expect((await call(server.app, officer, 'GET', `${base}/campaigns/${id}`)).json().status).toBe(
        'queued',
      );

      // Cancelling a queued campaign cancels what is still queued, not what was sent.
      const [first] = await messagesOf(id);
      await server.ctx.db.db
        .updateTable('messages')
        .set({ status: 'sent' })
        .where('id', '=', first!.id)
        .execute();
      const cancelled = await call(server.app, officer, 'POST', `${base}/campaigns/${id}/cancel`);
      expect(cancelled.statusCode, cancelled.body).toBe(200);
      expect(cancelled.json()).toMatchObject({
        status: 'cancelled',
        progress: { sent: 1, cancelled: 1, queued: 0 },
      });
      expect((await call(server.app, officer, 'POST', `${base}/campaigns/${id}/cancel`)).statusCode).toBe(
        409,
      );
      expect((await queueCampaign(server.ctx, id).catch((e: { status: number }) => e)).status).toBe(409);

      // The first campaign finishes once nothing is waiting or being sent.
      await server.ctx.db.db
        .updateTable('messages')
        .set({ status: 'delivered' })
        .where('campaign_id', '=', campaignId)
        .execute();
      const swept = await queueDueCampaigns(server.ctx, new Date());
      expect(swept.done).toBeGreaterThanOrEqual(1);
      const done = (await call(server.app, officer, 'GET', `${base}/campaigns/${campaignId}`)).json();
      expect(done).toMatchObject({ status: 'done', progress: { delivered: 7 } });
      const draft = await call(server.app, officer, 'PATCH', `${base}/campaigns/${campaignId}`, {
        name: 'x',
      });
      expect(draft.statusCode).toBe(409);
    });

    it('keeps the restricted person out of history and previews; history is audited', async () => {
      const hidden = await call(
        server.app,
        manager,
        'GET',
        `/api/v1/crises/${crisisId}/persons/${restrictedD.personIds[0]}/messages`,
      );
      expect(hidden.statusCode).toBe(404);
      expect(
        (
          await call(
            server.app,
            analyst,
            'GET',
            `/api/v1/crises/${crisisId}/persons/${familyB.personIds[0]}/messages`,
          )
        ).statusCode,
      ).toBe(403);
      const audited = await server.ctx.db.db
        .selectFrom('audit_log')
        .select('entity_id')
        .where('action', '=', 'person.messages_viewed')
        .execute();
      expect(audited.map((a) => a.entity_id)).toContain(familyA.personIds[3]);
    });

    it('hooks: a welfare run, a seat offer and list notices send through campaigns', async () => {
      await call(server.app, manager, 'PUT', `${base}/settings`, { approvalThreshold: 3 });
      const run = await call(server.app, officer, 'POST', `/api/v1/crises/${crisisId}/welfare-runs`, {
        name: 'Check on Khan Younis',
        question: 'Are you and your family safe?',
        personIds: [...familyB.personIds, loneC.personIds[0]],
        followUpAfterHours: 1,
        callAfterHours: 2,
      });
      expect(run.statusCode, run.body).toBe(201);
      const runId = run.json().id;
      const welfare = await server.ctx.db.db
        .selectFrom('message_campaigns')
        .selectAll()
        .where('source', '=', 'welfare_run')
        .where('source_id', '=', runId)
        .execute();
      expect(welfare).toHaveLength(1);
      expect(welfare[0]).toMatchObject({ status: 'queued', purpose: 'welfare_check', recipient_count: 2 });
      const wm = await messagesOf(welfare[0]!.id);
      expect(wm.map((m) => m.body)).toEqual(
        Array(2).fill('Are you and your family safe? Reply SAFE if you are safe, HELP if you need help.'),
      );

      // Follow-ups go to those still silent; above the threshold a hook campaign waits for approval.
      const bigRun = await call(server.app, officer, 'POST', `/api/v1/crises/${crisisId}/welfare-runs`, {
        name: 'Everyone in family A',
        question: 'هل أنتم بخير؟',
        personIds: familyA.personIds,
        followUpAfterHours: 1,
        callAfterHours: 2,
      });
      const bigCampaign = await server.ctx.db.db
        .selectFrom('message_campaigns')
        .selectAll()
        .where('source_id', '=', bigRun.json().id)
        .executeTakeFirstOrThrow();
      expect(bigCampaign).toMatchObject({ status: 'awaiting_approval', recipient_count: 5 });
      expect(await messagesOf(bigCampaign.id)).toHaveLength(0);
      const approve = await call(server.app, manager, 'POST', `${base}/campaigns/${bigCampaign.id}/approve`);
      expect(approve.json().status).toBe('approved');
      // The worker queues it: a hook campaign is due as soon as it is approved.
      await queueDueCampaigns(server.ctx, new Date());
      const bigMessages = await messagesOf(bigCampaign.id);
      expect(bigMessages.length).toBe(1);
      expect(bigMessages[0]!.body).toBe(
        'هل أنتم بخير؟ أجب بكلمة آمن إذا كنت بخير، أو مساعدة إذا كنت بحاجة إلى مساعدة.',
      );

      const advance = await call(
        server.app,
        officer,
        'POST',
        `/api/v1/crises/${crisisId}/welfare-runs/advance`,
        {},
      );
      expect(advance.statusCode, advance.body).toBe(200);
      // An hour and a half later the follow-up is due: the reminder goes to those still silent.
      await advanceWelfareRuns(server.ctx, systemActor(), crisisId, new Date(Date.now() + 1.5 * hour));
      const followUps = await server.ctx.db.db
        .selectFrom('message_campaigns')
        .selectAll()
        .where('source_id', '=', runId)
        .orderBy('created_at')
        .execute();
      expect(followUps).toHaveLength(2);
      expect(followUps[1]).toMatchObject({ status: 'queued', recipient_count: 2 });
      expect((await messagesOf(followUps[1]!.id))[0]!.body).toBe(
        'Reminder: Are you and your family safe? Reply SAFE or HELP.',
      );

      // A seat offer to family B: leg, place and report time in their language.
      const leg = await createLeg(server.ctx, systemActor(), crisisId, {
        kind: 'bus',
        name: 'Bus 7',
        origin: 'Khan Younis',
        destination: 'Rafah crossing',
        assemblyPoint: 'Synthetic school yard',
        reportAt: '2031-05-01T06:30:00.000Z',
        departureAt: '2031-05-01T07:00:00.000Z',
        seats: 10,
        lapPlaces: 0,
        stretcherPlaces: 0,
        operator: '',
        costPerSeat: 0,
        currency: 'USD',
        nextLegId: null,
        crossingPointId: null,
        crossingListDate: null,
        reachableZoneIds: [],
      });
      await assignHousehold(server.ctx, systemActor(), crisisId, leg.id, {
        householdId: familyB.householdId,
        offerDeadline: inHours(24),
        allowSplit: false,
      });
      const offerCampaign = await server.ctx.db.db
        .selectFrom('message_campaigns')
        .selectAll()
        .where('source', '=', 'offer')
        .where('source_id', '=', leg.id)
        .executeTakeFirstOrThrow();
      expect(offerCampaign).toMatchObject({ status: 'queued', purpose: 'offer', recipient_count: 2 });
      const om = await messagesOf(offerCampaign.id);
      expect(om).toHaveLength(2);
      expect(om[0]!.body).toContain('Bus 7 (Khan Younis → Rafah crossing)');
      expect(om[0]!.body).toContain('Synthetic school yard at 2031-05-01 06:30 UTC');
      const legAudience = await call(server.app, officer, 'POST', `${base}/audience/count`, {
        audience: { legId: leg.id },
        channels: ['sms', 'email'],
      });
      expect(legAudience.json().people).toBe(2);
      expect(
        (
          await call(server.app, officer, 'POST', `${base}/audience/count`, {
            audience: { pendingOffer: true, intention: ['leave'] },
            channels: ['sms', 'email'],
          })
        ).json().people,
      ).toBe(2);

      // "You are on the list": matched people of an approved list, once per person and list.
      const at = new Date().toISOString();
      const pointId = newId();
      const listId = newId();
      const db = server.ctx.db.db;
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
      await seedApprovedList(db, {
        id: listId,
        crisisId,
        crossingPointId: pointId,
        listDate: '2031-05-01',
        matches: [
          { personId: familyB.personIds[0]!, status: 'auto_linked' },
          { personId: familyB.personIds[1]!, status: 'pending' },
        ],
      });
      const notice = await call(server.app, officer, 'POST', `${base}/list-notices`, { listId });
      expect(notice.statusCode, notice.body).toBe(200);
      expect(notice.json().campaign).toMatchObject({
        source: 'list_notice',
        status: 'queued',
        recipientCount: 1,
      });
      const nm = await messagesOf(notice.json().campaign.id);
      expect(nm.map((m) => m.person_id)).toEqual([familyB.personIds[0]]);
      expect(nm[0]!.body).toContain('approved list for Rafah on 2031-05-01');
      expect((await call(server.app, officer, 'POST', `${base}/list-notices`, { listId })).json()).toEqual({
        campaign: null,
        alreadyNotified: 1,
      });
      expect((await call(server.app, analyst, 'POST', `${base}/list-notices`, { listId })).statusCode).toBe(
        403,
      );
      // Anonymised people (retention) are never in an audience either.
      await server.ctx.db.db
        .updateTable('persons')
        .set({ anonymised_at: new Date().toISOString() })
        .where('id', '=', familyB.personIds[0]!)
        .execute();
      const afterRetention = await call(server.app, officer, 'POST', `${base}/audience/count`, {
        audience: { personIds: familyB.personIds },
        channels: ['sms', 'email'],
      });
      expect(afterRetention.json()).toMatchObject({ people: 1, byChannel: { email: 1 } });
    });
  });
}
