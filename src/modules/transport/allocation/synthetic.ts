/**
 * Seeded synthetic allocation problems for tests and the benchmark. Everyone in them is invented.
 */
import type { AllocationProblem, Household, Leg, ListEntry, Member } from './types.js';

export interface SyntheticOptions {
  people: number;
  households: number;
  legs: number;
  seed: number;
  /** Seats offered as a share of the people needing one (default 0.75); lap places 1.2×, stretcher places 0.8× that share. */
  seatRatio?: number;
}

/** Mulberry32: small, fast, good enough for synthetic data. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAYS = [
  '2023-11-01',
  '2023-11-02',
  '2023-11-03',
  '2023-11-04',
  '2023-11-05',
  '2023-11-06',
  '2023-11-07',
];
const CROSSING = 'rafah';

export function syntheticProblem(options: SyntheticOptions): AllocationProblem {
  const rand = random(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const zoneCount = Math.max(2, Math.min(8, Math.ceil(options.legs / 4)));
  const zones = Array.from({ length: zoneCount }, (_, z) => `Z${String(z + 1).padStart(2, '0')}`);
  const householdCount = Math.max(1, Math.min(options.households, options.people));

  const sizes = new Array<number>(householdCount).fill(1);
  for (let extra = options.people - householdCount; extra > 0; extra--)
    sizes[Math.floor(rand() * householdCount)]! += 1;

  const households: Household[] = [];
  let personNumber = 0;
  const demand = { seats: 0, lapInfants: 0, stretchers: 0 };
  for (let h = 0; h < householdCount; h++) {
    const listDays = DAYS.filter(() => rand() < 0.5);
    const onList = rand() < 0.85;
    const members: Member[] = [];
    for (let m = 0; m < sizes[h]!; m++) {
      const r = rand();
      const lapInfant = m > 0 && r < 0.06;
      const stretcher = !lapInfant && rand() < 0.015;
      const docs = rand();
      const approvedFor: ListEntry[] =
        onList && rand() > 0.03 ? listDays.map((date) => ({ crossingId: CROSSING, date })) : [];
      const member: Member = {
        id: `P${String(++personNumber).padStart(6, '0')}`,
        ...(stretcher ? { stretcher } : {}),
        ...(lapInfant ? { lapInfant } : {}),
        ...(rand() < 0.05 ? { medical: true } : {}),
        ...(sizes[h] === 1 && rand() < 0.1 ? { unaccompaniedMinor: true } : {}),
        ...(rand() < 0.1 ? { elderly: true } : {}),
        waitingDays: Math.floor(rand() * 60),
        ...(docs < 0.01
          ? { documentsValidUntil: null }
          : docs < 0.05
            ? { documentsValidUntil: pick(DAYS) }
            : {}),
        approvedFor,
      };
      members.push(member);
      if (stretcher) demand.stretchers += 1;
      else if (lapInfant) demand.lapInfants += 1;
      else demand.seats += 1;
    }
    households.push({
      id: `H${String(h + 1).padStart(5, '0')}`,
      zone: pick(zones),
      members,
      ...(rand() < 0.15 ? { allowSplit: true } : {}),
    });
  }

  const ratio = options.seatRatio ?? 0.75;
  const legs: Leg[] = [];
  const share = (total: number, factor: number): number => (total * factor) / options.legs;
  for (let l = 0; l < options.legs; l++) {
    const reach = zones.filter(() => rand() < 0.35);
    if (reach.length === 0) reach.push(pick(zones));
    const date = DAYS[l % DAYS.length]!;
    const vary = 0.7 + 0.6 * rand();
    const seats = Math.max(1, Math.round(share(demand.seats, ratio) * vary));
    legs.push({
      id: `L${String(l + 1).padStart(3, '0')}`,
      departureDate: date,
      capacity: {
        seats,
        lapInfants: Math.round(share(demand.lapInfants, 1.2 * ratio) * vary),
        stretchers: Math.round(share(demand.stretchers, 0.8 * ratio) * vary),
      },
      reachableFromZones: reach,
      ...(l % 3 === 0 ? { requiresApprovedList: { crossingId: CROSSING, date } } : {}),
      ...(rand() < 0.2 ? { alreadyAllocated: { seats: Math.floor(seats * 0.1) } } : {}),
    });
  }
  // A few exclusions set by the coordinator.
  for (const household of households) {
    if (rand() < 0.01) household.excludedLegIds = [pick(legs).id];
  }
  return { households, legs };
}
