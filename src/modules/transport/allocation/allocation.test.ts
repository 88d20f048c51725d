import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AllocationInputError,
  type AllocationPlan,
  type AllocationProblem,
  allocateSeats,
  checkPlan,
  compile,
  type Household,
  type Leg,
  type Member,
  POINT,
  scoreAssignment,
} from './index.js';
import { syntheticProblem } from './synthetic.js';

const DATES = ['2023-11-01', '2023-11-02', '2023-11-03'] as const;

const leg = (id: string, overrides: Partial<Leg> = {}): Leg => ({
  id,
  departureDate: '2023-11-02',
  capacity: { seats: 10, lapInfants: 2, stretchers: 1 },
  reachableFromZones: ['A'],
  ...overrides,
});

const memberArb = fc.record({
  kind: fc.constantFrom('seat', 'seat', 'seat', 'lap', 'stretcher'),
  medical: fc.boolean(),
  elderly: fc.boolean(),
  minor: fc.boolean(),
  waitingDays: fc.nat(40),
  documents: fc.constantFrom<string | null | undefined>(undefined, undefined, null, ...DATES),
  lists: fc.subarray([...DATES]),
});

const householdArb = fc.record({
  members: fc.array(memberArb, { minLength: 1, maxLength: 3 }),
  zone: fc.constantFrom('A', 'B', 'C'),
  allowSplit: fc.boolean(),
  pin: fc.option(fc.nat(2), { freq: 5 }),
  excluded: fc.subarray([0, 1, 2], { maxLength: 1 }),
});

const legArb = fc.record({
  date: fc.constantFrom(...DATES),
  seats: fc.nat(6),
  lap: fc.nat(2),
  stretchers: fc.nat(2),
  zones: fc.subarray(['A', 'B', 'C'], { minLength: 1 }),
  list: fc.boolean(),
  taken: fc.nat(1),
});

function problemArb(maxHouseholds: number, maxLegs: number): fc.Arbitrary<AllocationProblem> {
  return fc
    .record({
      households: fc.array(householdArb, { minLength: 1, maxLength: maxHouseholds }),
      legs: fc.array(legArb, { minLength: 1, maxLength: maxLegs }),
    })
    .map(({ households, legs }) => {
      const builtLegs: Leg[] = legs.map((l, i) => ({
        id: `L${i}`,
        departureDate: l.date,
        capacity: { seats: l.seats, lapInfants: l.lap, stretchers: l.stretchers },
        reachableFromZones: l.zones,
        ...(l.list ? { requiresApprovedList: { crossingId: 'rafah', date: l.date } } : {}),
        alreadyAllocated: { seats: Math.min(l.taken, l.seats) },
      }));
      let n = 0;
      const builtHouseholds: Household[] = households.map((h, i) => {
        const members: Member[] = h.members.map((m, j) => ({
          id: `P${n++}`,
          ...(m.kind === 'stretcher' ? { stretcher: true } : {}),
          ...(m.kind === 'lap' && j > 0 ? { lapInfant: true } : {}),
          medical: m.medical,
          elderly: m.elderly,
          unaccompaniedMinor: m.minor,
          waitingDays: m.waitingDays,
          ...(m.documents === undefined ? {} : { documentsValidUntil: m.documents }),
          approvedFor: m.lists.map((date) => ({ crossingId: 'rafah', date })),
        }));
        const pinned = h.pin === null ? undefined : `L${h.pin % builtLegs.length}`;
        const excluded = h.excluded.map((e) => `L${e % builtLegs.length}`).filter((id) => id !== pinned);
        return {
          id: `H${i}`,
          zone: h.zone,
          members,
          allowSplit: h.allowSplit,
          ...(pinned ? { pinnedLegId: pinned } : {}),
          excludedLegIds: excluded,
        };
      });
      return { households: builtHouseholds, legs: builtLegs };
    });
}

