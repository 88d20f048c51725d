import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Secret, TOTP } from 'otpauth';

const lastStep = new Map<string, number>();

/**
 * A TOTP code the server has not seen yet for this secret: the current step, or the next one
 * (the server accepts one step of drift) when the current one was already used.
 */
export function freshTotp(secretBase32: string, now = Date.now()): string {
  const current = Math.floor(now / 30_000);
  const step = Math.max(current, (lastStep.get(secretBase32) ?? -1) + 1);
  if (step > current + 1) throw new Error('No fresh TOTP code left in this 30-second window.');
  lastStep.set(secretBase32, step);
  const totp = new TOTP({
    secret: Secret.fromBase32(secretBase32),
    digits: 6,
    period: 30,
    algorithm: 'SHA1',
  });
  return totp.generate({ timestamp: step * 30_000 });
}

export interface Session {
  cookie: string;
  csrfToken: string;
}

export function sessionCookie(res: LightMyRequestResponse): string {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  const found = list.find((c) => c.startsWith('corridor_session='));
  if (!found) throw new Error(`no session cookie in response ${res.statusCode}: ${res.body}`);
  return found.split(';')[0]!;
}

/** Password then second factor, through the real routes. */
export async function signIn(
  app: FastifyInstance,
  email: string,
  password: string,
  totpSecret: string,
): Promise<Session> {
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.statusCode} ${login.body}`);
  const cookie = sessionCookie(login);
  const mfa = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/mfa',
    headers: { cookie },
    payload: { code: freshTotp(totpSecret) },
  });
  if (mfa.statusCode !== 200) throw new Error(`mfa failed: ${mfa.statusCode} ${mfa.body}`);
  return { cookie, csrfToken: login.json<{ csrfToken: string }>().csrfToken };
}

/** An authenticated request with the session cookie and the anti-forgery header. */
export function call(
  app: FastifyInstance,
  session: Session | undefined,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  payload?: unknown,
) {
  return app.inject({
    method,
    url,
    headers: session ? { cookie: session.cookie, 'x-csrf-token': session.csrfToken } : {},
    ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
  });
}

/** A multipart/form-data body: text fields first, then one file (as browsers send forms). */
export function multipart(
  fields: Record<string, string>,
  file?: { name: string; filename: string; data: Uint8Array; type?: string },
) {
  const boundary = `----corridor${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      Buffer.from(file.data),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
