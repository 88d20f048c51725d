/** Allocation runs: a proposed plan of seats over legs, then its commit into offers (`docs/transport.md`). */
import { api } from './client';
import { crisisPath } from './registry';
import type { Assignment } from './transport';

const e = encodeURIComponent;

export const ALLOCATION_METHODS = ['auto', 'exact', 'fast'] as const;
export type AllocationMethod = (typeof ALLOCATION_METHODS)[number];

export interface KindPlaces {
  seats: number;
  lapInfants: number;
  stretchers: number;
}

export interface Pin {
  householdId: string;
  legId: string;
}

export interface AllocationRequest {
  legIds: string[];
  method?: AllocationMethod;
  pins?: Pin[];
  exclusions?: string[];
  allowSplit?: string[];
}

export interface AllocationRun {
  id: string;
  crisisId: string;
  status: 'proposed' | 'committed';
  method: 'exact' | 'fast';
  planStatus: 'optimal' | 'feasible' | 'pins-released';
  request: AllocationRequest;
  legs: {
    legId: string;
    name: string;
    departureAt: string;
    capacity: KindPlaces;
    alreadyHeld: KindPlaces;
    planned: KindPlaces;
    empty: KindPlaces;
  }[];
  assignments: {
    householdId: string;
    householdReference: string;
    personId: string;
    name: string;
    legId: string;
  }[];
  unassigned: { personId: string; householdId: string; reason: string; message: string }[];
  /** Registrations left out because a confirmed duplicate of the same person is planned or seated. */
  duplicates: {
    personId: string;
    householdId: string;
    householdReference: string;
    keptPersonId: string;
    keptHouseholdId: string;
    keptHouseholdReference: string;
    reason: 'seat-held' | 'collapsed';
    message: string;
  }[];
  explanations: {
    code: string;
    message: string;
    legId?: string;
    householdId?: string;
    zone?: string;
    kind?: string;
  }[];
  figures: {
    householdsConsidered: number;
    peopleConsidered: number;
    peopleMoved: number;
    priorityMoved: number;
    splitHouseholds: number;
    splitHouseholdIds: string[];
    objective: number;
    bound: number | null;
    seconds: number;
  };
  createdAt: string;
  committedAt: string | null;
}

export const runsPath = (crisisId: string) => `${crisisPath(crisisId)}/allocation-runs`;

export const runAllocation = (crisisId: string, body: AllocationRequest) =>
  api.post<AllocationRun>(runsPath(crisisId), body);

export const commitRun = (crisisId: string, runId: string, deadlineHours: number) =>
  api.post<{ run: AllocationRun; offers: Assignment[] }>(`${runsPath(crisisId)}/${e(runId)}/commit`, {
    deadlineHours,
  });
