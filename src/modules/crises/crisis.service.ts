import type { Actor } from '../../access/actor.js';
import { crisesWhere, holdsGlobally, requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import { nowIso } from '../../lib/clock.js';
import { codeFromName } from '../../lib/codes.js';
import { conflict, forbidden, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import {
  type CrisisRow,
  findCrisisById,
  findCrisisBySlug,
  findZone,
  findZoneByCode,
  insertCrisis,
  insertZone,
  listCrises,
  listZones,
  updateCrisisRow,
  updateZoneRow,
  type ZoneRow,
} from './crisis.repository.js';
import {
  type Crisis,
  type CrisisCreate,
  type CrisisUpdate,
  DEFAULT_POLICY,
  eligibilityPolicySchema,
  privacyNoticeSchema,
  type Zone,
} from './crisis.schemas.js';

const DEFAULT_RETENTION_DAYS = 180;

export function toCrisis(row: CrisisRow): Crisis {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    status: row.status,
    description: row.description,
    eligibilityPolicy: eligibilityPolicySchema.parse(JSON.parse(row.eligibility_policy)),
    privacyNotice: privacyNoticeSchema.parse(JSON.parse(row.privacy_notice)),
    retentionDays: row.retention_days,
    closedAt: row.closed_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export const toZone = (row: ZoneRow): Zone => ({
  id: row.id,
  crisisId: row.crisis_id,
  name: row.name,
  code: row.code,
  description: row.description,
  status: row.status,
  createdAt: row.created_at,
});

/** A URL-safe slug from a crisis name ("Israel–Gaza, October 2023" → "israel-gaza-october-2023"). */
export function slugify(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return base.length >= 2 ? base : `crisis-${newId().slice(0, 8)}`;
}

/** Crises the caller can see (internal: callers pass a scope already computed from the actor). */
export async function listCrisesIn(ctx: AppContext, scope: 'all' | string[]): Promise<Crisis[]> {
  return (await listCrises(ctx.db.db, scope)).map(toCrisis);
}

export async function listCrisesFor(ctx: AppContext, actor: Actor): Promise<Crisis[]> {
  return listCrisesIn(ctx, crisesWhere(actor, 'crisis.read'));
}

/** A crisis the caller may read; a crisis outside their scope looks the same as a missing one. */
export async function getCrisis(ctx: AppContext, actor: Actor, crisisId: string): Promise<Crisis> {
  requireAccess(actor, 'crisis.read', crisisId, { hide: 'crisis' });
  const row = await findCrisisById(ctx.db.db, crisisId);
  if (!row) throw notFound('crisis');
  return toCrisis(row);
}

export async function createCrisis(ctx: AppContext, actor: Actor, input: CrisisCreate): Promise<Crisis> {
  // A new crisis has no scope yet, so creating one is a platform-wide permission.
  if (!holdsGlobally(actor, 'crisis.create')) throw forbidden();
  const at = nowIso();
  const row: CrisisRow = {
    id: newId(),
    name: input.name,
    slug: input.slug ?? slugify(input.name),
    status: 'active',
    description: input.description ?? '',
    eligibility_policy: JSON.stringify(input.eligibilityPolicy ?? DEFAULT_POLICY),
    privacy_notice: JSON.stringify(input.privacyNotice ?? { en: '', fr: '', ar: '' }),
    retention_days: input.retentionDays ?? DEFAULT_RETENTION_DAYS,
    closed_at: null,
    created_at: at,
    updated_at: at,
  };
  await ctx.db.writer.write(async (trx) => {
    if (await findCrisisBySlug(trx, row.slug)) {
      throw conflict('A crisis with this short name already exists.', [
        { path: 'slug', message: 'Already in use.' },
      ]);
    }
    await insertCrisis(trx, row);
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'crisis.created',
      entityType: 'crisis',
      entityId: row.id,
      crisisId: row.id,
      change: input,
    });
  });
  return toCrisis(row);
}

export async function updateCrisis(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  patch: CrisisUpdate,
): Promise<Crisis> {
  requireAccess(actor, 'crisis.read', crisisId, { hide: 'crisis' });
  requireAccess(actor, 'crisis.update', crisisId);
  const at = nowIso();
  return ctx.db.writer.write(async (trx) => {
    const current = await findCrisisById(trx, crisisId);
    if (!current) throw notFound('crisis');
    if (patch.slug && patch.slug !== current.slug && (await findCrisisBySlug(trx, patch.slug))) {
      throw conflict('A crisis with this short name already exists.', [
        { path: 'slug', message: 'Already in use.' },
      ]);
    }
    const next: Partial<CrisisRow> = {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.slug !== undefined ? { slug: patch.slug } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.eligibilityPolicy ? { eligibility_policy: JSON.stringify(patch.eligibilityPolicy) } : {}),
      ...(patch.privacyNotice ? { privacy_notice: JSON.stringify(patch.privacyNotice) } : {}),
      ...(patch.retentionDays !== undefined ? { retention_days: patch.retentionDays } : {}),
      updated_at: at,
    };
    await updateCrisisRow(trx, crisisId, next);
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'crisis.updated',
      entityType: 'crisis',
      entityId: crisisId,
      crisisId,
      change: patch,
    });
    return toCrisis({ ...current, ...next });
  });
}

