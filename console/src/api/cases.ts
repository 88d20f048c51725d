import { queryOptions } from '@tanstack/react-query';
import { api } from './client';
import { crisisPath } from './registry';

/** Shapes of the cases, welfare, loans and restricted-cases API (`docs/cases.md`). */

export const CASE_TYPES = [
  'departure_assistance',
  'medical',
  'welfare_check',
  'travel_documents',
  'evacuation_loan',
  'other',
] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export const CASE_STATES = [
  'new',
  'triaged',
  'in_progress',
  'waiting_person',
  'waiting_partner',
  'resolved',
  'closed',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const QUEUES = ['mine', 'team', 'unassigned', 'overdue', 'open', 'all'] as const;
export type Queue = (typeof QUEUES)[number];

export const CONTACT_CHANNELS = ['phone', 'sms', 'whatsapp', 'email', 'in_person'] as const;
export const CONTACT_OUTCOMES = [
  'reached',
  'no_answer',
  'busy',
  'wrong_number',
  'voicemail',
  'message_left',
  'unreachable',
] as const;
export const WELFARE_ANSWERS = ['safe', 'needs_help', 'left_zone'] as const;

export interface Case {
  id: string;
  number: string;
  crisisId: string;
  personId: string | null;
  householdId: string | null;
  type: CaseType;
  state: CaseState;
  allowedNextStates: CaseState[];
  priority: number;
  priorityReason: string;
  priorityOverridden: boolean;
  summary: string;
  source: string;
  assigneeId: string | null;
  teamId: string | null;
  welfareRunId: string | null;
  stateChangedAt: string;
  dueAt: string | null;
  overdue: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

/**
 * Who a queue row is about: the household reference, and the registered names when the caller may
 * read the registry (`person.read`). Null when the person is hidden (linked to a restricted case).
 */
export interface CaseSubject {
  householdReference: string;
  fullName: string | null;
  fullNameAr: string | null;
}

export interface CaseQueueItem extends Case {
  subject: CaseSubject | null;
}

export interface Task {
  id: string;
  caseId: string;
  title: string;
  dueAt: string | null;
  assigneeId: string | null;
  doneAt: string | null;
  overdue: boolean;
}

/** A task in "my tasks", with its case's number and who the case is about. */
export interface MyTask extends Task {
  case: { number: string; subject: CaseSubject | null };
}

export interface CaseEvent {
  id: string;
  kind: string;
  at: string;
  actorLabel: string;
  data: Record<string, unknown>;
}

/** The short description of the case's person (the server's review-screen summary). */
export interface CasePerson {
  id: string;
  householdId: string;
  reference: string;
  fullName: string | null;
  fullNameAr: string | null;
  dateOfBirth: string | null;
  sex: string | null;
  passportNumber: string | null;
}

export interface CaseFile {
  case: Case;
  person: CasePerson | null;
  events: CaseEvent[];
  tasks: Task[];
}

export interface Team {
  id: string;
  name: string;
  memberIds: string[];
}

export interface WelfareRun {
  id: string;
  name: string;
  question: string;
  status: 'open' | 'closed';
  createdAt: string;
  followUpAfterHours: number;
  callAfterHours: number;
  counts: {
    total: number;
    answered: number;
    safe: number;
    needsHelp: number;
    leftZone: number;
    silent: number;
    followUpsDue: number;
    callTasks: number;
  };
}

export type LoanStatus = 'offered' | 'signed' | 'disbursed' | 'repaid' | 'waived';
export type LoanAction = 'sign_note' | 'disburse' | 'record_repayment' | 'waive';

export interface Loan {
  id: string;
  personId: string;
  caseId: string | null;
  amount: string;
  repaid: string;
  outstanding: string;
  currency: string;
  promissoryNoteSigned: boolean;
  signedAt: string | null;
  status: LoanStatus;
  note: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface BulkResult {
  done: number;
  results: { caseId: string; ok: boolean; error?: string }[];
}

const e = encodeURIComponent;
export const casePath = (crisisId: string, caseId: string) => `${crisisPath(crisisId)}/cases/${e(caseId)}`;

export const caseKeys = {
  all: (crisisId: string) => ['crises', crisisId, 'cases'] as const,
  one: (crisisId: string, caseId: string) => ['crises', crisisId, 'cases', caseId] as const,
  tasks: (crisisId: string) => ['crises', crisisId, 'cases', 'my-tasks'] as const,
  teams: (crisisId: string) => ['crises', crisisId, 'teams'] as const,
  runs: (crisisId: string) => ['crises', crisisId, 'welfare-runs'] as const,
  loans: (crisisId: string, personId: string) => ['crises', crisisId, 'loans', personId] as const,
};

export interface CaseFilters {
  queue: Queue;
  type: string;
  state: string;
  personId?: string;
}

export const casesQuery = (crisisId: string, filters: CaseFilters, limit = 200) =>
  queryOptions({
    queryKey: [...caseKeys.all(crisisId), 'list', filters, limit],
    queryFn: ({ signal }) =>
      api.get<{ items: CaseQueueItem[]; total: number }>(
        `${crisisPath(crisisId)}/cases`,
        {
          queue: filters.queue,
          type: filters.type || undefined,
          state: filters.state || undefined,
          personId: filters.personId,
          limit,
        },
        signal,
      ),
    placeholderData: (previous) => previous,
  });

export const caseQuery = (crisisId: string, caseId: string) =>
  queryOptions({
    queryKey: caseKeys.one(crisisId, caseId),
    queryFn: ({ signal }) => api.get<CaseFile>(casePath(crisisId, caseId), undefined, signal),
  });

export const myTasksQuery = (crisisId: string) =>
  queryOptions({
    queryKey: caseKeys.tasks(crisisId),
    queryFn: async ({ signal }) =>
      (await api.get<{ items: MyTask[] }>(`${crisisPath(crisisId)}/my-tasks`, undefined, signal)).items,
  });

export const teamsQuery = (crisisId: string) =>
  queryOptions({
    queryKey: caseKeys.teams(crisisId),
    queryFn: async ({ signal }) =>
      (await api.get<{ items: Team[] }>(`${crisisPath(crisisId)}/teams`, undefined, signal)).items,
  });

export const runsQuery = (crisisId: string) =>
  queryOptions({
    queryKey: caseKeys.runs(crisisId),
    queryFn: async ({ signal }) =>
      (await api.get<{ items: WelfareRun[] }>(`${crisisPath(crisisId)}/welfare-runs`, undefined, signal))
        .items,
  });

export const loansQuery = (crisisId: string, personId: string) =>
  queryOptions({
    queryKey: caseKeys.loans(crisisId, personId),
    queryFn: async ({ signal }) =>
      (await api.get<{ items: Loan[] }>(`${crisisPath(crisisId)}/loans`, { personId }, signal)).items,
  });

/** A `datetime-local` value (the reader's own time) as an ISO instant, or undefined when empty. */
export function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}
