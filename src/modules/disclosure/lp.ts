/**
 * A small linear-programming helper over HiGHS (WebAssembly), used by the disclosure library to
 * choose complementary suppressions and to audit a publication the way an attacker would.
 */

import type { Highs } from 'highs';

/** One linear row: lower ≤ Σ coefficient·x[column] ≤ upper (±Infinity for a missing side). */
export interface LpRow {
  entries: readonly (readonly [column: number, coefficient: number])[];
  lower: number;
  upper: number;
}

export interface LpProblem {
  columns: number;
  cost: readonly number[];
  lower: readonly number[];
  upper: readonly number[];
  rows: readonly LpRow[];
  sense: 'min' | 'max';
}

export type LpResult =
  | { status: 'optimal'; objective: number; x: Float64Array }
  | { status: 'unbounded' }
  | { status: 'infeasible' };

/** Solves a continuous LP. Throws on solver failure (never guesses an answer). */
export function solveLp(highs: Highs, problem: LpProblem): LpResult {
  const starts: number[] = [0];
  const indices: number[] = [];
  const values: number[] = [];
  const rowLower: number[] = [];
  const rowUpper: number[] = [];
  for (const row of problem.rows) {
    const merged = new Map<number, number>();
    for (const [column, coefficient] of row.entries) {
      merged.set(column, (merged.get(column) ?? 0) + coefficient);
    }
    for (const [column, coefficient] of [...merged.entries()].sort((a, b) => a[0] - b[0])) {
      if (coefficient === 0) continue;
      indices.push(column);
      values.push(coefficient);
    }
    starts.push(indices.length);
    rowLower.push(row.lower === Number.NEGATIVE_INFINITY ? -highs.infinity : row.lower);
    rowUpper.push(row.upper === Number.POSITIVE_INFINITY ? highs.infinity : row.upper);
  }
  const bound = (v: number) =>
    v === Number.POSITIVE_INFINITY ? highs.infinity : v === Number.NEGATIVE_INFINITY ? -highs.infinity : v;
  const model = highs.createModel({
    numCols: problem.columns,
    numRows: problem.rows.length,
    sense:
      problem.sense === 'max'
        ? highs.constants.objectiveSense.maximize
        : highs.constants.objectiveSense.minimize,
    colCost: [...problem.cost],
    colLower: problem.lower.map(bound),
    colUpper: problem.upper.map(bound),
    rowLower,
    rowUpper,
    matrix: {
      format: 'csr',
      numRows: problem.rows.length,
      numCols: problem.columns,
      starts,
      indices,
      values,
    },
  });
  try {
    model.options.set({ output_flag: false, presolve: 'off' });
    model.run();
    const status = model.getModelStatus();
    const codes = highs.constants.modelStatus;
    if (status === codes.optimal) {
      return {
        status: 'optimal',
        objective: model.getObjectiveValue(),
        x: Float64Array.from(model.getSolution().colValue),
      };
    }
    if (status === codes.unbounded) return { status: 'unbounded' };
    if (status === codes.infeasible) return { status: 'infeasible' };
    if (status === codes.unboundedOrInfeasible) {
      // Callers only solve problems the true counts satisfy (feasible by construction), so the
      // undecided status can only mean an unbounded objective.
      return { status: 'unbounded' };
    }
    throw new Error(`The LP solver stopped with status ${status}.`);
  } finally {
    model.dispose();
  }
}
