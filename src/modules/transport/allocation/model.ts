/**
 * The compiled model shared by the exact and the fast method: people, households and legs as
 * indices, each person's place kind and value, and which legs each person / whole household may take.
 */
import type { AllocationProblem, Explanation, Household, Leg, Member, PlaceKind } from './types.js';

/** Place kind index: 0 seat, 1 lap place, 2 stretcher place. */
export type KindIndex = 0 | 1 | 2;
export const KIND_NAMES: readonly PlaceKind[] = ['seats', 'lapInfants', 'stretchers'];

/** Score units per priority point. A moved person also earns 1 unit: fewer empty places. */
export const POINT = 1000;
/** Score units lost per split household: half a priority point. */
export const SPLIT_PENALTY = 500;

/**
 * Priority points of one person: 10 for anyone, +10 medical, +10 more for a stretcher case,
 * +8 unaccompanied minor, +5 elderly, +1 per full week of waiting (at most +5).
 */
export function priorityWeight(member: Member): number {
  let weight = 10;
  if (member.medical || member.stretcher) weight += 10;
  if (member.stretcher) weight += 10;
  if (member.unaccompaniedMinor) weight += 8;
  if (member.elderly) weight += 5;
  weight += Math.min(5, Math.floor((member.waitingDays ?? 0) / 7));
  return weight;
}

export function kindOf(member: Member): KindIndex {
  if (member.stretcher) return 2;
  if (member.lapInfant) return 1;
  return 0;
}

/** Why a person may not take a leg, or null when they may. */
export type Barrier = 'excluded' | 'zone-unreachable' | 'documents' | 'approved-list';

export function personBarrier(household: Household, member: Member, leg: Leg): Barrier | null {
  if (household.excludedLegIds?.includes(leg.id)) return 'excluded';
  if (!leg.reachableFromZones.includes(household.zone)) return 'zone-unreachable';
  const until = member.documentsValidUntil;
  if (until === null || (until !== undefined && until < leg.departureDate)) return 'documents';
  const list = leg.requiresApprovedList;
  if (
    list &&
    !(member.approvedFor ?? []).some((e) => e.crossingId === list.crossingId && e.date === list.date)
  )
    return 'approved-list';
  return null;
}

export interface CompiledHousehold {
  index: number;
  id: string;
  members: number[];
  /** Places needed by the whole household, by kind index. */
  need: [number, number, number];
  value: number;
  /** Split allowed (and not pinned, and more than one member). */
  splittable: boolean;
  /** Pinned leg index when the pin is honoured, else -1. */
  pinned: number;
  /** Legs the whole household may take and that can hold it. */
  wholeLegs: number[];
}

export interface CompiledModel {
  problem: AllocationProblem;
  personIds: string[];
  personHousehold: Int32Array;
  personKind: Uint8Array;
  personWeight: Int32Array;
  /** Score units for moving the person: POINT × weight + 1. */
  personValue: Float64Array;
  /** Legs each person may take on their own (used for split households). */
  personLegs: number[][];
  households: CompiledHousehold[];
  legIds: string[];
  /** Free places, leg-major: free[3 * leg + kind]. */
  free: Int32Array;
  /** Problems with pins found while compiling; those pins were dropped. */
  pinIssues: Explanation[];
}

