/**
 * Input and output types of the seat allocator. Dates are calendar days, `YYYY-MM-DD`.
 */

/** The three kinds of place a leg offers. */
export type PlaceKind = 'seats' | 'lapInfants' | 'stretchers';
export const PLACE_KINDS: readonly PlaceKind[] = ['seats', 'lapInfants', 'stretchers'];

export type Places = Record<PlaceKind, number>;

/** An entry of a crossing authority's approved list: the crossing and the day it was published for. */
export interface ListEntry {
  crossingId: string;
  date: string;
}

export interface Member {
  id: string;
  /** Needs a stretcher / medical place instead of a seat. Implies a medical case. */
  stretcher?: boolean;
  /** Medical case travelling seated. */
  medical?: boolean;
  unaccompaniedMinor?: boolean;
  elderly?: boolean;
  /** Under two years old: travels on a lap place, not a seat, and only with an adult of the household. */
  lapInfant?: boolean;
  /** Days since the person asked to leave. */
  waitingDays?: number;
  /**
   * Last day the travel document is valid. `null` means no valid document; omitted means the
   * documents were checked and do not constrain the date.
   */
  documentsValidUntil?: string | null;
  /** Approved-list entries naming this person. */
  approvedFor?: readonly ListEntry[];
}

export interface Household {
  id: string;
  zone: string;
  members: readonly Member[];
  /** The coordinator allows this household to travel on different legs or partly. */
  allowSplit?: boolean;
  /** The whole household must travel on this leg. */
  pinnedLegId?: string;
  /** Legs this household must not be put on. */
  excludedLegIds?: readonly string[];
}

export interface Leg {
  id: string;
  departureDate: string;
  capacity: Places;
  /** Zones from which people can reach the leg's assembly point. */
  reachableFromZones: readonly string[];
  /** When set, only people on that crossing's list for that day may board. */
  requiresApprovedList?: ListEntry;
  /** Places already given out before this run. */
  alreadyAllocated?: Partial<Places>;
}

export interface AllocationProblem {
  households: readonly Household[];
  legs: readonly Leg[];
}

export type AllocationMethod = 'auto' | 'exact' | 'fast';

export interface AllocationOptions {
  method?: AllocationMethod;
  /** Time limit of the exact solver (default 20 s). */
  timeLimitSeconds?: number;
  /** 'auto' uses the exact solver up to this many decision variables (default 20,000). */
  exactVariableLimit?: number;
}

export interface Assignment {
  personId: string;
  householdId: string;
  legId: string;
}

export type UnassignedReason =
  | 'zone-unreachable'
  | 'excluded'
  | 'documents'
  | 'approved-list'
  | 'household-member-ineligible'
  | 'household-too-large'
  | 'capacity';

export interface Unassigned {
  personId: string;
  householdId: string;
  reason: UnassignedReason;
  message: string;
}

export type ExplanationCode =
  | 'kind-shortage'
  | 'capacity-shortage'
  | 'zone-unreachable'
  | 'leg-unreachable'
  | 'documents'
  | 'approved-list'
  | 'household-member-ineligible'
  | 'household-too-large'
  | 'pin-ineligible'
  | 'pins-over-capacity';

/** Why some people cannot travel: the constraint that binds, in words a coordinator reads. */
export interface Explanation {
  code: ExplanationCode;
  message: string;
  legId?: string;
  householdId?: string;
  zone?: string;
  kind?: PlaceKind;
}

export interface EmptyPlaces extends Places {
  legId: string;
}

export interface AllocationPlan {
  /**
   * 'optimal': proved optimal; 'feasible': every hard constraint holds, optimality not proved;
   * 'pins-released': some pins could not be honoured (see explanations) and were dropped.
   */
  status: 'optimal' | 'feasible' | 'pins-released';
  method: 'exact' | 'fast';
  assignments: Assignment[];
  unassigned: Unassigned[];
  /** Priority points moved, minus split and empty-place penalties (see docs/allocation.md). */
  objective: number;
  /** Upper bound on the objective proved by the exact solver, when it ran. */
  bound?: number;
  peopleMoved: number;
  priorityMoved: number;
  splitHouseholds: number;
  splitHouseholdIds: string[];
  emptySeats: EmptyPlaces[];
  explanations: Explanation[];
  seconds: number;
}
