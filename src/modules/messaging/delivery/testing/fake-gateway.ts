/**
 * A local SMS/WhatsApp gateway speaking both protocols the channels use — the generic JSON
 * webhook gateway and the Twilio-shaped API — for tests and the messaging benchmark. It counts
 * what arrived per message so tests can prove "exactly once", honours idempotency keys like a
 * real gateway, and can be told to fail, answer slowly or go down.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { twilioSignature, webhookSignature } from '../signatures.js';

export interface GatewayRequest {
  protocol: 'webhook' | 'twilio';
  /** Our message id (webhook: body id; Twilio: the `m` query of StatusCallback). */
  messageId: string;
  to: string;
  from: string | undefined;
  text: string;
  statusUrl: string;
  idempotencyKey: string | undefined;
}

/** What to answer to one request: a status (default 201/200), a body, and an optional delay. */
export type GatewayBehaviour = (
  req: GatewayRequest,
  nth: number,
) => { status?: number; body?: unknown; delayMs?: number } | undefined;

export interface FakeGateway {
  url: string;
  /** Every request that reached the gateway, in order. */
  requests: GatewayRequest[];
  /** Messages the gateway accepted, with how many times each was accepted (a replay of a key is not). */
  accepted: Map<string, { providerId: string; count: number; to: string; text: string }>;
  /** Requests answered from the idempotency cache (a resend after a crash). */
  replays: number;
  /** Requests that reached the gateway per message id, whatever the answer. */
  requestCounts: Map<string, number>;
  behaviour: GatewayBehaviour;
  token: string;
  accountSid: string;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

export async function startFakeGateway(
  opts: { token?: string; accountSid?: string; behaviour?: GatewayBehaviour } = {},
): Promise<FakeGateway> {
  const gw: FakeGateway = {
    url: '',
    requests: [],
    accepted: new Map(),
    replays: 0,
    requestCounts: new Map(),
    behaviour: opts.behaviour ?? (() => undefined),
    token: opts.token ?? `tok_${randomBytes(8).toString('hex')}`,
    accountSid: opts.accountSid ?? `AC${randomBytes(16).toString('hex')}`,
    close: async () => {},
  };
  const counts = gw.requestCounts;
  const answer = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const path = (req.url ?? '').split('?')[0]!;
      let request: GatewayRequest;
      if (req.method === 'POST' && path === '/send') {
        if (req.headers.authorization !== `Bearer ${gw.token}`)
          return answer(res, 401, { error: 'bad token' });
        const b = JSON.parse(raw) as {
          id: string;
          to: string;
          from?: string;
          text: string;
          statusUrl: string;
        };
        request = {
          protocol: 'webhook',
          messageId: b.id,
          to: b.to,
          from: b.from,
          text: b.text,
          statusUrl: b.statusUrl,
          idempotencyKey: req.headers['idempotency-key'] as string | undefined,
        };
      } else if (req.method === 'POST' && path === `/2010-04-01/Accounts/${gw.accountSid}/Messages.json`) {
        const expected = `Basic ${Buffer.from(`${gw.accountSid}:${gw.token}`).toString('base64')}`;
        if (req.headers.authorization !== expected)
          return answer(res, 401, { code: 20003, message: 'Authenticate', status: 401 });
        const form = new URLSearchParams(raw);
        const callback = form.get('StatusCallback') ?? '';
        request = {
          protocol: 'twilio',
          messageId: new URL(callback, 'http://x').searchParams.get('m') ?? '',
          to: form.get('To') ?? '',
          from: form.get('From') ?? undefined,
          text: form.get('Body') ?? '',
          statusUrl: callback,
          idempotencyKey: undefined,
        };
      } else {
        return answer(res, 404, { error: 'not found' });
      }
      gw.requests.push(request);
      const nth = (counts.get(request.messageId) ?? 0) + 1;
      counts.set(request.messageId, nth);
      const plan = gw.behaviour(request, nth) ?? {};
      if (plan.delayMs) await new Promise((r) => setTimeout(r, plan.delayMs));
      if (plan.status && plan.status >= 300)
        return answer(res, plan.status, plan.body ?? { error: 'failure' });
      const key = request.idempotencyKey;
      const known = key ? gw.accepted.get(key) : undefined;
      if (known) {
        gw.replays += 1;
        return answer(res, 200, { id: known.providerId });
      }
      const providerId =
        request.protocol === 'twilio'
          ? `SM${randomBytes(16).toString('hex')}`
          : `gw-${randomBytes(8).toString('hex')}`;
      const mine = gw.accepted.get(request.messageId);
      gw.accepted.set(request.messageId, {
        providerId,
        count: (mine?.count ?? 0) + 1,
        to: request.to,
        text: request.text,
      });
      if (request.protocol === 'twilio')
        return answer(res, plan.status ?? 201, plan.body ?? { sid: providerId, status: 'queued' });
      return answer(res, plan.status ?? 200, plan.body ?? { id: providerId });
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  gw.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  gw.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return gw;
}

/** Posts a JSON callback or inbound message as the generic gateway would, signed with `secret`. */
export function postSignedJson(
  url: string,
  secret: string,
  body: unknown,
  opts: { badSignature?: boolean } = {},
) {
  const raw = JSON.stringify(body);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = opts.badSignature
    ? webhookSignature('wrong', timestamp, raw)
    : webhookSignature(secret, timestamp, raw);
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-corridor-timestamp': timestamp,
      'x-corridor-signature': signature,
    },
    body: raw,
  });
}

/** Posts a form as Twilio does, with X-Twilio-Signature computed over `signedUrl` (the public URL). */
export function postTwilioForm(
  url: string,
  signedUrl: string,
  authToken: string,
  params: Record<string, string>,
  opts: { badSignature?: boolean } = {},
) {
  const form = new URLSearchParams(params);
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSignature(opts.badSignature ? 'wrong' : authToken, signedUrl, form),
    },
    body: form.toString(),
  });
}
