/**
 * Baseline for the allocation benchmark: the plain greedy a spreadsheet would do — households by
 * total priority, each on the first leg open to it that still has room; nobody split.
 */
import type { CompiledModel } from '../../src/modules/transport/allocation/model.js';

export function greedyBaseline(model: CompiledModel): Int32Array {
  const free = Int32Array.from(model.free);
  const legOf = new Int32Array(model.personIds.length).fill(-1);
  const order = [...model.households].sort((a, b) => b.value - a.value || a.index - b.index);
  for (const household of order) {
    const leg = household.wholeLegs.find((l) => household.need.every((n, k) => n <= free[3 * l + k]!));
    if (leg === undefined) continue;
    household.need.forEach((n, k) => {
      free[3 * leg + k]! -= n;
    });
    for (const p of household.members) legOf[p] = leg;
  }
  return legOf;
}
