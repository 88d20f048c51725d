import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedApprovedList } from '../../../test/fixtures/crossing-lists/seed.js';
import { familyRegistration } from '../../../test/fixtures/persons/registrations.js';
import { call, type Session, signIn } from '../../../test/helpers/api.js';
import { DIALECTS } from '../../../test/helpers/context.js';
import { startTestServer, type TestServer } from '../../../test/helpers/server.js';
import { systemActor } from '../../access/actor.js';
import { createZone } from '../crises/crisis.service.js';
import { HXL_COLUMNS, HXL_HASHTAG_SPEC, parseHxl } from './hxl.js';

const day = 86_400_000;
const dayOffset = (n: number) => new Date(Date.now() + n * day).toISOString().slice(0, 10);

for (const dialect of DIALECTS) {
  describe(`partners, engagements, requests and data sharing (${dialect})`, () => {
    let server: TestServer;
    let crisisId: string;
    let otherCrisisId: string;
    let base: string;
    let liaison: Session;
    let liaisonId: string;
    let manager: Session;
    let managerId: string;
    let analyst: Session;
    let officer: Session;
    let cell: Session;
    let otherLiaison: Session;
    let khanYounis: string;
    /** The family in Khan Younis that wants to leave (synthetic), and the one in Rafah that stays. */
    let leaving: { id: string; name: string | null; nameAr: string | null }[];
    let staying: { id: string }[];
    /** A member of the leaving family who is linked to a (synthetic) hostage case. */
    let hidden: { id: string; name: string | null; nameAr: string | null };
    let partnerId: string;

    const mk = async (email: string, role: string, crisis: string | null) => {
      const s = await server.createStaff({
        email,
        password: `${role} password 1`,
        displayName: `${role} tester`,
        grants: [{ role, crisisId: crisis }],
      });
      return { id: s.id, session: await signIn(server.app, email, `${role} password 1`, s.totpSecret) };
    };
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
      return server.ctx.db.db
        .selectFrom('persons')
        .select(['id', 'full_name as name', 'full_name_ar as nameAr'])
        .where('household_id', '=', h.id)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    };
    const audits = async (action: string) =>
      Number(
        (
          await server.ctx.db.db
            .selectFrom('audit_log')
            .select((eb) => eb.fn.countAll<number | string>().as('n'))
            .where('action', '=', action)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const download = (url: string) => server.app.inject({ method: 'GET', url: new URL(url).pathname });
    const newProfile = async (body: Record<string, unknown>) => {
      const res = await call(
        server.app,
        liaison,
        'POST',
        `${base}/partners/${partnerId}/sharing-profiles`,
        body,
      );
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; version: number };
    };
    const newPackage = async (body: Record<string, unknown>) => {
      const res = await call(server.app, liaison, 'POST', `${base}/data-packages`, {
        format: 'csv',
        ...body,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as {
        package: { id: string; sha256: string; rowCount: number; personCount: number; fields: string[] };
        downloadUrl: string;
      };
    };

    beforeAll(async () => {
      server = await startTestServer({ dialect, env: { PORTAL_RATE_LIMIT_PER_MINUTE: '100000' } });
      crisisId = (await server.createCrisis({ name: 'Sharing crisis' })).id;
      otherCrisisId = (await server.createCrisis({ name: 'Other crisis' })).id;
      base = `/api/v1/crises/${crisisId}`;
      khanYounis = (await createZone(server.ctx, systemActor(), crisisId, { name: 'Khan Younis' })).id;
      await createZone(server.ctx, systemActor(), crisisId, { name: 'Rafah' });
      const l = await mk('liaison@example.org', 'partner_liaison', crisisId);
      liaison = l.session;
      liaisonId = l.id;
      const m = await mk('manager@example.org', 'crisis_manager', crisisId);
      manager = m.session;
      managerId = m.id;
      analyst = (await mk('analyst@example.org', 'analyst', crisisId)).session;
      officer = (await mk('officer@example.org', 'consular_officer', crisisId)).session;
      cell = (await mk('cell@example.org', 'restricted_cases_officer', crisisId)).session;
      otherLiaison = (await mk('other@example.org', 'partner_liaison', otherCrisisId)).session;

      leaving = await register(familyRegistration({ crisis: crisisId }));
      staying = await register(
        familyRegistration({
          crisis: crisisId,
          intention: 'stay',
          location: { zone: 'RAFAH' },
          contacts: [{ phone: '+970 59 700 0001' }],
          members: [
            {
              relationship: 'head',
              nameLatin: { given: 'Rami', family: 'Staytest' },
              sex: 'male',
              birthDate: '1970-01-01',
              nationalities: ['US'],
              eligibilityCategory: 'citizen',
            },
          ],
        }),
      );
      hidden = leaving[2]!;
      const restricted = await call(server.app, cell, 'POST', `${base}/restricted-cases`, {
        kind: 'missing',
        status: 'missing',
        citizenship: 'confirmed',
        person: { fullName: 'Yousef Testawi' },
        personId: hidden.id,
      });
      expect(restricted.statusCode, restricted.body).toBe(201);
    });
    afterAll(async () => server?.close());

    it('refuses every role but the partner roles, and hides other crises', async () => {
      const created = await call(server.app, liaison, 'POST', `${base}/partners`, {
        name: 'Synthetic Crossings Authority',
        kind: 'crossing_authority',
        country: 'EG',
        notes: 'Publishes the daily lists.',
      });
      expect(created.statusCode, created.body).toBe(201);
      partnerId = created.json().id;

      // Analysts and case officers have no partner permission at all: refused at the route.
      for (const who of [analyst, officer, cell]) {
        expect((await call(server.app, who, 'GET', `${base}/partners`)).statusCode).toBe(403);
        expect((await call(server.app, who, 'GET', `${base}/partners/${partnerId}`)).statusCode).toBe(403);
        expect(
          (await call(server.app, who, 'POST', `${base}/data-packages`, { profileId: 'x', format: 'csv' }))
            .statusCode,
        ).toBe(403);
        expect((await call(server.app, who, 'GET', `${base}/data-packages`)).statusCode).toBe(403);
      }
      // The analyst cannot reach a person's sharing history either (no personal data).
      expect(
        (await call(server.app, analyst, 'GET', `${base}/persons/${leaving[0]!.id}/shares`)).statusCode,
      ).toBe(403);
      // A liaison of another crisis: the crisis does not exist for them.
      expect((await call(server.app, otherLiaison, 'GET', `${base}/partners`)).statusCode).toBe(404);
      expect((await call(server.app, otherLiaison, 'GET', `${base}/partners/${partnerId}`)).statusCode).toBe(
        404,
      );
      // The crisis manager reads partners but does not send data.
      expect((await call(server.app, manager, 'GET', `${base}/partners`)).statusCode).toBe(200);
      expect(
        (await call(server.app, manager, 'POST', `${base}/data-packages/preview`, { profileId: 'x' }))
          .statusCode,
      ).toBe(403);
      expect((await call(server.app, undefined, 'GET', `${base}/partners`)).statusCode).toBe(401);
    });

    it('keeps contacts as audited reads and rejects bad input naming the field', async () => {
      const bad = await call(server.app, liaison, 'POST', `${base}/partners`, { name: 'X', kind: 'embassy' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.fields.map((f: { path: string }) => f.path)).toContain('kind');
      const badContact = await call(server.app, liaison, 'POST', `${base}/partners/${partnerId}/contacts`, {
        name: 'Officer Synthetic',
        email: 'not-an-email',
      });
      expect(badContact.statusCode).toBe(400);
      expect(badContact.json().error.fields.map((f: { path: string }) => f.path)).toContain('email');
      const contact = await call(server.app, liaison, 'POST', `${base}/partners/${partnerId}/contacts`, {
        name: 'Officer Synthetic',
        role: 'Liaison desk',
        email: 'desk@authority.example',
        phone: '+20 2 1234 5678',
        language: 'ar',
      });
      expect(contact.statusCode, contact.body).toBe(201);

      const list = await call(server.app, liaison, 'GET', `${base}/partners`);
      expect(list.json().items[0]).toMatchObject({ name: 'Synthetic Crossings Authority', contactCount: 1 });
      expect(list.body).not.toContain('desk@authority.example');

      const before = await audits('partner.contacts_viewed');
      const page = await call(server.app, manager, 'GET', `${base}/partners/${partnerId}`);
      expect(page.statusCode).toBe(200);
      expect(page.json().contacts).toEqual([
        expect.objectContaining({
          name: 'Officer Synthetic',
          email: 'desk@authority.example',
          language: 'ar',
        }),
      ]);
      expect(await audits('partner.contacts_viewed')).toBe(before + 1);

      // Contacts and partners change; a removed contact is gone from the partner page.
      const contactId = contact.json().id;
      const moved = await call(
        server.app,
        liaison,
        'PATCH',
        `${base}/partners/${partnerId}/contacts/${contactId}`,
        {
          phone: null,
          role: 'Head of the liaison desk',
        },
      );
      expect(moved.json()).toMatchObject({
        phone: null,
        role: 'Head of the liaison desk',
        email: 'desk@authority.example',
      });
      const extra = await call(server.app, liaison, 'POST', `${base}/partners/${partnerId}/contacts`, {
        name: 'Second Synthetic',
      });
      expect(
        (
          await call(
            server.app,
            liaison,
            'DELETE',
            `${base}/partners/${partnerId}/contacts/${extra.json().id}`,
          )
        ).statusCode,
      ).toBe(204);
      expect(
        (await call(server.app, manager, 'GET', `${base}/partners/${partnerId}`))
          .json()
          .contacts.map((c: { name: string }) => c.name),
      ).toEqual(['Officer Synthetic']);
      const renamed = await call(server.app, liaison, 'PATCH', `${base}/partners/${partnerId}`, {
        notes: 'Daily lists at 18:00.',
      });
      expect(renamed.json()).toMatchObject({
        notes: 'Daily lists at 18:00.',
        contactCount: 1,
        country: 'EG',
      });
      expect(
        (await call(server.app, otherLiaison, 'PATCH', `${base}/partners/${partnerId}`, { notes: 'x' }))
          .statusCode,
      ).toBe(404);
    });

    it('logs engagements with follow-ups, flags overdue ones and lists "mine and overdue"', async () => {
      const unknownOwner = await call(server.app, liaison, 'POST', `${base}/engagements`, {
        occurredAt: new Date().toISOString(),
        channel: 'call',
        partnerIds: [partnerId],
        subject: 'Daily call',
        followUps: [{ text: 'Send list', ownerId: 'nobody', dueDate: dayOffset(1) }],
      });
      expect(unknownOwner.statusCode).toBe(400);
      expect(unknownOwner.json().error.fields[0].path).toBe('followUps.0.ownerId');

      const created = await call(server.app, liaison, 'POST', `${base}/engagements`, {
        occurredAt: new Date(Date.now() - 3 * day).toISOString(),
        channel: 'meeting',
        partnerIds: [partnerId],
        participantIds: [liaisonId, managerId],
        subject: 'Rafah opening hours',
        outcome: 'Gate open 09:00–15:00 from tomorrow.',
        followUps: [
          { text: 'Send the names for Thursday', ownerId: liaisonId, dueDate: dayOffset(-1) },
          { text: 'Confirm bus arrival time', ownerId: managerId, dueDate: dayOffset(2) },
          { text: 'Old item already late', ownerId: managerId, dueDate: dayOffset(-2) },
        ],
      });
      expect(created.statusCode, created.body).toBe(201);
      const engagement = created.json();
      expect(engagement.participants.map((p: { id: string }) => p.id).sort()).toEqual(
        [liaisonId, managerId].sort(),
      );
      const byText = Object.fromEntries(
        engagement.followUps.map((f: { text: string; overdue: boolean; id: string }) => [f.text, f]),
      );
      expect(byText['Send the names for Thursday'].overdue).toBe(true);
      expect(byText['Confirm bus arrival time'].overdue).toBe(false);

      const perPartner = await call(server.app, manager, 'GET', `${base}/engagements?partnerId=${partnerId}`);
      expect(perPartner.json().items.map((e: { id: string }) => e.id)).toContain(engagement.id);

      const mineOverdue = await call(server.app, liaison, 'GET', `${base}/follow-ups?mine=true&overdue=true`);
      expect(mineOverdue.json().items.map((f: { text: string }) => f.text)).toEqual([
        'Send the names for Thursday',
      ]);
      const allOverdue = await call(server.app, manager, 'GET', `${base}/follow-ups?overdue=true`);
      expect(allOverdue.json().items.map((f: { text: string }) => f.text)).toEqual([
        'Old item already late',
        'Send the names for Thursday',
      ]);

      const done = await call(
        server.app,
        liaison,
        'PATCH',
        `${base}/follow-ups/${byText['Send the names for Thursday'].id}`,
        { state: 'done' },
      );
      expect(done.statusCode, done.body).toBe(200);
      expect(done.json()).toMatchObject({ state: 'done', overdue: false });
      expect(
        (await call(server.app, liaison, 'GET', `${base}/follow-ups?mine=true&overdue=true`)).json().items,
      ).toEqual([]);
      const patched = await call(server.app, manager, 'PATCH', `${base}/engagements/${engagement.id}`, {
        outcome: 'Gate open 09:00–15:00 from tomorrow; confirmed in writing.',
      });
      expect(patched.statusCode, patched.body).toBe(200);
      expect(patched.json().followUps).toHaveLength(3);
      // The partner page shows when we last spoke.
      const partner = (await call(server.app, liaison, 'GET', `${base}/partners`)).json().items[0];
      expect(partner.lastEngagementAt).toBe(engagement.occurredAt);
    });

    it('moves requests through their states with history and refuses other moves', async () => {
      const created = await call(server.app, liaison, 'POST', `${base}/partner-requests`, {
        partnerId,
        kind: 'crossing_list_submission',
        subject: 'Names submitted for the Rafah crossing list',
      });
      expect(created.statusCode, created.body).toBe(201);
      const request = created.json();
      expect(request).toMatchObject({
        state: 'draft',
        allowedNext: ['submitted', 'closed'],
        linkedPersons: 0,
      });
      const submit = await call(server.app, liaison, 'POST', `${base}/partner-requests/${request.id}/state`, {
        version: request.version,
        to: 'submitted',
        note: 'Sent by the liaison desk',
      });
      expect(submit.statusCode, submit.body).toBe(200);
      expect(submit.json().submittedAt).toEqual(expect.any(String));
      const back = await call(server.app, liaison, 'POST', `${base}/partner-requests/${request.id}/state`, {
        version: submit.json().version,
        to: 'draft',
      });
      expect(back.statusCode).toBe(400);
      expect(back.json().error.fields[0].path).toBe('to');
      const stale = await call(server.app, liaison, 'POST', `${base}/partner-requests/${request.id}/state`, {
        version: request.version,
        to: 'acknowledged',
      });
      expect(stale.statusCode).toBe(409);
      const ack = await call(server.app, liaison, 'POST', `${base}/partner-requests/${request.id}/state`, {
        version: submit.json().version,
        to: 'acknowledged',
      });
      expect(ack.statusCode).toBe(200);
      const full = await call(server.app, manager, 'GET', `${base}/partner-requests/${request.id}`);
      expect(full.json().history.map((h: { toState: string }) => h.toState)).toEqual([
        'draft',
        'submitted',
        'acknowledged',
      ]);
      expect(full.json().history[1]).toMatchObject({ fromState: 'draft', note: 'Sent by the liaison desk' });
    });

    it('sends only the chosen fields of the chosen people, never restricted persons, sealed, with a matching digest', async () => {
      const badField = await call(
        server.app,
        liaison,
        'POST',
        `${base}/partners/${partnerId}/sharing-profiles`,
        {
          name: 'Bad',
          fields: ['nameLatin', 'vulnerabilities'],
        },
      );
      expect(badField.statusCode).toBe(400);
      expect(badField.json().error.fields[0].path).toBe('fields.1');

      const profile = await newProfile({
        name: 'Crossing list: names and documents',
        fields: ['nameLatin', 'nameArabic', 'documentNumber'],
        selection: { intention: ['leave'], zone: khanYounis },
      });
      const preview = await call(server.app, liaison, 'POST', `${base}/data-packages/preview`, {
        profileId: profile.id,
      });
      expect(preview.statusCode, preview.body).toBe(200);
      // Five family members, one of them linked to a restricted case; the Rafah family stays.
      expect(preview.json()).toMatchObject({ rowCount: 4, personCount: 4, formats: ['csv', 'xlsx'] });

      const request = (
        await call(server.app, liaison, 'GET', `${base}/partner-requests?partnerId=${partnerId}`)
      ).json().items[0];
      const built = await newPackage({ profileId: profile.id, requestId: request.id, maxDownloads: 3 });
      expect(built.package).toMatchObject({ rowCount: 4, personCount: 4 });
      const file = await download(built.downloadUrl);
      expect(file.statusCode, file.body).toBe(200);
      expect(file.headers['content-disposition']).toMatch(
        /attachment; filename="synthetic-crossings-authority-/,
      );
      expect(createHash('sha256').update(file.rawPayload).digest('hex')).toBe(built.package.sha256);
      const rows: string[][] = parse(file.rawPayload, { bom: true });
      expect(rows[0]).toEqual(['Name (Latin)', 'Name (Arabic)', 'Document number']);
      expect(rows).toHaveLength(5);
      expect(rows.flat()).toContain('X1234-5678');
      // Only the chosen fields: no birth dates, phones or zones.
      expect(file.body).not.toContain('1980-03-14');
      expect(file.body).not.toContain('+970');
      expect(file.body).not.toContain('Khan Younis');
      // The restricted person is nowhere: not in the file, not in the log of who was sent.
      expect(file.body).not.toContain('Yousef');
      const logged = await server.ctx.db.db
        .selectFrom('package_persons')
        .select('person_id')
        .where('package_id', '=', built.package.id)
        .execute();
      expect(logged.map((p) => p.person_id).sort()).toEqual(
        leaving
          .filter((p) => p.id !== hidden.id)
          .map((p) => p.id)
          .sort(),
      );
      expect(logged.map((p) => p.person_id)).not.toContain(staying[0]!.id);
      // At rest the file is sealed; the link secret is not stored, only its hash.
      const stored = await server.ctx.db.db
        .selectFrom('data_packages')
        .selectAll()
        .where('id', '=', built.package.id)
        .executeTakeFirstOrThrow();
      expect(stored.content?.startsWith('v2.')).toBe(true);
      expect(Buffer.from(stored.content!, 'utf8').toString()).not.toContain('Samir');
      const token = new URL(built.downloadUrl).pathname.split('/').pop()!;
      expect(token.length).toBeGreaterThanOrEqual(22);
      expect(JSON.stringify(stored)).not.toContain(token);
      // The request now counts the persons whose names were sent.
      const after = (await call(server.app, liaison, 'GET', `${base}/partner-requests/${request.id}`)).json();
      expect(after).toMatchObject({ packageCount: 1, linkedPersons: 4 });
      expect(await audits('data_package.created')).toBeGreaterThanOrEqual(1);

      // Explicit person ids narrow further; a restricted id among them is still left out.
      const explicit = await newProfile({
        name: 'Two named people',
        fields: ['nameLatin', 'birthDate'],
        selection: { personIds: [leaving[0]!.id, hidden.id] },
      });
      const xlsx = await newPackage({ profileId: explicit.id, format: 'xlsx' });
      expect(xlsx.package.rowCount).toBe(1);
      const xfile = await download(xlsx.downloadUrl);
      expect(createHash('sha256').update(xfile.rawPayload).digest('hex')).toBe(xlsx.package.sha256);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(xfile.rawPayload as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0]!;
      expect(sheet.getRow(1).values).toEqual([undefined, 'Name (Latin)', 'Date of birth']);
      expect(sheet.getRow(2).values).toEqual([undefined, 'Samir Adel Hamdi Testawi', '1980-03-14']);
      expect(sheet.rowCount).toBe(2);

      // A profile that selects nobody builds nothing.
      const nobody = await newProfile({
        name: 'Nobody',
        fields: ['sex'],
        selection: { personIds: [hidden.id] },
      });
      const empty = await call(server.app, liaison, 'POST', `${base}/data-packages`, {
        profileId: nobody.id,
        format: 'csv',
      });
      expect(empty.statusCode).toBe(400);
      expect(empty.json().error.fields[0].path).toBe('profileId');
    });

    it('selects people on an approved list (of a day) or holding a place on a leg', async () => {
      const db = server.ctx.db.db;
      const at = new Date().toISOString();
      // A crossing list of 2023-11-02 on which the head of the leaving family and the restricted
      // member were matched (synthetic records written directly: the list import is tested elsewhere).
      await db
        .insertInto('crossing_points')
        .values({
          id: 'cp-rafah',
          crisis_id: crisisId,
          name: 'Rafah',
          code: 'RAFAH-CP',
          description: '',
          requires_approved_list: 1,
          status: 'active',
          created_at: at,
          updated_at: at,
        })
        .execute();
      await seedApprovedList(db, {
        crisisId,
        crossingPointId: 'cp-rafah',
        listDate: '2023-11-02',
        // The third match still waits for a reviewer: not "on the list" yet.
        matches: [leaving[0]!, hidden, leaving[1]!].map((person, i) => ({
          personId: person.id,
          status: i === 2 ? 'pending' : 'confirmed',
          fullName: person.name ?? person.nameAr ?? '',
        })),
      });
      const onList = await newProfile({
        name: 'On the list',
        fields: ['nameLatin', 'listStatus'],
        selection: { onList: true, listDate: '2023-11-02' },
      });
      const listed = await newPackage({ profileId: onList.id });
      const rows: string[][] = parse((await download(listed.downloadUrl)).rawPayload, { bom: true });
      expect(rows.slice(1)).toEqual([['Samir Adel Hamdi Testawi', '2023-11-02']]);
      const otherDay = await newProfile({
        name: 'Another day',
        fields: ['nameLatin'],
        selection: { onList: true, listDate: '2023-11-03' },
      });
      expect(
        (
          await call(server.app, liaison, 'POST', `${base}/data-packages/preview`, { profileId: otherDay.id })
        ).json().rowCount,
      ).toBe(0);

      // A bus leg with the Rafah family offered seats.
      const coordinator = (await mk('mc@example.org', 'movement_coordinator', crisisId)).session;
      const leg = await call(server.app, coordinator, 'POST', `${base}/legs`, {
        kind: 'bus',
        name: 'Bus 7',
        origin: 'Rafah crossing',
        destination: 'Cairo',
        assemblyPoint: 'Synthetic school yard',
        departureAt: new Date(Date.now() + 3 * day).toISOString(),
        seats: 10,
      });
      expect(leg.statusCode, leg.body).toBe(201);
      const household = await db
        .selectFrom('persons')
        .select('household_id')
        .where('id', '=', staying[0]!.id)
        .executeTakeFirstOrThrow();
      const offer = await call(server.app, coordinator, 'POST', `${base}/legs/${leg.json().id}/assignments`, {
        householdId: household.household_id,
        offerDeadline: new Date(Date.now() + day).toISOString(),
      });
      expect(offer.statusCode, offer.body).toBe(201);
      const badLeg = await call(
        server.app,
        liaison,
        'POST',
        `${base}/partners/${partnerId}/sharing-profiles`,
        {
          name: 'Unknown leg',
          fields: ['nameLatin'],
          selection: { allocated: true, legId: 'no-such-leg' },
        },
      );
      expect(badLeg.statusCode).toBe(400);
      expect(badLeg.json().error.fields[0].path).toBe('selection.legId');
      const onLeg = await newProfile({
        name: 'Passengers of Bus 7',
        fields: ['nameLatin', 'leg'],
        selection: { allocated: true, legId: leg.json().id },
      });
      const passengers = await newPackage({ profileId: onLeg.id });
      const prow: string[][] = parse((await download(passengers.downloadUrl)).rawPayload, { bom: true });
      expect(prow.slice(1).map((r) => r[0])).toEqual(['Rami Staytest']);
      expect(prow[1]![1]).toMatch(/^Bus 7 \(/);
    });

    it('expires, revokes and counts links; every dead link answers like an unknown one', async () => {
      const profile = await newProfile({ name: 'Names only', fields: ['nameLatin'], selection: {} });
      const unknown = await download(`http://x/api/v1/shares/${'A'.repeat(22)}`);
      expect(unknown.statusCode).toBe(404);
      const malformed = await download('http://x/api/v1/shares/not-a-token');
      expect(malformed.statusCode).toBe(404);
      expect(malformed.json()).toEqual(unknown.json());

      // At most one download: the second answers 404, and the file is gone from the database.
      const once = await newPackage({ profileId: profile.id, maxDownloads: 1 });
      expect((await download(once.downloadUrl)).statusCode).toBe(200);
      const second = await download(once.downloadUrl);
      expect(second.statusCode).toBe(404);
      expect(second.json()).toEqual(unknown.json());
      const spent = await server.ctx.db.db
        .selectFrom('data_packages')
        .select(['content', 'purged_at', 'downloads'])
        .where('id', '=', once.package.id)
        .executeTakeFirstOrThrow();
      expect(spent).toMatchObject({ content: null, downloads: 1 });
      expect(spent.purged_at).not.toBeNull();
      const log = await call(server.app, liaison, 'GET', `${base}/data-packages/${once.package.id}`);
      expect(log.json()).toMatchObject({ linkState: 'exhausted', downloads: 1 });
      expect(log.json().downloadLog).toHaveLength(1);
      expect(log.json().downloadLog[0].addressHash).toMatch(/^[0-9a-f]{32}$/);
      expect(log.body).not.toContain('127.0.0.1');
      expect(await audits('data_package.downloaded')).toBeGreaterThanOrEqual(1);

      // Revoked: refused at once, and only a package builder may revoke.
      const revocable = await newPackage({ profileId: profile.id });
      expect(
        (await call(server.app, manager, 'POST', `${base}/data-packages/${revocable.package.id}/revoke`))
          .statusCode,
      ).toBe(403);
      const revoked = await call(
        server.app,
        liaison,
        'POST',
        `${base}/data-packages/${revocable.package.id}/revoke`,
      );
      expect(revoked.json()).toMatchObject({ linkState: 'revoked' });
      const afterRevoke = await download(revocable.downloadUrl);
      expect(afterRevoke.statusCode).toBe(404);
      expect(afterRevoke.json()).toEqual(unknown.json());

      // Expired: the link dies with its time, and the stored file is purged.
      const expiring = await newPackage({ profileId: profile.id, expiresInHours: 1 });
      const row = await server.ctx.db.db
        .selectFrom('data_packages')
        .select(['created_at', 'expires_at'])
        .where('id', '=', expiring.package.id)
        .executeTakeFirstOrThrow();
      expect(Date.parse(row.expires_at) - Date.parse(row.created_at)).toBe(3_600_000);
      await server.ctx.db.db
        .updateTable('data_packages')
        .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
        .where('id', '=', expiring.package.id)
        .execute();
      const expired = await download(expiring.downloadUrl);
      expect(expired.statusCode).toBe(404);
      expect(expired.json()).toEqual(unknown.json());
      const purged = await server.ctx.db.db
        .selectFrom('data_packages')
        .select(['content'])
        .where('id', '=', expiring.package.id)
        .executeTakeFirstOrThrow();
      expect(purged.content).toBeNull();

      // The default lifetime is 72 hours; the maximum is set per crisis by its manager.
      const byDefault = await newPackage({ profileId: profile.id });
      const d = await server.ctx.db.db
        .selectFrom('data_packages')
        .select(['created_at', 'expires_at'])
        .where('id', '=', byDefault.package.id)
        .executeTakeFirstOrThrow();
      expect(Date.parse(d.expires_at) - Date.parse(d.created_at)).toBe(72 * 3_600_000);
      expect(
        (
          await call(server.app, liaison, 'PUT', `${base}/sharing-settings`, {
            defaultLinkHours: 24,
            maxLinkHours: 48,
          })
        ).statusCode,
      ).toBe(403);
      const set = await call(server.app, manager, 'PUT', `${base}/sharing-settings`, {
        defaultLinkHours: 24,
        maxLinkHours: 48,
      });
      expect(set.statusCode, set.body).toBe(200);
      const tooLong = await call(server.app, liaison, 'POST', `${base}/data-packages`, {
        profileId: profile.id,
        format: 'csv',
        expiresInHours: 49,
      });
      expect(tooLong.statusCode).toBe(400);
      expect(tooLong.json().error.fields[0]).toMatchObject({ path: 'expiresInHours', maximum: 48 });
      const wrongFormat = await call(server.app, liaison, 'POST', `${base}/data-packages`, {
        profileId: profile.id,
        format: 'hxl',
      });
      expect(wrongFormat.statusCode).toBe(400);
      expect(wrongFormat.json().error.fields[0].path).toBe('format');
    });

    it('sends aggregates only as HXL built from the publishable (disclosure-controlled) tables', async () => {
      const badTable = await call(
        server.app,
        liaison,
        'POST',
        `${base}/partners/${partnerId}/sharing-profiles`,
        {
          name: 'Bad aggregates',
          kind: 'aggregates',
          fields: ['total', 'by_passport'],
        },
      );
      expect(badTable.statusCode).toBe(400);
      expect(badTable.json().error.fields[0].path).toBe('fields.1');
      const profile = await newProfile({
        name: 'Figures',
        kind: 'aggregates',
        fields: ['total', 'zone', 'intention'],
      });
      const csv = await call(server.app, liaison, 'POST', `${base}/data-packages`, {
        profileId: profile.id,
        format: 'csv',
      });
      expect(csv.statusCode).toBe(400);
      expect(csv.json().error.fields[0].path).toBe('format');

      const built = await newPackage({ profileId: profile.id, format: 'hxl' });
      expect(built.package.personCount).toBe(0);
      const file = await download(built.downloadUrl);
      expect(file.statusCode).toBe(200);
      expect(createHash('sha256').update(file.rawPayload).digest('hex')).toBe(built.package.sha256);
      const lines = file.body.split('\r\n');
      expect(lines[1]!.split(',').every((tag) => HXL_HASHTAG_SPEC.test(tag))).toBe(true);
      const hxl = parseHxl(file.rawPayload);
      expect(hxl.tags).toEqual(HXL_COLUMNS.map(([, tag]) => tag));
      expect(hxl.rows.length).toBe(built.package.rowCount);
      const col = (tag: string) => hxl.tags.indexOf(tag);
      expect(new Set(hxl.rows.map((r) => r[col('#meta+table')]))).toEqual(
        new Set(['total', 'zone', 'intention']),
      );
      // Five visible people (the restricted one excluded) are fewer than k = 10: the total is hidden,
      // and no published number anywhere is a small count.
      const total = hxl.rows.find((r) => r[col('#meta+table')] === 'total')!;
      expect(total[col('#meta+status')]).toBe('suppressed');
      expect(total[col('#affected+ind+total')]).toBe('');
      for (const r of hxl.rows) {
        const value = r[col('#affected+ind+total')]!;
        if (value !== '') expect(Number(value) === 0 || Number(value) >= 10).toBe(true);
      }
      // No persons behind an aggregate package, and nothing personal to seal.
      const stored = await server.ctx.db.db
        .selectFrom('data_packages')
        .select(['content_sealed', 'kind'])
        .where('id', '=', built.package.id)
        .executeTakeFirstOrThrow();
      expect(stored).toEqual({ content_sealed: 0, kind: 'aggregates' });
      const people = await server.ctx.db.db
        .selectFrom('package_persons')
        .select('person_id')
        .where('package_id', '=', built.package.id)
        .execute();
      expect(people).toEqual([]);
    });

    it("shows on a person's page who received their data, audited, and hides restricted persons", async () => {
      const person = leaving[0]!;
      const before = await audits('person.shares_viewed');
      const res = await call(server.app, officer, 'GET', `${base}/persons/${person.id}/shares`);
      expect(res.statusCode, res.body).toBe(200);
      const items = res.json().items as { partner: { name: string }; fields: string[]; request: unknown }[];
      expect(items.length).toBeGreaterThanOrEqual(2);
      expect(items.every((i) => i.partner.name === 'Synthetic Crossings Authority')).toBe(true);
      expect(items.some((i) => i.fields.includes('documentNumber'))).toBe(true);
      expect(items.some((i) => i.request !== null)).toBe(true);
      expect(await audits('person.shares_viewed')).toBe(before + 1);
      // The Rafah family was in the names-only and passenger packages, never in the crossing list.
      const other = (
        await call(server.app, officer, 'GET', `${base}/persons/${staying[0]!.id}/shares`)
      ).json();
      expect(other.items.length).toBeGreaterThan(0);
      expect(other.items.some((i: { fields: string[] }) => i.fields.includes('documentNumber'))).toBe(false);
      // A restricted person does not exist here.
      expect((await call(server.app, officer, 'GET', `${base}/persons/${hidden.id}/shares`)).statusCode).toBe(
        404,
      );

      // An anonymised person (retention) is never selected again, and has no page any more.
      const profile = await newProfile({ name: 'Everyone, names', fields: ['nameLatin'], selection: {} });
      const preview = async () =>
        (
          await call(server.app, liaison, 'POST', `${base}/data-packages/preview`, { profileId: profile.id })
        ).json().rowCount as number;
      const selected = await preview();
      await server.ctx.db.db
        .updateTable('persons')
        .set({ anonymised_at: new Date().toISOString() })
        .where('id', '=', leaving[3]!.id)
        .execute();
      expect(await preview()).toBe(selected - 1);
      expect(
        (await call(server.app, officer, 'GET', `${base}/persons/${leaving[3]!.id}/shares`)).statusCode,
      ).toBe(404);
    });
  });
}
