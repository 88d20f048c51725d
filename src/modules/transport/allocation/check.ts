/**
 * Independent check of a plan against the raw problem: every hard constraint, recomputed from
 * the input rather than from the solver's model. Used by the tests and before committing a plan.
 */
import { personBarrier } from './model.js';
import {
  type AllocationProblem,
  type Assignment,
  type Member,
  PLACE_KINDS,
  type PlaceKind,
} from './types.js';

const kindOf = (member: Member): PlaceKind =>
  member.stretcher ? 'stretchers' : member.lapInfant ? 'lapInfants' : 'seats';

/** Lists every violated constraint; an empty list means the plan is valid. */
export function checkPlan(
  problem: AllocationProblem,
  assignments: readonly Assignment[],
  options: { honourPins?: boolean } = {},
): string[] {
  const violations: string[] = [];
  const legs = new Map(problem.legs.map((leg) => [leg.id, leg]));
  const legOfPerson = new Map<string, string>();
  for (const a of assignments) {
    if (legOfPerson.has(a.personId)) violations.push(`${a.personId} is assigned twice`);
    if (!legs.has(a.legId)) violations.push(`${a.personId} is assigned to unknown leg ${a.legId}`);
    legOfPerson.set(a.personId, a.legId);
  }
  const used = new Map<string, Record<PlaceKind, number>>();
  const known = new Set<string>();
  for (const household of problem.households) {
    const legIds = household.members.map((m) => legOfPerson.get(m.id));
    const moved = legIds.filter((l) => l !== undefined);
    if (
      !household.allowSplit &&
      moved.length > 0 &&
      (moved.length < legIds.length || new Set(moved).size > 1)
    )
      violations.push(`household ${household.id} is split but may not be`);
    if (options.honourPins !== false && household.pinnedLegId !== undefined) {
      if (legIds.some((l) => l !== household.pinnedLegId))
        violations.push(`household ${household.id} is not all on its pinned leg ${household.pinnedLegId}`);
    }
    household.members.forEach((member, m) => {
      known.add(member.id);
      const legId = legIds[m];
      if (legId === undefined) return;
      const leg = legs.get(legId);
      if (!leg) return;
      const barrier = personBarrier(household, member, leg);
      if (barrier) violations.push(`${member.id} on leg ${legId} breaks ${barrier}`);
      const kind = kindOf(member);
      const count = used.get(legId) ?? { seats: 0, lapInfants: 0, stretchers: 0 };
      count[kind] += 1;
      used.set(legId, count);
      if (
        kind === 'lapInfants' &&
        !household.members.some((o, q) => kindOf(o) !== 'lapInfants' && legIds[q] === legId)
      )
        violations.push(
          `lap infant ${member.id} travels on ${legId} without an adult of household ${household.id}`,
        );
    });
  }
  for (const a of assignments) if (!known.has(a.personId)) violations.push(`unknown person ${a.personId}`);
  for (const [legId, count] of used) {
    const leg = legs.get(legId)!;
    for (const kind of PLACE_KINDS) {
      const free = leg.capacity[kind] - (leg.alreadyAllocated?.[kind] ?? 0);
      if (count[kind] > free) violations.push(`leg ${legId}: ${count[kind]} ${kind} used, ${free} free`);
    }
  }
  return violations;
}
