/** Tables of the cases module (portable column conventions: see src/db/schema.ts). */

export interface CaseTable {
  id: string;
  crisis_id: string;
  /** Short human reference shown on the phone ("C-7K3QX"). */
  number: string;
  person_id: string | null;
  household_id: string | null;
  type: string;
  state: string;
  /** 1 critical, 2 high, 3 normal, 4 low; the effective value (computed, or the override). */
  priority: number;
  priority_computed: number;
  priority_reason: string;
  priority_overridden: number;
  summary: string;
  source: string;
  assignee_id: string | null;
  team_id: string | null;
  welfare_run_id: string | null;
  state_changed_at: string;
  /** When the case becomes overdue in its current state (from the rules per type). */
  due_at: string | null;
  version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

export interface CaseEventTable {
  id: string;
  case_id: string;
  kind: string;
  at: string;
  actor_id: string | null;
  actor_label: string;
  /** JSON payload: the note text, the old and new state, the contact outcome… */
  data: string;
}

export interface CaseTaskTable {
  id: string;
  case_id: string;
  crisis_id: string;
  title: string;
  due_at: string | null;
  assignee_id: string | null;
  done_at: string | null;
  done_by: string | null;
  created_by: string | null;
  created_at: string;
}

export interface CaseTeamTable {
  id: string;
  crisis_id: string;
  name: string;
  created_at: string;
}

export interface CaseTeamMemberTable {
  team_id: string;
  staff_id: string;
}

export interface WelfareRunTable {
  id: string;
  crisis_id: string;
  name: string;
  question: string;
  follow_up_after_hours: number;
  call_after_hours: number;
  status: 'open' | 'closed';
  created_by: string | null;
  created_at: string;
}

export interface LoanTable {
  id: string;
  crisis_id: string;
  person_id: string;
  case_id: string | null;
  /** Minor units (cents) to avoid floating point. */
  amount_minor: number;
  currency: string;
  promissory_note_signed: number;
  signed_at: string | null;
  repaid_minor: number;
  status: 'offered' | 'signed' | 'disbursed' | 'repaid' | 'waived';
  note: string;
  version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface CaseTables {
  cases: CaseTable;
  case_events: CaseEventTable;
  case_tasks: CaseTaskTable;
  case_teams: CaseTeamTable;
  case_team_members: CaseTeamMemberTable;
  welfare_runs: WelfareRunTable;
  loans: LoanTable;
}