export function compile(problem: AllocationProblem): CompiledModel {
  const legs = problem.legs;
  const legIndex = new Map(legs.map((leg, l) => [leg.id, l]));
  const free = new Int32Array(legs.length * 3);
  legs.forEach((leg, l) => {
    KIND_NAMES.forEach((kind, k) => {
      free[3 * l + k] = leg.capacity[kind] - (leg.alreadyAllocated?.[kind] ?? 0);
    });
  });

  const personIds: string[] = [];
  const personHousehold: number[] = [];
  const personKind: number[] = [];
  const personWeight: number[] = [];
  const personLegs: number[][] = [];
  const households: CompiledHousehold[] = [];
  const pinIssues: Explanation[] = [];

  problem.households.forEach((household, h) => {
    const members: number[] = [];
    const need: [number, number, number] = [0, 0, 0];
    let value = 0;
    let whole: number[] | null = null;
    for (const member of household.members) {
      const p = personIds.length;
      members.push(p);
      personIds.push(member.id);
      personHousehold.push(h);
      const kind = kindOf(member);
      personKind.push(kind);
      need[kind] += 1;
      const weight = priorityWeight(member);
      personWeight.push(weight);
      value += POINT * weight + 1;
      const ok: number[] = [];
      legs.forEach((leg, l) => {
        if (personBarrier(household, member, leg) === null) ok.push(l);
      });
      personLegs.push(ok);
      whole = whole === null ? ok : whole.filter((l) => ok.includes(l));
    }
    const fits = (l: number): boolean =>
      need[0] <= (free[3 * l] ?? 0) && need[1] <= (free[3 * l + 1] ?? 0) && need[2] <= (free[3 * l + 2] ?? 0);
    let wholeLegs = (whole ?? []).filter(fits);
    let pinned = -1;
    if (household.pinnedLegId !== undefined) {
      const l = legIndex.get(household.pinnedLegId) ?? -1;
      if (wholeLegs.includes(l)) {
        pinned = l;
        wholeLegs = [l];
      } else {
        pinIssues.push({
          code: 'pin-ineligible',
          householdId: household.id,
          legId: household.pinnedLegId,
          message: `household ${household.id} is pinned to leg ${household.pinnedLegId} but cannot take it (${
            (whole ?? []).includes(l)
              ? 'it does not fit in the free places'
              : describeIneligibility(household, legs[l])
          }); the pin was dropped`,
        });
      }
    }
    households.push({
      index: h,
      id: household.id,
      members,
      need,
      value,
      splittable: Boolean(household.allowSplit) && pinned < 0 && members.length > 1,
      pinned,
      wholeLegs,
    });
  });

  // Pins that together overflow a leg are all dropped for that leg.
  for (let l = 0; l < legs.length; l++) {
    const pinnedHere = households.filter((h) => h.pinned === l);
    if (pinnedHere.length === 0) continue;
    for (let k = 0; k < 3; k++) {
      const needed = pinnedHere.reduce((sum, h) => sum + h.need[k]!, 0);
      const available = free[3 * l + k] ?? 0;
      if (needed <= available) continue;
      pinIssues.push({
        code: 'pins-over-capacity',
        legId: legs[l]!.id,
        kind: KIND_NAMES[k]!,
        message: `households pinned to leg ${legs[l]!.id} need ${needed} ${KIND_NAMES[k]}, the leg has ${available} free; those pins were dropped`,
      });
      for (const household of pinnedHere) {
        household.pinned = -1;
        household.wholeLegs = legs.flatMap((_, m) =>
          household.members.every((p) => personLegs[p]!.includes(m)) &&
          household.need.every((n, kk) => n <= (free[3 * m + kk] ?? 0))
            ? [m]
            : [],
        );
        const source = problem.households[household.index]!;
        household.splittable = Boolean(source.allowSplit) && household.members.length > 1;
      }
      break;
    }
  }

  return {
    problem,
    personIds,
    personHousehold: Int32Array.from(personHousehold),
    personKind: Uint8Array.from(personKind),
    personWeight: Int32Array.from(personWeight),
    personValue: Float64Array.from(personWeight, (w) => POINT * w + 1),
    personLegs,
    households,
    legIds: legs.map((leg) => leg.id),
    free,
    pinIssues,
  };
}

/** Words for the first barrier that keeps some member of a household off a leg. */
export function describeIneligibility(household: Household, leg: Leg | undefined): string {
  if (!leg) return 'unknown leg';
  for (const member of household.members) {
    const barrier = personBarrier(household, member, leg);
    if (barrier !== null) return barrierMessage(barrier, household, member, leg);
  }
  return 'no barrier';
}

export function barrierMessage(barrier: Barrier, household: Household, member: Member, leg: Leg): string {
  switch (barrier) {
    case 'excluded':
      return `household ${household.id} is excluded from leg ${leg.id}`;
    case 'zone-unreachable':
      return `zone ${household.zone} does not reach the assembly point of leg ${leg.id}`;
    case 'documents':
      return member.documentsValidUntil === null
        ? `${member.id} has no valid travel document for leg ${leg.id}`
        : `${member.id}'s documents expire ${member.documentsValidUntil}, before leg ${leg.id} departs ${leg.departureDate}`;
    case 'approved-list':
      return `${member.id} is not on the ${leg.requiresApprovedList?.crossingId} list of ${leg.requiresApprovedList?.date} required by leg ${leg.id}`;
  }
}

export interface Score {
  /** Score units: POINT × priority moved + people moved − SPLIT_PENALTY × split households. */
  score: number;
  peopleMoved: number;
  priorityMoved: number;
  splitHouseholds: number[];
}

/** Scores a person → leg vector (-1 = stays). */
export function scoreAssignment(model: CompiledModel, legOf: Int32Array): Score {
  let peopleMoved = 0;
  let priorityMoved = 0;
  const splitHouseholds: number[] = [];
  for (const household of model.households) {
    const first = legOf[household.members[0]!]!;
    let split = false;
    for (const p of household.members) {
      const l = legOf[p]!;
      if (l !== first) split = true;
      if (l >= 0) {
        peopleMoved += 1;
        priorityMoved += model.personWeight[p]!;
      }
    }
    if (split) splitHouseholds.push(household.index);
  }
  return {
    score: POINT * priorityMoved + peopleMoved - SPLIT_PENALTY * splitHouseholds.length,
    peopleMoved,
    priorityMoved,
    splitHouseholds,
  };
}
