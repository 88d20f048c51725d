import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { familyRegistration } from '../../../test/fixtures/persons/registrations.js';
import { call, type Session, signIn } from '../../../test/helpers/api.js';
import { DIALECTS } from '../../../test/helpers/context.js';
import { startTestServer, type TestServer } from '../../../test/helpers/server.js';
import { type Actor, systemActor } from '../../access/actor.js';
import type { Permission } from '../../access/permissions.js';
import { createZone } from '../crises/crisis.service.js';
import { caseQueue } from './case-queue.service.js';
import { advanceWelfareRuns } from './welfare.service.js';

for (const dialect of DIALECTS) {
  describe(`cases, welfare checks and loans (${dialect})`, () => {
    let server: TestServer;
    let officer: Session;
    let manager: Session;
    let analyst: Session;
    let officerId: string;
    let crisisId: string;
    let persons: { id: string; relationship: string; vulnerabilities: string }[];

    beforeAll(async () => {
      server = await startTestServer({ dialect, env: { PORTAL_RATE_LIMIT_PER_MINUTE: '100000' } });
      crisisId = (await server.createCrisis({ name: 'Cases crisis' })).id;
      for (const name of ['Khan Younis', 'Rafah'])
        await createZone(server.ctx, systemActor(), crisisId, { name });
      const o = await server.createStaff({
        email: 'officer@example.org',
        password: 'officer password',
        grants: [{ role: 'consular_officer', crisisId }],
      });
      officerId = o.id;
      officer = await signIn(server.app, 'officer@example.org', 'officer password', o.totpSecret);
      const m = await server.createStaff({
        email: 'manager@example.org',
        password: 'manager password',
        grants: [{ role: 'crisis_manager', crisisId }],
      });
      manager = await signIn(server.app, 'manager@example.org', 'manager password', m.totpSecret);
      const a = await server.createStaff({
        email: 'analyst@example.org',
        password: 'analyst password',
        grants: [{ role: 'analyst', crisisId }],
      });
      analyst = await signIn(server.app, 'analyst@example.org', 'analyst password', a.totpSecret);
      const res = await server.app.inject({
        method: 'POST',
        url: '/api/v1/public/registrations',
        payload: familyRegistration({ crisis: crisisId }),
      });
      expect(res.statusCode, res.body).toBe(201);
      persons = await server.ctx.db.db
        .selectFrom('persons')
        .select(['id', 'relationship', 'vulnerabilities'])
        .where('crisis_id', '=', crisisId)
        .execute();
    });
    afterAll(async () => server?.close());

    const grandmother = () => persons.find((p) => p.relationship === 'parent')!;
    const head = () => persons.find((p) => p.relationship === 'head')!;

    it('works a case from new to closed: priority from vulnerabilities, call log, task, transitions, version conflicts', async () => {
      const created = await call(server.app, officer, 'POST', `/api/v1/crises/${crisisId}/cases`, {
        personId: grandmother().id,
        type: 'medical',
        summary: 'Out of insulin',
        assigneeId: officerId,
      });
      expect(created.statusCode, created.body).toBe(201);
      const c = created.json();
      expect(c).toMatchObject({
        state: 'new',
        priority: 2,
        priorityReason: 'elderly',
        assigneeId: officerId,
        version: 1,
      });
      expect(c.number).toMatch(/^C-[2-9A-Z]{5}$/);
      expect(c.dueAt).not.toBeNull();
      const other = await call(server.app, officer, 'POST', `/api/v1/crises/${crisisId}/cases`, {
        personId: head().id,
        type: 'travel_documents',
        summary: 'Passport expired',
      });
      expect(other.json().priority).toBe(3);

      const mine = await call(server.app, officer, 'GET', `/api/v1/crises/${crisisId}/cases?queue=mine`);
      expect(mine.json().items.map((i: { id: string }) => i.id)).toEqual([c.id]);
      const unassigned = await call(
        server.app,
        officer,
        'GET',
        `/api/v1/crises/${crisisId}/cases?queue=unassigned`,
      );
      expect(unassigned.json().items.map((i: { id: string }) => i.id)).toEqual([other.json().id]);

      const base = `/api/v1/crises/${crisisId}/cases/${c.id}`;
      const bad = await call(server.app, officer, 'POST', `${base}/state`, {
        to: 'waiting_partner',
        version: 1,
      });
      expect(bad.statusCode).toBe(409);
      expect(bad.json().error).toMatchObject({ code: 'invalid_transition' });
      expect(bad.json().error.message).toContain('allowed: triaged, in_progress');
      const triaged = await call(server.app, officer, 'POST', `${base}/state`, { to: 'triaged', version: 1 });
      expect(triaged.json()).toMatchObject({ state: 'triaged', version: 2 });
      // A second officer with a stale copy loses the race, with a clear message.
      const stale = await call(server.app, officer, 'POST', `${base}/state`, {
        to: 'in_progress',
        version: 1,
      });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().error.code).toBe('version_conflict');

      expect(
        (
          await call(server.app, officer, 'POST', `${base}/contacts`, {
            channel: 'phone',
            outcome: 'reached',
            note: 'Pharmacy in Rafah has stock',
          })
        ).statusCode,
      ).toBe(204);
      expect(
        (await call(server.app, officer, 'POST', `${base}/notes`, { text: 'Family will collect tomorrow' }))
          .statusCode,
      ).toBe(204);
      const task = await call(server.app, officer, 'POST', `${base}/tasks`, {
        title: 'Call back to confirm collection',
        dueAt: new Date(Date.now() + 86_400_000).toISOString(),
      });
      expect(task.statusCode).toBe(201);
      const override = await call(server.app, officer, 'POST', `${base}/priority`, {
        priority: 1,
        reason: 'Insulin-dependent, no stock left',
        version: 2,
      });
      expect(override.json()).toMatchObject({ priority: 1, priorityOverridden: true });
      let v = override.json().version;
      for (const to of ['in_progress', 'resolved', 'closed']) {
        const r = await call(server.app, officer, 'POST', `${base}/state`, { to, version: v });
        expect(r.statusCode, r.body).toBe(200);
        v = r.json().version;
      }
      expect(
        (await call(server.app, officer, 'POST', `${base}/tasks/${task.json().id}/done`, {})).json().doneAt,
      ).not.toBeNull();
      const detail = await call(server.app, officer, 'GET', base);
      expect(detail.json().case).toMatchObject({ state: 'closed', allowedNextStates: ['in_progress'] });
      expect(detail.json().person.id).toBe(grandmother().id);
      expect(detail.json().events.map((e: { kind: string }) => e.kind)).toEqual([
        'opened',
        'state_changed',
        'contact_attempt',
        'note',
        'task_added',
        'priority_changed',
        'state_changed',
        'state_changed',
        'state_changed',
        'task_done',
      ]);

      // Supervisors see, analysts do not; nobody outside the crisis sees anything.
      expect(
        (await call(server.app, manager, 'GET', `/api/v1/crises/${crisisId}/cases?queue=all`)).json().total,
      ).toBe(2);
      expect((await call(server.app, manager, 'POST', `${base}/notes`, { text: 'x' })).statusCode).toBe(403);
      expect((await call(server.app, analyst, 'GET', `/api/v1/crises/${crisisId}/cases`)).statusCode).toBe(
        403,
      );

      const bulk = await call(server.app, officer, 'POST', `/api/v1/crises/${crisisId}/cases/bulk`, {
        caseIds: [other.json().id, c.id, 'missing'],
        action: 'close',
        note: 'Done in bulk',
      });
      expect(bulk.json().results).toEqual([
        { caseId: other.json().id, ok: true },
        { caseId: c.id, ok: false, error: 'invalid_transition' },
        { caseId: 'missing', ok: false, error: 'not_found' },
      ]);
    });

    it('runs a welfare check: answers, a follow-up after the set time, then a call task for the silent', async () => {
      const run = await call(server.app, officer, 'POST', `/api/v1/crises/${crisisId}/welfare-runs`, {
        name: 'Check after the strikes',
        question: 'Are you safe? Reply SAFE or HELP',
        personIds: persons.map((p) => p.id),
        followUpAfterHours: 12,
        callAfterHours: 24,
      });
      expect(run.statusCode, run.body).toBe(201);
      expect(run.json().counts).toMatchObject({ total: 5, answered: 0, silent: 5 });
      const cases = await call(
        server.app,
        officer,
        'GET',
        `/api/v1/crises/${crisisId}/cases?type=welfare_check`,
      );
      const ids = cases.json().items.map((i: { id: string }) => i.id) as string[];
      await call(server.app, officer, 'POST', `/api/v1/crises/${crisisId}/cases/${ids[0]}/welfare-answer`, {
        answer: 'safe',
      });
      await call(server.app, officer, 'POST', `/api/v1/crises/${crisisId}/cases/${ids[1]}/welfare-answer`, {
        answer: 'needs_help',
        note: 'Shelter damaged',
      });
      expect(
        (
          await call(
            server.app,
            officer,
            'POST',
            `/api/v1/crises/${crisisId}/cases/${ids[0]}/welfare-answer`,
            { answer: 'safe' },
          )
        ).statusCode,
      ).toBe(409);

      const officerActor = (await import('../../access/actor.js')).staffActor(
        officerId,
        'Officer',
        [{ role: 'consular_officer', crisisId }],
        server.ctx.rolePermissions,
      );
      const early = await advanceWelfareRuns(
        server.ctx,
        officerActor,
        crisisId,
        new Date(Date.now() + 3_600_000),
      );
      expect(early).toMatchObject({ followUps: 0, calls: 0 });
      const followUp = await advanceWelfareRuns(
        server.ctx,
        officerActor,
        crisisId,
        new Date(Date.now() + 13 * 3_600_000),
      );
      expect(followUp).toMatchObject({ followUps: 3, calls: 0 });
      const callTime = await advanceWelfareRuns(
        server.ctx,
        officerActor,
        crisisId,
        new Date(Date.now() + 25 * 3_600_000),
      );
      expect(callTime).toMatchObject({ followUps: 0, calls: 3 });
      expect(
        await advanceWelfareRuns(server.ctx, officerActor, crisisId, new Date(Date.now() + 30 * 3_600_000)),
      ).toMatchObject({ followUps: 0, calls: 0 });
      const progress = await call(
        server.app,
        officer,
        'GET',
        `/api/v1/crises/${crisisId}/welfare-runs/${run.json().id}`,
      );
      expect(progress.json().counts).toEqual({
        total: 5,
        answered: 2,
        safe: 1,
        needsHelp: 1,
        leftZone: 0,
        silent: 3,
        followUpsDue: 3,
        callTasks: 3,
      });
    });

    it('lets a family ask for help behind its private link and see where the request stands, nothing more', async () => {
      const reg = await server.app.inject({
        method: 'POST',
        url: '/api/v1/public/registrations',
        payload: familyRegistration({ crisis: crisisId }),
      });
      const { reference, updateSecret } = reg.json();
      const asked = await server.app.inject({
        method: 'POST',
        url: '/api/v1/public/help-requests',
        payload: { reference, secret: updateSecret, type: 'medical', message: 'My mother needs insulin' },
      });
      expect(asked.statusCode, asked.body).toBe(201);
      expect(asked.json()).toMatchObject({ type: 'medical', state: 'new' });
      const queue = await call(
        server.app,
        officer,
        'GET',
        `/api/v1/crises/${crisisId}/cases?queue=unassigned&type=medical`,
      );
      const opened = queue.json().items.find((i: { number: string }) => i.number === asked.json().number);
      expect(opened).toMatchObject({ source: 'portal', priority: 2 });
      const status = await server.app.inject({
        method: 'POST',
        url: '/api/v1/public/help-requests/status',
        payload: { reference, secret: updateSecret },
      });
      expect(status.json().items).toEqual([
        expect.objectContaining({ number: asked.json().number, state: 'new' }),
      ]);
      expect(status.body).not.toContain('insulin');
      const wrong = await server.app.inject({
        method: 'POST',
        url: '/api/v1/public/help-requests/status',
        payload: { reference, secret: 'x'.repeat(22) },
      });
      const unknown = await server.app.inject({
        method: 'POST',
        url: '/api/v1/public/help-requests/status',
        payload: { reference: 'AAA-AAA-AAA', secret: 'x'.repeat(22) },
      });
      expect(wrong.statusCode).toBe(404);
      expect(wrong.body).toBe(unknown.body);
    });

    it('keeps evacuation loans honest: no disbursement before the note is signed, repayments in minor units', async () => {
      const loan = await call(server.app, officer, 'POST', `/api/v1/crises/${crisisId}/loans`, {
        personId: head().id,
        amount: '1250.50',
        currency: 'USD',
      });
      expect(loan.statusCode, loan.body).toBe(201);
      expect(loan.json()).toMatchObject({ amount: '1250.50', outstanding: '1250.50', status: 'offered' });
      const url = `/api/v1/crises/${crisisId}/loans/${loan.json().id}`;
      expect(
        (await call(server.app, officer, 'POST', url, { action: 'disburse', version: 1 })).json().error.code,
      ).toBe('invalid_transition');
      const signed = await call(server.app, officer, 'POST', url, { action: 'sign_note', version: 1 });
      const disbursed = await call(server.app, officer, 'POST', url, {
        action: 'disburse',
        version: signed.json().version,
      });
      const part = await call(server.app, officer, 'POST', url, {
        action: 'record_repayment',
        amount: '250.25',
        version: disbursed.json().version,
      });
      expect(part.json()).toMatchObject({ repaid: '250.25', outstanding: '1000.25', status: 'disbursed' });
      const tooMuch = await call(server.app, officer, 'POST', url, {
        action: 'record_repayment',
        amount: '2000',
        version: part.json().version,
      });
      expect(tooMuch.json().error.fields[0].path).toBe('amount');
      const rest = await call(server.app, officer, 'POST', url, {
        action: 'record_repayment',
        amount: '1000.25',
        version: part.json().version,
      });
      expect(rest.json()).toMatchObject({ status: 'repaid', outstanding: '0.00' });
      const badAmount = await call(server.app, officer, 'POST', `/api/v1/crises/${crisisId}/loans`, {
        personId: head().id,
        amount: '12,5',
        currency: 'usd',
      });
      expect(
        badAmount
          .json()
          .error.fields.map((f: { path: string }) => f.path)
          .sort(),
      ).toEqual(['amount', 'currency']);
    });
    it('names who each queue row is about: names for person.read, reference only without it, nothing for a restricted person', async () => {
      const spouse = persons.find((p) => p.relationship === 'spouse')!;
      const child = persons.find((p) => p.relationship === 'child')!;
      const household = await server.ctx.db.db
        .selectFrom('persons')
        .innerJoin('households', 'households.id', 'persons.household_id')
        .select(['households.id', 'households.reference'])
        .where('persons.id', '=', spouse.id)
        .executeTakeFirstOrThrow();
      const open = async (body: Record<string, string>) => {
        const res = await call(server.app, officer, 'POST', `/api/v1/crises/${crisisId}/cases`, {
          type: 'other',
          ...body,
        });
        expect(res.statusCode, res.body).toBe(201);
        return res.json().id as string;
      };
      const spouseCase = await open({ personId: spouse.id, summary: 'Queue subject: Arabic name only' });
      const childCase = await open({ personId: child.id, summary: 'Queue subject: to be restricted' });
      const householdCase = await open({ householdId: household.id, summary: 'Queue subject: household' });

      for (const caseId of [spouseCase, childCase]) {
        const task = await call(
          server.app,
          officer,
          'POST',
          `/api/v1/crises/${crisisId}/cases/${caseId}/tasks`,
          { title: 'Queue subject: call back' },
        );
        expect(task.statusCode, task.body).toBe(201);
      }

      // The child is then linked to a restricted (missing person) case.
      const r = await server.createStaff({
        email: 'cell@example.org',
        password: 'cell password',
        grants: [{ role: 'restricted_cases_officer', crisisId }],
      });
      const cell = await signIn(server.app, 'cell@example.org', 'cell password', r.totpSecret);
      const restricted = await call(server.app, cell, 'POST', `/api/v1/crises/${crisisId}/restricted-cases`, {
        kind: 'missing',
        status: 'missing',
        citizenship: 'confirmed',
        person: { fullName: 'Synthetic Missing Child' },
        personId: child.id,
      });
      expect(restricted.statusCode, restricted.body).toBe(201);

      const auditsBefore = await server.ctx.db.db
        .selectFrom('audit_log')
        .select('seq')
        .where('action', '=', 'case.queue_listed')
        .execute();
      const res = await call(
        server.app,
        officer,
        'GET',
        `/api/v1/crises/${crisisId}/cases?queue=all&limit=200`,
      );
      expect(res.statusCode, res.body).toBe(200);
      const byId = new Map<string, { subject: unknown; personId: string | null; number: string }>(
        res
          .json()
          .items.map((i: { id: string; subject: unknown; personId: string | null; number: string }) => [
            i.id,
            i,
          ]),
      );
      const personRow = await server.ctx.db.db
        .selectFrom('persons')
        .select(['full_name', 'full_name_ar'])
        .where('id', '=', spouse.id)
        .executeTakeFirstOrThrow();
      expect(personRow.full_name_ar).toBe('ليلى التستاوي');
      expect(byId.get(spouseCase)?.subject).toEqual({
        householdReference: household.reference,
        fullName: personRow.full_name,
        fullNameAr: 'ليلى التستاوي',
      });
      expect(byId.get(householdCase)?.subject).toEqual({
        householdReference: household.reference,
        fullName: null,
        fullNameAr: null,
      });
      // The restricted person's case stays as the case page shows it: no name, no reference.
      expect(byId.get(childCase)?.subject).toBeNull();
      const childName = (
        await server.ctx.db.db
          .selectFrom('persons')
          .select('full_name')
          .where('id', '=', child.id)
          .executeTakeFirstOrThrow()
      ).full_name;
      expect(childName).toMatch(/Testawi$/);
      expect(res.body).not.toContain(childName);
      const grandmotherRow = res
        .json()
        .items.find((i: { personId: string | null }) => i.personId === grandmother().id);
      expect(grandmotherRow?.subject).toMatchObject({ fullNameAr: 'فاطمة حسن التستاوي' });
      // Names handed out are audited like a registry search.
      const auditsAfter = await server.ctx.db.db
        .selectFrom('audit_log')
        .select(['seq', 'actor_id', 'crisis_id'])
        .where('action', '=', 'case.queue_listed')
        .execute();
      expect(auditsAfter.length).toBe(auditsBefore.length + 1);
      expect(auditsAfter.at(-1)).toMatchObject({ actor_id: officerId, crisis_id: crisisId });

      // "My tasks" names the case and who it is about under the same rules.
      const tasks = await call(server.app, officer, 'GET', `/api/v1/crises/${crisisId}/my-tasks`);
      expect(tasks.statusCode, tasks.body).toBe(200);
      const taskOf = (caseId: string) =>
        tasks.json().items.find((i: { caseId: string }) => i.caseId === caseId);
      expect(taskOf(spouseCase)).toMatchObject({
        title: 'Queue subject: call back',
        case: {
          number: byId.get(spouseCase)?.number,
          subject: { householdReference: household.reference, fullNameAr: 'ليلى التستاوي' },
        },
      });
      expect(taskOf(childCase)?.case).toEqual({ number: byId.get(childCase)?.number, subject: null });
      expect(tasks.body).not.toContain(childName);
      const auditsAfterTasks = await server.ctx.db.db
        .selectFrom('audit_log')
        .select('seq')
        .where('action', '=', 'case.queue_listed')
        .execute();
      expect(auditsAfterTasks.length).toBe(auditsAfter.length + 1);

      // A caller with case.read but not person.read gets the reference and no name.
      const caseReader: Actor = {
        kind: 'staff',
        id: 'case-reader',
        label: 'case reader',
        grants: [],
        global: new Set(),
        byCrisis: new Map([[crisisId, new Set<Permission>(['case.read'])]]),
      };
      const bare = await caseQueue(server.ctx, caseReader, crisisId, {
        queue: 'all',
        offset: 0,
        limit: 200,
      });
      const bareSpouse = bare.items.find((i) => i.id === spouseCase);
      expect(bareSpouse?.subject).toEqual({
        householdReference: household.reference,
        fullName: null,
        fullNameAr: null,
      });
      expect(bare.items.find((i) => i.id === childCase)?.subject).toBeNull();
      expect(JSON.stringify(bare.items)).not.toContain('التستاوي');
      expect(
        (
          await server.ctx.db.db
            .selectFrom('audit_log')
            .select('seq')
            .where('action', '=', 'case.queue_listed')
            .execute()
        ).length,
      ).toBe(auditsAfterTasks.length);

      // The analyst (no case.read in any crisis) is refused at the route.
      const refused = await call(server.app, analyst, 'GET', `/api/v1/crises/${crisisId}/cases?queue=all`);
      expect(refused.statusCode).toBe(403);
    });
  });
}