/** The problem with the pins the allocator reported as dropped removed. */
function withoutReleasedPins(problem: AllocationProblem, plan: AllocationPlan): AllocationProblem {
  const households = new Set<string>();
  const legs = new Set<string>();
  for (const e of plan.explanations) {
    if (e.code === 'pin-ineligible' && e.householdId) households.add(e.householdId);
    if (e.code === 'pins-over-capacity' && e.legId) legs.add(e.legId);
  }
  return {
    legs: problem.legs,
    households: problem.households.map((h) => {
      if (!households.has(h.id) && !(h.pinnedLegId && legs.has(h.pinnedLegId))) return h;
      const { pinnedLegId: _dropped, ...rest } = h;
      return rest;
    }),
  };
}

/** Best score over every person → leg-or-stay vector that passes checkPlan. */
function bruteForce(problem: AllocationProblem, honourPins: boolean): number {
  const model = compile(problem);
  const people = model.personIds.length;
  const legs = problem.legs.length;
  const legOf = new Int32Array(people).fill(-1);
  let best = Number.NEGATIVE_INFINITY;
  const visit = (p: number): void => {
    if (p === people) {
      const assignments = [...legOf].flatMap((l, q) =>
        l < 0 ? [] : [{ personId: model.personIds[q]!, householdId: '', legId: problem.legs[l]!.id }],
      );
      if (checkPlan(problem, assignments, { honourPins }).length > 0) return;
      best = Math.max(best, scoreAssignment(model, legOf).score);
      return;
    }
    for (let l = -1; l < legs; l++) {
      legOf[p] = l;
      visit(p + 1);
    }
    legOf[p] = -1;
  };
  visit(0);
  return best;
}

describe('allocateSeats: hard constraints (property tests)', () => {
  for (const method of ['exact', 'fast'] as const) {
    it(`${method}: capacity, households, zones, documents, lists and pins hold on random problems`, async () => {
      await fc.assert(
        fc.asyncProperty(problemArb(6, 3), async (problem) => {
          const plan = await allocateSeats(problem, { method, timeLimitSeconds: 5 });
          const honourPins = plan.status !== 'pins-released';
          expect(checkPlan(problem, plan.assignments, { honourPins })).toEqual([]);
          // Everyone is either assigned or left behind with a reason.
          const people = problem.households.flatMap((h) => h.members.map((m) => m.id));
          const seen = [
            ...plan.assignments.map((a) => a.personId),
            ...plan.unassigned.map((u) => u.personId),
          ];
          expect(seen.sort()).toEqual([...people].sort());
          for (const u of plan.unassigned) expect(u.message.length).toBeGreaterThan(0);
          // No split household that is not allowed.
          for (const id of plan.splitHouseholdIds)
            expect(problem.households.find((h) => h.id === id)?.allowSplit).toBe(true);
          for (const e of plan.emptySeats) {
            expect(e.seats).toBeGreaterThanOrEqual(0);
            expect(e.lapInfants).toBeGreaterThanOrEqual(0);
            expect(e.stretchers).toBeGreaterThanOrEqual(0);
          }
        }),
        { numRuns: method === 'exact' ? 60 : 150, seed: 6 },
      );
    });
  }
});

