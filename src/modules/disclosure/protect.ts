/**
 * The disclosure library (pure: no database, no clock). It turns true counts into a publication:
 *
 *  1. every table becomes a set of FIGURES (interior cells, row and column margins, group rows of
 *     hierarchical axes, the grand total), named by what they count ("zone=a&intention=leave");
 *     a figure shared by several tables (the total, the zone margins…) is ONE figure: same value,
 *     same status everywhere;
 *  2. primary suppression: every figure whose count is 1 … k − 1;
 *  3. complementary suppression, per sensitive figure s, by linear programming: find the cheapest
 *     set of published figures to hide so that the counts can move (staying ≥ 0, keeping every
 *     published figure and every identity between tables) to put s at 0 and at k — then nobody can
 *     narrow s below a width of k. The cost of hiding a figure is its count + 1 (least information
 *     lost: small cells first; a grand total costs 100 times more);
 *  4. rounding / banding of what is published;
 *  5. an audit with the attacker's own model (see `auditFigures`): min and max of each sensitive
 *     figure over every table of counts ≥ 0 that agrees with all published intervals. A figure not
 *     protected after the audit triggers more suppression (wider moves, then its whole tables,
 *     then everything), so the result is always protected under that model.
 *
 * Restricted persons (hostages, missing) in `total_only` mode are one extra hidden count r that
 * only the `overall` figure includes: r is always treated as sensitive, whatever its value, and
 * must keep an attacker interval from 0 to at least k; the total without them is never published.
 */

import type { Highs } from 'highs';
import { loadHighs } from '../../lib/highs.js';
import { type LpRow, solveLp } from './lp.js';
import type {
  Band,
  BandKey,
  DisclosureRules,
  FigureStyle,
  PublishedCategory,
  PublishedCell,
  PublishedTable,
  SuppressionReason,
} from './types.js';

export interface AxisInput {
  dimension: string;
  /** The values of the dimension, in display order. Every unit of the population has exactly one. */
  categories: { key: string; label: string }[];
  /** Extra rows summing several values (hierarchical tables), e.g. departed = departed + arrived. */
  groups?: { key: string; label: string; members: string[] }[];
}

export interface TableInput {
  id: string;
  style: FigureStyle;
  /** Absent: a table of one total. */
  rows?: AxisInput;
  /** Only with rows: a two-way table. */
  columns?: AxisInput;
  /** True counts of the finest cells: counts[row value][column value] (1-D: one column; total: [[n]]). */
  counts: number[][];
}

export interface ProtectInput {
  tables: TableInput[];
  /** Restricted persons, counted only in the `overall` table when rules.restricted is 'total_only'. */
  restrictedCount?: number;
}

/** The rule parameters the library needs. */
export type ProtectRules = Pick<DisclosureRules, 'minCount' | 'roundingBase' | 'bands' | 'restricted'>;

/** A figure of the publication with the dimension values it counts (absent dimension: all values). */
export interface FigureView {
  key: string;
  where: Record<string, string[]>;
  /** Counts the restricted persons too (the `overall` figure). */
  includesRestricted: boolean;
  cell: PublishedCell;
}

export interface ProtectResult {
  /** Tables in input order (+ `overall` first in total_only mode); suppressed cells carry their reason. */
  tables: PublishedTable[];
  figures: FigureView[];
  /** Attacker intervals of the sensitive figures after protection (for the audit trail and tests). */
  audit: { key: string; low: number; high: number | null }[];
}

export const OVERALL = 'overall';
const TOTAL_KEY = 'total';
const HIDDEN_KEY = '*restricted';
const EPS = 1e-6;
/** Cost multiplier for hiding a grand total in complement selection. */
const TOTAL_WEIGHT = 100;

type State = 'published' | SuppressionReason;

interface Figure {
  key: string;
  where: Record<string, string[]>;
  includesRestricted: boolean;
  value: number;
  /** Definitions: variable index lists, one per table that shows the figure. */
  defs: number[][];
  state: State;
  styles: Set<FigureStyle>;
  /** Sensitive: must keep an attacker interval of width ≥ k (small counts, the restricted count). */
  sensitive: boolean;
  published?: Extract<PublishedCell, { status: 'published' }>;
}

