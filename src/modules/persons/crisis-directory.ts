import type { Kysely } from 'kysely';
import type { AppContext } from '../../app-context.js';
import type { Database } from '../../db/schema.js';
import { validationFailed } from '../../lib/errors.js';
import {
  findCrisisById,
  findCrisisBySlug,
  findZoneByCode,
  listCrises,
  listZones,
} from '../crises/crisis.repository.js';
import type { Crisis, Zone } from '../crises/crisis.schemas.js';
import { toCrisis, toZone } from '../crises/crisis.service.js';

interface Snapshot {
  loadedAt: number;
  crises: Crisis[];
  zones: Map<string, Zone[]>;
}

const MAX_AGE_MS = 5_000;
/** A miss (unknown crisis or zone) reloads at most this often, so junk input cannot hammer the database. */
const MIN_RELOAD_MS = 1_000;
/** Keyed by the query handle, so the intake thread (its own connection) keeps its own copy. */
const snapshots = new WeakMap<Kysely<Database>, Snapshot>();
const loading = new WeakMap<Kysely<Database>, Promise<Snapshot>>();

async function load(db: Kysely<Database>): Promise<Snapshot> {
  const crises = (await listCrises(db, 'all')).map(toCrisis).filter((c) => c.status === 'active');
  const zones = new Map<string, Zone[]>();
  for (const c of crises) zones.set(c.id, (await listZones(db, c.id)).map(toZone));
  const snapshot = { loadedAt: Date.now(), crises, zones };
  snapshots.set(db, snapshot);
  return snapshot;
}

/** Reloads once for every caller waiting at the same time. */
function reload(db: Kysely<Database>): Promise<Snapshot> {
  let pending = loading.get(db);
  if (!pending) {
    pending = load(db).finally(() => loading.delete(db));
    loading.set(db, pending);
  }
  return pending;
}

/** Active crises and their zones as seen through `db` (see activeCrises). */
export async function activeCrisesIn(db: Kysely<Database>): Promise<Snapshot> {
  const current = snapshots.get(db);
  if (current && Date.now() - current.loadedAt < MAX_AGE_MS) return current;
  return reload(db);
}

/**
 * Active crises and their zones, kept in memory for a few seconds: the public registration path
 * must not read them from the database on every request. A miss (new crisis or zone) reloads.
 */
export const activeCrises = (ctx: AppContext): Promise<Snapshot> => activeCrisesIn(ctx.db.db);

/** Two indexed point lookups: whether a miss is a new crisis or zone (worth a reload) or junk. */
async function existsInDatabase(
  db: Kysely<Database>,
  key: string | undefined,
  zoneCode: string | undefined,
): Promise<boolean> {
  const crisis =
    key === undefined ? undefined : ((await findCrisisById(db, key)) ?? (await findCrisisBySlug(db, key)));
  if (key !== undefined && crisis?.status !== 'active') return false;
  if (zoneCode === undefined || crisis === undefined) return crisis !== undefined || key === undefined;
  return (
    (await findZoneByCode(db, crisis.id, zoneCode.toUpperCase())) !== undefined ||
    (await findZoneByCode(db, crisis.id, zoneCode)) !== undefined
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
export const resolveActiveCrisis = (ctx: AppContext, key: string | undefined, zoneCode?: string) =>
  resolveActiveCrisisIn(ctx.db.db, key, zoneCode);

/** resolveActiveCrisis through a given query handle (the intake thread's connection). */
export async function resolveActiveCrisisIn(
  db: Kysely<Database>,
  key: string | undefined,
  zoneCode?: string,
): Promise<{ crisis: Crisis; zones: Zone[] }> {
  let snapshot = await activeCrisesIn(db);
  let crisis = findIn(snapshot, key);
  const zoneKnown = (c: Crisis) =>
    zoneCode === undefined ||
    (snapshot.zones.get(c.id) ?? []).some((z) => z.code.toUpperCase() === zoneCode.toUpperCase());
  if (
    (!crisis || !zoneKnown(crisis)) &&
    (Date.now() - snapshot.loadedAt >= MIN_RELOAD_MS || (await existsInDatabase(db, key, zoneCode)))
  ) {
    snapshot = await reload(db);
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
