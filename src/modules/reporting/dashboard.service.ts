import type { Actor } from '../../access/actor.js';
import { holdsInCrisis, requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import { notFound, validationFailed } from '../../lib/errors.js';
import { findCrisisById, findZone } from '../crises/crisis.repository.js';
import { compactCounters } from './figures.repository.js';
import {
  addDays,
  assembleFigures,
  daysBetween,
  emptyPoint,
  readFigureSources,
  seriesPoint,
  snapshotRows,
  utcDay,
  ZONES_SPLIT,
  zoneSnapshotRows,
} from './figures.service.js';
import {
  findSnapshotDay,
  insertSnapshot,
  listSnapshotDays,
  snapshotRowsBetween,
} from './reporting.repository.js';
import type { Dashboard, DashboardQuery, SeriesPoint } from './reporting.schemas.js';

/** The longest date range the dashboard reads at once. */
export const MAX_RANGE_DAYS = 366;
/** Days the dashboard shows when no range is given (today and the 13 before). */
export const DEFAULT_RANGE_DAYS = 14;

/**
 * Aggregate figures are for those who report (`report.read`) or count people (`person.aggregate`)
 * in the crisis. The route can only declare one permission, so it is `signed-in` and this check
 * decides; anyone else gets the crisis's 404, as for a crisis outside their grants.
 */
export function requireFiguresAccess(actor: Actor, crisisId: string): void {
  if (!holdsInCrisis(actor, 'report.read', crisisId) && !holdsInCrisis(actor, 'person.aggregate', crisisId))
    throw notFound('crisis');
}

async function checkCrisisAndZone(ctx: AppContext, crisisId: string, zoneId?: string) {
  const crisis = await findCrisisById(ctx.db.db, crisisId);
  if (!crisis) throw notFound('crisis');
  if (zoneId && !(await findZone(ctx.db.db, crisisId, zoneId)))
    throw validationFailed([{ path: 'zoneId', message: 'No such zone in this crisis.' }]);
  return crisis;
}

/** The range asked for, or the last 14 days; refused when longer than a year or in the future. */
export function resolveRange(q: { from?: string | undefined; to?: string | undefined }, now: Date) {
  const today = utcDay(now);
  const to = q.to ?? today;
  const from = q.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
  if (from > to) throw validationFailed([{ path: 'from', message: 'Must not be after "to".' }]);
  if (to > today) throw validationFailed([{ path: 'to', message: 'Must not be in the future.' }]);
  if (daysBetween(from, to).length > MAX_RANGE_DAYS)
    throw validationFailed([{ path: 'from', message: `At most ${MAX_RANGE_DAYS} days at once.` }]);
  return { from, to, today };
}

/**
 * The time series of [from, to]: past days from their snapshots (exact even after records
 * change), today from the live sources when the range reaches it.
 */
export async function readSeries(
  ctx: AppContext,
  crisisId: string,
  range: { from: string; to: string; today: string },
  zoneId: string | undefined,
  live: ReturnType<typeof snapshotRows> | undefined,
): Promise<SeriesPoint[]> {
  const stored = await snapshotRowsBetween(ctx.db.db, crisisId, range.from, range.to);
  return daysBetween(range.from, range.to).map((day) => {
    if (day === range.today && live) return seriesPoint(day, 'live', live, zoneId);
    const rows = stored.get(day);
    return rows ? seriesPoint(day, 'snapshot', rows, zoneId) : emptyPoint(day);
  });
}

/**
 * The dashboard: today's figures (live, zone-filtered on request) and the time series of the
 * range. Audited as a read of aggregates.
 */
export async function getDashboard(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  query: DashboardQuery,
  now = new Date(),
): Promise<Dashboard> {
  requireFiguresAccess(actor, crisisId);
  await checkCrisisAndZone(ctx, crisisId, query.zoneId);
  const range = resolveRange(query, now);
  const o = { day: range.today, from: range.from, to: range.today, zoneId: query.zoneId, now };
  const sources = await readFigureSources(ctx.db.db, crisisId, o);
  const [figures, series, zones] = await Promise.all([
    assembleFigures(ctx.db.db, crisisId, sources, o),
    readSeries(ctx, crisisId, range, query.zoneId, snapshotRows(sources)),
    ctx.db.db
      .selectFrom('zones')
      .select(['id', 'name'])
      .where('crisis_id', '=', crisisId)
      .orderBy('name')
      .execute(),
  ]);
  await ctx.db.writer.write((trx) =>
    recordAudit(trx, ctx.db.dialect, actor, {
      action: 'report.dashboard_viewed',
      entityType: 'crisis',
      entityId: crisisId,
      crisisId,
      change: { from: range.from, to: range.to, zoneId: query.zoneId ?? null },
    }),
  );
  return { figures, series, zones };
}

/**
 * Takes the crisis's snapshot of the day of `now`, once: a second call the same day (from the
 * worker or a person) finds it taken and changes nothing.
 */
export async function takeSnapshot(ctx: AppContext, actor: Actor, crisisId: string, now = new Date()) {
  requireAccess(actor, 'report.read', crisisId, { hide: 'crisis' });
  requireAccess(actor, 'report.publish', crisisId);
  await checkCrisisAndZone(ctx, crisisId);
  const day = utcDay(now);
  const existing = await findSnapshotDay(ctx.db.db, crisisId, day);
  if (existing) return { day, taken: false, takenAt: existing.taken_at, rows: existing.row_count };
  const sources = await readFigureSources(ctx.db.db, crisisId, { day, from: day, to: day, now });
  const rows = snapshotRows(sources);
  // Seats, cases and the list zone by zone too, so a zone's past series has them (once a day: a
  // few reads per zone).
  const zones = await ctx.db.db.selectFrom('zones').select('id').where('crisis_id', '=', crisisId).execute();
  for (const { id: zoneId } of zones) {
    const zoned = await readFigureSources(ctx.db.db, crisisId, { day, from: day, to: day, zoneId, now });
    rows.push(...zoneSnapshotRows(zoneId, zoned));
  }
  rows.push({ metric: ZONES_SPLIT, dimension: '', value: zones.length });
  const takenAt = now.toISOString();
  return ctx.db.writer.write(async (trx) => {
    // Checked again inside the write: two takers racing on the same day store it once.
    const raced = await findSnapshotDay(trx, crisisId, day);
    if (raced) return { day, taken: false, takenAt: raced.taken_at, rows: raced.row_count };
    await insertSnapshot(trx, crisisId, day, takenAt, actor.id, rows);
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'report.snapshot_taken',
      entityType: 'crisis',
      entityId: crisisId,
      crisisId,
      change: { day, rows: rows.length },
    });
    return { day, taken: true, takenAt, rows: rows.length };
  });
}

/** The days with a snapshot, latest first. */
export async function listSnapshots(ctx: AppContext, actor: Actor, crisisId: string) {
  requireFiguresAccess(actor, crisisId);
  await checkCrisisAndZone(ctx, crisisId);
  const rows = await listSnapshotDays(ctx.db.db, crisisId, MAX_RANGE_DAYS);
  return rows.map((r) => ({ day: r.day, takenAt: r.taken_at, rows: r.row_count }));
}

/**
 * The worker's pass over every active crisis: folds the counters kept by triggers (one row per
 * cell again; housekeeping of derived rows, so not audited) and takes the day's snapshot if it is
 * not taken yet — the first pass after midnight UTC takes it, later passes find it taken.
 */
export async function runReportingPass(ctx: AppContext, actor: Actor, now = new Date()) {
  const crises = await ctx.db.db.selectFrom('crises').select('id').where('status', '=', 'active').execute();
  let taken = 0;
  let folded = 0;
  for (const { id } of crises) {
    folded += await ctx.db.writer.write((trx) => compactCounters(trx, ctx.db.dialect, id));
    if ((await takeSnapshot(ctx, actor, id, now)).taken) taken += 1;
  }
  return { snapshotsTaken: taken, counterRowsFolded: folded };
}
