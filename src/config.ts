/**
 * Configuration: read from the environment once at start, validated, frozen.
 * Every variable here is documented in README.md and mirrored in .env.example.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

const boolFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(
      /^postgres(ql)?:\/\//,
      'must start with postgres:// (leave it unset for the embedded SQLite database)',
    )
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  PUBLIC_URL: z.string().url().optional(),
  SECRET_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hexadecimal characters (32 bytes), e.g. `openssl rand -hex 32`')
    .optional(),
  SECRET_KEY_FILE: z.string().min(1).optional(),
  SECRET_KEY_PREVIOUS: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hexadecimal characters (the key being rotated out)')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: boolFromEnv.default(false),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    .default(1024 * 1024),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(60),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(3).max(100).default(5),
  LOGIN_LOCKOUT_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
  PORTAL_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  INVITATION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(72),
  WRITE_BATCH_MAX: z.coerce.number().int().min(1).max(10_000).default(512),
  // Load shedding of the public intake (intake-admission.ts): refuse, with Retry-After, a
  // registration that would wait longer than this behind the backlog…
  INTAKE_MAX_WAIT_SECONDS: z.coerce.number().min(0.01).max(600).default(5),
  // …once more than this many are waiting (whatever the measured rate).
  INTAKE_MIN_QUEUED: z.coerce.number().int().min(1).max(1_000_000).default(1000),
});

export type Config = Readonly<{
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; poolSize: number };
  publicUrl: string;
  secretKey: Buffer;
  /** The master key being rotated out: still readable until `corridor keys rotate` has run. */
  previousSecretKeys: readonly Buffer[];
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  trustProxy: boolean;
  bodyLimitBytes: number;
  session: { ttlHours: number; idleMinutes: number };
  login: { maxFailures: number; lockoutMinutes: number };
  rateLimits: { authPerMinute: number; apiPerMinute: number; portalPerMinute: number };
  invitationTtlHours: number;
  writeBatchMax: number;
  /** Load shedding of the public intake (see intake-admission.ts). */
  intake: { maxWaitSeconds: number; minQueued: number };
}>;

/** Thrown when the environment is invalid; the message lists every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads and validates the configuration. In production a secret key must come from
 * SECRET_KEY or SECRET_KEY_FILE; elsewhere one is generated once into DATA_DIR/secret.key
 * so that `npm start` works on a fresh machine.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  const database = e.DATABASE_URL
    ? ({ kind: 'postgres', url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE } as const)
    : ({ kind: 'sqlite', file: join(dataDir, 'corridor.sqlite') } as const);
  const publicUrl = (
    e.PUBLIC_URL ?? `http://${e.HOST === '0.0.0.0' ? 'localhost' : e.HOST}:${e.PORT}`
  ).replace(/\/$/, '');
  return Object.freeze({
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir,
    database,
    publicUrl,
    secretKey: resolveSecretKey(e.SECRET_KEY, e.SECRET_KEY_FILE, dataDir, e.NODE_ENV),
    previousSecretKeys: e.SECRET_KEY_PREVIOUS ? [Buffer.from(e.SECRET_KEY_PREVIOUS, 'hex')] : [],
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    session: { ttlHours: e.SESSION_TTL_HOURS, idleMinutes: e.SESSION_IDLE_MINUTES },
    login: { maxFailures: e.LOGIN_MAX_FAILURES, lockoutMinutes: e.LOGIN_LOCKOUT_MINUTES },
    rateLimits: {
      authPerMinute: e.AUTH_RATE_LIMIT_PER_MINUTE,
      apiPerMinute: e.API_RATE_LIMIT_PER_MINUTE,
      portalPerMinute: e.PORTAL_RATE_LIMIT_PER_MINUTE,
    },
    invitationTtlHours: e.INVITATION_TTL_HOURS,
    writeBatchMax: e.WRITE_BATCH_MAX,
    intake: { maxWaitSeconds: e.INTAKE_MAX_WAIT_SECONDS, minQueued: e.INTAKE_MIN_QUEUED },
  });
}

function resolveSecretKey(
  fromEnv: string | undefined,
  file: string | undefined,
  dataDir: string,
  env: string,
): Buffer {
  if (fromEnv) return Buffer.from(fromEnv, 'hex');
  if (file) {
    if (!existsSync(file))
      throw new ConfigError(`Invalid configuration:\n  SECRET_KEY_FILE: ${file} does not exist`);
    const text = readFileSync(file, 'utf8').trim();
    if (!/^[0-9a-fA-F]{64}$/.test(text)) {
      throw new ConfigError(
        'Invalid configuration:\n  SECRET_KEY_FILE: file must hold 64 hexadecimal characters',
      );
    }
    return Buffer.from(text, 'hex');
  }
  if (env === 'production') {
    throw new ConfigError(
      'Invalid configuration:\n  SECRET_KEY: required in production (or set SECRET_KEY_FILE)',
    );
  }
  const generated = join(dataDir, 'secret.key');
  mkdirSync(dataDir, { recursive: true });
  if (!existsSync(generated)) writeFileSync(generated, randomBytes(32).toString('hex'), { mode: 0o600 });
  return Buffer.from(readFileSync(generated, 'utf8').trim(), 'hex');
}
