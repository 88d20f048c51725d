import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadHighs } from '../../lib/highs.js';
import { type LpRow, solveLp } from './lp.js';
import {
  type AxisInput,
  type ProtectInput,
  type ProtectRules,
  presentation,
  protect,
  roundTo,
} from './protect.js';
import type { FigureStyle, PublishedCell } from './types.js';

/**
 * These tests attack the publication the way an outsider would. The attacker is written here,
 * independently of the library: it knows the rules (k, the rounding base, the bands), every
 * published figure as an interval (a rounded 600 is 598…602; a positive published count is ≥ k),
 * and that counts are ≥ 0. It models the WHOLE population as one cross-classification over every
 * dimension (zone × intention × status …, plus the restricted count), not table by table, so
 * identities between linked tables are all available to it. With linear programming (HiGHS) it
 * computes the min and max of every hidden figure; a figure with a true count 1 … k − 1 must keep
 * an interval at least k wide, and the restricted count must keep an interval from 0 to ≥ k.
 */

const BANDS = [
  { key: 'few', from: 1 },
  { key: 'dozens', from: 10 },
  { key: 'hundreds', from: 100 },
  { key: 'thousands', from: 1000 },
] as const;

interface Dim {
  name: string;
  values: string[];
}

/** A synthetic population: counts per combination of every dimension's values. */
interface Population {
  dims: Dim[];
  /** counts[i] for the i-th combination (first dimension slowest). */
  counts: number[];
  restricted: number;
}

function combinations(dims: Dim[]): string[][] {
  return dims.reduce<string[][]>(
    (acc, d) => acc.flatMap((prefix) => d.values.map((v) => [...prefix, v])),
    [[]],
  );
}

const axis = (d: Dim, groups?: AxisInput['groups']): AxisInput => ({
  dimension: d.name,
  categories: d.values.map((v) => ({ key: v, label: v })),
  ...(groups ? { groups } : {}),
});

/** True count of the units matching `where` (absent dimension: any value). */
function trueCount(
  pop: Population,
  where: Record<string, readonly string[]>,
  withRestricted = false,
): number {
  const combos = combinations(pop.dims);
  let sum = withRestricted ? pop.restricted : 0;
  combos.forEach((combo, i) => {
    if (pop.dims.every((d, j) => !where[d.name] || where[d.name]!.includes(combo[j]!))) sum += pop.counts[i]!;
  });
  return sum;
}

/** The tables a crisis would publish from this population (1-D, 2-D with margins, a grouped axis). */
function tablesOf(pop: Population, styles: FigureStyle[], chain = false): ProtectInput['tables'] {
  const [zone, intention, status] = pop.dims as [Dim, Dim, Dim | undefined];
  const style = (i: number) => styles[i % styles.length]!;
  const tables: ProtectInput['tables'] = [
    { id: 'total', style: style(0), counts: [[trueCount(pop, {})]] },
    {
      id: 'zone',
      style: style(1),
      rows: axis(zone),
      counts: zone.values.map((z) => [trueCount(pop, { zone: [z] })]),
    },
    {
      id: 'intention',
      style: style(2),
      rows: axis(intention),
      counts: intention.values.map((v) => [trueCount(pop, { intention: [v] })]),
    },
    {
      id: 'zone_intention',
      style: style(3),
      rows: axis(zone),
      columns: axis(intention),
      counts: zone.values.map((z) =>
        intention.values.map((v) => trueCount(pop, { zone: [z], intention: [v] })),
      ),
    },
  ];
  if (status) {
    tables.push({
      id: 'status',
      style: style(4),
      rows: axis(status, [{ key: 'left', label: 'left', members: status.values.slice(0, 2) }]),
      counts: status.values.map((s) => [trueCount(pop, { status: [s] })]),
    });
    // A second two-way table sharing the intention margins: zone × intention and intention × status.
    if (chain) {
      tables.push({
        id: 'intention_status',
        style: style(5),
        rows: axis(intention),
        columns: axis(status),
        counts: intention.values.map((v) =>
          status.values.map((s) => trueCount(pop, { intention: [v], status: [s] })),
        ),
      });
    }
  }
  return tables;
}

interface Attack {
  key: string;
  truth: number;
  low: number;
  high: number | null;
}

