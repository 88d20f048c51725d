/**
 * Restricted (hostage, missing-person) cases. Names, circumstances, locations, notes and liaison
 * contacts are sealed (AES-256-GCM, `ctx.restrictedBox`); only what the cell filters on — kind,
 * status, citizenship confirmation, dates — is stored in the clear.
 */

export interface RestrictedCaseTable {
  id: string;
  crisis_id: string;
  number: string;
  kind: 'hostage' | 'missing';
  status: 'missing' | 'confirmed_held' | 'released' | 'found' | 'deceased';
  citizenship: 'confirmed' | 'unconfirmed' | 'not_citizen';
  /** A registry person this case is about: hidden from every other role while linked. */
  person_id: string | null;
  /** Sealed JSON: { person: {...}, circumstances, lastKnownLocation }. */
  sealed: string;
  version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface RestrictedEventTable {
  id: string;
  case_id: string;
  kind: string;
  /** The day the event happened (e.g. a release), which may differ from when it was recorded. */
  event_date: string;
  /** Sealed JSON payload. */
  sealed: string;
  at: string;
  actor_id: string | null;
}

export interface RestrictedLiaisonTable {
  id: string;
  case_id: string;
  /** Sealed JSON: { name, relationship, phone?, email?, language?, note? }. */
  sealed: string;
  created_at: string;
}

export interface RestrictedTaskTable {
  id: string;
  case_id: string;
  sealed_title: string;
  due_at: string | null;
  assignee_id: string | null;
  done_at: string | null;
  created_at: string;
}

export interface RestrictedTables {
  restricted_cases: RestrictedCaseTable;
  restricted_events: RestrictedEventTable;
  restricted_liaisons: RestrictedLiaisonTable;
  restricted_tasks: RestrictedTaskTable;
}
