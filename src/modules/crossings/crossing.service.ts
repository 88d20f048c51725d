import type { z } from 'zod';
import type { Actor } from '../../access/actor.js';
import { requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import { nowIso } from '../../lib/clock.js';
import { codeFromName } from '../../lib/codes.js';
import { conflict, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { findCrisisById } from '../crises/crisis.repository.js';
import {
  type CrossingRow,
  findCrossingByCode,
  findCrossingRow,
  insertCrossing,
  insertSide,
  insertStatusEvent,
  listCrossingRows,
  type SideRow,
  sidesOf,
  statusEventsOf,
  updateCrossingRow,
  updateSideRow,
} from './crossing.repository.js';
import type {
  Crossing,
  crossingCreateSchema,
  crossingUpdateSchema,
  SideStatus,
  sideUpdateSchema,
  statusChangeSchema,
} from './crossing.schemas.js';

const EMPTY_NOTICE = { en: '', fr: '', ar: '' };

/** A crossing is open when every side is open, closed when any side is closed, else restricted. */
export function overallStatus(sides: { status: SideStatus }[]): SideStatus {
  if (sides.length === 0 || sides.some((s) => s.status === 'closed')) return 'closed';
  return sides.every((s) => s.status === 'open') ? 'open' : 'restricted';
}

function toCrossing(row: CrossingRow, sides: SideRow[]): Crossing {
  const mine = sides.filter((s) => s.crossing_point_id === row.id).sort((a, b) => a.position - b.position);
  return {
    id: row.id,
    crisisId: row.crisis_id,
    name: row.name,
    code: row.code,
    description: row.description,
    requiresApprovedList: row.requires_approved_list === 1,
    status: row.status,
    overallStatus: overallStatus(mine),
    sides: mine.map((s) => ({
      id: s.id,
      name: s.name,
      operator: s.operator,
      status: s.status,
      statusNote: s.status_note,
      statusSource: s.status_source,
      statusChangedAt: s.status_changed_at,
      openingWindows: JSON.parse(s.opening_windows),
      publicNotice: JSON.parse(s.public_notice),
    })),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Crossing points of a crisis, with their sides and current status. */
export async function listCrossings(ctx: AppContext, actor: Actor, crisisId: string): Promise<Crossing[]> {
  requireAccess(actor, 'movement.read', crisisId, { hide: 'crisis' });
  const rows = await listCrossingRows(ctx.db.db, crisisId);
  const sides = await sidesOf(
    ctx.db.db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toCrossing(r, sides));
}

/** One crossing point, or 404 (also outside the caller's crises). */
export async function getCrossing(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  crossingId: string,
): Promise<Crossing> {
  requireAccess(actor, 'movement.read', crisisId, { hide: 'crossing point' });
  const row = await findCrossingRow(ctx.db.db, crisisId, crossingId);
  if (!row) throw notFound('crossing point');
  return toCrossing(row, await sidesOf(ctx.db.db, [row.id]));
}

export async function createCrossing(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  input: z.output<typeof crossingCreateSchema>,
): Promise<Crossing> {
  requireAccess(actor, 'movement.read', crisisId, { hide: 'crisis' });
  requireAccess(actor, 'movement.manage', crisisId);
  const at = nowIso();
  const row: CrossingRow = {
    id: newId(),
    crisis_id: crisisId,
    name: input.name,
    code: input.code ?? codeFromName(input.name, 'X'),
    description: input.description ?? '',
    requires_approved_list: input.requiresApprovedList ? 1 : 0,
    status: 'active',
    created_at: at,
    updated_at: at,
  };
  const sides: SideRow[] = input.sides.map((s, i) => ({
    id: newId(),
    crossing_point_id: row.id,
    name: s.name,
    operator: s.operator,
    status: s.status,
    status_note: '',
    status_source: 'set up',
    status_changed_at: at,
    opening_windows: JSON.stringify(s.openingWindows),
    public_notice: JSON.stringify(s.publicNotice ?? EMPTY_NOTICE),
    position: i,
  }));
  await ctx.db.writer.write(async (trx) => {
    if (!(await findCrisisById(trx, crisisId))) throw notFound('crisis');
    if (await findCrossingByCode(trx, crisisId, row.code)) {
      throw conflict('A crossing point with this code already exists.', [
        { path: 'code', message: 'Already in use.' },
      ]);
    }
    await insertCrossing(trx, row);
    for (const side of sides) {
      await insertSide(trx, side);
      await insertStatusEvent(trx, {
        id: newId(),
        side_id: side.id,
        status: side.status,
        note: '',
        source: 'set up',
        at,
        recorded_by: actor.id,
      });
    }
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'crossing.created',
      entityType: 'crossing_point',
      entityId: row.id,
      crisisId,
      change: input,
    });
  });
  return toCrossing(row, sides);
}

export async function updateCrossing(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  crossingId: string,
  patch: z.output<typeof crossingUpdateSchema>,
): Promise<Crossing> {
  requireAccess(actor, 'movement.read', crisisId, { hide: 'crossing point' });
  requireAccess(actor, 'movement.manage', crisisId);
  const at = nowIso();
  return ctx.db.writer.write(async (trx) => {
    const current = await findCrossingRow(trx, crisisId, crossingId);
    if (!current) throw notFound('crossing point');
    const next: Partial<CrossingRow> = {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.requiresApprovedList !== undefined
        ? { requires_approved_list: patch.requiresApprovedList ? 1 : 0 }
        : {}),
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      updated_at: at,
    };
    await updateCrossingRow(trx, crossingId, next);
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'crossing.updated',
      entityType: 'crossing_point',
      entityId: crossingId,
      crisisId,
      change: patch,
    });
    return toCrossing({ ...current, ...next }, await sidesOf(trx, [crossingId]));
  });
}