/** The attacker: LP bounds of every hidden figure (and of the restricted count) over the whole cube. */
async function attack(
  pop: Population,
  figures: {
    key: string;
    where: Record<string, string[]>;
    includesRestricted: boolean;
    cell: PublishedCell;
  }[],
  withRestrictedVariable: boolean,
): Promise<{ hidden: Attack[]; restricted: Attack | null }> {
  const highs = await loadHighs();
  const combos = combinations(pop.dims);
  const r = combos.length; // index of the restricted count
  const columns = combos.length + (withRestrictedVariable ? 1 : 0);
  const entriesOf = (where: Record<string, readonly string[]>, withRestricted: boolean) => {
    const entries: [number, number][] = [];
    combos.forEach((combo, i) => {
      if (pop.dims.every((d, j) => !where[d.name] || where[d.name]!.includes(combo[j]!)))
        entries.push([i, 1]);
    });
    if (withRestricted && withRestrictedVariable) entries.push([r, 1]);
    return entries;
  };
  const rows: LpRow[] = [];
  for (const f of figures) {
    if (f.cell.status !== 'published') continue;
    rows.push({
      entries: entriesOf(f.where, f.includesRestricted),
      lower: f.cell.low,
      upper: f.cell.high ?? Number.POSITIVE_INFINITY,
    });
  }
  const bounds = (entries: [number, number][]) => {
    const cost = new Array<number>(columns).fill(0);
    for (const [i] of entries) cost[i] = 1;
    const lower = new Array<number>(columns).fill(0);
    const upper = new Array<number>(columns).fill(Number.POSITIVE_INFINITY);
    const min = solveLp(highs, { columns, cost, lower, upper, rows, sense: 'min' });
    const max = solveLp(highs, { columns, cost, lower, upper, rows, sense: 'max' });
    if (min.status !== 'optimal') throw new Error('The published figures contradict the truth.');
    return {
      low: Math.max(0, Math.ceil(min.objective - 1e-6)),
      high: max.status === 'optimal' ? Math.floor(max.objective + 1e-6) : null,
    };
  };
  const hidden: Attack[] = [];
  for (const f of figures) {
    if (f.cell.status === 'published') continue;
    hidden.push({
      key: f.key,
      truth: trueCount(pop, f.where, f.includesRestricted),
      ...bounds(entriesOf(f.where, f.includesRestricted)),
    });
  }
  const restricted = withRestrictedVariable
    ? { key: 'restricted', truth: pop.restricted, ...bounds([[r, 1]]) }
    : null;
  return { hidden, restricted };
}

const width = (a: { low: number; high: number | null }) =>
  a.high === null ? Number.POSITIVE_INFINITY : a.high - a.low;

/** Protects, then attacks, and checks every promise of the library. */
async function protectAndAttack(
  pop: Population,
  rules: ProtectRules,
  styles: FigureStyle[] = ['rounded'],
  chain = false,
) {
  const k = rules.minCount;
  const withRestricted = rules.restricted === 'total_only';
  const result = await protect(
    { tables: tablesOf(pop, styles, chain), ...(withRestricted ? { restrictedCount: pop.restricted } : {}) },
    rules,
  );
  // No published figure is a small count, and every published interval holds the truth.
  for (const f of result.figures) {
    const truth = trueCount(pop, f.where, f.includesRestricted);
    if (f.cell.status === 'published') {
      expect(truth >= 1 && truth < k, `${f.key} = ${truth} published`).toBe(false);
      expect(truth).toBeGreaterThanOrEqual(f.cell.low);
      if (f.cell.high !== null) expect(truth).toBeLessThanOrEqual(f.cell.high);
    }
  }
  // The same figure reads the same in every table.
  const seen = new Map<string, string>();
  for (const f of result.figures) {
    const text = JSON.stringify(f.cell.status === 'published' ? [f.cell.value, f.cell.band] : 'hidden');
    expect(seen.get(f.key) ?? text).toBe(text);
    seen.set(f.key, text);
  }
  // Without restricted persons in the mode 'exclude', no figure may count them.
  if (!withRestricted) expect(result.figures.every((f) => !f.includesRestricted)).toBe(true);
  const { hidden, restricted } = await attack(pop, result.figures, withRestricted);
  for (const a of hidden) {
    if (a.truth >= 1 && a.truth < k) {
      expect(width(a), `${a.key} = ${a.truth} pinned to [${a.low}, ${a.high}]`).toBeGreaterThanOrEqual(k);
    }
  }
  if (restricted) {
    expect(restricted.low, `restricted ${restricted.truth} ≥ ${restricted.low}`).toBe(0);
    expect(width(restricted), `restricted within [0, ${restricted.high}]`).toBeGreaterThanOrEqual(k);
  }
  return { result, hidden, restricted };
}

