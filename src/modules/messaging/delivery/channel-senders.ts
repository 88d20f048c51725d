import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import nodemailer from 'nodemailer';
import type { MessageChannel, MessageProvider } from '../messaging.table.js';
import {
  needsSecret,
  type SmtpSettings,
  settingsSchemaOf,
  type TwilioSettings,
  type WebhookSettings,
} from './channel-settings.js';

/** Channel secrets live only in variables named MESSAGING_…, never in the database. */
export const SECRET_ENV_PATTERN = /^MESSAGING_[A-Z0-9_]{1,60}$/;

/** One message as a channel sends it. */
export interface OutboundMessage {
  id: string;
  channel: MessageChannel;
  address: string;
  language: 'en' | 'fr' | 'ar';
  subject: string | null;
  body: string;
}

/**
 * What a gateway answered: accepted (with its id), a temporary failure worth retrying (5xx,
 * timeouts, refused connections, 429), or a permanent one (4xx, invalid number, bad credentials).
 */
export type SendResult =
  | { ok: true; providerMessageId: string; delivered: boolean }
  | { ok: false; permanent: boolean; reason: string; retryAfterMs?: number | undefined };

/** The one interface every channel implements. */
export interface ChannelSender {
  readonly provider: MessageProvider;
  /** True when the gateway de-duplicates on our message id, so a resend after a crash is harmless. */
  readonly idempotent: boolean;
  readonly concurrency: number;
  send(message: OutboundMessage): Promise<SendResult>;
  close(): void;
}

/** A channel whose settings or environment are wrong: every message it would send is parked. */
export class ChannelConfigurationError extends Error {
  override name = 'ChannelConfigurationError';
}

export interface ChannelConfig {
  id: string;
  channel: MessageChannel;
  provider: MessageProvider;
  settings: string;
  secret_env: string | null;
}

/** Builds the sender of a channel; reads the secret from the environment now (at send time). */
export function createSender(
  config: ChannelConfig,
  opts: { publicUrl: string; env?: NodeJS.ProcessEnv },
): ChannelSender {
  const env = opts.env ?? process.env;
  let raw: unknown;
  try {
    raw = JSON.parse(config.settings);
  } catch {
    throw new ChannelConfigurationError('The channel settings are not valid JSON.');
  }
  const parsed = settingsSchemaOf(config.provider).safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ChannelConfigurationError(
      `Channel setting ${first?.path.join('.') || '(root)'}: ${first?.message ?? 'invalid'}`,
    );
  }
  const settings = parsed.data as Record<string, unknown>;
  let secret: string | undefined;
  if (needsSecret(config.provider, settings)) {
    if (!config.secret_env) throw new ChannelConfigurationError('The channel names no secret variable.');
    // Only variables meant for channels: a channel must never be able to read SECRET_KEY or DATABASE_URL.
    if (!SECRET_ENV_PATTERN.test(config.secret_env))
      throw new ChannelConfigurationError(
        `Secret variable names start with MESSAGING_ (got ${config.secret_env}).`,
      );
    secret = env[config.secret_env];
    if (!secret) {
      throw new ChannelConfigurationError(
        `Configuration: environment variable ${config.secret_env} is not set on the worker.`,
      );
    }
  }
  const statusUrl = `${opts.publicUrl}/api/v1/public/messaging/${config.id}/status`;
  switch (config.provider) {
    case 'smtp':
      return smtpSender(settings as SmtpSettings, secret);
    case 'webhook':
      return webhookSender(settings as WebhookSettings, secret!, statusUrl);
    case 'twilio':
      return twilioSender(settings as TwilioSettings, secret!, statusUrl);
    case 'console':
      return consoleSender();
  }
}

const clip = (text: string, max = 300) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function retryAfter(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

class GatewayTimeout extends Error {
  override name = 'TimeoutError';
}

// Kept-alive connections shared by every channel of the process. node:http costs a quarter of the
// CPU of fetch per request here, which is what lets one worker reach thousands of messages a second.
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 256 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 256 }),
};

/** POSTs `body` and reads the whole answer; rejects on network errors and after `timeoutMs`. */
function post(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<HttpAnswer> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise<HttpAnswer>((resolve, reject) => {
    const req = client.request(
      target,
      {
        method: 'POST',
        agent: agents[target.protocol as 'http:' | 'https:'],
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (text.length < 65_536) text += chunk;
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text });
        });
        res.on('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
      },
    );
    const timer = setTimeout(() => req.destroy(new GatewayTimeout()), timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(body);
  });
}

