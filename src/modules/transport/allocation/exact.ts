/**
 * Exact method: the allocation as a mixed-integer programme solved by HiGHS.
 *
 *   x[h,l] ∈ {0,1}  whole household h on leg l           (value: Σ member values)
 *   y[p,l] ∈ {0,1}  member p of a splittable household alone on leg l
 *   s[h]   ∈ [0,1]  household h is split                  (value: −SPLIT_PENALTY)
 *
 *   Σ_l x[h,l] ≤ 1 (= 1 when pinned)                      one leg per household
 *   Σ_l x[h,l] + Σ_l y[p,l] ≤ 1   for p in splittable h   one leg per person
 *   Σ_l y[p,l] − s[h] ≤ 0                                   a member moved alone splits h
 *   y[i,l] − Σ_{adult a of h} y[a,l] ≤ 0                    lap infants travel with an adult
 *   Σ need_k(h) x[h,l] + Σ_{kind(p)=k} y[p,l] ≤ free[l,k]   capacity by kind
 */

import type { Highs, ModelData, VariableType } from 'highs';
import { loadHighs } from '../../../lib/highs.js';
import { type CompiledModel, SPLIT_PENALTY } from './model.js';

export { loadHighs };

type Column =
  | { kind: 'whole'; household: number; leg: number }
  | { kind: 'member'; person: number; leg: number }
  | { kind: 'split'; household: number };

export interface MilpModel {
  data: ModelData;
  columns: Column[];
}

/** Builds the MILP above as HiGHS column-wise data. */
export function buildMilp(model: CompiledModel, highs: Highs): MilpModel {
  const legCount = model.legIds.length;
  let rowCount = 3 * legCount;
  const rowLower: number[] = new Array<number>(rowCount).fill(-Infinity);
  const rowUpper: number[] = Array.from(model.free);
  const newRow = (lower: number, upper: number): number => {
    rowLower.push(lower);
    rowUpper.push(upper);
    return rowCount++;
  };

  const columns: Column[] = [];
  const cost: number[] = [];
  const upper: number[] = [];
  const integrality: VariableType[] = [];
  const starts: number[] = [0];
  const indices: number[] = [];
  const values: number[] = [];
  const addColumn = (value: number, ub: number, integer: boolean, entries: [number, number][]): void => {
    entries.sort((a, b) => a[0] - b[0]);
    for (const [row, coefficient] of entries) {
      indices.push(row);
      values.push(coefficient);
    }
    starts.push(indices.length);
    cost.push(value);
    upper.push(ub);
    integrality.push(
      integer ? highs.constants.variableType.integer : highs.constants.variableType.continuous,
    );
  };

  for (const household of model.households) {
    const wholeValue = household.value;
    if (!household.splittable) {
      if (household.wholeLegs.length === 0) continue;
      const row = household.pinned >= 0 ? newRow(1, 1) : newRow(-Infinity, 1);
      for (const l of household.wholeLegs) {
        const entries: [number, number][] = [[row, 1]];
        household.need.forEach((n, k) => {
          if (n > 0) entries.push([3 * l + k, n]);
        });
        columns.push({ kind: 'whole', household: household.index, leg: l });
        addColumn(wholeValue, 1, true, entries);
      }
      continue;
    }
    const personRow = new Map<number, number>();
    const linkRow = new Map<number, number>();
    for (const p of household.members) {
      if (model.personLegs[p]!.length === 0) continue;
      personRow.set(p, newRow(-Infinity, 1));
      linkRow.set(p, newRow(-Infinity, 0));
    }
    // Rows "infant i on leg l needs an adult of h on leg l".
    const infantRows = new Map<number, { row: number; infant: number }[]>();
    for (const p of household.members) {
      if (model.personKind[p] !== 1) continue;
      for (const l of model.personLegs[p]!) {
        const list = infantRows.get(l) ?? [];
        list.push({ row: newRow(-Infinity, 0), infant: p });
        infantRows.set(l, list);
      }
    }
    for (const l of household.wholeLegs) {
      const entries: [number, number][] = [];
      for (const p of household.members) {
        const row = personRow.get(p);
        if (row !== undefined) entries.push([row, 1]);
      }
      household.need.forEach((n, k) => {
        if (n > 0) entries.push([3 * l + k, n]);
      });
      columns.push({ kind: 'whole', household: household.index, leg: l });
      addColumn(wholeValue, 1, true, entries);
    }
    for (const p of household.members) {
      const kind = model.personKind[p]!;
      for (const l of model.personLegs[p]!) {
        const entries: [number, number][] = [
          [personRow.get(p)!, 1],
          [linkRow.get(p)!, 1],
          [3 * l + kind, 1],
        ];
        for (const { row, infant } of infantRows.get(l) ?? []) {
          if (infant === p) entries.push([row, 1]);
          else if (kind !== 1) entries.push([row, -1]);
        }
        columns.push({ kind: 'member', person: p, leg: l });
        addColumn(model.personValue[p]!, 1, true, entries);
      }
    }
    if (linkRow.size > 0) {
      columns.push({ kind: 'split', household: household.index });
      addColumn(
        -SPLIT_PENALTY,
        1,
        false,
        [...linkRow.values()].map((row): [number, number] => [row, -1]),
      );
    }
  }

  const numCols = cost.length;
  const data: ModelData = {
    numCols,
    numRows: rowCount,
    sense: highs.constants.objectiveSense.maximize,
    colCost: cost,
    colLower: new Array<number>(numCols).fill(0),
    colUpper: upper,
    rowLower,
    rowUpper,
    matrix: { format: 'csc', numRows: rowCount, numCols, starts, indices, values },
    integrality,
  };
  return { data, columns };
}

