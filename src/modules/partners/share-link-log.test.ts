import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { familyRegistration } from '../../../test/fixtures/persons/registrations.js';
import { createTestContext, DIALECTS } from '../../../test/helpers/context.js';
import { systemActor } from '../../access/actor.js';
import { buildApp } from '../../app.js';
import type { AppContext } from '../../app-context.js';
import { createCrisis, createZone } from '../crises/crisis.service.js';
import { createPackage } from './package.service.js';
import { createPartner } from './partner.service.js';
import { createProfile } from './sharing-profile.service.js';

for (const dialect of DIALECTS) {
  describe(`download links stay out of the logs (${dialect})`, () => {
    const lines: string[] = [];
    let ctx: AppContext;
    let close: () => Promise<void>;
    let app: Awaited<ReturnType<typeof buildApp>>;
    let crisisId: string;

    beforeAll(async () => {
      const made = await createTestContext(dialect);
      close = made.close;
      // The same context, with a logger that writes to memory at the production default level.
      const sink = new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      });
      ctx = { ...made.ctx, logger: pino({ level: 'info' }, sink) };
      app = await buildApp(ctx);
      crisisId = (await createCrisis(ctx, systemActor('test'), { name: 'Log crisis' })).id;
      await createZone(ctx, systemActor(), crisisId, { name: 'Khan Younis' });
    });
    afterAll(async () => {
      await app?.close();
      await close?.();
    });

    it('logs other requests with their URL but never the secret of a download link', async () => {
      const registered = await app.inject({
        method: 'POST',
        url: '/api/v1/public/registrations',
        payload: familyRegistration({ crisis: crisisId }),
      });
      expect(registered.statusCode, registered.body).toBe(201);
      const actor = systemActor('test');
      const partner = await createPartner(ctx, actor, crisisId, {
        name: 'Synthetic partner',
        kind: 'ngo',
        country: null,
        notes: '',
      });
      const profile = await createProfile(ctx, actor, crisisId, partner.id, {
        name: 'Names',
        kind: 'persons',
        fields: ['nameLatin'],
        selection: {},
      });
      const built = await createPackage(ctx, actor, crisisId, {
        profileId: profile.id,
        requestId: null,
        format: 'csv',
        maxDownloads: null,
      });
      const path = new URL(built.downloadUrl).pathname;
      const token = path.split('/').pop()!;
      expect((await app.inject({ method: 'GET', url: path })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: `/api/v1/shares/${'B'.repeat(22)}` })).statusCode).toBe(
        404,
      );
      const logged = lines.join('');
      // Request logging is on (the registration shows up), yet the links do not.
      expect(logged).toContain('/api/v1/public/registrations');
      expect(logged).not.toContain(token);
      expect(logged).not.toContain('B'.repeat(22));
    });
  });
}