const parseJson = (text: string): Record<string, unknown> => {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

/** Network failures and timeouts are temporary: the gateway may be back in a moment. */
function networkFailure(error: unknown): SendResult {
  const e = error as { name?: string; code?: string; message?: string };
  const reason =
    e.name === 'TimeoutError'
      ? 'timeout: the gateway did not answer in time'
      : `network: ${e.code ?? e.message ?? 'unknown error'}`;
  return { ok: false, permanent: false, reason };
}

/** 408, 425, 429 and 5xx are worth retrying; every other 4xx will fail the same way again. */
function httpFailure(res: HttpAnswer, describe: (body: string) => string): SendResult {
  const temporary = res.status >= 500 || [408, 425, 429].includes(res.status);
  return {
    ok: false,
    permanent: !temporary,
    reason: clip(`HTTP ${res.status}: ${describe(res.body)}`),
    retryAfterMs: retryAfter(res.headers['retry-after']),
  };
}

const isOk = (status: number) => status >= 200 && status < 300;

/**
 * Generic JSON gateway: POST {id, channel, to, from, text, statusUrl} with a bearer token and
 * `Idempotency-Key: <message id>`; answers 2xx {"id": "<gateway id>"}.
 */
function webhookSender(settings: WebhookSettings, token: string, statusUrl: string): ChannelSender {
  return {
    provider: 'webhook',
    idempotent: true,
    concurrency: settings.concurrency,
    async send(m) {
      let res: HttpAnswer;
      try {
        res = await post(
          settings.url,
          {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'idempotency-key': m.id,
          },
          JSON.stringify({
            id: m.id,
            channel: m.channel,
            to: m.address,
            ...(settings.from ? { from: settings.from } : {}),
            text: m.body,
            language: m.language,
            statusUrl,
          }),
          settings.timeoutMs,
        );
      } catch (error) {
        return networkFailure(error);
      }
      if (!isOk(res.status)) return httpFailure(res, (body) => body.slice(0, 200) || String(res.status));
      const answer = parseJson(res.body);
      return {
        ok: true,
        providerMessageId: typeof answer.id === 'string' && answer.id ? answer.id : m.id,
        delivered: false,
      };
    },
    close() {},
  };
}

/**
 * Twilio-shaped API: form-encoded POST to {baseUrl}/2010-04-01/Accounts/{sid}/Messages.json with
 * basic auth and a StatusCallback. It takes no idempotency key: see docs/messaging.md (Delivery).
 */
function twilioSender(settings: TwilioSettings, authToken: string, statusUrl: string): ChannelSender {
  const url = `${settings.baseUrl.replace(/\/$/, '')}/2010-04-01/Accounts/${settings.accountSid}/Messages.json`;
  const auth = `Basic ${Buffer.from(`${settings.accountSid}:${authToken}`).toString('base64')}`;
  return {
    provider: 'twilio',
    idempotent: false,
    concurrency: settings.concurrency,
    async send(m) {
      const wa = m.channel === 'whatsapp' ? 'whatsapp:' : '';
      const form = new URLSearchParams({
        To: `${wa}${m.address}`,
        From: `${wa}${settings.from}`,
        Body: m.body,
        // Our id rides on the callback URL, so a callback finds the message even before its sid is stored.
        StatusCallback: `${statusUrl}?m=${encodeURIComponent(m.id)}`,
      });
      let res: HttpAnswer;
      try {
        res = await post(
          url,
          { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
          form.toString(),
          settings.timeoutMs,
        );
      } catch (error) {
        return networkFailure(error);
      }
      if (!isOk(res.status)) {
        return httpFailure(res, (body) => {
          const e = parseJson(body);
          const text = `${e.code ?? ''} ${e.message ?? ''}`.trim();
          return text || body.slice(0, 200) || String(res.status);
        });
      }
      const answer = parseJson(res.body);
      if (typeof answer.sid !== 'string')
        return { ok: false, permanent: false, reason: 'No sid in the answer.' };
      return { ok: true, providerMessageId: answer.sid, delivered: false };
    },
    close() {},
  };
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`).replace(/\n/g, '<br>');

/** Email over SMTP (nodemailer, pooled connections). SMTP 5xx is permanent, 4xx and network errors temporary. */
function smtpSender(settings: SmtpSettings, password: string | undefined): ChannelSender {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    pool: true,
    maxConnections: Math.min(settings.concurrency, 20),
    connectionTimeout: settings.timeoutMs,
    greetingTimeout: settings.timeoutMs,
    socketTimeout: settings.timeoutMs,
    ...(settings.user ? { auth: { user: settings.user, pass: password ?? '' } } : {}),
  });
  return {
    provider: 'smtp',
    idempotent: false,
    concurrency: settings.concurrency,
    async send(m) {
      try {
        const info = await transport.sendMail({
          from: settings.from,
          to: m.address,
          subject: m.subject ?? '',
          text: m.body,
          html: `<div dir="${m.language === 'ar' ? 'rtl' : 'ltr'}" lang="${m.language}">${escapeHtml(m.body)}</div>`,
          messageId: `<${m.id}@corridor.invalid>`,
          headers: { 'X-Corridor-Message': m.id },
        });
        if (info.rejected.length > 0)
          return { ok: false, permanent: true, reason: clip(`rejected: ${String(info.response)}`) };
        return { ok: true, providerMessageId: info.messageId, delivered: false };
      } catch (error) {
        const e = error as { code?: string; responseCode?: number; response?: string; message?: string };
        const text = clip(`SMTP ${e.responseCode ?? e.code ?? ''}: ${e.response ?? e.message ?? 'error'}`);
        if (e.code === 'EAUTH') return { ok: false, permanent: true, reason: text };
        if (typeof e.responseCode === 'number')
          return { ok: false, permanent: e.responseCode >= 500, reason: text };
        return { ok: false, permanent: false, reason: text };
      }
    },
    close() {
      transport.close();
    },
  };
}

/** Development channel: the message counts as delivered at once; staff read it in the console outbox. */
function consoleSender(): ChannelSender {
  return {
    provider: 'console',
    idempotent: true,
    concurrency: 64,
    async send(m) {
      return { ok: true, providerMessageId: `console-${m.id}`, delivered: true };
    },
    close() {},
  };
}
