import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildListCsv, buildListPdf, buildListXlsx } from '../../../test/fixtures/crossing-lists/build.js';
import { call, multipart, type Session, signIn } from '../../../test/helpers/api.js';
import { DIALECTS } from '../../../test/helpers/context.js';
import { startTestServer, type TestServer } from '../../../test/helpers/server.js';

for (const dialect of DIALECTS) {
  describe(`crossing points and approved lists (${dialect})`, () => {
    let server: TestServer;
    let coordinator: Session;
    let analyst: Session;
    let crisisId: string;
    let otherCrisisId: string;

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      crisisId = (await server.createCrisis({ name: 'Crossings crisis' })).id;
      otherCrisisId = (await server.createCrisis({ name: 'Other crisis' })).id;
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
    });
    afterAll(async () => server?.close());

    const upload = (
      crossingId: string,
      fields: Record<string, string>,
      file?: { filename: string; data: Uint8Array },
    ) => {
      const body = multipart(fields, file ? { name: 'file', ...file } : undefined);
      return server.app.inject({
        method: 'POST',
        url: `/api/v1/crises/${crisisId}/crossings/${crossingId}/lists`,
        headers: { cookie: coordinator.cookie, 'x-csrf-token': coordinator.csrfToken, ...body.headers },
        payload: body.payload,
      });
    };

    it('sets up Rafah with two sides, records status changes with their source, and keeps the history', async () => {
      const created = await call(server.app, coordinator, 'POST', `/api/v1/crises/${crisisId}/crossings`, {
        name: 'Rafah',
        requiresApprovedList: true,
        sides: [
          { name: 'Gaza side', operator: 'Gaza crossings authority', status: 'closed' },
          {
            name: 'Egyptian side',
            operator: 'Egyptian authorities',
            status: 'open',
            openingWindows: [{ days: [1, 2, 3, 4, 5, 6, 7], opens: '09:00', closes: '15:00' }],
          },
        ],
      });
      expect(created.statusCode).toBe(201);
      const rafah = created.json();
      expect(rafah).toMatchObject({ code: 'RAFAH', overallStatus: 'closed', requiresApprovedList: true });
      const gaza = rafah.sides[0];
      const opened = await call(
        server.app,
        coordinator,
        'POST',
        `/api/v1/crises/${crisisId}/crossings/${rafah.id}/sides/${gaza.id}/status`,
        {
          status: 'open',
          note: 'Opened for foreign nationals',
          source: 'Liaison call with the crossing authority',
        },
      );
      expect(opened.statusCode).toBe(200);
      expect(opened.json().overallStatus).toBe('open');
      const history = await call(
        server.app,
        coordinator,
        'GET',
        `/api/v1/crises/${crisisId}/crossings/${rafah.id}/history`,
      );
      expect(history.json().items[0]).toMatchObject({
        sideName: 'Gaza side',
        status: 'open',
        source: 'Liaison call with the crossing authority',
      });
      expect(history.json().items).toHaveLength(3);

      const badWindow = await call(
        server.app,
        coordinator,
        'PATCH',
        `/api/v1/crises/${crisisId}/crossings/${rafah.id}/sides/${gaza.id}`,
        {
          openingWindows: [{ days: [8], opens: '15:00', closes: '09:00' }],
        },
      );
      expect(badWindow.statusCode).toBe(400);
      expect(badWindow.json().error.fields.map((f: { path: string }) => f.path)).toEqual(
        expect.arrayContaining(['openingWindows.0.days.0', 'openingWindows.0.closes']),
      );

      // Analysts see no crossings; another crisis's id looks missing.
      expect(
        (await call(server.app, analyst, 'GET', `/api/v1/crises/${crisisId}/crossings`)).statusCode,
      ).toBe(403);
      expect(
        (await call(server.app, coordinator, 'GET', `/api/v1/crises/${otherCrisisId}/crossings/${rafah.id}`))
          .statusCode,
      ).toBe(404);
    });

    it('imports the day’s list from CSV, XLSX and PDF, with counts by nationality; refuses duplicates and bad files', async () => {
      const crossings = await call(server.app, coordinator, 'GET', `/api/v1/crises/${crisisId}/crossings`);
      const rafahId = crossings.json().items[0].id;
      const csv = await upload(
        rafahId,
        { listDate: '2023-11-01', source: 'Crossings authority' },
        { filename: 'list.csv', data: new TextEncoder().encode(buildListCsv()) },
      );
      expect(csv.statusCode, csv.body).toBe(201);
      expect(csv.json()).toMatchObject({
        format: 'csv',
        rowCount: 6,
        byNationality: { USA: 4, CAN: 1, FRA: 1 },
      });
      const xlsx = await upload(
        rafahId,
        { listDate: '2023-11-02', source: 'Crossings authority' },
        { filename: 'list.xlsx', data: await buildListXlsx() },
      );
      expect(xlsx.json()).toMatchObject({ format: 'xlsx', rowCount: 6 });
      const pdf = await upload(
        rafahId,
        { listDate: '2023-11-03', source: 'Crossings authority' },
        { filename: 'list.pdf', data: await buildListPdf() },
      );
      expect(pdf.json()).toMatchObject({ format: 'pdf', rowCount: 6 });

      const again = await upload(
        rafahId,
        { listDate: '2023-11-01', source: 'Crossings authority' },
        { filename: 'list.csv', data: new TextEncoder().encode(buildListCsv()) },
      );
      expect(again.statusCode).toBe(409);
      const bad = await upload(
        rafahId,
        { listDate: '2023-11-04', source: 'X' },
        { filename: 'bad.csv', data: new TextEncoder().encode('Name,DOB\nA,99/99/1999\n') },
      );
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toMatch(/bad\.csv, row 2, column "DOB"/);
      const noDate = await upload(
        rafahId,
        { source: 'X' },
        { filename: 'list.csv', data: new TextEncoder().encode(buildListCsv()) },
      );
      expect(noDate.statusCode).toBe(400);
      expect(noDate.json().error.fields[0].path).toBe('listDate');
      const noFile = await upload(rafahId, { listDate: '2023-11-05', source: 'X' });
      expect(noFile.statusCode).toBe(400);

      const lists = await call(server.app, coordinator, 'GET', `/api/v1/crises/${crisisId}/lists`);
      expect(lists.json().items.map((l: { listDate: string }) => l.listDate)).toEqual([
        '2023-11-03',
        '2023-11-02',
        '2023-11-01',
      ]);
      const detail = await call(
        server.app,
        coordinator,
        'GET',
        `/api/v1/crises/${crisisId}/lists/${pdf.json().id}?limit=2`,
      );
      expect(detail.json().entries).toHaveLength(2);
      expect(detail.json().entries[0]).toMatchObject({
        fullName: 'MOHAMMED ABDELRAHMAN',
        fullNameAr: 'محمد عبد الرحمن',
        passportNumber: 'A1234567',
      });
      const audit = await server.ctx.db.db
        .selectFrom('audit_log')
        .select('action')
        .where('entity_id', '=', pdf.json().id)
        .execute();
      expect(audit.map((a) => a.action)).toEqual(['approved_list.imported', 'approved_list.viewed']);
    });
  });
}
