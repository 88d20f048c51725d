import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { z } from 'zod';
import type { Actor } from '../../access/actor.js';
import { requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import type { Database } from '../../db/schema.js';
import { nowIso } from '../../lib/clock.js';
import { AppError, notFound, validationFailed } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { caseSubject } from '../persons/person-records.service.js';
import { type CaseRow, findCase, insertCase, insertEvent, updateCaseIfVersion } from './case.repository.js';
import {
  type CaseState,
  type CaseType,
  canTransition,
  caseNumber,
  computePriority,
  dueAt,
  TRANSITIONS,
  type Vulnerability,
} from './case.rules.js';
import type {
  assignSchema,
  CaseView,
  caseCreateSchema,
  prioritySchema,
  stateChangeSchema,
} from './case.schemas.js';

export function toCaseView(row: CaseRow, now = nowIso()): CaseView {
  const state = row.state as CaseState;
  return {
    id: row.id,
    number: row.number,
    crisisId: row.crisis_id,
    personId: row.person_id,
    householdId: row.household_id,
    type: row.type as CaseType,
    state,
    allowedNextStates: [...TRANSITIONS[state]],
    priority: row.priority,
    priorityReason: row.priority_reason,
    priorityOverridden: row.priority_overridden === 1,
    summary: row.summary,
    source: row.source,
    assigneeId: row.assignee_id,
    teamId: row.team_id,
    welfareRunId: row.welfare_run_id,
    stateChangedAt: row.state_changed_at,
    dueAt: row.due_at,
    overdue: row.due_at !== null && row.due_at < now,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
  };
}

export const versionConflict = () =>
  new AppError(409, 'version_conflict', 'Someone else changed this case meanwhile; reload it and try again.');

/** Appends a timeline event (the case's own history, beside the audit trail). */
export async function appendEvent(
  trx: Transaction<Database>,
  actor: Actor,
  caseId: string,
  kind: string,
  data: Record<string, unknown>,
  at = nowIso(),
) {
  await insertEvent(trx, {
    id: newId(),
    case_id: caseId,
    kind,
    at,
    actor_id: actor.id,
    actor_label: actor.label,
    data: JSON.stringify(data),
  });
}

async function checkStaffInCrisis(
  ctx: AppContext,
  crisisId: string,
  assigneeId: string | null | undefined,
  teamId: string | null | undefined,
) {
  const fields: { path: string; message: string }[] = [];
  if (assigneeId) {
    const grant = await ctx.db.db
      .selectFrom('staff_grants')
      .innerJoin('staff', 'staff.id', 'staff_grants.staff_id')
      .select('staff.id')
      .where('staff.id', '=', assigneeId)
      .where('staff.status', '=', 'active')
      .where((eb) =>
        eb.or([eb('staff_grants.crisis_id', '=', crisisId), eb('staff_grants.crisis_id', '=', '')]),
      )
      .executeTakeFirst();
    if (!grant)
      fields.push({
        path: 'assigneeId',
        message: 'No active staff member with that id works on this crisis.',
      });
  }
  if (teamId) {
    const team = await ctx.db.db
      .selectFrom('case_teams')
      .select('id')
      .where('id', '=', teamId)
      .where('crisis_id', '=', crisisId)
      .executeTakeFirst();
    if (!team) fields.push({ path: 'teamId', message: 'No such team in this crisis.' });
  }
  if (fields.length) throw validationFailed(fields);
}

export interface NewCase {
  personId?: string | undefined;
  householdId?: string | undefined;
  type: CaseType;
  summary: string;
  note?: string | undefined;
  assigneeId?: string | undefined;
  teamId?: string | undefined;
  source?: string;
  welfareRunId?: string | null;
  state?: CaseState;
}

/** Builds a case row (priority from vulnerabilities, deadline from the rules); no I/O. */
export function newCaseRow(
  crisisId: string,
  input: NewCase,
  subject: { personId: string | null; householdId: string; vulnerabilities: string[] },
  actor: Actor,
  at: string,
): CaseRow {
  const { priority, reason } = computePriority(input.type, subject.vulnerabilities as Vulnerability[]);
  const state = input.state ?? 'new';
  return {
    id: newId(),
    crisis_id: crisisId,
    number: caseNumber(randomBytes(5)),
    person_id: subject.personId,
    household_id: subject.householdId,
    type: input.type,
    state,
    priority,
    priority_computed: priority,
    priority_reason: reason,
    priority_overridden: 0,
    summary: input.summary,
    source: input.source ?? 'staff',
    assignee_id: input.assigneeId ?? null,
    team_id: input.teamId ?? null,
    welfare_run_id: input.welfareRunId ?? null,
    state_changed_at: at,
    due_at: dueAt(input.type, state, priority, at),
    version: 1,
    created_by: actor.id,
    created_at: at,
    updated_at: at,
    closed_at: null,
  };
}

/** Opens a case for a person or household of the crisis. */
export async function createCase(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  input: z.output<typeof caseCreateSchema> & { source?: string },
): Promise<CaseView> {
  requireAccess(actor, 'case.read', crisisId, { hide: 'crisis' });
  requireAccess(actor, 'case.update', crisisId);
  const subject = await caseSubject(ctx, crisisId, input);
  if (!subject)
    throw validationFailed([
      {
        path: input.personId ? 'personId' : 'householdId',
        message: 'No such person or household in this crisis.',
      },
    ]);
  await checkStaffInCrisis(ctx, crisisId, input.assigneeId, input.teamId);
  const at = nowIso();
  const row = newCaseRow(crisisId, input, subject, actor, at);
  await ctx.db.writer.write(async (trx) => {
    await insertCase(trx, row);
    await appendEvent(
      trx,
      actor,
      row.id,
      'opened',
      { type: row.type, summary: row.summary, priority: row.priority, reason: row.priority_reason },
      at,
    );
    if (input.note) await appendEvent(trx, actor, row.id, 'note', { text: input.note }, at);
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'case.created',
      entityType: 'case',
      entityId: row.id,
      crisisId,
      change: { type: row.type, personId: row.person_id, householdId: row.household_id },
    });
  });
  return toCaseView(row);
}