interface Model {
  values: number[];
  /** Index of the restricted count variable, or −1. */
  hidden: number;
  figures: Map<string, Figure>;
  layouts: Layout[];
}

interface Entry {
  key: string;
  label: string;
  members: string[];
  indices: number[];
}

interface Layout {
  id: string;
  style: FigureStyle;
  rowDimension: string | null;
  columnDimension: string | null;
  rows: Entry[];
  columns: Entry[];
  cells: string[][];
  rowTotals: string[] | null;
  columnTotals: string[] | null;
  grandTotal: string;
}

// ── Rules arithmetic ─────────────────────────────────────────────────────────────────────────────

/** Nearest multiple of `base`, ties up. */
export const roundTo = (value: number, base: number): number => Math.floor((value + base / 2) / base) * base;

/** The band a count falls in (null below the first band). */
export function bandOf(value: number, bands: readonly Band[]): { band: Band; next: number | null } | null {
  let found: { band: Band; next: number | null } | null = null;
  bands.forEach((band, i) => {
    if (value >= band.from) found = { band, next: bands[i + 1]?.from ?? null };
  });
  return found;
}

/** Checks the rules the library relies on; returns the problems (empty when fine). */
export function ruleProblems(rules: ProtectRules): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (!Number.isInteger(rules.minCount) || rules.minCount < 2)
    problems.push({ field: 'minCount', message: 'The minimum count must be a whole number of at least 2.' });
  if (!Number.isInteger(rules.roundingBase) || rules.roundingBase < 1)
    problems.push({
      field: 'roundingBase',
      message: 'The rounding base must be a whole number of at least 1.',
    });
  else if (rules.roundingBase > 2 * rules.minCount)
    problems.push({
      field: 'roundingBase',
      message:
        'The rounding base may be at most twice the minimum count (a publishable count must never round to 0).',
    });
  if (rules.bands.length === 0) problems.push({ field: 'bands', message: 'Give at least one band.' });
  rules.bands.forEach((band, i) => {
    if (!Number.isInteger(band.from) || band.from < 1)
      problems.push({ field: `bands.${i}.from`, message: 'A band starts at a whole number of at least 1.' });
    else if (i > 0 && band.from <= rules.bands[i - 1]!.from)
      problems.push({ field: `bands.${i}.from`, message: 'Bands must start at increasing counts.' });
  });
  const keys = rules.bands.map((b) => b.key);
  if (new Set(keys).size !== keys.length)
    problems.push({ field: 'bands', message: 'Each band may appear once.' });
  return problems;
}

// ── Building the model ───────────────────────────────────────────────────────────────────────────

function entriesOf(axis: AxisInput): Entry[] {
  const index = new Map(axis.categories.map((c, i) => [c.key, i]));
  const entries: Entry[] = axis.categories.map((c, i) => ({
    key: c.key,
    label: c.label,
    members: [c.key],
    indices: [i],
  }));
  for (const g of axis.groups ?? []) {
    const indices = g.members.map((m) => {
      const i = index.get(m);
      if (i === undefined)
        throw new Error(`Group ${g.key} of ${axis.dimension} names an unknown value ${m}.`);
      return i;
    });
    entries.push({ key: g.key, label: g.label, members: [...g.members], indices });
  }
  return entries;
}

/** Canonical name of "the units whose dimension values are among these", all-values dimensions dropped. */
export function figureKey(where: Record<string, readonly string[]>): string {
  const parts = Object.keys(where)
    .sort()
    .map((d) => `${d}=${[...where[d]!].sort().join('|')}`);
  return parts.length ? parts.join('&') : TOTAL_KEY;
}

/**
 * The model links tables only through the figures they share, which equals the attacker's model
 * of the whole population (one cross-classification of every dimension) when the two-way tables
 * form no cycle of dimensions (zone × intention, intention × status and status × zone would).
 * Such a set of tables is refused rather than protected with a model weaker than the attacker.
 */
