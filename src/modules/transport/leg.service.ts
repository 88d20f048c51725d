import type { Transaction } from 'kysely';
import type { z } from 'zod';
import type { Actor } from '../../access/actor.js';
import { requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import type { Database } from '../../db/schema.js';
import { nowIso } from '../../lib/clock.js';
import { AppError, notFound, validationFailed } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { findCrisisById } from '../crises/crisis.repository.js';
import { moveAssignment } from './assignment-flow.js';
import { recordMovement } from './person-movement.js';
import {
  type AssignmentRow,
  assignmentsOfLegs,
  findLegRow,
  HOLDING_STATUSES,
  insertLeg,
  type LegRow,
  listLegRows,
  updateLegIfVersion,
} from './transport.repository.js';
import type {
  Leg,
  LegCounts,
  LegStatus,
  legCreateSchema,
  legFiguresSchema,
  legStatusChangeSchema,
  legUpdateSchema,
} from './transport.schemas.js';

/** Where a leg may go from each status; departed legs only arrive, and the end states stay. */
export const LEG_TRANSITIONS: Record<LegStatus, LegStatus[]> = {
  planned: ['confirmed', 'cancelled'],
  confirmed: ['planned', 'boarding', 'cancelled'],
  boarding: ['confirmed', 'departed', 'cancelled'],
  departed: ['arrived'],
  arrived: [],
  cancelled: [],
};

export const legVersionConflict = () =>
  new AppError(409, 'version_conflict', 'Someone else changed this leg meanwhile; reload it and try again.');

export function toLeg(row: LegRow): Leg {
  return {
    id: row.id,
    crisisId: row.crisis_id,
    kind: row.kind,
    name: row.name,
    origin: row.origin,
    destination: row.destination,
    assemblyPoint: row.assembly_point,
    reportAt: row.report_at,
    departureAt: row.departure_at,
    capacity: { seats: row.seats, lapPlaces: row.lap_places, stretcherPlaces: row.stretcher_places },
    operator: row.operator,
    costPerSeat: row.cost_per_seat_minor / 100,
    currency: row.currency,
    status: row.status,
    allowedTransitions: LEG_TRANSITIONS[row.status],
    nextLegId: row.next_leg_id,
    crossingPointId: row.crossing_point_id,
    crossingListDate: row.crossing_list_date,
    reachableZoneIds: JSON.parse(row.reachable_zone_ids),
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A leg of the crisis, or 404 — also when the caller may not see movements there. */
export async function legInCrisis(
  db: Parameters<typeof findLegRow>[0],
  crisisId: string,
  legId: string,
): Promise<LegRow> {
  const row = await findLegRow(db, crisisId, legId);
  if (!row) throw notFound('transport leg');
  return row;
}

/** Checks that the referenced onward leg, crossing point and zones belong to the same crisis. */
async function checkReferences(
  trx: Transaction<Database>,
  crisisId: string,
  legId: string,
  refs: { nextLegId?: string | null; crossingPointId?: string | null; reachableZoneIds?: string[] },
) {
  const fields = [];
  if (refs.nextLegId) {
    if (refs.nextLegId === legId)
      fields.push({ path: 'nextLegId', message: 'A leg cannot connect to itself.' });
    else if (!(await findLegRow(trx, crisisId, refs.nextLegId)))
      fields.push({ path: 'nextLegId', message: 'No such leg in this crisis.' });
  }
  if (refs.crossingPointId) {
    const found = await trx
      .selectFrom('crossing_points')
      .select('id')
      .where('crisis_id', '=', crisisId)
      .where('id', '=', refs.crossingPointId)
      .executeTakeFirst();
    if (!found) fields.push({ path: 'crossingPointId', message: 'No such crossing point in this crisis.' });
  }
  if (refs.reachableZoneIds?.length) {
    const zones = await trx
      .selectFrom('zones')
      .select('id')
      .where('crisis_id', '=', crisisId)
      .where('id', 'in', refs.reachableZoneIds)
      .execute();
    const known = new Set(zones.map((z) => z.id));
    refs.reachableZoneIds.forEach((id, i) => {
      if (!known.has(id))
        fields.push({ path: `reachableZoneIds.${i}`, message: 'No such zone in this crisis.' });
    });
  }
  if (fields.length) throw validationFailed(fields);
}

export async function listLegs(ctx: AppContext, actor: Actor, crisisId: string): Promise<Leg[]> {
  requireAccess(actor, 'movement.read', crisisId, { hide: 'crisis' });
  return (await listLegRows(ctx.db.db, crisisId)).map(toLeg);
}

export async function getLeg(ctx: AppContext, actor: Actor, crisisId: string, legId: string): Promise<Leg> {
  requireAccess(actor, 'movement.read', crisisId, { hide: 'transport leg' });
  return toLeg(await legInCrisis(ctx.db.db, crisisId, legId));
}

export async function createLeg(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  input: z.output<typeof legCreateSchema>,
): Promise<Leg> {
  requireAccess(actor, 'movement.read', crisisId, { hide: 'crisis' });
  requireAccess(actor, 'movement.manage', crisisId);
  const at = nowIso();
  const row: LegRow = {
    id: newId(),
    crisis_id: crisisId,
    kind: input.kind,
    name: input.name,
    origin: input.origin,
    destination: input.destination,
    assembly_point: input.assemblyPoint,
    report_at: input.reportAt,
    departure_at: new Date(input.departureAt).toISOString(),
    seats: input.seats,
    lap_places: input.lapPlaces,
    stretcher_places: input.stretcherPlaces,
    operator: input.operator,
    cost_per_seat_minor: Math.round(input.costPerSeat * 100),
    currency: input.currency,
    status: 'planned',
    next_leg_id: input.nextLegId,
    crossing_point_id: input.crossingPointId,
    crossing_list_date: input.crossingListDate,
    reachable_zone_ids: JSON.stringify(input.reachableZoneIds),
    version: 1,
    created_by: actor.id,
    created_at: at,
    updated_at: at,
  };
  await ctx.db.writer.write(async (trx) => {
    if (!(await findCrisisById(trx, crisisId))) throw notFound('crisis');
    await checkReferences(trx, crisisId, row.id, input);
    await insertLeg(trx, row);
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'transport_leg.created',
      entityType: 'transport_leg',
      entityId: row.id,
      crisisId,
      change: input,
    });
  });
  return toLeg(row);
}

export async function updateLeg(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  legId: string,
  input: z.output<typeof legUpdateSchema>,
): Promise<Leg> {
  requireAccess(actor, 'movement.read', crisisId, { hide: 'transport leg' });
  requireAccess(actor, 'movement.manage', crisisId);
  const at = nowIso();
  return ctx.db.writer.write(async (trx) => {
    const current = await legInCrisis(trx, crisisId, legId);
    if (current.version !== input.version) throw legVersionConflict();
    await checkReferences(trx, crisisId, legId, input);
    const { version, ...p } = input;
    const patch: Partial<LegRow> = {
      ...(p.kind !== undefined ? { kind: p.kind } : {}),
      ...(p.name !== undefined ? { name: p.name } : {}),
      ...(p.origin !== undefined ? { origin: p.origin } : {}),
      ...(p.destination !== undefined ? { destination: p.destination } : {}),
      ...(p.assemblyPoint !== undefined ? { assembly_point: p.assemblyPoint } : {}),
      ...(p.reportAt !== undefined ? { report_at: p.reportAt } : {}),
      ...(p.departureAt !== undefined ? { departure_at: new Date(p.departureAt).toISOString() } : {}),
      ...(p.seats !== undefined ? { seats: p.seats } : {}),
      ...(p.lapPlaces !== undefined ? { lap_places: p.lapPlaces } : {}),
      ...(p.stretcherPlaces !== undefined ? { stretcher_places: p.stretcherPlaces } : {}),
      ...(p.operator !== undefined ? { operator: p.operator } : {}),
      ...(p.costPerSeat !== undefined ? { cost_per_seat_minor: Math.round(p.costPerSeat * 100) } : {}),
      ...(p.currency !== undefined ? { currency: p.currency } : {}),
      ...(p.nextLegId !== undefined ? { next_leg_id: p.nextLegId } : {}),
      ...(p.crossingPointId !== undefined ? { crossing_point_id: p.crossingPointId } : {}),
      ...(p.crossingListDate !== undefined ? { crossing_list_date: p.crossingListDate } : {}),
      ...(p.reachableZoneIds !== undefined ? { reachable_zone_ids: JSON.stringify(p.reachableZoneIds) } : {}),
      updated_at: at,
    };
    const next = { ...current, ...patch };
    if (next.report_at !== null && Date.parse(next.report_at) > Date.parse(next.departure_at))
      throw validationFailed([{ path: 'reportAt', message: 'People report before departure.' }]);
    if ((next.crossing_point_id === null) !== (next.crossing_list_date === null))
      throw validationFailed([
        {
          path: 'crossingListDate',
          message: 'A leg through a crossing names the crossing and the list date together.',
        },
      ]);
    // Capacity may not drop below the places already held.
    const held = holdingByKind(await assignmentsOfLegs(trx, [legId]));
    const short = [
      ...(next.seats < held.seat ? [{ path: 'seats', message: `${held.seat} seats are already held.` }] : []),
      ...(next.lap_places < held.lap
        ? [{ path: 'lapPlaces', message: `${held.lap} lap places are already held.` }]
        : []),
      ...(next.stretcher_places < held.stretcher
        ? [{ path: 'stretcherPlaces', message: `${held.stretcher} stretcher places are already held.` }]
        : []),
    ];
    if (short.length) throw validationFailed(short, 'Capacity cannot drop below the places already held.');
    if (!(await updateLegIfVersion(trx, legId, version, patch))) throw legVersionConflict();
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'transport_leg.updated',
      entityType: 'transport_leg',
      entityId: legId,
      crisisId,
      change: input,
    });
    return toLeg({ ...next, version: version + 1 });
  });
}

