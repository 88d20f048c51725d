/** Reasons for people left behind and explanations of the constraints that bind. */
import { barrierMessage, type CompiledModel, KIND_NAMES, personBarrier } from './model.js';
import type { Explanation, Unassigned } from './types.js';

const KIND_WORDS = ['seats', 'lap places', 'stretcher places'] as const;
const PEOPLE_NEEDING = ['need a seat', 'are lap infants', 'need stretcher places'] as const;
const MAX_HOUSEHOLD_EXPLANATIONS = 100;

const list = (ids: readonly string[]): string =>
  ids.length <= 5 ? ids.join(', ') : `${ids.slice(0, 5).join(', ')} and ${ids.length - 5} more`;

export function explain(
  model: CompiledModel,
  legOf: Int32Array,
): { unassigned: Unassigned[]; explanations: Explanation[] } {
  const { problem } = model;
  const legs = problem.legs;
  const unassigned: Unassigned[] = [];
  const explanations: Explanation[] = [...model.pinIssues];
  const householdNotes: Explanation[] = [];
  let capacityLeft = 0;

  for (const household of model.households) {
    const source = problem.households[household.index]!;
    const reachable = legs.filter((leg) => leg.reachableFromZones.includes(source.zone));
    let noted = false;
    household.members.forEach((p, m) => {
      if (legOf[p]! >= 0) return;
      const member = source.members[m]!;
      const personId = model.personIds[p]!;
      const push = (reason: Unassigned['reason'], message: string): void => {
        unassigned.push({ personId, householdId: source.id, reason, message });
      };
      if (reachable.length === 0) {
        push('zone-unreachable', `zone ${source.zone} reaches no leg's assembly point`);
        return;
      }
      if (model.personLegs[p]!.length === 0) {
        const barriers = reachable.map((leg) => ({ leg, barrier: personBarrier(source, member, leg) }));
        const first =
          barriers.find((b) => b.barrier === 'documents') ??
          barriers.find((b) => b.barrier === 'approved-list') ??
          barriers[0]!;
        const barrier = first.barrier ?? 'excluded';
        const message =
          barriers.length > 1
            ? `${barrierMessage(barrier, source, member, first.leg)} (and no other reachable leg is open to them)`
            : barrierMessage(barrier, source, member, first.leg);
        push(barrier === 'zone-unreachable' ? 'excluded' : barrier, message);
        if (!noted && (barrier === 'documents' || barrier === 'approved-list')) {
          noted = true;
          householdNotes.push({
            code: barrier,
            householdId: source.id,
            legId: first.leg.id,
            message: `household ${source.id}: ${message}`,
          });
        }
        return;
      }
      if (!household.splittable && household.wholeLegs.length === 0 && household.pinned < 0) {
        const together = reachable.filter((leg) =>
          source.members.every((other) => personBarrier(source, other, leg) === null),
        );
        if (together.length === 0) {
          const blocker = source.members.find((other) => {
            const q = household.members[source.members.indexOf(other)]!;
            return model.personLegs[q]!.length === 0;
          });
          const message = blocker
            ? `travels with ${blocker.id}, who cannot take any reachable leg, and the household may not be split`
            : 'no reachable leg is open to every member of the household, and it may not be split';
          // The blocking member's own reason is noted for the household.
          push('household-member-ineligible', message);
        } else {
          const [s, i, t] = household.need;
          const message = `no leg open to household ${source.id} has room for all of it (${s} seats, ${i} lap places, ${t} stretcher places) and it may not be split`;
          push('household-too-large', message);
          if (!noted) {
            noted = true;
            householdNotes.push({ code: 'household-too-large', householdId: source.id, message });
          }
        }
        return;
      }
      capacityLeft += 1;
      const open = household.wholeLegs.length > 0 ? household.wholeLegs : model.personLegs[p]!;
      push(
        'capacity',
        `the legs open to household ${source.id} (${list(open.map((l) => model.legIds[l]!))}) are full with people of higher priority`,
      );
    });
  }

  // Place kinds asked for by more people than the legs offer.
  const demand = [0, 0, 0];
  const supply = [0, 0, 0];
  model.personKind.forEach((kind, p) => {
    if (model.personLegs[p]!.length > 0) demand[kind]! += 1;
  });
  for (let l = 0; l < legs.length; l++)
    for (let k = 0; k < 3; k++) supply[k]! += Math.max(0, model.free[3 * l + k]!);
  for (let k = 0; k < 3; k++) {
    if (demand[k]! <= supply[k]!) continue;
    explanations.push({
      code: 'kind-shortage',
      kind: KIND_NAMES[k]!,
      message: `${demand[k]} ${demand[k] === 1 ? 'person' : 'people'} who could travel ${PEOPLE_NEEDING[k]}, the legs offer ${supply[k]} ${KIND_WORDS[k]}`,
    });
  }

  const zones = new Map<string, number>();
  for (const source of problem.households) {
    if (legs.some((leg) => leg.reachableFromZones.includes(source.zone))) continue;
    zones.set(source.zone, (zones.get(source.zone) ?? 0) + source.members.length);
  }
  for (const [zone, people] of zones) {
    explanations.push({
      code: 'zone-unreachable',
      zone,
      message: `zone ${zone} reaches no leg's assembly point (${people} ${people === 1 ? 'person' : 'people'} there)`,
    });
  }
  const householdZones = new Set(problem.households.map((h) => h.zone));
  for (const leg of legs) {
    if (leg.reachableFromZones.some((zone) => householdZones.has(zone))) continue;
    explanations.push({
      code: 'leg-unreachable',
      legId: leg.id,
      message: `leg ${leg.id}: no household is in a zone that reaches its assembly point`,
    });
  }

  explanations.push(...householdNotes.slice(0, MAX_HOUSEHOLD_EXPLANATIONS));
  if (householdNotes.length > MAX_HOUSEHOLD_EXPLANATIONS) {
    explanations.push({
      code: householdNotes[MAX_HOUSEHOLD_EXPLANATIONS]!.code,
      message: `${householdNotes.length - MAX_HOUSEHOLD_EXPLANATIONS} more households are kept off every leg by documents, lists or size`,
    });
  }
  if (capacityLeft > 0) {
    explanations.push({
      code: 'capacity-shortage',
      message: `${capacityLeft} ${capacityLeft === 1 ? 'person' : 'people'} who may travel ${capacityLeft === 1 ? 'stays' : 'stay'} behind: the legs open to them are full`,
    });
  }
  return { unassigned, explanations };
}