function checkDecomposable(tables: readonly TableInput[]): void {
  const parent = new Map<string, string>();
  const find = (d: string): string => {
    let root = d;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
    parent.set(d, root);
    return root;
  };
  const seen = new Set<string>();
  for (const t of tables) {
    if (!t.rows || !t.columns) continue;
    const pair = [t.rows.dimension, t.columns.dimension].sort().join('\u0000');
    if (t.rows.dimension === t.columns.dimension)
      throw new Error(`Table ${t.id} crosses a dimension with itself.`);
    if (seen.has(pair)) continue;
    seen.add(pair);
    const a = find(t.rows.dimension);
    const b = find(t.columns.dimension);
    if (a === b)
      throw new Error(`Table ${t.id} closes a cycle of two-way tables; publish fewer cross tabulations.`);
    parent.set(a, b);
  }
}

function buildModel(input: ProtectInput, rules: ProtectRules): Model {
  checkDecomposable(input.tables);
  const values: number[] = [];
  const figures = new Map<string, Figure>();
  const layouts: Layout[] = [];
  const dimensionValues = new Map<string, string>();
  let firstTableVariables: number[] | null = null;

  const addDefinition = (
    where: Record<string, string[]>,
    vars: number[],
    style: FigureStyle,
    includesRestricted = false,
    key = figureKey(where),
  ): string => {
    const value = vars.reduce((sum, v) => sum + values[v]!, 0);
    const existing = figures.get(key);
    if (existing) {
      if (existing.value !== value)
        throw new Error(
          `Tables disagree on ${key}: ${existing.value} and ${value} (not the same population).`,
        );
      existing.defs.push(vars);
      existing.styles.add(style);
      return key;
    }
    figures.set(key, {
      key,
      where,
      includesRestricted,
      value,
      defs: [vars],
      state: 'published',
      styles: new Set([style]),
      sensitive: false,
    });
    return key;
  };

  for (const table of input.tables) {
    const rowAxis = table.rows;
    const colAxis = rowAxis ? table.columns : undefined;
    if (table.columns && !rowAxis) throw new Error(`Table ${table.id} has columns without rows.`);
    for (const axis of [rowAxis, colAxis]) {
      if (!axis) continue;
      const signature = axis.categories.map((c) => c.key).join('\u0000');
      const known = dimensionValues.get(axis.dimension);
      if (known !== undefined && known !== signature)
        throw new Error(`Dimension ${axis.dimension} has different values in different tables.`);
      dimensionValues.set(axis.dimension, signature);
      if (axis.categories.length === 0) throw new Error(`Dimension ${axis.dimension} has no values.`);
    }
    const R = rowAxis ? rowAxis.categories.length : 1;
    const C = colAxis ? colAxis.categories.length : 1;
    if (table.counts.length !== R || table.counts.some((row) => row.length !== C))
      throw new Error(`Table ${table.id}: counts must be ${R} × ${C}.`);
    const base = values.length;
    for (const row of table.counts)
      for (const n of row) {
        if (!Number.isInteger(n) || n < 0)
          throw new Error(`Table ${table.id}: counts must be whole numbers ≥ 0.`);
        values.push(n);
      }
    const all = (n: number) => Array.from({ length: n }, (_, i) => i);
    const varsOf = (ri: number[], ci: number[]) => ri.flatMap((r) => ci.map((c) => base + r * C + c));
    if (!firstTableVariables) firstTableVariables = varsOf(all(R), all(C));

    const rows = rowAxis ? entriesOf(rowAxis) : [];
    const columns = colAxis ? entriesOf(colAxis) : [];
    const restrict = (axis: AxisInput | undefined, entry: Entry | null): Record<string, string[]> =>
      axis && entry && entry.members.length < axis.categories.length
        ? { [axis.dimension]: entry.members }
        : {};
    const whereOf = (r: Entry | null, c: Entry | null) => ({
      ...restrict(rowAxis, r),
      ...restrict(colAxis, c),
    });

    const grandTotal = addDefinition({}, varsOf(all(R), all(C)), table.style);
    let cells: string[][] = [];
    let rowTotals: string[] | null = null;
    let columnTotals: string[] | null = null;
    if (rowAxis && colAxis) {
      cells = rows.map((r) =>
        columns.map((c) => addDefinition(whereOf(r, c), varsOf(r.indices, c.indices), table.style)),
      );
      rowTotals = rows.map((r) => addDefinition(whereOf(r, null), varsOf(r.indices, all(C)), table.style));
      columnTotals = columns.map((c) =>
        addDefinition(whereOf(null, c), varsOf(all(R), c.indices), table.style),
      );
    } else if (rowAxis) {
      cells = rows.map((r) => [addDefinition(whereOf(r, null), varsOf(r.indices, [0]), table.style)]);
    }
    layouts.push({
      id: table.id,
      style: table.style,
      rowDimension: rowAxis?.dimension ?? null,
      columnDimension: colAxis?.dimension ?? null,
      rows,
      columns,
      cells,
      rowTotals,
      columnTotals,
      grandTotal,
    });
  }

  let hidden = -1;
  if (rules.restricted === 'total_only' && input.restrictedCount !== undefined && firstTableVariables) {
    const r = input.restrictedCount;
    if (!Number.isInteger(r) || r < 0) throw new Error('The restricted count must be a whole number ≥ 0.');
    hidden = values.length;
    values.push(r);
    const overallStyle = input.tables.find((t) => t.id === TOTAL_KEY)?.style ?? 'rounded';
    const overall = addDefinition({}, [...firstTableVariables, hidden], overallStyle, true, OVERALL);
    addDefinition({}, [hidden], overallStyle, true, HIDDEN_KEY);
    const h = figures.get(HIDDEN_KEY)!;
    h.state = 'restricted';
    h.sensitive = true;
    const total = figures.get(TOTAL_KEY);
    if (total) total.state = 'restricted';
    layouts.unshift({
      id: OVERALL,
      style: overallStyle,
      rowDimension: null,
      columnDimension: null,
      rows: [],
      columns: [],
      cells: [],
      rowTotals: null,
      columnTotals: null,
      grandTotal: overall,
    });
  }
  return { values, hidden, figures, layouts };
}

