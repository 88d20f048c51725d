import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { familyRegistration } from '../../../test/fixtures/persons/registrations.js';
import { createTestContext, DIALECTS } from '../../../test/helpers/context.js';
import { systemActor } from '../../access/actor.js';
import { type AppContext, createAppContext } from '../../app-context.js';
import { loadConfig } from '../../config.js';
import { createLogger } from '../../lib/logger.js';
import { createCrisis, createZone } from '../crises/crisis.service.js';
import { createPackage } from '../partners/package.service.js';
import { downloadPackage } from '../partners/package-link.service.js';
import { createPartner } from '../partners/partner.service.js';
import { createProfile } from '../partners/sharing-profile.service.js';
import { registerPublic } from '../persons/registration.service.js';
import { rotateSealedValues } from './key-rotation.service.js';

for (const dialect of DIALECTS) {
  describe(`key rotation of shared data packages (${dialect})`, () => {
    let ctx: AppContext;
    let env: Record<string, string>;
    let cleanup: () => Promise<void>;
    let token: string;
    let oldKey: string;

    beforeAll(async () => {
      const made = await createTestContext(dialect);
      ctx = made.ctx;
      env = made.env.env;
      cleanup = made.env.cleanup;
      const actor = systemActor('test');
      const crisisId = (await createCrisis(ctx, actor, { name: 'Rotation crisis' })).id;
      await createZone(ctx, actor, crisisId, { name: 'Khan Younis' });
      await registerPublic(ctx, familyRegistration({ crisis: crisisId }));
      const partner = await createPartner(ctx, actor, crisisId, {
        name: 'Synthetic crossing authority',
        kind: 'crossing_authority',
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
      token = new URL(built.downloadUrl).pathname.split('/').pop()!;
      const row = await ctx.db.db.selectFrom('data_packages').select(['content']).executeTakeFirstOrThrow();
      oldKey = ctx.config.secretKey.toString('hex');
      expect(row.content).not.toBeNull();
    });
    afterAll(async () => {
      await ctx?.db.close();
      await cleanup?.();
    });

    it('seals a living package again under the new key, and it still downloads without the old one', async () => {
      const newKey = randomBytes(32).toString('hex');
      const rotating = await createAppContext(
        loadConfig({ ...env, SECRET_KEY: newKey, SECRET_KEY_PREVIOUS: oldKey }),
        createLogger('silent'),
      );
      try {
        const counts = await rotateSealedValues(rotating);
        expect(counts['data_packages.content']).toBe(1);
        expect((await rotateSealedValues(rotating))['data_packages.content']).toBe(0);
      } finally {
        await rotating.db.close();
      }
      // From now on the instance knows only the new key (afterAll closes it).
      await ctx.db.close();
      ctx = await createAppContext(loadConfig({ ...env, SECRET_KEY: newKey }), createLogger('silent'));
      const file = await downloadPackage(ctx, token, '127.0.0.1');
      expect(file?.body.toString('utf8')).toMatch(/\r?\n/);
      expect(file?.fileName).toMatch(/\.csv$/);
    });
  });
}
