import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, freshTotp, sessionCookie, signIn } from '../helpers/api.js';
import { DIALECTS } from '../helpers/context.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

for (const dialect of DIALECTS) {
  describe(`staff sign-in and enrolment (${dialect})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ dialect, env: { LOGIN_MAX_FAILURES: '3' } });
    });
    afterAll(async () => server?.close());

    it('creates the first administrator through the one-time setup link, with TOTP and recovery codes', async () => {
      const { app } = server;
      expect((await app.inject('/api/v1/setup')).json()).toEqual({ needsSetup: true });
      const url = new URL(await server.setupUrl());
      expect(url.pathname).toBe('/console/accept');
      const token = url.searchParams.get('token')!;
      expect(token.length).toBeGreaterThanOrEqual(22);

      const info = await app.inject({ method: 'POST', url: '/api/v1/auth/token-info', payload: { token } });
      expect(info.json()).toMatchObject({ purpose: 'setup', email: null });

      const noEmail = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/invitations/accept',
        payload: { token, displayName: 'Admin One', password: 'correct horse battery' },
      });
      expect(noEmail.statusCode).toBe(400);
      expect(noEmail.json().error.fields[0].path).toBe('email');

      const accept = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/invitations/accept',
        payload: {
          token,
          displayName: 'Admin One',
          password: 'correct horse battery',
          email: 'Admin@Example.org',
        },
      });
      expect(accept.statusCode).toBe(200);
      const { enrollment } = accept.json();
      expect(enrollment.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
      expect(enrollment.qrDataUrl).toMatch(/^data:image\/png;base64,/);
      const cookie = sessionCookie(accept);

      // The enrolment session cannot be used for anything else yet.
      expect((await app.inject({ url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(401);
      const reused = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/invitations/accept',
        payload: { token, displayName: 'X', password: 'another long password', email: 'x@example.org' },
      });
      expect(reused.statusCode).toBe(404);

      const wrong = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/totp/confirm',
        headers: { cookie },
        payload: { code: '000000' },
      });
      expect(wrong.statusCode).toBe(401);
      const confirm = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/totp/confirm',
        headers: { cookie },
        payload: { code: freshTotp(enrollment.secret) },
      });
      expect(confirm.statusCode).toBe(200);
      const body = confirm.json();
      expect(body.recoveryCodes).toHaveLength(10);
      expect(body.me.email).toBe('admin@example.org');
      expect(body.me.grants).toEqual([{ role: 'administrator', crisisId: null }]);
      expect(body.me.abilities.global).toContain('staff.manage');
      expect((await app.inject('/api/v1/setup')).json()).toEqual({ needsSetup: false });

      // Sign in again with a recovery code, once.
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'admin@example.org', password: 'correct horse battery' },
      });
      const c2 = sessionCookie(login);
      const rc = body.recoveryCodes[0].toUpperCase();
      expect(
        (
          await app.inject({
            method: 'POST',
            url: '/api/v1/auth/mfa',
            headers: { cookie: c2 },
            payload: { recoveryCode: rc },
          })
        ).statusCode,
      ).toBe(200);
      const login3 = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'admin@example.org', password: 'correct horse battery' },
      });
      const again = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/mfa',
        headers: { cookie: sessionCookie(login3) },
        payload: { recoveryCode: rc },
      });
      expect(again.statusCode).toBe(401);
    });

    it('answers a wrong email and a wrong password the same way, and locks after repeated failures', async () => {
      const { app } = server;
      await server.createStaff({
        email: 'officer@example.org',
        password: 'officer password 1',
        grants: [{ role: 'analyst', crisisId: null }],
      });
      const unknown = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'nobody@example.org', password: 'whatever it is' },
      });
      const wrong = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'officer@example.org', password: 'wrong password' },
      });
      expect(unknown.statusCode).toBe(401);
      expect(wrong.statusCode).toBe(401);
      expect(unknown.json()).toEqual(wrong.json());
      await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'officer@example.org', password: 'wrong again' },
      });
      await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'officer@example.org', password: 'wrong thrice' },
      });
      const locked = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'officer@example.org', password: 'officer password 1' },
      });
      expect(locked.statusCode).toBe(423);
      expect(locked.json().error.code).toBe('locked');
    });

    it('refuses a second-factor code used twice, requires the anti-forgery token, and logs out everywhere', async () => {
      const { app } = server;
      const staff = await server.createStaff({
        email: 'cm@example.org',
        password: 'manager password 1',
        grants: [{ role: 'crisis_manager', crisisId: null }],
      });
      const { Secret, TOTP } = await import('otpauth');
      const code = new TOTP({ secret: Secret.fromBase32(staff.totpSecret) }).generate();
      const loginA = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'cm@example.org', password: 'manager password 1' },
      });
      const a = { cookie: sessionCookie(loginA), csrfToken: loginA.json().csrfToken as string };
      expect(
        (
          await app.inject({
            method: 'POST',
            url: '/api/v1/auth/mfa',
            headers: { cookie: a.cookie },
            payload: { code },
          })
        ).statusCode,
      ).toBe(200);
      // The same code on another login is a replay and is refused.
      const loginB = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'cm@example.org', password: 'manager password 1' },
      });
      const replay = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/mfa',
        headers: { cookie: sessionCookie(loginB) },
        payload: { code },
      });
      expect(replay.statusCode).toBe(401);
      expect(replay.json().error.code).toBe('invalid_code');
      const b = { cookie: sessionCookie(loginB), csrfToken: loginB.json().csrfToken as string };
      const nextCode = new TOTP({ secret: Secret.fromBase32(staff.totpSecret) }).generate({
        timestamp: Date.now() + 30_000,
      });
      expect(
        (
          await app.inject({
            method: 'POST',
            url: '/api/v1/auth/mfa',
            headers: { cookie: b.cookie },
            payload: { code: nextCode },
          })
        ).statusCode,
      ).toBe(200);
      expect((await call(app, a, 'GET', '/api/v1/me')).statusCode).toBe(200);

      const noCsrf = await app.inject({
        method: 'PATCH',
        url: '/api/v1/me',
        headers: { cookie: a.cookie },
        payload: { locale: 'fr' },
      });
      expect(noCsrf.statusCode).toBe(403);
      expect(noCsrf.json().error.code).toBe('csrf_failed');
      const withCsrf = await call(app, a, 'PATCH', '/api/v1/me', { locale: 'fr' });
      expect(withCsrf.statusCode).toBe(200);
      expect(withCsrf.json().locale).toBe('fr');

      expect((await call(app, a, 'POST', '/api/v1/auth/logout-everywhere')).statusCode).toBe(204);
      expect((await call(app, a, 'GET', '/api/v1/me')).statusCode).toBe(401);
      expect((await call(app, b, 'GET', '/api/v1/me')).statusCode).toBe(401);
    });

    it('invites a staff member, who enrols through the link; an administrator can reset the password', async () => {
      const { app } = server;
      const admin = await server.createStaff({
        email: 'admin2@example.org',
        password: 'admin password 22',
        grants: [{ role: 'administrator', crisisId: null }],
      });
      const s = await signIn(app, 'admin2@example.org', 'admin password 22', admin.totpSecret);
      const crisis = await server.createCrisis({ name: 'Test crisis invitations' });

      const bad = await call(app, s, 'POST', '/api/v1/staff/invitations', {
        email: 'not-an-email',
        displayName: 'A',
        grants: [{ role: 'wizard', crisisId: null }],
        extra: 1,
      });
      expect(bad.statusCode).toBe(400);
      const paths = bad.json().error.fields.map((f: { path: string }) => f.path);
      expect(paths).toEqual(expect.arrayContaining(['email', 'grants.0.role', 'extra']));

      const inv = await call(app, s, 'POST', '/api/v1/staff/invitations', {
        email: 'agent@example.org',
        displayName: 'Agent Zero',
        grants: [{ role: 'call_centre_agent', crisisId: crisis.id }],
      });
      expect(inv.statusCode).toBe(201);
      const token = new URL(inv.json().invitationUrl).searchParams.get('token')!;
      const info = await app.inject({ method: 'POST', url: '/api/v1/auth/token-info', payload: { token } });
      expect(info.json()).toMatchObject({ purpose: 'invitation', email: 'agent@example.org' });
      const accept = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/invitations/accept',
        payload: { token, displayName: 'Agent Zero', password: 'agent password 12' },
      });
      expect(accept.statusCode).toBe(200);
      const secret = accept.json().enrollment.secret;
      const confirm = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/totp/confirm',
        headers: { cookie: sessionCookie(accept) },
        payload: { code: freshTotp(secret) },
      });
      expect(confirm.statusCode).toBe(200);
      expect(confirm.json().me.crises.map((c: { id: string }) => c.id)).toEqual([crisis.id]);
      expect(confirm.json().me.abilities.byCrisis[crisis.id]).toContain('person.create');

      const agentId = inv.json().staff.id;
      const reset = await call(app, s, 'POST', `/api/v1/staff/${agentId}/password-reset`, {});
      expect(reset.statusCode).toBe(200);
      // The agent's session ended.
      expect(
        (await app.inject({ url: '/api/v1/me', headers: { cookie: sessionCookie(accept) } })).statusCode,
      ).toBe(401);
      const resetToken = new URL(reset.json().resetUrl).searchParams.get('token')!;
      const info2 = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/token-info',
        payload: { token: resetToken },
      });
      expect(info2.json().purpose).toBe('reset');

      const disable = await call(app, s, 'PATCH', `/api/v1/staff/${agentId}`, { status: 'disabled' });
      expect(disable.json().status).toBe('disabled');
      const audit = await call(app, s, 'GET', `/api/v1/audit?entityId=${agentId}`);
      const actions = audit.json().items.map((i: { action: string }) => i.action);
      expect(actions).toEqual(
        expect.arrayContaining([
          'staff.invited',
          'auth.totp_enrolled',
          'staff.password_reset_issued',
          'staff.updated',
        ]),
      );
    });
  });
}