const ZONES = ['gaza_city', 'khan_younis', 'rafah', 'deir_al_balah'];
const INTENTIONS = ['leave', 'stay', 'undecided'];
const STATUSES = ['departed', 'arrived', 'registered'];

function population(
  zoneCount: number,
  intentionCount: number,
  statusCount: number,
  counts: number[],
  restricted = 0,
): Population {
  const dims: Dim[] = [
    { name: 'zone', values: ZONES.slice(0, zoneCount) },
    { name: 'intention', values: INTENTIONS.slice(0, intentionCount) },
  ];
  if (statusCount > 0) dims.push({ name: 'status', values: STATUSES.slice(0, statusCount) });
  const size = zoneCount * intentionCount * Math.max(1, statusCount);
  return { dims, counts: Array.from({ length: size }, (_, i) => counts[i % counts.length] ?? 0), restricted };
}

const rules = (over: Partial<ProtectRules> = {}): ProtectRules => ({
  minCount: 10,
  roundingBase: 5,
  bands: BANDS.map((b) => ({ ...b })),
  restricted: 'exclude',
  ...over,
});

describe('rounding and bands', () => {
  it('rounds to the nearest multiple, ties up, and derives the interval an attacker reads', () => {
    expect(roundTo(12, 5)).toBe(10);
    expect(roundTo(13, 5)).toBe(15);
    expect(roundTo(597, 10)).toBe(600);
    expect(roundTo(595, 10)).toBe(600);
    const r = rules();
    expect(presentation(12, 'rounded', r)).toMatchObject({ value: 10, low: 10, high: 12, band: 'dozens' });
    expect(presentation(603, 'rounded', { ...r, roundingBase: 10 })).toMatchObject({
      value: 600,
      low: 595,
      high: 604,
    });
    expect(presentation(640, 'band', r)).toMatchObject({
      value: null,
      band: 'hundreds',
      low: 100,
      high: 999,
    });
    expect(presentation(12_000, 'band', r)).toMatchObject({ band: 'thousands', low: 1000, high: null });
    expect(presentation(0, 'rounded', r)).toMatchObject({ value: 0, low: 0, high: 0, band: null });
  });

  it('never shows a small count as a number, whatever the rounding base', async () => {
    for (const base of [1, 5, 10, 20]) {
      const pop = population(2, 2, 0, [1, 9, 10, 0]);
      const { result } = await protectAndAttack(pop, rules({ roundingBase: base }));
      const values = result.figures.flatMap((f) => (f.cell.status === 'published' ? [f.cell.value] : []));
      expect(values.every((v) => v === 0 || (v ?? 10) >= 10 - base / 2)).toBe(true);
    }
  });

  it('refuses a cycle of two-way tables, which its model could not protect against', async () => {
    const two = (id: string, a: string, b: string): ProtectInput['tables'][number] => ({
      id,
      style: 'rounded',
      rows: axis({ name: a, values: ['x', 'y'] }),
      columns: axis({ name: b, values: ['x', 'y'] }),
      counts: [
        [20, 20],
        [20, 20],
      ],
    });
    await expect(
      protect({ tables: [two('ab', 'a', 'b'), two('bc', 'b', 'c'), two('ca', 'c', 'a')] }, rules()),
    ).rejects.toThrow(/cycle/);
    const chain = await protect({ tables: [two('ab', 'a', 'b'), two('bc', 'b', 'c')] }, rules());
    expect(chain.tables).toHaveLength(2);
  });

  it('refuses rules under which a publishable count could round to zero', async () => {
    await expect(protect({ tables: [] }, rules({ minCount: 3, roundingBase: 10 }))).rejects.toThrow(
      /roundingBase/,
    );
  });
});