/** Moves a leg along its status flow (planned → confirmed → boarding → departed → arrived). */
export async function changeLegStatus(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  legId: string,
  input: z.output<typeof legStatusChangeSchema>,
): Promise<Leg> {
  requireAccess(actor, 'movement.read', crisisId, { hide: 'transport leg' });
  requireAccess(actor, 'movement.manage', crisisId);
  const at = nowIso();
  return ctx.db.writer.write(async (trx) => {
    const current = await legInCrisis(trx, crisisId, legId);
    if (current.version !== input.version) throw legVersionConflict();
    const allowed = LEG_TRANSITIONS[current.status];
    if (!allowed.includes(input.to))
      throw new AppError(
        409,
        'invalid_transition',
        `A ${current.status} leg cannot become ${input.to} (allowed: ${allowed.join(', ') || 'none'}).`,
      );
    if (!(await updateLegIfVersion(trx, legId, input.version, { status: input.to, updated_at: at })))
      throw legVersionConflict();
    // A cancelled leg gives its people back their chance of a place elsewhere.
    if (input.to === 'cancelled')
      for (const a of await assignmentsOfLegs(trx, [legId]))
        if (a.status === 'offered' || a.status === 'confirmed' || a.status === 'checked_in')
          await moveAssignment(trx, ctx, actor, a, 'cancelled', at, {
            reason: `Leg cancelled${input.reason ? `: ${input.reason}` : ''}.`,
          });
    // The people who boarded leave with the leg, and arrive with it when it is the journey's last.
    if (input.to === 'departed' || (input.to === 'arrived' && !current.next_leg_id)) {
      const boarded = (await assignmentsOfLegs(trx, [legId])).filter((a) => a.status === 'boarded');
      await recordMovement(
        trx,
        actor,
        boarded.map((a) => a.person_id),
        input.to,
        current.name,
        at,
      );
    }
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'transport_leg.status_changed',
      entityType: 'transport_leg',
      entityId: legId,
      crisisId,
      change: { from: current.status, to: input.to, reason: input.reason },
    });
    return toLeg({ ...current, status: input.to, updated_at: at, version: input.version + 1 });
  });
}

