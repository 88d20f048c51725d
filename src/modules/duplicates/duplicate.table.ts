/** Tables of the duplicates module (portable column conventions: see src/db/schema.ts). */

/** A pair of registrations that may describe one person, found by a dedupe run. */
export interface DuplicateCandidateTable {
  id: string;
  crisis_id: string;
  /** Ordered so that person_a < person_b: one row per pair. */
  person_a: string;
  person_b: string;
  score: number;
  /** 'match' when the score is in the match band ("likely the same"), else 'review'. */
  band: 'match' | 'review';
  explanation: string;
  /** pending until a reviewer decides; then the decision ('same', 'not_same', 'unsure'). */
  status: 'pending' | 'same' | 'not_same' | 'unsure';
  found_at: string;
}

/**
 * A reviewer's decision about two registrations. Identities are the connected components of
 * active 'same' decisions; revoking a decision (undo a merge) sets revoked_at — nothing is deleted.
 */
export interface IdentityDecisionTable {
  id: string;
  crisis_id: string;
  person_a: string;
  person_b: string;
  decision: 'same' | 'not_same' | 'unsure';
  note: string;
  decided_by: string | null;
  decided_at: string;
  revoked_by: string | null;
  revoked_at: string | null;
}

export interface DuplicateTables {
  duplicate_candidates: DuplicateCandidateTable;
  identity_decisions: IdentityDecisionTable;
}
