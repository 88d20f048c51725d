import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  const dataDir = () => mkdtempSync(join(tmpdir(), 'corridor-config-'));

  it('defaults to SQLite under DATA_DIR on port 8080, generating a key outside production', () => {
    const dir = dataDir();
    const config = loadConfig({ DATA_DIR: dir });
    expect(config.port).toBe(8080);
    expect(config.database).toEqual({ kind: 'sqlite', file: join(dir, 'corridor.sqlite') });
    expect(config.secretKey).toHaveLength(32);
    expect(loadConfig({ DATA_DIR: dir }).secretKey.equals(config.secretKey)).toBe(true);
  });

  it('names every bad variable at once', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' })).toThrowError(
      ConfigError,
    );
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('PORT');
      expect(message).toContain('DATABASE_URL');
      expect(message).toContain('LOG_LEVEL');
    }
  });

  it('requires a secret key in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir() })).toThrowError(
      /SECRET_KEY: required/,
    );
    const key = 'ab'.repeat(32);
    expect(
      loadConfig({ NODE_ENV: 'production', SECRET_KEY: key, DATA_DIR: dataDir() }).secretKey.toString('hex'),
    ).toBe(key);
  });

  it('switches to PostgreSQL with DATABASE_URL', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1/db', DATA_DIR: dataDir() });
    expect(config.database).toMatchObject({
      kind: 'postgres',
      url: 'postgres://u@127.0.0.1/db',
      poolSize: 10,
    });
  });
});