async function sideInCrisis(
  trx: Parameters<typeof findCrossingRow>[0],
  crisisId: string,
  crossingId: string,
  sideId: string,
) {
  const crossing = await findCrossingRow(trx, crisisId, crossingId);
  const side = crossing ? (await sidesOf(trx, [crossing.id])).find((s) => s.id === sideId) : undefined;
  if (!crossing || !side) throw notFound('crossing side');
  return { crossing, side };
}

/** Records a side's new status with its source; the history keeps every change. */
export async function changeSideStatus(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  crossingId: string,
  sideId: string,
  input: z.output<typeof statusChangeSchema>,
): Promise<Crossing> {
  requireAccess(actor, 'movement.read', crisisId, { hide: 'crossing side' });
  requireAccess(actor, 'movement.manage', crisisId);
  const at = nowIso();
  return ctx.db.writer.write(async (trx) => {
    const { crossing } = await sideInCrisis(trx, crisisId, crossingId, sideId);
    await updateSideRow(trx, sideId, {
      status: input.status,
      status_note: input.note,
      status_source: input.source,
      status_changed_at: at,
    });
    await insertStatusEvent(trx, {
      id: newId(),
      side_id: sideId,
      status: input.status,
      note: input.note,
      source: input.source,
      at,
      recorded_by: actor.id,
    });
    await updateCrossingRow(trx, crossingId, { updated_at: at });
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'crossing.status_changed',
      entityType: 'crossing_side',
      entityId: sideId,
      crisisId,
      change: input,
    });
    return toCrossing({ ...crossing, updated_at: at }, await sidesOf(trx, [crossingId]));
  });
}

export async function updateSide(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  crossingId: string,
  sideId: string,
  patch: z.output<typeof sideUpdateSchema>,
): Promise<Crossing> {
  requireAccess(actor, 'movement.read', crisisId, { hide: 'crossing side' });
  requireAccess(actor, 'movement.manage', crisisId);
  return ctx.db.writer.write(async (trx) => {
    const { crossing } = await sideInCrisis(trx, crisisId, crossingId, sideId);
    await updateSideRow(trx, sideId, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.operator !== undefined ? { operator: patch.operator } : {}),
      ...(patch.openingWindows !== undefined
        ? { opening_windows: JSON.stringify(patch.openingWindows) }
        : {}),
      ...(patch.publicNotice !== undefined ? { public_notice: JSON.stringify(patch.publicNotice) } : {}),
    });
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'crossing.side_updated',
      entityType: 'crossing_side',
      entityId: sideId,
      crisisId,
      change: patch,
    });
    return toCrossing(crossing, await sidesOf(trx, [crossingId]));
  });
}

/** Status changes of a crossing's sides, newest first. */
export async function crossingHistory(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  crossingId: string,
  limit = 200,
) {
  const crossing = await getCrossing(ctx, actor, crisisId, crossingId);
  const names = new Map(crossing.sides.map((s) => [s.id, s.name]));
  const events = await statusEventsOf(
    ctx.db.db,
    crossing.sides.map((s) => s.id),
    limit,
  );
  return events.map((e) => ({
    id: e.id,
    sideId: e.side_id,
    sideName: names.get(e.side_id) ?? '',
    status: e.status,
    note: e.note,
    source: e.source,
    at: e.at,
    recordedBy: e.recorded_by,
  }));
}

/**
 * What the public portal shows of the crossings of the active crises: each crossing's overall
 * status and its sides' status, opening windows and public notice. No staff notes, no sources.
 */
export async function publicCrossingStatus(ctx: AppContext) {
  const rows = await ctx.db.db
    .selectFrom('crossing_points')
    .innerJoin('crises', 'crises.id', 'crossing_points.crisis_id')
    .selectAll('crossing_points')
    .where('crises.status', '=', 'active')
    .where('crossing_points.status', '=', 'active')
    .orderBy('crossing_points.name')
    .execute();
  const sides = await sidesOf(
    ctx.db.db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => {
    const c = toCrossing(row, sides);
    return {
      name: c.name,
      overallStatus: c.overallStatus,
      sides: c.sides.map((s) => ({
        name: s.name,
        status: s.status,
        statusChangedAt: s.statusChangedAt,
        openingWindows: s.openingWindows,
        publicNotice: s.publicNotice,
      })),
    };
  });
}