// ── Publication intervals ────────────────────────────────────────────────────────────────────────

/** What a figure publishes and the interval [low, high] an attacker deduces from it (knowing the rules). */
export function presentation(
  value: number,
  style: FigureStyle,
  rules: Pick<ProtectRules, 'minCount' | 'roundingBase' | 'bands'>,
): Extract<PublishedCell, { status: 'published' }> {
  if (value === 0) return { status: 'published', value: 0, band: null, style, low: 0, high: 0 };
  const k = rules.minCount;
  const b = rules.roundingBase;
  if (style === 'rounded') {
    const v = roundTo(value, b);
    const low = Math.max(k, Math.ceil(v - b / 2));
    const high = Math.ceil(v + b / 2) - 1;
    return {
      status: 'published',
      value: v,
      band: bandOf(v, rules.bands)?.band.key ?? null,
      style,
      low,
      high,
    };
  }
  const found = bandOf(value, rules.bands);
  if (!found) throw new Error(`No band holds ${value}.`);
  return {
    status: 'published',
    value: null,
    band: found.band.key,
    style,
    low: Math.max(k, found.band.from),
    high: found.next === null ? null : found.next - 1,
  };
}

const styleOf = (f: Figure): FigureStyle => (f.styles.has('rounded') ? 'rounded' : 'band');

// ── Linear programmes ────────────────────────────────────────────────────────────────────────────

/** Rows saying that every definition of a figure counts the same units. */
function identityRows(model: Pick<Model, 'figures'>, column: (v: number) => number): LpRow[] {
  const rows: LpRow[] = [];
  for (const f of model.figures.values()) {
    const [first, ...others] = f.defs;
    for (const other of others) {
      rows.push({
        entries: [
          ...other.map((v) => [column(v), 1] as const),
          ...first!.map((v) => [column(v), -1] as const),
        ],
        lower: 0,
        upper: 0,
      });
    }
  }
  return rows;
}

/**
 * The attacker: for each figure in `targets`, the min and max it can take over all non-negative
 * counts consistent with every published interval and every identity between tables (integer
 * bounds: the LP optimum rounded inwards). `high` is null when unbounded.
 */
