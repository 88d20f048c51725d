import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Session, signIn } from '../helpers/api.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('bad input and HTTP hardening', () => {
  let server: TestServer;
  let admin: Session;
  beforeAll(async () => {
    server = await startTestServer({ env: { BODY_LIMIT_BYTES: '4096' } });
    const s = await server.createStaff({
      email: 'a@example.org',
      password: 'admin password 1',
      grants: [{ role: 'administrator', crisisId: null }],
    });
    admin = await signIn(server.app, 'a@example.org', 'admin password 1', s.totpSecret);
  });
  afterAll(async () => server?.close());

  it('names each bad field, refuses unknown fields, and keeps the error shape', async () => {
    const res = await call(server.app, admin, 'POST', '/api/v1/crises', {
      name: 'x',
      retentionDays: -1,
      eligibilityPolicy: { eligibleCategories: ['martian'], permanentResidentsOnlyWithCitizenFamily: 'yes' },
      colour: 'red',
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('validation_failed');
    const paths = body.error.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'name',
        'retentionDays',
        'eligibilityPolicy.eligibleCategories.0',
        'eligibilityPolicy.permanentResidentsOnlyWithCitizenFamily',
        'colour',
      ]),
    );
  });

  it('answers 400 for broken JSON, 415 for an unknown content type, 413 for an oversized body', async () => {
    const broken = await server.app.inject({
      method: 'POST',
      url: '/api/v1/crises',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'content-type': 'application/json' },
      payload: '{"name": "Crisis',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('bad_request');
    expect(broken.body).not.toMatch(/at .*\.js/);

    const xml = await server.app.inject({
      method: 'POST',
      url: '/api/v1/crises',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'content-type': 'application/xml' },
      payload: '<crisis/>',
    });
    expect(xml.statusCode).toBe(415);

    const big = await call(server.app, admin, 'POST', '/api/v1/crises', {
      name: 'Big',
      description: 'x'.repeat(10_000),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('payload_too_large');
  });

  it('validates query strings and path parameters too', async () => {
    const res = await call(server.app, admin, 'GET', '/api/v1/audit?limit=5000&colour=red');
    expect(res.statusCode).toBe(400);
    const paths = res.json().error.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['limit', 'colour']));
    const missing = await call(server.app, admin, 'GET', '/api/v1/crises/does-not-exist');
    expect(missing.statusCode).toBe(404);
  });

  it('sends strict security headers and never a stack trace', async () => {
    // An API answer: never framed, sniffed or cached, and no page policies.
    const res = await server.app.inject('/api/v1/setup');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-dns-prefetch-control']).toBeUndefined();
    // A page (the portal, the API docs UI, which sets its own policy): the whole set.
    for (const url of ['/', '/api/docs/']) {
      const page = await server.app.inject(url);
      expect(page.headers['x-content-type-options'], url).toBe('nosniff');
      expect(page.headers['cross-origin-opener-policy'], url).toBe('same-origin');
    }
    const portal = (await server.app.inject('/')).headers['content-security-policy'];
    expect(portal).toContain("script-src 'self'");
    expect(portal).toContain("frame-ancestors 'none'");
    const login = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'a@example.org', password: 'admin password 1' },
    });
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
  });

  it('serves health, readiness and metrics', async () => {
    expect((await server.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await server.app.inject('/readyz')).statusCode).toBe(200);
    const metrics = await server.app.inject('/metrics');
    expect(metrics.body).toContain('corridor_http_request_duration_seconds');
    expect(metrics.body).toContain('corridor_write_jobs_total');
  });
});