async function loadForChange(trx: Transaction<Database>, crisisId: string, caseId: string, version: number) {
  const row = await findCase(trx, crisisId, caseId);
  if (!row) throw notFound('case');
  if (row.version !== version) throw versionConflict();
  return row;
}

/** Moves a case to another state; refuses a transition the rules do not allow, naming the allowed ones. */
export async function changeCaseState(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  caseId: string,
  input: z.output<typeof stateChangeSchema>,
): Promise<CaseView> {
  requireAccess(actor, 'case.read', crisisId, { hide: 'case' });
  requireAccess(actor, 'case.update', crisisId);
  const at = nowIso();
  return ctx.db.writer.write(async (trx) => {
    const row = await loadForChange(trx, crisisId, caseId, input.version);
    const from = row.state as CaseState;
    if (!canTransition(from, input.to)) {
      throw new AppError(
        409,
        'invalid_transition',
        `A ${from.replace('_', ' ')} case cannot become ${input.to.replace('_', ' ')}; allowed: ${TRANSITIONS[from].join(', ')}.`,
        [{ path: 'to', message: `Allowed: ${TRANSITIONS[from].join(', ')}` }],
      );
    }
    const patch: Partial<CaseRow> = {
      state: input.to,
      state_changed_at: at,
      due_at: dueAt(row.type as CaseType, input.to, row.priority, at),
      updated_at: at,
      closed_at: input.to === 'closed' ? at : null,
    };
    if (!(await updateCaseIfVersion(trx, caseId, input.version, patch))) throw versionConflict();
    await appendEvent(
      trx,
      actor,
      caseId,
      'state_changed',
      { from, to: input.to, ...(input.note ? { note: input.note } : {}) },
      at,
    );
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'case.state_changed',
      entityType: 'case',
      entityId: caseId,
      crisisId,
      change: { from, to: input.to },
    });
    return toCaseView({ ...row, ...patch, version: input.version + 1 });
  });
}

/** Assigns a case to a staff member and/or a team (null clears). */
export async function assignCase(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  caseId: string,
  input: z.output<typeof assignSchema>,
): Promise<CaseView> {
  requireAccess(actor, 'case.read', crisisId, { hide: 'case' });
  requireAccess(actor, 'case.update', crisisId);
  await checkStaffInCrisis(ctx, crisisId, input.assigneeId, input.teamId);
  const at = nowIso();
  return ctx.db.writer.write(async (trx) => {
    const row = await loadForChange(trx, crisisId, caseId, input.version);
    const patch: Partial<CaseRow> = {
      ...(input.assigneeId !== undefined ? { assignee_id: input.assigneeId } : {}),
      ...(input.teamId !== undefined ? { team_id: input.teamId } : {}),
      updated_at: at,
    };
    if (!(await updateCaseIfVersion(trx, caseId, input.version, patch))) throw versionConflict();
    await appendEvent(
      trx,
      actor,
      caseId,
      'assigned',
      {
        assigneeId: patch.assignee_id !== undefined ? patch.assignee_id : row.assignee_id,
        teamId: patch.team_id !== undefined ? patch.team_id : row.team_id,
      },
      at,
    );
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'case.assigned',
      entityType: 'case',
      entityId: caseId,
      crisisId,
      change: input,
    });
    return toCaseView({ ...row, ...patch, version: input.version + 1 });
  });
}

/** Overrides the computed priority with a reason; `priority: null` returns to the computed one. */
export async function overridePriority(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  caseId: string,
  input: z.output<typeof prioritySchema>,
): Promise<CaseView> {
  requireAccess(actor, 'case.read', crisisId, { hide: 'case' });
  requireAccess(actor, 'case.update', crisisId);
  const at = nowIso();
  return ctx.db.writer.write(async (trx) => {
    const row = await loadForChange(trx, crisisId, caseId, input.version);
    const priority = input.priority ?? row.priority_computed;
    const patch: Partial<CaseRow> = {
      priority,
      priority_overridden: input.priority === null ? 0 : 1,
      priority_reason:
        input.priority === null ? computePriority(row.type as CaseType, []).reason : input.reason,
      due_at: dueAt(row.type as CaseType, row.state as CaseState, priority, row.state_changed_at),
      updated_at: at,
    };
    if (input.priority === null)
      patch.priority_reason = row.priority_overridden ? `reset: ${input.reason}` : row.priority_reason;
    if (!(await updateCaseIfVersion(trx, caseId, input.version, patch))) throw versionConflict();
    await appendEvent(
      trx,
      actor,
      caseId,
      'priority_changed',
      { from: row.priority, to: priority, reason: input.reason },
      at,
    );
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'case.priority_changed',
      entityType: 'case',
      entityId: caseId,
      crisisId,
      change: input,
    });
    return toCaseView({ ...row, ...patch, version: input.version + 1 });
  });
}
