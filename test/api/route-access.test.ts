import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffActor } from '../../src/access/actor.js';
import { isPermission } from '../../src/access/permissions.js';
import { holdsAnywhere } from '../../src/access/policy.js';
import { BUILT_IN_ROLES } from '../../src/access/roles.js';
import { call, type Session, signIn } from '../helpers/api.js';
import { DIALECTS } from '../helpers/context.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

type Operation = { tags?: string[] };
type OpenApi = { paths: Record<string, Record<string, Operation>> };

/**
 * Walks every /api/v1 route in the OpenAPI document with no session and with one account per
 * role, and checks that each route refuses exactly those it should: 401 without a session
 * (unless tagged public), 403 for a role without the declared permission.
 */
for (const dialect of DIALECTS) {
  describe(`route access walk (${dialect})`, () => {
    let server: TestServer;
    const sessions = new Map<string, Session>();
    let doc: OpenApi;

    beforeAll(async () => {
      server = await startTestServer({
        dialect,
        env: { API_RATE_LIMIT_PER_MINUTE: '100000', AUTH_RATE_LIMIT_PER_MINUTE: '1000' },
      });
      for (const role of BUILT_IN_ROLES) {
        const email = `${role.id}@example.org`;
        const password = `${role.id} password`;
        const { totpSecret } = await server.createStaff({
          email,
          password,
          grants: [{ role: role.id, crisisId: null }],
        });
        sessions.set(role.id, await signIn(server.app, email, password, totpSecret));
      }
      doc = (await server.app.inject('/api/v1/openapi.json')).json();
    });
    afterAll(async () => server?.close());

    const concrete = (path: string) => path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');

    it('documents every declared /api/v1 route, tagging exactly the public ones', () => {
      const documented = new Set<string>();
      for (const [path, ops] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(ops)) {
          const key = `${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`;
          documented.add(key);
          const access = server.app.routeAccess.get(key);
          expect(access, key).toBeDefined();
          expect(op.tags?.includes('public') ?? false, key).toBe(access === 'public');
        }
      }
      const declared = [...server.app.routeAccess.keys()].filter(
        (k) => !k.startsWith('HEAD ') && !k.endsWith('/openapi.json'),
      );
      for (const key of declared) expect(documented.has(key), key).toBe(true);
      expect(declared.length).toBeGreaterThan(15);
    });

    it('refuses anonymous callers on every non-public route and wrong roles on every permission route', async () => {
      let checked = 0;
      for (const [path, ops] of Object.entries(doc.paths)) {
        if (!path.startsWith('/api/v1')) continue;
        for (const method of Object.keys(ops)) {
          const key = `${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`;
          const access = server.app.routeAccess.get(key)!;
          const m = method.toUpperCase() as 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
          const url = concrete(path);
          const body = m === 'GET' ? undefined : {};

          const anon = await call(server.app, undefined, m, url, body);
          if (access === 'public') expect(anon.statusCode, `anonymous ${key}`).not.toBe(401);
          else expect(anon.statusCode, `anonymous ${key}`).toBe(401);

          // Signing out ends the walk's sessions; auth.test.ts covers those routes for signed-in staff.
          if (path.startsWith('/api/v1/auth/logout')) continue;
          for (const role of BUILT_IN_ROLES) {
            const res = await call(server.app, sessions.get(role.id), m, url, body);
            const actor = staffActor(
              'x',
              'x',
              [{ role: role.id, crisisId: null }],
              new Map([[role.id, role.permissions]]),
            );
            const label = `${role.id} ${key} -> ${res.statusCode} ${res.body.slice(0, 120)}`;
            if (access === 'enrolment' || access === 'second-factor') {
              expect(res.statusCode, label).toBe(401);
            } else if (isPermission(access) && !holdsAnywhere(actor, access)) {
              expect(res.statusCode, label).toBe(403);
            } else {
              expect([401, 403, 500], label).not.toContain(res.statusCode);
            }
            checked += 1;
          }
        }
      }
      expect(checked).toBeGreaterThan(100);
    });
  });
}
