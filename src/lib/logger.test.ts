import { Writable } from 'node:stream';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createLogger, redactUrl } from './logger.js';

describe('request URLs in the logs', () => {
  it('hides the secret of private update links and download links, and every query value', () => {
    expect(redactUrl('/u/K7Q2M9/AbCdEfGhIjKlMnOpQrStUv')).toBe('/u/K7Q2M9/[redacted]');
    expect(redactUrl('/u/K7Q2M9/AbCdEfGhIjKlMnOpQrStUv?lang=ar')).toBe(
      '/u/K7Q2M9/[redacted]?lang=[redacted]',
    );
    expect(redactUrl('/api/v1/shares/AbCdEfGhIjKlMnOpQrStUv')).toBe('/api/v1/shares/[redacted]');
    expect(redactUrl('/api/v1/crises/c1/persons?q=Samira%20Haddad&zone=z1')).toBe(
      '/api/v1/crises/c1/persons?q=[redacted]&zone=[redacted]',
    );
    expect(redactUrl('/api/v1/crises/c1/persons')).toBe('/api/v1/crises/c1/persons');
  });

  it('is what the request log of the application writes', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = Fastify({ loggerInstance: createLogger('info', sink) as FastifyBaseLogger });
    app.get('/u/:ref/:secret', async () => 'ok');
    app.get('/search', async () => 'ok');
    await app.inject({ url: '/u/K7Q2M9/AbCdEfGhIjKlMnOpQrStUv' });
    await app.inject({ url: '/search?q=Samira' });
    await app.close();
    const logged = lines.join('');
    expect(logged).toContain('/u/K7Q2M9/[redacted]');
    expect(logged).toContain('/search?q=[redacted]');
    expect(logged).not.toContain('AbCdEfGhIjKlMnOpQrStUv');
    expect(logged).not.toContain('Samira');
  });
});
