import pino, { type Logger } from 'pino';

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

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
}
