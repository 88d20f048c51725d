import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Session, signIn } from '../../../test/helpers/api.js';
import { DIALECTS } from '../../../test/helpers/context.js';
import { startTestServer, type TestServer } from '../../../test/helpers/server.js';
import { createAppContext } from '../../app-context.js';
import { loadConfig } from '../../config.js';
import { createLogger } from '../../lib/logger.js';
import { rotateSealedValues } from '../keys/key-rotation.service.js';

const BODY = {
  kind: 'hostage',
  status: 'confirmed_held',
  citizenship: 'unconfirmed',
  person: {
    fullName: 'Daniel Testman',
    fullNameAr: 'دانيال تستمان',
    dateOfBirth: '1990-05-01',
    sex: 'male',
    nationalities: ['US'],
  },
  circumstances: 'Taken from a synthetic kibbutz on 7 October',
  lastKnownLocation: { place: 'Northern Gaza (unconfirmed)', asOf: '2023-10-07' },
  eventDate: '2023-10-07',
};

for (const dialect of DIALECTS) {
  describe(`restricted cases (${dialect})`, () => {
    let server: TestServer;
    let cell: Session;
    let cellOther: Session;
    let others: Session[];
    let crisisId: string;

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      crisisId = (await server.createCrisis({ name: 'Restricted crisis' })).id;
      const otherCrisis = (await server.createCrisis({ name: 'Another crisis' })).id;
      const mk = async (email: string, grants: { role: string; crisisId: string | null }[]) => {
        const s = await server.createStaff({ email, password: `${email} pw`, grants });
        return signIn(server.app, email, `${email} pw`, s.totpSecret);
      };
      cell = await mk('cell@example.org', [{ role: 'restricted_cases_officer', crisisId }]);
      cellOther = await mk('cell2@example.org', [
        { role: 'restricted_cases_officer', crisisId: otherCrisis },
      ]);
      others = [];
      for (const role of [
        'administrator',
        'crisis_manager',
        'consular_officer',
        'call_centre_agent',
        'movement_coordinator',
        'analyst',
        'partner_liaison',
      ]) {
        others.push(
          await mk(`${role}@example.org`, [{ role, crisisId: role === 'administrator' ? null : crisisId }]),
        );
      }
    });
    afterAll(async () => server?.close());

    it('keeps the file sealed at rest, dated events, liaisons and tasks for the cell alone', async () => {
      const created = await call(
        server.app,
        cell,
        'POST',
        `/api/v1/crises/${crisisId}/restricted-cases`,
        BODY,
      );
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id;
      expect(created.json()).toMatchObject({
        number: expect.stringMatching(/^R-/),
        status: 'confirmed_held',
        person: { fullName: 'Daniel Testman' },
      });

      const raw = await server.ctx.db.db
        .selectFrom('restricted_cases')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(raw.sealed).not.toContain('Testman');
      expect(raw.sealed).not.toContain('kibbutz');

      const released = await call(
        server.app,
        cell,
        'PATCH',
        `/api/v1/crises/${crisisId}/restricted-cases/${id}`,
        {
          version: 1,
          status: 'released',
          citizenship: 'confirmed',
          eventDate: '2023-10-20',
          note: 'Released after mediation',
        },
      );
      expect(released.json()).toMatchObject({ status: 'released', citizenship: 'confirmed', version: 2 });
      const stale = await call(
        server.app,
        cell,
        'PATCH',
        `/api/v1/crises/${crisisId}/restricted-cases/${id}`,
        { version: 1, status: 'found' },
      );
      expect(stale.json().error.code).toBe('version_conflict');
      expect(
        (
          await call(server.app, cell, 'POST', `/api/v1/crises/${crisisId}/restricted-cases/${id}/liaisons`, {
            name: 'Ruth Testman',
            relationship: 'mother',
            phone: '+1 202 555 0101',
          })
        ).statusCode,
      ).toBe(201);
      expect(
        (
          await call(server.app, cell, 'POST', `/api/v1/crises/${crisisId}/restricted-cases/${id}/tasks`, {
            title: 'Call the family',
          })
        ).statusCode,
      ).toBe(201);

      const file = await call(server.app, cell, 'GET', `/api/v1/crises/${crisisId}/restricted-cases/${id}`);
      expect(
        file.json().events.map((e: { kind: string; eventDate: string }) => [e.kind, e.eventDate]),
      ).toEqual([
        ['opened', '2023-10-07'],
        ['status_changed', '2023-10-20'],
        ['citizenship_changed', '2023-10-20'],
      ]);
      expect(file.json().liaisons[0]).toMatchObject({ name: 'Ruth Testman' });
      expect(file.json().tasks[0].title).toBe('Call the family');
      const liaisonRaw = await server.ctx.db.db
        .selectFrom('restricted_liaisons')
        .select('sealed')
        .executeTakeFirstOrThrow();
      expect(liaisonRaw.sealed).not.toContain('Ruth');

      const audit = await server.ctx.db.db
        .selectFrom('audit_log')
        .select('action')
        .where('entity_id', '=', id)
        .execute();
      expect(audit.map((a) => a.action)).toEqual(
        expect.arrayContaining(['restricted.created', 'restricted.updated', 'restricted.viewed']),
      );

      // Every other role: refused on every route, whatever the id; the cell of another crisis: 404.
      for (const s of others) {
        for (const url of [
          `/api/v1/crises/${crisisId}/restricted-cases`,
          `/api/v1/crises/${crisisId}/restricted-cases/${id}`,
          `/api/v1/crises/${crisisId}/restricted-cases/no-such-id`,
        ]) {
          const res = await call(server.app, s, 'GET', url);
          expect(res.statusCode).toBe(403);
          expect(res.body).not.toContain('Testman');
        }
      }
      const real = await call(
        server.app,
        cellOther,
        'GET',
        `/api/v1/crises/${crisisId}/restricted-cases/${id}`,
      );
      const fake = await call(
        server.app,
        cellOther,
        'GET',
        `/api/v1/crises/${crisisId}/restricted-cases/no-such-id`,
      );
      expect(real.statusCode).toBe(404);
      expect(real.body).toBe(fake.body);
    });

    it('rotates the master key: old values readable with SECRET_KEY_PREVIOUS, then sealed again under the new key', async () => {
      const oldKey = server.ctx.config.secretKey.toString('hex');
      const newKey = randomBytes(32).toString('hex');
      const env = {
        ...process.env,
        NODE_ENV: 'test',
        DATA_DIR: server.ctx.config.dataDir,
        SECRET_KEY: newKey,
        SECRET_KEY_PREVIOUS: oldKey,
        ...(server.ctx.config.database.kind === 'postgres'
          ? { DATABASE_URL: server.ctx.config.database.url }
          : {}),
      };
      const rotating = await createAppContext(loadConfig(env), createLogger('silent'));
      try {
        const counts = await rotateSealedValues(rotating, 2);
        expect(counts['restricted_cases.sealed']).toBe(1);
        expect(counts['restricted_liaisons.sealed']).toBe(1);
        expect(counts['staff.totp_secret_enc']).toBeGreaterThanOrEqual(9);
        expect(Object.values(await rotateSealedValues(rotating)).every((n) => n === 0)).toBe(true);
      } finally {
        await rotating.db.close();
      }
      const { SECRET_KEY_PREVIOUS: _drop, ...withoutOld } = env;
      const after = await createAppContext(loadConfig(withoutOld), createLogger('silent'));
      try {
        const row = await after.db.db
          .selectFrom('restricted_cases')
          .select('sealed')
          .executeTakeFirstOrThrow();
        expect(JSON.parse(after.restrictedBox.open(row.sealed)).person.fullName).toBe('Daniel Testman');
      } finally {
        await after.db.close();
      }
    });
  });
}