function attackIntervals(
  highs: Highs,
  model: Pick<Model, 'values' | 'figures'>,
  targets: readonly string[],
): Map<string, { low: number; high: number | null }> {
  const n = model.values.length;
  const rows: LpRow[] = identityRows(model, (v) => v);
  for (const f of model.figures.values()) {
    if (f.state !== 'published' || !f.published) continue;
    rows.push({
      entries: f.defs[0]!.map((v) => [v, 1] as const),
      lower: f.published.low,
      upper: f.published.high ?? Number.POSITIVE_INFINITY,
    });
  }
  const out = new Map<string, { low: number; high: number | null }>();
  for (const key of targets) {
    const f = model.figures.get(key)!;
    const cost = new Array<number>(n).fill(0);
    for (const v of f.defs[0]!) cost[v] = (cost[v] ?? 0) + 1;
    const lower = new Array<number>(n).fill(0);
    const upper = new Array<number>(n).fill(Number.POSITIVE_INFINITY);
    const min = solveLp(highs, { columns: n, cost, lower, upper, rows, sense: 'min' });
    const max = solveLp(highs, { columns: n, cost, lower, upper, rows, sense: 'max' });
    if (min.status !== 'optimal')
      throw new Error(`Attack on ${key}: the published figures are inconsistent.`);
    out.set(key, {
      low: Math.max(0, Math.ceil(min.objective - EPS)),
      high: max.status === 'optimal' ? Math.floor(max.objective + EPS) : null,
    });
  }
  return out;
}

/**
 * Complement selection for one sensitive figure: the cheapest change of the counts (each hidden
 * published figure costs (count + 1) per unit it moves) that moves `target` by `amount` while the
 * counts stay ≥ 0 and every still-published figure stays put. The figures that move are returned.
 */
function complementsFor(highs: Highs, model: Model, target: Figure, amount: number): string[] | null {
  const n = model.values.length;
  const published = [...model.figures.values()].filter((f) => f.state === 'published');
  // Columns: y (n), then u+ and u− per published figure.
  const columns = n + 2 * published.length;
  const cost = new Array<number>(columns).fill(0);
  const lower = new Array<number>(columns).fill(0);
  const upper = new Array<number>(columns).fill(Number.POSITIVE_INFINITY);
  for (let v = 0; v < n; v += 1) lower[v] = v === model.hidden ? Number.NEGATIVE_INFINITY : -model.values[v]!;
  const rows: LpRow[] = identityRows(model, (v) => v);
  published.forEach((f, i) => {
    const plus = n + 2 * i;
    // Hiding a grand total (or the overall figure) loses the most: only as a last resort.
    const weight = (f.value + 1) * (f.key === TOTAL_KEY || f.key === OVERALL ? TOTAL_WEIGHT : 1);
    cost[plus] = weight;
    cost[plus + 1] = weight;
    rows.push({
      entries: [...f.defs[0]!.map((v) => [v, 1] as const), [plus, -1], [plus + 1, 1]],
      lower: 0,
      upper: 0,
    });
  });
  rows.push({ entries: target.defs[0]!.map((v) => [v, 1] as const), lower: amount, upper: amount });
  const result = solveLp(highs, { columns, cost, lower, upper, rows, sense: 'min' });
  if (result.status !== 'optimal') return null;
  return published.filter((_, i) => result.x[n + 2 * i]! + result.x[n + 2 * i + 1]! > EPS).map((f) => f.key);
}

const isProtected = (f: Figure, interval: { low: number; high: number | null }, k: number): boolean => {
  const width = interval.high === null ? Number.POSITIVE_INFINITY : interval.high - interval.low;
  if (f.key === HIDDEN_KEY) return interval.low === 0 && width >= k;
  return width >= k;
};

function refreshPresentations(model: Model, rules: ProtectRules): void {
  for (const f of model.figures.values()) {
    f.published = f.state === 'published' ? presentation(f.value, styleOf(f), rules) : undefined;
  }
}

