import { describe, expect, it } from 'vitest';
import { createTestContext, DIALECTS } from '../../../test/helpers/context.js';
import { staffActor, systemActor } from '../../access/actor.js';
import { AppError } from '../../lib/errors.js';
import { createActiveStaff, listColleagues } from '../staff/staff.service.js';
import {
  createCrisis,
  createZone,
  getCrisis,
  listCrisesFor,
  listZonesFor,
  setCrisisClosed,
  slugify,
  updateCrisis,
  updateZone,
} from './crisis.service.js';

describe('slugify', () => {
  it('makes a URL-safe short name from any crisis name', () => {
    expect(slugify('Israel–Gaza, October 2023')).toBe('israel-gaza-october-2023');
    expect(slugify('Liban — été 2024')).toBe('liban-ete-2024');
    expect(slugify('السودان')).toMatch(/^crisis-[0-9a-f]{8}$/);
  });
});

for (const dialect of DIALECTS) {
  describe(`crises and zones (${dialect})`, () => {
    it('creates, edits, closes and reopens a crisis, auditing each change', async () => {
      const { ctx, close } = await createTestContext(dialect);
      try {
        const admin = staffActor(
          'admin-1',
          'Admin',
          [{ role: 'administrator', crisisId: null }],
          ctx.rolePermissions,
        );
        const crisis = await createCrisis(ctx, admin, {
          name: 'Israel–Gaza, October 2023',
          eligibilityPolicy: {
            eligibleCategories: ['citizen', 'immediate_family'],
            permanentResidentsOnlyWithCitizenFamily: true,
          },
          privacyNotice: { en: 'We collect…', fr: 'Nous collectons…', ar: 'نجمع…' },
          retentionDays: 90,
        });
        expect(crisis).toMatchObject({
          slug: 'israel-gaza-october-2023',
          status: 'active',
          retentionDays: 90,
        });
        expect(crisis.privacyNotice.ar).toBe('نجمع…');

        await expect(createCrisis(ctx, admin, { name: 'Israel-Gaza October 2023' })).rejects.toMatchObject({
          status: 409,
        });

        const edited = await updateCrisis(ctx, admin, crisis.id, { description: 'Evacuation via Rafah' });
        expect(edited.description).toBe('Evacuation via Rafah');
        const closed = await setCrisisClosed(ctx, admin, crisis.id, true);
        expect(closed.status).toBe('closed');
        expect(closed.closedAt).not.toBeNull();
        await expect(setCrisisClosed(ctx, admin, crisis.id, true)).rejects.toMatchObject({ status: 409 });
        expect((await setCrisisClosed(ctx, admin, crisis.id, false)).closedAt).toBeNull();

        const zone = await createZone(ctx, admin, crisis.id, { name: 'Khan Younis' });
        expect(zone.code).toBe('KHAN-YOUNIS');
        await expect(
          createZone(ctx, admin, crisis.id, { name: 'Khan Younis 2', code: 'KHAN-YOUNIS' }),
        ).rejects.toMatchObject({
          status: 409,
          fields: [{ path: 'code' }],
        });
        const archived = await updateZone(ctx, admin, crisis.id, zone.id, { status: 'archived' });
        expect(archived.status).toBe('archived');

        const actions = await ctx.db.db
          .selectFrom('audit_log')
          .select('action')
          .where('crisis_id', '=', crisis.id)
          .orderBy('seq')
          .execute();
        expect(actions.map((a) => a.action)).toEqual([
          'crisis.created',
          'crisis.updated',
          'crisis.closed',
          'crisis.reopened',
          'zone.created',
          'zone.updated',
        ]);
      } finally {
        await close();
      }
    });

    it('keeps staff inside their crises: other crises look missing, and a crisis-scoped role cannot create crises', async () => {
      const { ctx, close } = await createTestContext(dialect);
      try {
        const a = await createCrisis(ctx, systemActor(), { name: 'Crisis A' });
        const b = await createCrisis(ctx, systemActor(), { name: 'Crisis B' });
        const manager = staffActor(
          'm',
          'Manager',
          [{ role: 'crisis_manager', crisisId: a.id }],
          ctx.rolePermissions,
        );
        expect((await listCrisesFor(ctx, manager)).map((c) => c.id)).toEqual([a.id]);
        await expect(getCrisis(ctx, manager, b.id)).rejects.toMatchObject({ status: 404 });
        await expect(listZonesFor(ctx, manager, b.id)).rejects.toMatchObject({ status: 404 });
        await expect(createZone(ctx, manager, b.id, { name: 'Z' })).rejects.toMatchObject({ status: 404 });
        expect((await createZone(ctx, manager, a.id, { name: 'Rafah' })).name).toBe('Rafah');
        await expect(createCrisis(ctx, manager, { name: 'New one' })).rejects.toBeInstanceOf(AppError);
        // Crisis managers may edit but not close their crisis.
        await expect(setCrisisClosed(ctx, manager, a.id, true)).rejects.toMatchObject({ status: 403 });

        const analyst = staffActor(
          'an',
          'Analyst',
          [{ role: 'analyst', crisisId: a.id }],
          ctx.rolePermissions,
        );
        await expect(createZone(ctx, analyst, a.id, { name: 'North' })).rejects.toMatchObject({
          status: 403,
        });
        const nobody = staffActor('n', 'Nobody', [], ctx.rolePermissions);
        expect(await listCrisesFor(ctx, nobody)).toEqual([]);

        // Colleagues: names and roles of those working on the crisis, never another crisis's staff.
        await createActiveStaff(ctx, systemActor(), {
          email: 'a1@example.org',
          displayName: 'Officer A',
          password: 'long password 1',
          grants: [{ role: 'consular_officer', crisisId: a.id }],
        });
        await createActiveStaff(ctx, systemActor(), {
          email: 'b1@example.org',
          displayName: 'Officer B',
          password: 'long password 2',
          grants: [{ role: 'consular_officer', crisisId: b.id }],
        });
        const colleagues = await listColleagues(ctx, manager, a.id);
        expect(colleagues).toEqual([
          { id: expect.any(String), displayName: 'Officer A', roles: ['consular_officer'] },
        ]);
        expect(JSON.stringify(colleagues)).not.toContain('@');
        await expect(listColleagues(ctx, manager, b.id)).rejects.toMatchObject({ status: 404 });
      } finally {
        await close();
      }
    });
  });
}