describe('the attacker itself', () => {
  it('pins down a small cell when only primary suppression is applied (it is a real attacker)', async () => {
    const pop = population(3, 1, 0, [3, 50, 40]);
    const cell = (value: number) => presentation(value, 'rounded', rules({ roundingBase: 1 }));
    const naive: Parameters<typeof attack>[1] = [
      {
        key: 'zone=gaza_city',
        where: { zone: ['gaza_city'] },
        includesRestricted: false,
        cell: { status: 'suppressed' } as const,
      },
      {
        key: 'zone=khan_younis',
        where: { zone: ['khan_younis'] },
        includesRestricted: false,
        cell: cell(50),
      },
      { key: 'zone=rafah', where: { zone: ['rafah'] }, includesRestricted: false, cell: cell(40) },
      { key: 'total', where: {}, includesRestricted: false, cell: cell(93) },
    ];
    const { hidden } = await attack(pop, naive, false);
    expect(hidden).toEqual([{ key: 'zone=gaza_city', truth: 3, low: 3, high: 3 }]);
  });

  it('derives the restricted count from a total with them and a total without them', async () => {
    const pop = { ...population(2, 1, 0, [30, 40]), restricted: 2 };
    const cell = (value: number) => presentation(value, 'rounded', rules({ roundingBase: 5 }));
    const naive: Parameters<typeof attack>[1] = [
      { key: 'overall', where: {}, includesRestricted: true, cell: cell(72) },
      { key: 'total', where: {}, includesRestricted: false, cell: cell(70) },
    ];
    const { restricted } = await attack(pop, naive, true);
    expect(restricted!.high).toBeLessThan(10);
  });
});

describe('hand-made tables that try to break it', () => {
  it('a single small cell in a one-way table gets a complement (the total alone would give it away)', async () => {
    const pop = population(3, 1, 0, [3, 50, 40]);
    const { result, hidden } = await protectAndAttack(pop, rules({ roundingBase: 1 }));
    const zone = result.tables.find((t) => t.id === 'zone')!;
    expect(zone.cells.map((r) => r[0]!.status)).toEqual(['suppressed', 'published', 'suppressed']);
    expect(zone.cells[2]![0]).toEqual({ status: 'suppressed', reason: 'complement' });
    expect(zone.grandTotal).toMatchObject({ status: 'published', value: 93 });
    expect(hidden.find((a) => a.key === 'zone=gaza_city')!.low).toBe(0);
  });

  it('two small cells in one row do not protect each other when their sum is small', async () => {
    // Row gaza_city: 2 + 3 (+ 0): with the row margin 5 hidden too, the column margins still bound them.
    const pop = population(2, 3, 0, [2, 3, 0, 40, 60, 30]);
    const { hidden } = await protectAndAttack(pop, rules({ roundingBase: 1 }));
    expect(hidden.filter((a) => a.truth >= 1 && a.truth < 10).length).toBeGreaterThanOrEqual(3);
  });

  it('a small cell whose neighbours are zeros', async () => {
    await protectAndAttack(population(3, 3, 0, [4, 0, 0, 0, 0, 0, 30, 0, 25]), rules({ roundingBase: 1 }));
  });

  it('a whole population smaller than k shows nothing but zeros', async () => {
    const { result } = await protectAndAttack(population(2, 2, 2, [1, 0, 2, 0, 0, 1, 0, 3]), rules());
    for (const f of result.figures) {
      if (f.cell.status === 'published') expect(f.cell.value).toBe(0);
    }
  });

  it('linked tables: a total hidden in one table is not given away by the sum of another', async () => {
    // The total is 45 (not small), the zone table hides a 3 and its complement; the status table
    // publishes every cell. The attacker subtracts the status cells from nothing: the total is
    // published the same everywhere, and the zone cells stay protected.
    const pop = population(3, 1, 3, [1, 1, 1, 20, 10, 2, 5, 3, 2]);
    const { result } = await protectAndAttack(pop, rules({ roundingBase: 1 }));
    const totals = result.tables.map((t) => JSON.stringify(t.grandTotal));
    expect(new Set(totals).size).toBe(1);
  });

  it('a rounded 2-D table with margins where every row has one small cell', async () => {
    await protectAndAttack(
      population(4, 3, 0, [5, 30, 25, 12, 4, 40, 33, 18, 7, 2, 50, 22]),
      rules({ roundingBase: 10 }),
    );
  });

  it('hierarchical axis: a group row (departed = departed + arrived) does not reveal its small member', async () => {
    const pop = population(2, 1, 3, [2, 30, 40, 3, 25, 35]);
    const { result } = await protectAndAttack(pop, rules({ roundingBase: 1 }));
    const status = result.tables.find((t) => t.id === 'status')!;
    expect(status.rows.map((r) => r.key)).toEqual(['departed', 'arrived', 'registered', 'left']);
    expect(status.cells[0]![0]!.status).toBe('suppressed');
  });

  it('two linked two-way tables (zone × intention, intention × status) against the whole-population attacker', async () => {
    await protectAndAttack(
      population(
        3,
        3,
        3,
        [2, 0, 14, 30, 7, 1, 33, 0, 9, 12, 3, 0, 25, 4, 11, 0, 6, 40, 1, 18, 2, 0, 27, 5, 0, 13, 8],
      ),
      rules({ roundingBase: 1 }),
      ['rounded'],
      true,
    );
  });

  it('bands only: intervals are wide, and still no small count leaks', async () => {
    await protectAndAttack(population(3, 3, 2, [3, 0, 14, 120, 7, 1, 33, 0, 9]), rules(), ['band']);
  });
});