/** Protects a set of tables of one population under the rules. */
export async function protect(input: ProtectInput, rules: ProtectRules): Promise<ProtectResult> {
  const problems = ruleProblems(rules);
  if (problems.length) throw new Error(problems.map((p) => `${p.field}: ${p.message}`).join(' '));
  const highs = await loadHighs();
  const model = buildModel(input, rules);
  const k = rules.minCount;

  // Primary suppression.
  for (const f of model.figures.values()) {
    if (f.key === HIDDEN_KEY) continue;
    if (f.value >= 1 && f.value < k) {
      f.state = 'small';
      f.sensitive = true;
    }
  }
  const sensitive = [...model.figures.values()]
    .filter((f) => f.sensitive)
    .sort((a, b) => a.value - b.value || a.key.localeCompare(b.key));
  // Moves of the restricted count are sized from the total WITHOUT them, so that the choice of
  // complements does not depend on how many restricted persons there are.
  const withoutRestricted = model.figures.get(TOTAL_KEY)?.value ?? 0;

  const hide = (keys: Iterable<string>) => {
    for (const key of keys) {
      const f = model.figures.get(key)!;
      if (f.state === 'published') f.state = 'complement';
    }
  };

  // Complementary suppression: moves of each sensitive figure down to 0 and up to k.
  const select = (f: Figure, widen: number) => {
    const isHidden = f.key === HIDDEN_KEY;
    const down = isHidden ? Math.max(withoutRestricted, k) : f.value;
    const up = (isHidden ? k : k - f.value) + widen;
    for (const amount of [up, -down]) {
      if (amount === 0) continue;
      const chosen = complementsFor(highs, model, f, amount);
      if (chosen) hide(chosen);
    }
  };
  for (const f of sensitive) select(f, 0);

  // Audit and repair until every sensitive figure is protected under the attacker model.
  let audit = new Map<string, { low: number; high: number | null }>();
  for (let round = 0; ; round += 1) {
    refreshPresentations(model, rules);
    audit = attackIntervals(
      highs,
      model,
      sensitive.map((f) => f.key),
    );
    const failing = sensitive.filter((f) => !isProtected(f, audit.get(f.key)!, k));
    if (failing.length === 0) break;
    for (const f of failing) {
      if (round < 3) select(f, (round + 1) * Math.max(k, rules.roundingBase));
      else if (round < 5) {
        const showing = model.layouts.filter((l) => figureKeysOf(l).includes(f.key));
        const keys = new Set((showing.length ? showing : model.layouts).flatMap((l) => figureKeysOf(l)));
        hide([...keys].filter((key) => model.figures.get(key)!.value > 0));
      } else hide(model.figures.keys());
    }
    if (round > 6) throw new Error('Disclosure control could not protect the tables.');
  }

  refreshPresentations(model, rules);
  const cellOf = (key: string): PublishedCell => {
    const f = model.figures.get(key)!;
    return f.state === 'published' ? f.published! : { status: 'suppressed', reason: f.state };
  };
  const category = (e: Entry): PublishedCategory =>
    e.members.length === 1 && e.members[0] === e.key
      ? { key: e.key, label: e.label }
      : { key: e.key, label: e.label, members: e.members };
  const tables: PublishedTable[] = model.layouts.map((l) => ({
    id: l.id,
    rowDimension: l.rowDimension,
    columnDimension: l.columnDimension,
    style: l.style,
    rows: l.rows.map(category),
    columns: l.columns.map(category),
    cells: l.cells.map((row) => row.map(cellOf)),
    rowTotals: l.rowTotals?.map(cellOf) ?? null,
    columnTotals: l.columnTotals?.map(cellOf) ?? null,
    grandTotal: cellOf(l.grandTotal),
  }));
  return {
    tables,
    figures: [...model.figures.values()]
      .filter((f) => f.key !== HIDDEN_KEY)
      .map((f) => ({
        key: f.key,
        where: f.where,
        includesRestricted: f.includesRestricted,
        cell: cellOf(f.key),
      })),
    audit: sensitive
      .filter((f) => f.key !== HIDDEN_KEY)
      .map((f) => ({ key: f.key, ...audit.get(f.key)! }))
      .concat(model.hidden >= 0 ? [{ key: 'restricted', ...audit.get(HIDDEN_KEY)! }] : []),
  };
}

function figureKeysOf(l: Layout): string[] {
  return [l.grandTotal, ...l.cells.flat(), ...(l.rowTotals ?? []), ...(l.columnTotals ?? [])];
}

/** A published table without the reasons of its suppressions (what the public may see). */
export function withoutReasons(table: PublishedTable): PublishedTable {
  const strip = (c: PublishedCell): PublishedCell =>
    c.status === 'suppressed' ? { status: 'suppressed' } : c;
  return {
    ...table,
    cells: table.cells.map((row) => row.map(strip)),
    rowTotals: table.rowTotals?.map(strip) ?? null,
    columnTotals: table.columnTotals?.map(strip) ?? null,
    grandTotal: strip(table.grandTotal),
  };
}

export type { BandKey };