export interface MilpResult {
  /** Person → leg (-1 stays), or null when no feasible solution was found in time. */
  legOf: Int32Array | null;
  optimal: boolean;
  /** Proven upper bound on the score (score units). */
  bound: number;
  /** Decision variables of the model. */
  variables: number;
}

export interface MilpOptions {
  timeLimitSeconds: number;
  /** Relative gap at which HiGHS stops (default 1e-6). */
  relativeGap?: number;
  /** Solve only the LP relaxation (gives a bound, no plan). */
  relaxationOnly?: boolean;
}

export async function solveMilp(model: CompiledModel, options: MilpOptions): Promise<MilpResult> {
  const highs = await loadHighs();
  const milp = buildMilp(model, highs);
  const variables = milp.data.numCols;
  if (variables === 0) {
    return { legOf: new Int32Array(model.personIds.length).fill(-1), optimal: true, bound: 0, variables };
  }
  const data: ModelData = options.relaxationOnly ? { ...milp.data, integrality: undefined } : milp.data;
  const solver = highs.createModel(data);
  try {
    solver.options.set({
      output_flag: false,
      time_limit: options.timeLimitSeconds,
      mip_rel_gap: options.relativeGap ?? 1e-6,
    });
    const run = solver.run();
    const status = run.modelStatus;
    const optimal = status === highs.constants.modelStatus.optimal;
    const objective = solver.getObjectiveValue();
    let bound = objective;
    if (!options.relaxationOnly && !optimal) {
      const dual = Number(solver.info.get('mip_dual_bound'));
      bound = Number.isFinite(dual) ? dual : Number.POSITIVE_INFINITY;
    }
    if (options.relaxationOnly) return { legOf: null, optimal, bound, variables };
    const hasSolution = Number(solver.info.get('primal_solution_status')) >= 2;
    if (!hasSolution) return { legOf: null, optimal: false, bound, variables };
    const colValue = solver.getSolution().colValue;
    const legOf = new Int32Array(model.personIds.length).fill(-1);
    milp.columns.forEach((column, j) => {
      if ((colValue[j] ?? 0) < 0.5 || column.kind === 'split') return;
      if (column.kind === 'whole') {
        for (const p of model.households[column.household]!.members) legOf[p] = column.leg;
      } else legOf[column.person] = column.leg;
    });
    return { legOf, optimal, bound, variables };
  } finally {
    solver.dispose();
  }
}