/** Places held per kind by the assignments given (those in a holding status). */
export function holdingByKind(rows: Pick<AssignmentRow, 'status' | 'place_kind'>[]) {
  const held = { seat: 0, lap: 0, stretcher: 0 };
  for (const r of rows)
    if ((HOLDING_STATUSES as readonly string[]).includes(r.status)) held[r.place_kind] += 1;
  return held;
}

/** Live counts of one leg, for the boarding screen. */
export function countLeg(leg: LegRow, rows: AssignmentRow[]): LegCounts {
  const by = (s: AssignmentRow['status']) => rows.filter((r) => r.status === s).length;
  const held = holdingByKind(rows);
  return {
    legId: leg.id,
    capacity: { seats: leg.seats, lapPlaces: leg.lap_places, stretcherPlaces: leg.stretcher_places },
    offered: by('offered'),
    confirmed: by('confirmed'),
    checkedIn: by('checked_in'),
    boarded: by('boarded'),
    noShow: by('no_show'),
    refused: by('refused'),
    emptySeats: Math.max(0, leg.seats - held.seat),
    emptyLapPlaces: Math.max(0, leg.lap_places - held.lap),
    emptyStretcherPlaces: Math.max(0, leg.stretcher_places - held.stretcher),
  };
}

export async function legCounts(ctx: AppContext, actor: Actor, crisisId: string, legId: string) {
  requireAccess(actor, 'movement.read', crisisId, { hide: 'transport leg' });
  const leg = await legInCrisis(ctx.db.db, crisisId, legId);
  return countLeg(leg, await assignmentsOfLegs(ctx.db.db, [legId]));
}

