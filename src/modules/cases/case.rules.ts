/**
 * The rules of a case, as data and small pure functions: the state machine, the priority a case
 * gets from the person's vulnerabilities and its type, and how long it may stay in each state
 * before it is overdue. Kept free of I/O so they read like the policy they are.
 */

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

/** Allowed next states. Resolved and closed cases can be reopened (back to in progress). */
export const TRANSITIONS: Readonly<Record<CaseState, readonly CaseState[]>> = {
  new: ['triaged', 'in_progress', 'waiting_person', 'resolved', 'closed'],
  triaged: ['in_progress', 'waiting_person', 'waiting_partner', 'resolved', 'closed'],
  in_progress: ['waiting_person', 'waiting_partner', 'resolved'],
  waiting_person: ['in_progress', 'resolved'],
  waiting_partner: ['in_progress', 'resolved'],
  resolved: ['closed', 'in_progress'],
  closed: ['in_progress'],
};

export const canTransition = (from: CaseState, to: CaseState): boolean => TRANSITIONS[from].includes(to);

/** States that count as open work (queues, overdue). */
export const OPEN_STATES: readonly CaseState[] = [
  'new',
  'triaged',
  'in_progress',
  'waiting_person',
  'waiting_partner',
];

export const PRIORITY = { critical: 1, high: 2, normal: 3, low: 4 } as const;

export type Vulnerability = 'medical' | 'mobility' | 'pregnancy' | 'unaccompanied_minor' | 'elderly';

/**
 * Priority from the person's vulnerabilities and the case type, with the reason shown to staff:
 * a medical request from someone with a medical need, or an unaccompanied minor, is critical;
 * pregnancy, mobility needs and old age make a case high; a medical case is at least high.
 */
export function computePriority(
  type: CaseType,
  vulnerabilities: readonly Vulnerability[],
): { priority: number; reason: string } {
  const v = new Set(vulnerabilities);
  if (v.has('unaccompanied_minor')) return { priority: PRIORITY.critical, reason: 'unaccompanied_minor' };
  if (type === 'medical' && v.has('medical')) return { priority: PRIORITY.critical, reason: 'medical_need' };
  if (v.has('medical')) return { priority: PRIORITY.high, reason: 'medical_vulnerability' };
  if (v.has('pregnancy')) return { priority: PRIORITY.high, reason: 'pregnancy' };
  if (v.has('elderly') || v.has('mobility'))
    return { priority: PRIORITY.high, reason: v.has('elderly') ? 'elderly' : 'mobility' };
  if (type === 'medical') return { priority: PRIORITY.high, reason: 'medical_request' };
  if (type === 'welfare_check') return { priority: PRIORITY.normal, reason: 'welfare_check' };
  return { priority: PRIORITY.normal, reason: 'default' };
}

/**
 * Hours a case may stay in a state before it is overdue, per type. Waiting on a partner is
 * outside the cell's control, so it gets longer; resolved and closed have no deadline.
 */
const HOURS: Readonly<Record<CaseType, Partial<Record<CaseState, number>>>> = {
  medical: { new: 2, triaged: 4, in_progress: 12, waiting_person: 24, waiting_partner: 48 },
  departure_assistance: { new: 24, triaged: 24, in_progress: 72, waiting_person: 72, waiting_partner: 120 },
  welfare_check: { new: 24, triaged: 24, in_progress: 48, waiting_person: 48, waiting_partner: 96 },
  travel_documents: { new: 48, triaged: 48, in_progress: 120, waiting_person: 120, waiting_partner: 240 },
  evacuation_loan: { new: 48, triaged: 48, in_progress: 120, waiting_person: 120, waiting_partner: 240 },
  other: { new: 48, triaged: 48, in_progress: 120, waiting_person: 120, waiting_partner: 240 },
};

/** Critical cases get half the time; low-priority cases twice as much. */
export function dueAt(type: CaseType, state: CaseState, priority: number, enteredAt: string): string | null {
  const hours = HOURS[type][state];
  if (hours === undefined) return null;
  const factor = priority === PRIORITY.critical ? 0.5 : priority === PRIORITY.low ? 2 : 1;
  return new Date(Date.parse(enteredAt) + hours * factor * 3_600_000).toISOString();
}

/** "C-" and five characters without look-alikes, e.g. C-7K3QX. */
export function caseNumber(random: Uint8Array): string {
  const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
  return `C-${[...random.subarray(0, 5)].map((b) => alphabet[b % alphabet.length]).join('')}`;
}
