import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { OPEN_STATES } from '../cases/case.rules.js';
import { INTENTIONS } from '../persons/person.schemas.js';
import {
  type CubeCell,
  crossingSides,
  legsFrom,
  onListCount,
  registryCube,
  restrictedCube,
  type SourceCounts,
  sourceCounts,
  zoneNames,
} from './figures.repository.js';
import type { Figure, Figures, SeriesPoint } from './reporting.schemas.js';

type Q = Kysely<Database> | Transaction<Database>;

/** The UTC day (YYYY-MM-DD) of an instant. */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);
/** `day` moved by `n` days. */
export const addDays = (day: string, n: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** Seat statuses that hold a place on a leg. */
const HOLDING = new Set(['offered', 'confirmed', 'checked_in', 'boarded']);
const OPEN = new Set<string>(OPEN_STATES);

/** Everything the figures are built from: kept apart so snapshots store the same numbers. */
export interface FigureSources {
  cube: CubeCell[];
  counts: SourceCounts;
  onList: number;
}

const link = (path: string, params: Record<string, string | undefined>) => {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) search.set(k, v);
  const q = search.toString();
  return q ? `${path}?${q}` : path;
};

/** Subtracts the restricted persons' cube from the whole one (cells keyed by all four dimensions). */
function visibleCube(all: CubeCell[], restricted: CubeCell[]): CubeCell[] {
  const key = (c: CubeCell) => `${c.zoneId ?? ''}|${c.intention}|${c.status}|${c.eligibility}`;
  const hidden = new Map(restricted.map((c) => [key(c), c.n]));
  return all.map((c) => ({ ...c, n: c.n - (hidden.get(key(c)) ?? 0) })).filter((c) => c.n > 0);
}

/** Reads the sources of a crisis's figures (live), restricted and anonymised persons left out. */
export async function readFigureSources(
  db: Q,
  crisisId: string,
  o: { day: string; from: string; to: string; zoneId?: string | undefined; now: Date },
): Promise<FigureSources> {
  const [all, restricted, counts, onList] = await Promise.all([
    registryCube(db, crisisId, o.zoneId),
    restrictedCube(db, crisisId, o.zoneId),
    sourceCounts(db, crisisId, {
      zoneId: o.zoneId,
      fromIso: `${o.from}T00:00:00.000Z`,
      toIso: `${addDays(o.to, 1)}T00:00:00.000Z`,
      nowIso: o.now.toISOString(),
    }),
    onListCount(db, crisisId, o.day, o.zoneId),
  ]);
  return { cube: visibleCube(all, restricted), counts, onList };
}

function sumBy<T>(items: T[], key: (t: T) => string, value: (t: T) => number): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of items) out.set(key(item), (out.get(key(item)) ?? 0) + value(item));
  return out;
}

/**
 * The crisis's figures for a day, from its sources plus the crossing status and legs (read live:
 * they are few). Each figure carries the console page listing its records, with filters.
 */