describe('restricted persons', () => {
  it('excluded entirely by default: no figure counts them', async () => {
    const pop = population(2, 2, 0, [30, 40, 25, 60], 3);
    const { result } = await protectAndAttack(pop, rules());
    expect(result.tables.some((t) => t.id === 'overall')).toBe(false);
    expect(result.tables.find((t) => t.id === 'total')!.grandTotal).toMatchObject({ value: 155 });
  });

  it('as a protected overall total: the total without them is never published and their number cannot be derived', async () => {
    for (const restricted of [0, 1, 2, 6, 15]) {
      const pop = population(3, 2, 2, [30, 40, 25, 60, 12, 18, 20, 11, 35, 9, 14, 50], restricted);
      const { result, restricted: attackOnR } = await protectAndAttack(
        pop,
        rules({ restricted: 'total_only' }),
      );
      expect(result.tables[0]!.id).toBe('overall');
      expect(result.tables.find((t) => t.id === 'total')!.grandTotal).toEqual({
        status: 'suppressed',
        reason: 'restricted',
      });
      expect(attackOnR!.low).toBe(0);
    }
  });

  it('the breakdowns do not depend on how many restricted persons there are', async () => {
    const patterns = new Set<string>();
    for (const restricted of [0, 1, 4, 9]) {
      const pop = population(3, 2, 0, [30, 40, 25, 60, 12, 18], restricted);
      const { result } = await protectAndAttack(pop, rules({ restricted: 'total_only' }));
      patterns.add(JSON.stringify(result.tables.filter((t) => t.id !== 'overall')));
    }
    expect(patterns.size).toBe(1);
  });
});

describe('random tables (fast-check)', () => {
  const cellCount = fc.oneof(
    { weight: 3, arbitrary: fc.constant(0) },
    { weight: 4, arbitrary: fc.integer({ min: 1, max: 9 }) },
    { weight: 3, arbitrary: fc.integer({ min: 10, max: 80 }) },
  );
  const scenario = fc.record({
    zones: fc.integer({ min: 2, max: 4 }),
    intentions: fc.integer({ min: 2, max: 3 }),
    statuses: fc.integer({ min: 0, max: 3 }),
    counts: fc.array(cellCount, { minLength: 36, maxLength: 36 }),
    restricted: fc.integer({ min: 0, max: 12 }),
    minCount: fc.constantFrom(3, 5, 10),
    baseFactor: fc.constantFrom(0, 0.5, 1, 2),
    mode: fc.constantFrom('exclude' as const, 'total_only' as const),
    styles: fc.array(fc.constantFrom<FigureStyle>('rounded', 'band'), { minLength: 1, maxLength: 3 }),
    chain: fc.boolean(),
  });

  it('no small count and no restricted count can be derived from all published figures together', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const statuses = s.statuses === 1 ? 2 : s.statuses;
        const pop = population(s.zones, s.intentions, statuses, s.counts, s.restricted);
        const base = Math.max(1, Math.floor(s.minCount * s.baseFactor));
        await protectAndAttack(
          pop,
          rules({ minCount: s.minCount, roundingBase: base, restricted: s.mode }),
          s.styles,
          s.chain,
        );
      }),
      { numRuns: 200, seed: 20231107 },
    );
  }, 30_000);
});