describe('allocateSeats: exact method', () => {
  it('equals brute force on tiny problems', async () => {
    await fc.assert(
      fc.asyncProperty(
        problemArb(3, 2).filter((p) => p.households.reduce((n, h) => n + h.members.length, 0) <= 7),
        async (problem) => {
          const plan = await allocateSeats(problem, { method: 'exact', timeLimitSeconds: 5 });
          const best = bruteForce(withoutReleasedPins(problem, plan), true);
          expect(Math.round(plan.objective * POINT)).toBe(best);
          expect(plan.status === 'optimal' || plan.status === 'pins-released').toBe(true);
        },
      ),
      { numRuns: 40, seed: 7 },
    );
  });

  it('keeps a household together when capacity allows, and splits only where allowed', async () => {
    const problem: AllocationProblem = {
      households: [
        { id: 'H1', zone: 'A', members: [{ id: 'a1' }, { id: 'a2' }, { id: 'a3' }] },
        { id: 'H2', zone: 'A', members: [{ id: 'b1' }, { id: 'b2' }], allowSplit: true },
      ],
      legs: [
        leg('L1', { capacity: { seats: 2, lapInfants: 0, stretchers: 0 } }),
        leg('L2', { capacity: { seats: 2, lapInfants: 0, stretchers: 0 } }),
      ],
    };
    const plan = await allocateSeats(problem, { method: 'exact' });
    expect(plan.assignments.map((a) => a.personId).sort()).toEqual(['b1', 'b2']);
    expect(plan.splitHouseholds).toBe(0);
    expect(
      plan.unassigned.filter((u) => u.householdId === 'H1').every((u) => u.reason === 'household-too-large'),
    ).toBe(true);
  });

  it('puts priority first: a stretcher case and an unaccompanied minor before others', async () => {
    const problem: AllocationProblem = {
      households: [
        { id: 'H1', zone: 'A', members: [{ id: 'plain' }] },
        { id: 'H2', zone: 'A', members: [{ id: 'minor', unaccompaniedMinor: true }] },
        { id: 'H3', zone: 'A', members: [{ id: 'stretcher', stretcher: true }] },
      ],
      legs: [leg('L1', { capacity: { seats: 1, lapInfants: 0, stretchers: 1 } })],
    };
    const plan = await allocateSeats(problem);
    expect(plan.assignments.map((a) => a.personId).sort()).toEqual(['minor', 'stretcher']);
    expect(plan.method).toBe('exact');
  });
});

describe('allocateSeats: fast method', () => {
  it('stays within 2% of the optimum on medium random problems (see docs/allocation.md)', async () => {
    for (const seed of [11, 12, 13, 14]) {
      const problem = syntheticProblem({ people: 300, households: 90, legs: 6, seed });
      const exact = await allocateSeats(problem, { method: 'exact', timeLimitSeconds: 10 });
      const fast = await allocateSeats(problem, { method: 'fast' });
      expect(checkPlan(problem, fast.assignments)).toEqual([]);
      expect(fast.objective).toBeGreaterThanOrEqual(0.98 * exact.bound!);
    }
  });

  it('handles a large run within seconds without splitting households needlessly', async () => {
    const problem = syntheticProblem({ people: 5000, households: 1500, legs: 20, seed: 5, seatRatio: 2 });
    const plan = await allocateSeats(problem, { method: 'fast' });
    expect(plan.seconds).toBeLessThan(5);
    expect(checkPlan(problem, plan.assignments)).toEqual([]);
    // A household is split only when it could not travel whole on any leg open to it.
    const model = compile(problem);
    const legIndex = new Map(problem.legs.map((l, i) => [l.id, i]));
    for (const id of plan.splitHouseholdIds) {
      const household = model.households.find((h) => h.id === id)!;
      for (const l of household.wholeLegs) {
        const empty = plan.emptySeats[l]!;
        const own = [0, 0, 0];
        for (const p of household.members) {
          const a = plan.assignments.find((x) => x.personId === model.personIds[p]);
          if (a && legIndex.get(a.legId) === l) own[model.personKind[p]!]! += 1;
        }
        const room = [empty.seats, empty.lapInfants, empty.stretchers];
        expect(household.need.every((n, k) => n - own[k]! <= room[k]!)).toBe(false);
      }
    }
  });
});