export async function assembleFigures(
  db: Q,
  crisisId: string,
  sources: FigureSources,
  o: { day: string; from: string; to: string; zoneId?: string | undefined; now: Date },
): Promise<Figures> {
  const [zones, sides, legs] = await Promise.all([
    zoneNames(db, crisisId),
    crossingSides(db, crisisId),
    legsFrom(db, crisisId, `${o.from}T00:00:00.000Z`),
  ]);
  const zone = o.zoneId;
  const { cube, counts } = sources;
  const total = cube.reduce((s, c) => s + c.n, 0);
  const registry = (params: Record<string, string | undefined>) => link('/registry', { zone, ...params });
  const figure = (key: string, count: number, target: string | null): Figure => ({
    key,
    count,
    link: target,
  });

  const zoneIntention = sumBy(
    cube,
    (c) => `${c.zoneId ?? ''}|${c.intention}`,
    (c) => c.n,
  );
  const byZoneIntention = [...zoneIntention.entries()]
    .map(([k, count]) => {
      const [zoneId, intention] = k.split('|') as [string, string];
      return {
        zoneId: zoneId || null,
        zoneName: zoneId ? (zones.get(zoneId) ?? null) : null,
        intention,
        count,
        link: zoneId ? link('/registry', { zone: zoneId, intention }) : null,
      };
    })
    .sort(
      (a, b) =>
        (a.zoneName ?? '~').localeCompare(b.zoneName ?? '~') || a.intention.localeCompare(b.intention),
    );
  const byZone = [
    ...sumBy(
      cube,
      (c) => c.zoneId ?? '',
      (c) => c.n,
    ).entries(),
  ]
    .map(([zoneId, count]) => ({
      key: zoneId,
      zoneName: zoneId ? (zones.get(zoneId) ?? null) : null,
      count,
      link: zoneId ? link('/registry', { zone: zoneId }) : null,
    }))
    .sort((a, b) => b.count - a.count);
  const breakdown = (dim: 'intention' | 'status' | 'eligibility', order: readonly string[] = []) =>
    [
      ...sumBy(
        cube,
        (c) => c[dim],
        (c) => c.n,
      ).entries(),
    ]
      .map(([key, count]) => figure(key, count, registry({ [dim]: key })))
      .sort((a, b) => {
        const ia = order.indexOf(a.key);
        const ib = order.indexOf(b.key);
        return ia !== ib ? (ia < 0 ? 1 : ib < 0 ? -1 : ia - ib) : b.count - a.count;
      });
  const byStatus = breakdown('status');
  const statusCount = (s: string) => byStatus.find((f) => f.key === s)?.count ?? 0;

  const seatsByStatus = sumBy(
    counts.seats,
    (s) => s.status,
    (s) => s.n,
  );
  const held = sumBy(
    counts.seats.filter((s) => HOLDING.has(s.status)),
    (s) => s.legId,
    (s) => s.n,
  );
  const seat = (s: string) => seatsByStatus.get(s) ?? 0;
  const allocated = [...HOLDING].reduce((sum, s) => sum + seat(s), 0);

  const caseStates = counts.cases.filter((c) => c.n > 0);
  const open = caseStates.filter((c) => OPEN.has(c.state)).reduce((s, c) => s + c.n, 0);
  const overdue = caseStates.filter((c) => OPEN.has(c.state)).reduce((s, c) => s + c.overdue, 0);

  const points = new Map<string, Figures['crossings'][number]>();
  for (const side of sides) {
    const point = points.get(side.pointId) ?? {
      id: side.pointId,
      name: side.pointName,
      link: '/crossings',
      sides: [],
    };
    point.sides.push({ name: side.sideName, status: side.status, changedAt: side.changedAt });
    points.set(side.pointId, point);
  }

  return {
    crisisId,
    day: o.day,
    zoneId: zone ?? null,
    from: o.from,
    to: o.to,
    generatedAt: o.now.toISOString(),
    registry: {
      total: figure('total', total, registry({})),
      verified: figure('verified', statusCount('verified'), registry({ status: 'verified' })),
      byZoneIntention,
      byZone,
      byIntention: breakdown('intention', INTENTIONS),
      byStatus,
      byEligibility: breakdown('eligibility', ['eligible', 'to_verify', 'not_eligible']),
    },
    onList: figure('onList', sources.onList, '/crossings'),
    movement: {
      allocated: figure('allocated', allocated, '/legs'),
      offered: figure('offered', seat('offered'), '/legs'),
      confirmed: figure('confirmed', seat('confirmed'), '/legs'),
      checkedIn: figure('checked_in', seat('checked_in'), '/legs'),
      boarded: figure('boarded', seat('boarded'), '/legs'),
      departed: figure(
        'departed',
        statusCount('departed') + statusCount('arrived'),
        registry({ status: 'departed,arrived' }),
      ),
    },
    crossings: [...points.values()],
    legs: legs.map((l) => ({
      id: l.id,
      name: l.name,
      kind: l.kind,
      status: l.status,
      departureAt: l.departureAt,
      capacity: l.capacity,
      held: held.get(l.id) ?? 0,
      fillRate: l.capacity > 0 ? Math.round(((held.get(l.id) ?? 0) / l.capacity) * 1000) / 1000 : null,
      link: `/legs/${l.id}`,
    })),
    cases: {
      open: figure('open', open, '/cases?queue=open'),
      overdue: figure('overdue', overdue, '/cases?queue=overdue'),
      byState: caseStates
        .sort((a, b) => caseOrder(a.state) - caseOrder(b.state))
        .map((c) => figure(c.state, c.n, `/cases?queue=all&state=${c.state}`)),
    },
    messages: {
      total: counts.messages.reduce((s, m) => s + m.n, 0),
      byStatus: counts.messages.sort((a, b) => b.n - a.n).map((m) => figure(m.status, m.n, null)),
    },
  };
}

const CASE_ORDER = [
  'new',
  'triaged',
  'in_progress',
  'waiting_person',
  'waiting_partner',
  'resolved',
  'closed',
];
const caseOrder = (s: string) => {
  const i = CASE_ORDER.indexOf(s);
  return i < 0 ? CASE_ORDER.length : i;
};

/** A snapshot row: one figure of one day. */
export interface SnapshotRow {
  metric: string;
  dimension: string;
  value: number;
}

/**
 * The rows a daily snapshot stores: persons by zone × intention × status and by zone ×
 * eligibility (so a zone's series can be read back), seats by status, cases by state and overdue,
 * messages by status, and the count on the day's approved lists.
 */
export function snapshotRows(sources: FigureSources): SnapshotRow[] {
  const rows: SnapshotRow[] = [];
  for (const [dimension, n] of sumBy(
    sources.cube,
    (c) => `${c.zoneId ?? '-'}|${c.intention}|${c.status}`,
    (c) => c.n,
  ))
    rows.push({ metric: 'persons', dimension, value: n });
  for (const [dimension, n] of sumBy(
    sources.cube,
    (c) => `${c.zoneId ?? '-'}|${c.eligibility}`,
    (c) => c.n,
  ))
    rows.push({ metric: 'persons_eligibility', dimension, value: n });
  for (const [status, n] of sumBy(
    sources.counts.seats,
    (s) => s.status,
    (s) => s.n,
  ))
    rows.push({ metric: 'seats', dimension: status, value: n });
  for (const c of sources.counts.cases) {
    rows.push({ metric: 'cases', dimension: c.state, value: c.n });
    if (OPEN.has(c.state) && c.overdue > 0)
      rows.push({ metric: 'cases_overdue', dimension: c.state, value: c.overdue });
  }
  for (const m of sources.counts.messages) rows.push({ metric: 'messages', dimension: m.status, value: m.n });
  rows.push({ metric: 'on_list', dimension: '', value: sources.onList });
  return rows;
}

