import { createHmac, timingSafeEqual } from 'node:crypto';

/** Signatures of gateway webhooks, computed and verified exactly as each gateway defines them. */

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Callbacks of the generic JSON gateway older (or newer) than this are refused as replays. */
export const WEBHOOK_MAX_SKEW_SECONDS = 300;

/**
 * Generic JSON gateway: `X-Corridor-Signature: sha256=<hex>` where the HMAC-SHA256 (key: the
 * channel secret) covers `<X-Corridor-Timestamp>.<raw body>`; the timestamp is Unix seconds.
 */
export function webhookSignature(secret: string, timestamp: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

export function verifyWebhookSignature(
  secret: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  rawBody: string,
  now = Date.now(),
): boolean {
  const { signature, timestamp } = headers;
  if (!signature || !timestamp || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(now / 1000 - Number(timestamp)) > WEBHOOK_MAX_SKEW_SECONDS) return false;
  return same(signature, webhookSignature(secret, timestamp, rawBody));
}

/**
 * Twilio: `X-Twilio-Signature` is base64(HMAC-SHA1(auth token, full URL + every POST parameter
 * name followed by its value, parameters sorted by name)). Repeated names contribute each value,
 * in the order sent.
 */
export function twilioSignature(authToken: string, url: string, params: URLSearchParams): string {
  const names = [...new Set(params.keys())].sort();
  let data = url;
  for (const name of names) for (const value of params.getAll(name)) data += name + value;
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

export function verifyTwilioSignature(
  authToken: string,
  signature: string | undefined,
  url: string,
  params: URLSearchParams,
): boolean {
  if (!signature) return false;
  return same(signature, twilioSignature(authToken, url, params));
}
