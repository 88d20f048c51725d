import type { z } from 'zod';
import type { Actor } from '../../access/actor.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import { nowIso } from '../../lib/clock.js';
import { AppError, type FieldError, notFound, validationFailed } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { listZonesFor } from '../crises/crisis.service.js';
import { BREAKDOWNS } from '../disclosure/types.js';
import { legExists } from './package.repository.js';
import {
  findProfileRow,
  insertProfile,
  listProfileRows,
  type ProfileRow,
  updateProfileIfVersion,
} from './partner.repository.js';
import {
  type profileInputSchema,
  type profileUpdateSchema,
  type Selection,
  type SharingProfile,
  selectionSchema,
} from './partner.schemas.js';
import { partnerInCrisis, requirePartnerAccess } from './partner.service.js';

/** Tables an aggregate profile may name: each breakdown, and the overall total. */
export const AGGREGATE_TABLES: readonly string[] = [...BREAKDOWNS, 'overall'];

export function toProfile(row: ProfileRow): SharingProfile {
  return {
    id: row.id,
    partnerId: row.partner_id,
    name: row.name,
    kind: row.kind,
    fields: JSON.parse(row.fields) as string[],
    selection: selectionSchema.parse(JSON.parse(row.selection)),
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The profile, in the crisis, or 404. */
export async function profileInCrisis(
  ctx: AppContext,
  crisisId: string,
  profileId: string,
): Promise<ProfileRow> {
  const row = await findProfileRow(ctx.db.db, crisisId, profileId);
  if (!row) throw notFound('sharing profile');
  return row;
}

/** Checks what the schema cannot: zones and legs of this crisis, table names of aggregate profiles. */
async function checkProfile(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  input: { kind: 'persons' | 'aggregates'; fields: string[]; selection: Selection },
): Promise<void> {
  const errors: FieldError[] = [];
  if (input.kind === 'aggregates') {
    input.fields.forEach((f, i) => {
      if (!AGGREGATE_TABLES.includes(f))
        errors.push({
          path: `fields.${i}`,
          message: `Unknown table "${f}"; choose from: ${AGGREGATE_TABLES.join(', ')}.`,
        });
    });
    if (Object.keys(input.selection).length > 0)
      errors.push({ path: 'selection', message: 'Aggregate profiles do not select people.' });
  } else {
    const s = input.selection;
    if (s.zone && !(await listZonesFor(ctx, actor, crisisId)).some((z) => z.id === s.zone))
      errors.push({ path: 'selection.zone', message: 'No such zone in this crisis.' });
    if (s.legId && !(await legExists(ctx.db.db, crisisId, s.legId)))
      errors.push({ path: 'selection.legId', message: 'No such leg in this crisis.' });
    if (s.listDate && !s.onList)
      errors.push({ path: 'selection.listDate', message: 'A list date needs "on list".' });
    if (s.legId && !s.allocated)
      errors.push({ path: 'selection.legId', message: 'A leg needs "allocated to a leg".' });
  }
  if (new Set(input.fields).size !== input.fields.length)
    errors.push({ path: 'fields', message: 'Each field once.' });
  if (errors.length > 0) throw validationFailed(errors);
}

export async function listProfiles(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  partnerId: string,
): Promise<SharingProfile[]> {
  requirePartnerAccess(actor, crisisId, 'partner.read');
  await partnerInCrisis(ctx, crisisId, partnerId);
  return (await listProfileRows(ctx.db.db, crisisId, partnerId)).map(toProfile);
}

export async function createProfile(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  partnerId: string,
  input: z.output<typeof profileInputSchema>,
): Promise<SharingProfile> {
  requirePartnerAccess(actor, crisisId, 'partner.manage');
  await partnerInCrisis(ctx, crisisId, partnerId);
  await checkProfile(ctx, actor, crisisId, input);
  const at = nowIso();
  const row: ProfileRow = {
    id: newId(),
    crisis_id: crisisId,
    partner_id: partnerId,
    name: input.name,
    kind: input.kind,
    fields: JSON.stringify(input.fields),
    selection: JSON.stringify(input.selection),
    version: 1,
    created_by: actor.id,
    created_at: at,
    updated_at: at,
  };
  await ctx.db.writer.write(async (trx) => {
    await insertProfile(trx, row);
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'sharing_profile.created',
      entityType: 'sharing_profile',
      entityId: row.id,
      crisisId,
      change: input,
    });
  });
  return toProfile(row);
}

export async function updateProfile(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  profileId: string,
  input: z.output<typeof profileUpdateSchema>,
): Promise<SharingProfile> {
  requirePartnerAccess(actor, crisisId, 'partner.manage');
  await profileInCrisis(ctx, crisisId, profileId);
  await checkProfile(ctx, actor, crisisId, input);
  await ctx.db.writer.write(async (trx) => {
    const ok = await updateProfileIfVersion(trx, profileId, input.version, {
      name: input.name,
      kind: input.kind,
      fields: JSON.stringify(input.fields),
      selection: JSON.stringify(input.selection),
      updated_at: nowIso(),
    });
    if (!ok)
      throw new AppError(
        409,
        'version_conflict',
        'Someone else changed this profile meanwhile; reload it and try again.',
      );
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'sharing_profile.updated',
      entityType: 'sharing_profile',
      entityId: profileId,
      crisisId,
      change: input,
    });
  });
  return toProfile(await profileInCrisis(ctx, crisisId, profileId));
}
