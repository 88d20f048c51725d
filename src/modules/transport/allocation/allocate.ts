import { performance } from 'node:perf_hooks';
import { solveMilp } from './exact.js';
import { explain } from './explain.js';
import { solveFast } from './fast.js';
import { type CompiledModel, compile, POINT, scoreAssignment } from './model.js';
import type {
  AllocationOptions,
  AllocationPlan,
  AllocationProblem,
  Assignment,
  EmptyPlaces,
} from './types.js';
import { validateProblem } from './validate.js';

const DEFAULT_TIME_LIMIT = 20;
const DEFAULT_EXACT_VARIABLES = 20_000;

/** Rough count of MILP decision variables, to choose the method. */
function variableCount(model: CompiledModel): number {
  let count = 0;
  for (const household of model.households) {
    count += household.wholeLegs.length;
    if (household.splittable) for (const p of household.members) count += model.personLegs[p]!.length + 1;
  }
  return count;
}

/**
 * Assigns people to legs. Validates the problem (throws AllocationInputError naming the bad
 * fields), then solves it exactly with HiGHS ('exact'), with the greedy-and-improve method
 * ('fast'), or picks by size ('auto', the default). The exact method falls back to the fast
 * plan when it finds nothing better within the time limit.
 */
export async function allocateSeats(
  problem: AllocationProblem,
  options: AllocationOptions = {},
): Promise<AllocationPlan> {
  const started = performance.now();
  validateProblem(problem);
  const model = compile(problem);
  const method =
    options.method === 'exact' || options.method === 'fast'
      ? options.method
      : variableCount(model) <= (options.exactVariableLimit ?? DEFAULT_EXACT_VARIABLES)
        ? 'exact'
        : 'fast';

  let legOf: Int32Array;
  let optimal = false;
  let bound: number | undefined;
  if (method === 'exact') {
    const result = await solveMilp(model, {
      timeLimitSeconds: options.timeLimitSeconds ?? DEFAULT_TIME_LIMIT,
    });
    bound = result.bound;
    optimal = result.optimal;
    const fast = solveFast(model, { improvementSeconds: 0.5 });
    legOf =
      result.legOf && scoreAssignment(model, result.legOf).score >= scoreAssignment(model, fast).score
        ? result.legOf
        : fast;
  } else {
    legOf = solveFast(model);
  }
  return buildPlan(model, legOf, method, optimal, bound, started);
}

function buildPlan(
  model: CompiledModel,
  legOf: Int32Array,
  method: 'exact' | 'fast',
  optimal: boolean,
  bound: number | undefined,
  started: number,
): AllocationPlan {
  const score = scoreAssignment(model, legOf);
  const assignments: Assignment[] = [];
  const used = new Int32Array(model.legIds.length * 3);
  legOf.forEach((l, p) => {
    if (l < 0) return;
    used[3 * l + model.personKind[p]!]! += 1;
    assignments.push({
      personId: model.personIds[p]!,
      householdId: model.households[model.personHousehold[p]!]!.id,
      legId: model.legIds[l]!,
    });
  });
  const emptySeats: EmptyPlaces[] = model.legIds.map((legId, l) => ({
    legId,
    seats: model.free[3 * l]! - used[3 * l]!,
    lapInfants: model.free[3 * l + 1]! - used[3 * l + 1]!,
    stretchers: model.free[3 * l + 2]! - used[3 * l + 2]!,
  }));
  const { unassigned, explanations } = explain(model, legOf);
  return {
    status: model.pinIssues.length > 0 ? 'pins-released' : optimal ? 'optimal' : 'feasible',
    method,
    assignments,
    unassigned,
    objective: score.score / POINT,
    ...(bound === undefined ? {} : { bound: Math.max(bound, score.score) / POINT }),
    peopleMoved: score.peopleMoved,
    priorityMoved: score.priorityMoved,
    splitHouseholds: score.splitHouseholds.length,
    splitHouseholdIds: score.splitHouseholds.map((h) => model.households[h]!.id),
    emptySeats,
    explanations,
    seconds: (performance.now() - started) / 1000,
  };
}