/** Marks a snapshot that also stores seats, cases and the list zone by zone (value: zones). */
export const ZONES_SPLIT = 'zones_split';

/**
 * The rows a snapshot keeps for one zone, from sources read for that zone: seats by status, cases
 * by state and overdue, and the count on the day's lists, each keyed `zone|…` (`zone` for the list),
 * so a zone's past series shows them too. Persons are in the whole-crisis rows already (by zone).
 */
export function zoneSnapshotRows(zoneId: string, sources: FigureSources): SnapshotRow[] {
  const rows: SnapshotRow[] = [];
  for (const [status, n] of sumBy(
    sources.counts.seats,
    (s) => s.status,
    (s) => s.n,
  ))
    rows.push({ metric: 'zone_seats', dimension: `${zoneId}|${status}`, value: n });
  for (const c of sources.counts.cases) {
    rows.push({ metric: 'zone_cases', dimension: `${zoneId}|${c.state}`, value: c.n });
    if (OPEN.has(c.state) && c.overdue > 0)
      rows.push({ metric: 'zone_cases_overdue', dimension: `${zoneId}|${c.state}`, value: c.overdue });
  }
  rows.push({ metric: 'zone_on_list', dimension: zoneId, value: sources.onList });
  return rows;
}

/**
 * One day of the time series from its snapshot rows (or today's live rows). With a zone, the
 * registry series come from the cube's zone cells; seats, cases and the list from the zone's own
 * rows of a snapshot that has them (`ZONES_SPLIT`), or from live rows, which were read for the zone.
 * Snapshots taken before zones were split have them for the whole crisis only: null there, rather
 * than a whole-crisis number under a zone's name.
 */
export function seriesPoint(
  day: string,
  source: 'snapshot' | 'live',
  rows: SnapshotRow[],
  zoneId?: string,
): SeriesPoint {
  let registered = 0;
  const intentions: Record<string, number> = { leave: 0, stay: 0, undecided: 0 };
  let verified = 0;
  let departed = 0;
  const whole = { allocated: 0, openCases: 0, overdueCases: 0, onList: 0 };
  const zone = { allocated: 0, openCases: 0, overdueCases: 0, onList: 0 };
  let split = false;
  const inZone = (dimension: string) => dimension.slice(0, dimension.indexOf('|')) === zoneId;
  const last = (dimension: string) => dimension.slice(dimension.indexOf('|') + 1);
  for (const r of rows) {
    if (r.metric === 'persons') {
      const [zoneOf, intention, status] = r.dimension.split('|') as [string, string, string];
      if (zoneId && zoneOf !== zoneId) continue;
      registered += r.value;
      intentions[intention] = (intentions[intention] ?? 0) + r.value;
      if (status === 'verified') verified += r.value;
      if (status === 'departed' || status === 'arrived') departed += r.value;
    } else if (r.metric === 'seats' && HOLDING.has(r.dimension)) whole.allocated += r.value;
    else if (r.metric === 'cases' && OPEN.has(r.dimension)) whole.openCases += r.value;
    else if (r.metric === 'cases_overdue') whole.overdueCases += r.value;
    else if (r.metric === 'on_list') whole.onList += r.value;
    else if (r.metric === ZONES_SPLIT) split = true;
    else if (!zoneId) continue;
    else if (r.metric === 'zone_seats' && inZone(r.dimension) && HOLDING.has(last(r.dimension)))
      zone.allocated += r.value;
    else if (r.metric === 'zone_cases' && inZone(r.dimension) && OPEN.has(last(r.dimension)))
      zone.openCases += r.value;
    else if (r.metric === 'zone_cases_overdue' && inZone(r.dimension)) zone.overdueCases += r.value;
    else if (r.metric === 'zone_on_list' && r.dimension === zoneId) zone.onList += r.value;
  }
  const shown = !zoneId || source === 'live' ? whole : split ? zone : null;
  return {
    day,
    source,
    registered,
    leave: intentions.leave ?? 0,
    stay: intentions.stay ?? 0,
    undecided: intentions.undecided ?? 0,
    verified,
    departed,
    onList: shown ? shown.onList : null,
    allocated: shown ? shown.allocated : null,
    openCases: shown ? shown.openCases : null,
    overdueCases: shown ? shown.overdueCases : null,
  };
}

export const emptyPoint = (day: string): SeriesPoint => ({
  day,
  source: 'none',
  registered: null,
  leave: null,
  stay: null,
  undecided: null,
  verified: null,
  departed: null,
  onList: null,
  allocated: null,
  openCases: null,
  overdueCases: null,
});
