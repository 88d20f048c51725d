import type { Actor } from '../../access/actor.js';
import { requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import { nowIso } from '../../lib/clock.js';
import { AppError, conflict, notFound, validationFailed } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { welfareFollowUpsDue, welfareRunStarted } from '../messaging/hooks.js';
import { restrictedPersonIds } from '../restricted/restricted-visibility.js';
import { findCase, insertCase, insertTask, updateCaseIfVersion } from './case.repository.js';
import { type CaseState, dueAt, PRIORITY } from './case.rules.js';
import { appendEvent, newCaseRow } from './case.service.js';

export const WELFARE_ANSWERS = ['safe', 'needs_help', 'left_zone'] as const;
export type WelfareAnswer = (typeof WELFARE_ANSWERS)[number];

const MAX_RUN_SIZE = 20_000;

export interface WelfareRunInput {
  name: string;
  question: string;
  personIds?: string[] | undefined;
  zoneIds?: string[] | undefined;
  followUpAfterHours: number;
  callAfterHours: number;
}

/**
 * Starts a welfare-check run: one welfare-check case per person of the audience (chosen ids, or
 * everyone in the given zones), waiting for the person's answer.
 */
export async function startWelfareRun(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  input: WelfareRunInput,
) {
  requireAccess(actor, 'case.read', crisisId, { hide: 'crisis' });
  requireAccess(actor, 'case.update', crisisId);
  if (input.callAfterHours <= input.followUpAfterHours) {
    throw validationFailed([
      { path: 'callAfterHours', message: 'The call comes after the follow-up message.' },
    ]);
  }
  if (!input.personIds?.length && !input.zoneIds?.length) {
    throw validationFailed([
      { path: 'personIds', message: 'Choose people, or zones whose people to check on.' },
    ]);
  }
  let q = ctx.db.db
    .selectFrom('persons')
    .select(['id', 'household_id', 'vulnerabilities'])
    .where('crisis_id', '=', crisisId)
    .where('anonymised_at', 'is', null)
    .where('id', 'not in', restrictedPersonIds(ctx.db.db));
  if (input.personIds?.length) q = q.where('id', 'in', input.personIds);
  if (input.zoneIds?.length) q = q.where('zone_id', 'in', input.zoneIds);
  const persons = await q.limit(MAX_RUN_SIZE + 1).execute();
  if (persons.length > MAX_RUN_SIZE)
    throw validationFailed([{ path: 'zoneIds', message: `At most ${MAX_RUN_SIZE} people per run.` }]);
  if (persons.length === 0)
    throw validationFailed([
      { path: input.personIds?.length ? 'personIds' : 'zoneIds', message: 'Nobody matches.' },
    ]);
  const at = nowIso();
  const runId = newId();
  await ctx.db.writer.write(async (trx) => {
    await trx
      .insertInto('welfare_runs')
      .values({
        id: runId,
        crisis_id: crisisId,
        name: input.name,
        question: input.question,
        follow_up_after_hours: input.followUpAfterHours,
        call_after_hours: input.callAfterHours,
        status: 'open',
        created_by: actor.id,
        created_at: at,
      })
      .execute();
    for (const p of persons) {
      const row = newCaseRow(
        crisisId,
        {
          type: 'welfare_check',
          summary: input.name,
          source: 'welfare_run',
          welfareRunId: runId,
          state: 'waiting_person',
        },
        {
          personId: p.id,
          householdId: p.household_id,
          vulnerabilities: JSON.parse(p.vulnerabilities) as string[],
        },
        actor,
        at,
      );
      await insertCase(trx, row);
      await appendEvent(trx, actor, row.id, 'opened', { type: 'welfare_check', runId }, at);
    }
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'welfare_run.started',
      entityType: 'welfare_run',
      entityId: runId,
      crisisId,
      change: { name: input.name, persons: persons.length },
    });
  });
  await welfareRunStarted(ctx, actor, crisisId, { id: runId, name: input.name, question: input.question });
  return welfareRunProgress(ctx, actor, crisisId, runId);
}

/** Records a person's answer (from staff, or from an inbound message through the system actor). */
export async function recordWelfareAnswer(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  caseId: string,
  input: { answer: WelfareAnswer; note?: string | undefined },
) {
  requireAccess(actor, 'case.read', crisisId, { hide: 'case' });
  requireAccess(actor, 'case.update', crisisId);
  const at = nowIso();
  return ctx.db.writer.write(async (trx) => {
    const row = await findCase(trx, crisisId, caseId);
    if (row?.type !== 'welfare_check') throw notFound('welfare check');
    if (row.state === 'closed' || row.state === 'resolved')
      throw conflict('This welfare check already has its answer.');
    const to: CaseState = input.answer === 'needs_help' ? 'in_progress' : 'resolved';
    const priority = input.answer === 'needs_help' ? Math.min(row.priority, PRIORITY.high) : row.priority;
    const ok = await updateCaseIfVersion(trx, caseId, row.version, {
      state: to,
      state_changed_at: at,
      priority,
      due_at: dueAt('welfare_check', to, priority, at),
      updated_at: at,
    });
    if (!ok) throw new AppError(409, 'version_conflict', 'The case changed meanwhile; try again.');
    await appendEvent(
      trx,
      actor,
      caseId,
      'answer',
      { answer: input.answer, ...(input.note ? { note: input.note } : {}) },
      at,
    );
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'welfare.answer_recorded',
      entityType: 'case',
      entityId: caseId,
      crisisId,
      change: { answer: input.answer },
    });
    return { caseId, state: to, answer: input.answer };
  });
}