/**
 * Fill and no-show figures per leg, computed from the assignments. Lap infants are counted as
 * passengers but not against capacity.
 */
export async function legFigures(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
): Promise<z.infer<typeof legFiguresSchema>[]> {
  requireAccess(actor, 'movement.read', crisisId, { hide: 'crisis' });
  const legs = await listLegRows(ctx.db.db, crisisId);
  const rows = await assignmentsOfLegs(
    ctx.db.db,
    legs.map((l) => l.id),
  );
  return legs.map((leg) => {
    const mine = rows.filter((r) => r.leg_id === leg.id && r.place_kind !== 'lap');
    const n = (...s: AssignmentRow['status'][]) => mine.filter((r) => s.includes(r.status)).length;
    const capacity = leg.seats + leg.stretcher_places;
    const gone = leg.status === 'departed' || leg.status === 'arrived';
    const boarded = n('boarded');
    const noShow = n('no_show');
    const confirmed = n('confirmed', 'checked_in', 'boarded', 'no_show', 'refused');
    const filled = gone ? boarded : n('confirmed', 'checked_in', 'boarded');
    return {
      legId: leg.id,
      name: leg.name,
      kind: leg.kind,
      status: leg.status,
      departureAt: leg.departure_at,
      capacity,
      allocated: n(...HOLDING_STATUSES),
      confirmed,
      boarded,
      noShow,
      fillRate: capacity === 0 ? 0 : Math.round((filled / capacity) * 1000) / 1000,
      noShowRate: boarded + noShow === 0 ? null : Math.round((noShow / (boarded + noShow)) * 1000) / 1000,
    };
  });
}

/**
 * Fill and no-show over time: the per-leg figures added up by day of departure (UTC), cancelled
 * legs left out. The day's fill rate is places filled over places offered, so one half-empty
 * charter shows in the day it flew.
 */
export async function legFiguresByDay(ctx: AppContext, actor: Actor, crisisId: string) {
  const perLeg = (await legFigures(ctx, actor, crisisId)).filter((l) => l.status !== 'cancelled');
  const days = new Map<
    string,
    {
      day: string;
      legs: number;
      capacity: number;
      confirmed: number;
      boarded: number;
      noShow: number;
      filled: number;
    }
  >();
  for (const leg of perLeg) {
    const day = leg.departureAt.slice(0, 10);
    const d = days.get(day) ?? { day, legs: 0, capacity: 0, confirmed: 0, boarded: 0, noShow: 0, filled: 0 };
    d.legs += 1;
    d.capacity += leg.capacity;
    d.confirmed += leg.confirmed;
    d.boarded += leg.boarded;
    d.noShow += leg.noShow;
    d.filled += Math.round(leg.fillRate * leg.capacity);
    days.set(day, d);
  }
  return [...days.values()]
    .sort((a, b) => (a.day < b.day ? -1 : 1))
    .map(({ filled, ...d }) => ({
      ...d,
      fillRate: d.capacity === 0 ? 0 : Math.round((filled / d.capacity) * 1000) / 1000,
      noShowRate:
        d.boarded + d.noShow === 0 ? null : Math.round((d.noShow / (d.boarded + d.noShow)) * 1000) / 1000,
    }));
}
