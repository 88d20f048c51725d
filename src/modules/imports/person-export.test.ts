import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { familyRegistration } from '../../../test/fixtures/persons/registrations.js';
import { seedCrisis } from '../../../test/fixtures/persons/seed.js';
import { call, multipart, type Session, signIn } from '../../../test/helpers/api.js';
import { DIALECTS } from '../../../test/helpers/context.js';
import { startTestServer, type TestServer } from '../../../test/helpers/server.js';
import { systemActor } from '../../access/actor.js';
import { importPersons } from './person-import.service.js';

for (const dialect of DIALECTS) {
  describe(`registry export (${dialect})`, () => {
    let server: TestServer;
    const sessions: Record<string, Session> = {};
    let crisisId: string;

    beforeAll(async () => {
      server = await startTestServer({ dialect, env: { API_RATE_LIMIT_PER_MINUTE: '100000' } });
      crisisId = (await seedCrisis(server.ctx)).crisis.id;
      for (const role of ['consular_officer', 'crisis_manager', 'call_centre_agent']) {
        const email = `${role}@example.org`;
        const { totpSecret } = await server.createStaff({
          email,
          password: `${role} password`,
          grants: [{ role, crisisId }],
        });
        sessions[role] = await signIn(server.app, email, `${role} password`, totpSecret);
      }
      await server.app.inject({
        method: 'POST',
        url: '/api/v1/public/registrations',
        payload: familyRegistration({ crisis: crisisId }),
      });
      // A name that a spreadsheet would run as a formula.
      await server.app.inject({
        method: 'POST',
        url: '/api/v1/public/registrations',
        payload: familyRegistration({
          crisis: crisisId,
          members: [{ relationship: 'head', nameLatin: { full: '=HYPERLINK("x")' } }],
        }),
      });
    });
    afterAll(async () => server.close());

    const exportAs = (role: string, query: string) =>
      call(server.app, sessions[role], 'GET', `/api/v1/crises/${crisisId}/persons/export?${query}`);

    it('gives case officers documents and phones, managers only the basic columns', async () => {
      const officer = await exportAs('consular_officer', 'format=csv');
      expect(officer.statusCode).toBe(200);
      expect(officer.headers['content-type']).toContain('text/csv');
      const [header, ...rows] = officer.body
        .replace(/^\ufeff/, '')
        .trim()
        .split('\r\n');
      expect(header).toContain('documents');
      expect(header).toContain('phones');
      expect(rows).toHaveLength(6);
      expect(officer.body).toContain('passport:X1234-5678');
      expect(officer.body).toContain(`"'=HYPERLINK(""x"")"`);
      const manager = await exportAs('crisis_manager', 'format=csv&vulnerability=elderly');
      expect(manager.body).not.toContain('phones');
      expect(manager.body).not.toContain('+970');
      expect(manager.body.trim().split('\r\n')).toHaveLength(2);
      expect((await exportAs('call_centre_agent', 'format=csv')).statusCode).toBe(403);
    });

    it('imports a spreadsheet over HTTP (dry run first) for officers only', async () => {
      const csv = Buffer.from(
        'Name,DOB,Mobile\nAmal Sample,1990,+970599000021\nBad Date,1990-99-01,+970599000022\n',
      );
      const send = (role: string, query: string) => {
        const body = multipart({}, { name: 'file', filename: 'list.csv', data: csv });
        return server.app.inject({
          method: 'POST',
          url: `/api/v1/crises/${crisisId}/imports/persons?${query}`,
          headers: {
            cookie: sessions[role]!.cookie,
            'x-csrf-token': sessions[role]!.csrfToken,
            ...body.headers,
          },
          payload: body.payload,
        });
      };
      const dry = await send('consular_officer', 'dryRun=true');
      expect(dry.statusCode, dry.body).toBe(200);
      expect(dry.json()).toMatchObject({
        rows: 2,
        valid: 1,
        imported: 0,
        errors: [{ row: 3, column: 'DOB' }],
      });
      const real = await send('consular_officer', 'map=Name:full_name');
      expect(real.json()).toMatchObject({ imported: 1, persons: 1 });
      expect((await send('crisis_manager', 'dryRun=true')).statusCode).toBe(403);
    });

    it('writes XLSX', async () => {
      const res = await exportAs('consular_officer', 'format=xlsx&q=testawi');
      expect(res.statusCode).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      expect(workbook.worksheets[0]!.actualRowCount).toBe(4);
    });
  });
}

describe('importer under generated garbage', () => {
  it('never throws anything but a named error and never half-writes', async () => {
    const server = await startTestServer({});
    try {
      const crisisId = (await seedCrisis(server.ctx)).crisis.id;
      const cell = fc.oneof(
        fc.string({ maxLength: 20 }),
        fc.constantFrom('1984', '+970599000001', 'KHAN-YOUNIS', 'head', 'child', 'F1', ''),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { maxLength: 6 }),
          async (rows) => {
            const text = [['Family ID', 'Name', 'DOB', 'Mobile', 'Area', 'Relationship'], ...rows]
              .map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(','))
              .join('\n');
            const before = await server.ctx.db.db.selectFrom('persons').select('id').execute();
            const report = await importPersons(server.ctx, systemActor('fuzz'), crisisId, {
              fileName: 'x.csv',
              data: Buffer.from(text),
              dryRun: false,
            }).catch((e: { code?: string }) => {
              expect(e.code).toBe('validation_failed');
              return undefined;
            });
            const after = await server.ctx.db.db.selectFrom('persons').select('id').execute();
            if (!report) expect(after.length).toBe(before.length);
            else {
              expect(after.length - before.length).toBe(report.persons);
              for (const e of report.errors) expect(e.row).toBeGreaterThanOrEqual(2);
            }
          },
        ),
        { numRuns: 60 },
      );
    } finally {
      await server.close();
    }
  });
});