/**
 * Moves every open run along: after `followUpAfterHours` without an answer a follow-up is due
 * (sent by messaging), after `callAfterHours` a call task is created for those still silent.
 * Idempotent: each step happens once per case. Run by the worker and on demand.
 */
export async function advanceWelfareRuns(ctx: AppContext, actor: Actor, crisisId: string, now = new Date()) {
  requireAccess(actor, 'case.update', crisisId);
  const runs = await ctx.db.db
    .selectFrom('welfare_runs')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .where('status', '=', 'open')
    .execute();
  let followUps = 0;
  let calls = 0;
  for (const run of runs) {
    const started = Date.parse(run.created_at);
    const followUpDue = now.getTime() >= started + run.follow_up_after_hours * 3_600_000;
    const callDue = now.getTime() >= started + run.call_after_hours * 3_600_000;
    if (!followUpDue) continue;
    const silent = await ctx.db.db
      .selectFrom('cases')
      .select(['id', 'assignee_id'])
      .where('welfare_run_id', '=', run.id)
      .where('state', '=', 'waiting_person')
      .execute();
    if (silent.length === 0) continue;
    const ids = silent.map((s) => s.id);
    const done = await ctx.db.db
      .selectFrom('case_events')
      .select(['case_id', 'kind'])
      .where('case_id', 'in', ids)
      .where('kind', 'in', ['follow_up_due', 'call_task_created'])
      .execute();
    const has = (id: string, kind: string) => done.some((d) => d.case_id === id && d.kind === kind);
    const at = now.toISOString();
    const followedUp: string[] = [];
    await ctx.db.writer.write(async (trx) => {
      for (const c of silent) {
        if (!has(c.id, 'follow_up_due')) {
          await appendEvent(trx, actor, c.id, 'follow_up_due', { runId: run.id }, at);
          followUps += 1;
          followedUp.push(c.id);
        }
        if (callDue && !has(c.id, 'call_task_created')) {
          const taskId = newId();
          await insertTask(trx, {
            id: taskId,
            case_id: c.id,
            crisis_id: crisisId,
            title: 'Call: no answer to the welfare check',
            due_at: new Date(now.getTime() + 4 * 3_600_000).toISOString(),
            assignee_id: c.assignee_id,
            done_at: null,
            done_by: null,
            created_by: actor.id,
            created_at: at,
          });
          await appendEvent(trx, actor, c.id, 'call_task_created', { runId: run.id, taskId }, at);
          calls += 1;
        }
      }
      await recordAudit(trx, ctx.db.dialect, actor, {
        action: 'welfare_run.advanced',
        entityType: 'welfare_run',
        entityId: run.id,
        crisisId,
        change: { followUps, calls },
      });
    });
    await welfareFollowUpsDue(ctx, actor, crisisId, run, followedUp);
  }
  return { runs: runs.length, followUps, calls };
}

/** Counts for a run's progress page. */
export async function welfareRunProgress(ctx: AppContext, actor: Actor, crisisId: string, runId: string) {
  requireAccess(actor, 'case.read', crisisId, { hide: 'welfare run' });
  const run = await ctx.db.db
    .selectFrom('welfare_runs')
    .selectAll()
    .where('id', '=', runId)
    .where('crisis_id', '=', crisisId)
    .executeTakeFirst();
  if (!run) throw notFound('welfare run');
  const cases = await ctx.db.db
    .selectFrom('cases')
    .select(['id', 'state'])
    .where('welfare_run_id', '=', runId)
    .execute();
  const ids = cases.map((c) => c.id);
  const events = ids.length
    ? await ctx.db.db
        .selectFrom('case_events')
        .select(['case_id', 'kind', 'data'])
        .where('case_id', 'in', ids)
        .where('kind', 'in', ['answer', 'follow_up_due', 'call_task_created'])
        .execute()
    : [];
  const answers = events
    .filter((e) => e.kind === 'answer')
    .map((e) => (JSON.parse(e.data) as { answer: WelfareAnswer }).answer);
  const count = (a: WelfareAnswer) => answers.filter((x) => x === a).length;
  return {
    id: run.id,
    name: run.name,
    question: run.question,
    status: run.status,
    createdAt: run.created_at,
    followUpAfterHours: run.follow_up_after_hours,
    callAfterHours: run.call_after_hours,
    counts: {
      total: cases.length,
      answered: answers.length,
      safe: count('safe'),
      needsHelp: count('needs_help'),
      leftZone: count('left_zone'),
      silent: cases.filter((c) => c.state === 'waiting_person').length,
      followUpsDue: events.filter((e) => e.kind === 'follow_up_due').length,
      callTasks: events.filter((e) => e.kind === 'call_task_created').length,
    },
  };
}

export async function listWelfareRuns(ctx: AppContext, actor: Actor, crisisId: string) {
  requireAccess(actor, 'case.read', crisisId, { hide: 'crisis' });
  const runs = await ctx.db.db
    .selectFrom('welfare_runs')
    .select('id')
    .where('crisis_id', '=', crisisId)
    .orderBy('created_at', 'desc')
    .execute();
  return Promise.all(runs.map((r) => welfareRunProgress(ctx, actor, crisisId, r.id)));
}