describe('allocateSeats: explanations', () => {
  it('says when more people need stretcher places than the legs offer', async () => {
    const households: Household[] = Array.from({ length: 12 }, (_, i) => ({
      id: `H${i}`,
      zone: 'A',
      members: [{ id: `P${i}`, stretcher: true }],
    }));
    const plan = await allocateSeats({
      households,
      legs: [leg('L1', { capacity: { seats: 10, lapInfants: 0, stretchers: 4 } })],
    });
    expect(plan.assignments).toHaveLength(4);
    expect(plan.explanations.map((e) => e.message)).toContain(
      '12 people who could travel need stretcher places, the legs offer 4 stretcher places',
    );
  });

  it('names a zone that reaches no assembly point and a leg nobody can reach', async () => {
    const plan = await allocateSeats({
      households: [{ id: 'H1', zone: 'North', members: [{ id: 'P1' }] }],
      legs: [leg('L1', { reachableFromZones: ['South'] })],
    });
    expect(plan.assignments).toEqual([]);
    expect(plan.unassigned[0]?.reason).toBe('zone-unreachable');
    const codes = plan.explanations.map((e) => e.code);
    expect(codes).toContain('zone-unreachable');
    expect(codes).toContain('leg-unreachable');
    expect(plan.explanations.find((e) => e.code === 'zone-unreachable')?.message).toMatch(
      /zone North reaches no leg/,
    );
  });

  it('names the household and member whose passport expires before the leg departs', async () => {
    const plan = await allocateSeats({
      households: [
        {
          id: 'H7',
          zone: 'A',
          members: [{ id: 'P1' }, { id: 'P2', documentsValidUntil: '2023-11-01' }],
        },
      ],
      legs: [leg('L1')],
    });
    expect(plan.assignments).toEqual([]);
    const reasons = Object.fromEntries(plan.unassigned.map((u) => [u.personId, u.reason]));
    expect(reasons).toEqual({ P1: 'household-member-ineligible', P2: 'documents' });
    expect(
      plan.explanations.some(
        (e) => e.householdId === 'H7' && /expire 2023-11-01, before leg L1/.test(e.message),
      ),
    ).toBe(true);
  });

  it('explains a missing approved-list entry', async () => {
    const plan = await allocateSeats({
      households: [{ id: 'H1', zone: 'A', members: [{ id: 'P1' }] }],
      legs: [leg('L1', { requiresApprovedList: { crossingId: 'rafah', date: '2023-11-02' } })],
    });
    expect(plan.unassigned[0]?.reason).toBe('approved-list');
    expect(plan.unassigned[0]?.message).toMatch(/not on the rafah list of 2023-11-02/);
  });

  it('drops pins that overflow a leg and says so', async () => {
    const plan = await allocateSeats({
      households: [
        { id: 'H1', zone: 'A', members: [{ id: 'P1' }, { id: 'P2' }], pinnedLegId: 'L1' },
        { id: 'H2', zone: 'A', members: [{ id: 'P3' }, { id: 'P4' }], pinnedLegId: 'L1' },
      ],
      legs: [leg('L1', { capacity: { seats: 3, lapInfants: 0, stretchers: 0 } })],
    });
    expect(plan.status).toBe('pins-released');
    expect(plan.explanations[0]?.message).toMatch(/pinned to leg L1 need 4 seats, the leg has 3 free/);
    expect(plan.assignments).toHaveLength(2);
  });
});

describe('validateProblem', () => {
  it('rejects bad input with the field named', async () => {
    const bad = {
      households: [
        { id: 'H1', zone: 'A', members: [{ id: 'P1' }], pinnedLegId: 'nowhere' },
        { id: 'H1', zone: 'A', members: [{ id: 'P1', documentsValidUntil: '2023-13-01' }] },
        { id: 'H3', zone: 'A', members: [{ id: 'P3', lapInfant: true }] },
      ],
      legs: [leg('L1', { capacity: { seats: -1, lapInfants: 0, stretchers: 0 } })],
    } as AllocationProblem;
    const error = await allocateSeats(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AllocationInputError);
    const paths = (error as AllocationInputError).issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'legs[0].capacity.seats',
        'households[0].pinnedLegId',
        'households[1].id',
        'households[1].members[0].id',
        'households[1].members[0].documentsValidUntil',
        'households[2].members',
      ]),
    );
  });
});
