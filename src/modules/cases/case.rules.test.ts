import { describe, expect, it } from 'vitest';
import {
  CASE_STATES,
  canTransition,
  caseNumber,
  computePriority,
  dueAt,
  PRIORITY,
  TRANSITIONS,
} from './case.rules.js';

describe('case rules', () => {
  it('walks new → triaged → in progress → waiting → resolved → closed and allows reopening', () => {
    const path = [
      'new',
      'triaged',
      'in_progress',
      'waiting_person',
      'in_progress',
      'waiting_partner',
      'resolved',
      'closed',
      'in_progress',
    ] as const;
    for (let i = 1; i < path.length; i++)
      expect(canTransition(path[i - 1]!, path[i]!), `${path[i - 1]} → ${path[i]}`).toBe(true);
    expect(canTransition('closed', 'resolved')).toBe(false);
    expect(canTransition('in_progress', 'new')).toBe(false);
    for (const s of CASE_STATES) expect(TRANSITIONS[s]).not.toContain(s);
  });

  it('puts the diabetic grandmother and unaccompanied minors first', () => {
    expect(computePriority('medical', ['medical', 'elderly'])).toEqual({
      priority: PRIORITY.critical,
      reason: 'medical_need',
    });
    expect(computePriority('departure_assistance', ['unaccompanied_minor'])).toEqual({
      priority: PRIORITY.critical,
      reason: 'unaccompanied_minor',
    });
    expect(computePriority('departure_assistance', ['pregnancy']).priority).toBe(PRIORITY.high);
    expect(computePriority('medical', []).priority).toBe(PRIORITY.high);
    expect(computePriority('travel_documents', [])).toEqual({ priority: PRIORITY.normal, reason: 'default' });
  });

  it('sets deadlines per type and state, shorter for critical cases, none once resolved', () => {
    expect(dueAt('medical', 'new', PRIORITY.normal, '2023-10-20T10:00:00.000Z')).toBe(
      '2023-10-20T12:00:00.000Z',
    );
    expect(dueAt('medical', 'new', PRIORITY.critical, '2023-10-20T10:00:00.000Z')).toBe(
      '2023-10-20T11:00:00.000Z',
    );
    expect(dueAt('travel_documents', 'new', PRIORITY.low, '2023-10-20T10:00:00.000Z')).toBe(
      '2023-10-24T10:00:00.000Z',
    );
    expect(dueAt('medical', 'resolved', PRIORITY.critical, '2023-10-20T10:00:00.000Z')).toBeNull();
  });

  it('numbers cases without look-alike characters', () => {
    expect(caseNumber(Uint8Array.from([0, 1, 2, 30, 31]))).toBe('C-234Z2');
    expect(caseNumber(crypto.getRandomValues(new Uint8Array(5)))).toMatch(/^C-[2-9A-HJKMNP-Z]{5}$/);
  });
});
