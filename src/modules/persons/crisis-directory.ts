import { systemActor } from '../../access/actor.js';
import type { AppContext } from '../../app-context.js';
import { validationFailed } from '../../lib/errors.js';
import { findCrisisById, findCrisisBySlug, findZoneByCode } from '../crises/crisis.repository.js';
import type { Crisis, Zone } from '../crises/crisis.schemas.js';
import { listCrisesIn, listZonesFor } from '../crises/crisis.service.js';

interface Snapshot {
  loadedAt: number;
  crises: Crisis[];
  zones: Map<string, Zone[]>;
}

const MAX_AGE_MS = 5_000;
/** A miss (unknown crisis or zone) reloads at most this often, so junk input cannot hammer the database. */
const MIN_RELOAD_MS = 1_000;
const snapshots = new WeakMap<AppContext, Snapshot>();
const loading = new WeakMap<AppContext, Promise<Snapshot>>();
const system = systemActor('registry');

async function load(ctx: AppContext): Promise<Snapshot> {
  const crises = (await listCrisesIn(ctx, 'all')).filter((c) => c.status === 'active');
  const zones = new Map<string, Zone[]>();
  for (const c of crises) zones.set(c.id, await listZonesFor(ctx, system, c.id));
  const snapshot = { loadedAt: Date.now(), crises, zones };
  snapshots.set(ctx, snapshot);
  return snapshot;
}

/** Reloads once for every caller waiting at the same time. */
function reload(ctx: AppContext): Promise<Snapshot> {
  let pending = loading.get(ctx);
  if (!pending) {
    pending = load(ctx).finally(() => loading.delete(ctx));
    loading.set(ctx, pending);
  }
  return pending;
}

/**
 * Active crises and their zones, kept in memory for a few seconds: the public registration path
 * must not read them from the database on every request. A miss (new crisis or zone) reloads.
 */
export async function activeCrises(ctx: AppContext): Promise<Snapshot> {
  const current = snapshots.get(ctx);
  if (current && Date.now() - current.loadedAt < MAX_AGE_MS) return current;
  return reload(ctx);
}

/** Two indexed point lookups: whether a miss is a new crisis or zone (worth a reload) or junk. */
async function existsInDatabase(
  ctx: AppContext,
  key: string | undefined,
  zoneCode: string | undefined,
): Promise<boolean> {
  const crisis =
    key === undefined
      ? undefined
      : ((await findCrisisById(ctx.db.db, key)) ?? (await findCrisisBySlug(ctx.db.db, key)));
  if (key !== undefined && crisis?.status !== 'active') return false;
  if (zoneCode === undefined || crisis === undefined) return crisis !== undefined || key === undefined;
  return (
    (await findZoneByCode(ctx.db.db, crisis.id, zoneCode.toUpperCase())) !== undefined ||
    (await findZoneByCode(ctx.db.db, crisis.id, zoneCode)) !== undefined
  );
}

const findIn = (s: Snapshot, key: string | undefined) =>
  key === undefined
    ? s.crises.length === 1
      ? s.crises[0]
      : undefined
    : s.crises.find((c) => c.id === key || c.slug === key);

/**
 * The active crisis a public registration is for (by id or short name; may be omitted when only
 * one crisis is active), with its zones. `zoneCode` forces a reload when the zone is new.
 */
export async function resolveActiveCrisis(
  ctx: AppContext,
  key: string | undefined,
  zoneCode?: string,
): Promise<{ crisis: Crisis; zones: Zone[] }> {
  let snapshot = await activeCrises(ctx);
  let crisis = findIn(snapshot, key);
  const zoneKnown = (c: Crisis) =>
    zoneCode === undefined ||
    (snapshot.zones.get(c.id) ?? []).some((z) => z.code.toUpperCase() === zoneCode.toUpperCase());
  if (
    (!crisis || !zoneKnown(crisis)) &&
    (Date.now() - snapshot.loadedAt >= MIN_RELOAD_MS || (await existsInDatabase(ctx, key, zoneCode)))
  ) {
    snapshot = await reload(ctx);
    crisis = findIn(snapshot, key);
  }
  if (!crisis) {
    throw validationFailed([
      {
        path: 'crisis',
        message:
          key === undefined ? 'Several crises are active: say which one.' : 'No active crisis with this id.',
      },
    ]);
  }
  return { crisis, zones: snapshot.zones.get(crisis.id) ?? [] };
}
