/** Tables of the crossings module (see src/db/schema.ts for the portable column conventions). */

export interface CrossingPointTable {
  id: string;
  crisis_id: string;
  name: string;
  code: string;
  description: string;
  /** 1 when people may only cross if their name is on the day's approved list. */
  requires_approved_list: number;
  status: 'active' | 'archived';
  created_at: string;
  updated_at: string;
}

export interface CrossingSideTable {
  id: string;
  crossing_point_id: string;
  name: string;
  operator: string;
  status: 'open' | 'restricted' | 'closed';
  status_note: string;
  status_source: string;
  status_changed_at: string;
  /** JSON: [{ days: number[] (1 = Monday … 7 = Sunday), opens: 'HH:MM', closes: 'HH:MM' }]. */
  opening_windows: string;
  /** JSON: { en, fr, ar } shown on the public portal. */
  public_notice: string;
  position: number;
}

export interface CrossingStatusEventTable {
  id: string;
  side_id: string;
  status: 'open' | 'restricted' | 'closed';
  note: string;
  source: string;
  at: string;
  recorded_by: string | null;
}

export interface ApprovedListTable {
  id: string;
  crisis_id: string;
  crossing_point_id: string;
  list_date: string;
  source: string;
  file_name: string;
  file_digest: string;
  format: 'csv' | 'xlsx' | 'pdf';
  row_count: number;
  /** JSON: { [nationality]: count }. */
  by_nationality: string;
  imported_by: string | null;
  imported_at: string;
  matched_at: string | null;
}

export interface ApprovedListEntryTable {
  id: string;
  list_id: string;
  row_no: number;
  source_ref: string;
  full_name: string;
  full_name_ar: string | null;
  given_name: string | null;
  father_name: string | null;
  grandfather_name: string | null;
  family_name: string | null;
  passport_number: string | null;
  id_number: string | null;
  nationality: string | null;
  date_of_birth: string | null;
  sex: string | null;
}

export interface ApprovedListMatchTable {
  id: string;
  list_id: string;
  entry_id: string;
  person_id: string;
  score: number;
  decision: 'match' | 'review';
  /** auto_linked and confirmed put the person "on the list"; pending waits for a reviewer. */
  status: 'auto_linked' | 'pending' | 'confirmed' | 'rejected';
  /** JSON explanation of the score by field, for the reviewer. */
  explanation: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
}

export interface CrossingTables {
  crossing_points: CrossingPointTable;
  crossing_sides: CrossingSideTable;
  crossing_status_events: CrossingStatusEventTable;
  approved_lists: ApprovedListTable;
  approved_list_entries: ApprovedListEntryTable;
  approved_list_matches: ApprovedListMatchTable;
}