/** Closing starts the retention clock (`closedAt` + `retentionDays`); reopening stops it. */
export async function setCrisisClosed(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  closed: boolean,
): Promise<Crisis> {
  requireAccess(actor, 'crisis.read', crisisId, { hide: 'crisis' });
  requireAccess(actor, 'crisis.close', crisisId);
  const at = nowIso();
  return ctx.db.writer.write(async (trx) => {
    const current = await findCrisisById(trx, crisisId);
    if (!current) throw notFound('crisis');
    if ((current.status === 'closed') === closed)
      throw conflict(closed ? 'The crisis is already closed.' : 'The crisis is open.');
    const next: Partial<CrisisRow> = {
      status: closed ? 'closed' : 'active',
      closed_at: closed ? at : null,
      updated_at: at,
    };
    await updateCrisisRow(trx, crisisId, next);
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: closed ? 'crisis.closed' : 'crisis.reopened',
      entityType: 'crisis',
      entityId: crisisId,
      crisisId,
    });
    return toCrisis({ ...current, ...next });
  });
}

export async function listZonesFor(ctx: AppContext, actor: Actor, crisisId: string): Promise<Zone[]> {
  requireAccess(actor, 'crisis.read', crisisId, { hide: 'crisis' });
  if (!(await findCrisisById(ctx.db.db, crisisId))) throw notFound('crisis');
  return (await listZones(ctx.db.db, crisisId)).map(toZone);
}

export async function createZone(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  input: { name: string; code?: string | undefined; description?: string | undefined },
): Promise<Zone> {
  requireAccess(actor, 'crisis.read', crisisId, { hide: 'crisis' });
  requireAccess(actor, 'zone.manage', crisisId);
  const at = nowIso();
  const row: ZoneRow = {
    id: newId(),
    crisis_id: crisisId,
    name: input.name,
    code: input.code ?? codeFromName(input.name, 'Z'),
    description: input.description ?? '',
    status: 'active',
    created_at: at,
    updated_at: at,
  };
  await ctx.db.writer.write(async (trx) => {
    if (!(await findCrisisById(trx, crisisId))) throw notFound('crisis');
    if (await findZoneByCode(trx, crisisId, row.code)) {
      throw conflict('A zone with this code already exists in the crisis.', [
        { path: 'code', message: 'Already in use.' },
      ]);
    }
    await insertZone(trx, row);
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'zone.created',
      entityType: 'zone',
      entityId: row.id,
      crisisId,
      change: input,
    });
  });
  return toZone(row);
}

export async function updateZone(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  zoneId: string,
  patch: {
    name?: string | undefined;
    code?: string | undefined;
    description?: string | undefined;
    status?: 'active' | 'archived' | undefined;
  },
): Promise<Zone> {
  requireAccess(actor, 'crisis.read', crisisId, { hide: 'zone' });
  requireAccess(actor, 'zone.manage', crisisId);
  const at = nowIso();
  return ctx.db.writer.write(async (trx) => {
    const current = await findZone(trx, crisisId, zoneId);
    if (!current) throw notFound('zone');
    if (patch.code && patch.code !== current.code && (await findZoneByCode(trx, crisisId, patch.code))) {
      throw conflict('A zone with this code already exists in the crisis.', [
        { path: 'code', message: 'Already in use.' },
      ]);
    }
    const next: Partial<ZoneRow> = {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.code !== undefined ? { code: patch.code } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      updated_at: at,
    };
    await updateZoneRow(trx, zoneId, next);
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'zone.updated',
      entityType: 'zone',
      entityId: zoneId,
      crisisId,
      change: patch,
    });
    return toZone({ ...current, ...next });
  });
}
