/** Tables of allocation runs (portable column conventions: see src/db/schema.ts). */

export interface AllocationRunTable {
  id: string;
  crisis_id: string;
  status: 'proposed' | 'committed';
  method: 'exact' | 'fast';
  /** JSON: the coordinator's request (legs, method, pins, exclusions, splits allowed). */
  request: string;
  /** JSON: each leg's version, status, capacity and places held when the plan was made. */
  legs_snapshot: string;
  /** JSON: the plan's status, figures, explanations and the people left behind. */
  result: string;
  created_by: string | null;
  created_at: string;
  committed_by: string | null;
  committed_at: string | null;
}

/** One person placed on one leg by a proposed plan. */
export interface AllocationRunRowTable {
  id: string;
  run_id: string;
  household_id: string;
  person_id: string;
  leg_id: string;
}

export interface AllocationRunTables {
  allocation_runs: AllocationRunTable;
  allocation_run_rows: AllocationRunRowTable;
}
