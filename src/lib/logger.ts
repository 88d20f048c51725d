import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Personal data never reaches the logs: request bodies are not logged, and these paths are
 * redacted wherever they appear in a log object.
 */
export const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'req.headers["idempotency-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.email',
  '*.phone',
  '*.token',
  '*.name',
  '*.fullName',
  '*.totpSecret',
];

/**
 * URLs carry secrets (private update links, download links) and searched-for names (query
 * strings): the path segments after a secret-bearing prefix and every query value are replaced.
 */
const SECRET_PATH = /^(\/u\/[^/?]+\/|\/api\/v1\/shares\/)[^/?]+/;

export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = (q === -1 ? url : url.slice(0, q)).replace(SECRET_PATH, '$1[redacted]');
  if (q === -1) return path;
  const keys = url
    .slice(q + 1)
    .split('&')
    .filter(Boolean)
    .map((pair) => `${pair.split('=')[0]}=[redacted]`);
  return `${path}?${keys.join('&')}`;
}

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  socket?: { remoteAddress?: string };
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: LoggedRequest) => ({
        method: req.method,
        url: redactUrl(req.url ?? ''),
        host: req.host,
        remoteAddress: req.socket?.remoteAddress,
      }),
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
