import type { z } from 'zod';
import type { Actor } from '../../access/actor.js';
import { requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import { nowIso } from '../../lib/clock.js';
import { AppError, conflict, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { personSummaries } from '../persons/person-records.service.js';
import { eventsOf, findCase, findTask, insertTask, type TaskRow, tasksOf } from './case.repository.js';
import { type CaseState, canTransition } from './case.rules.js';
import type { bulkSchema, contactAttemptSchema, taskCreateSchema } from './case.schemas.js';
import { appendEvent, assignCase, changeCaseState, toCaseView } from './case.service.js';

export const toTaskView = (t: TaskRow, now = nowIso()) => ({
  id: t.id,
  caseId: t.case_id,
  title: t.title,
  dueAt: t.due_at,
  assigneeId: t.assignee_id,
  doneAt: t.done_at,
  overdue: t.done_at === null && t.due_at !== null && t.due_at < now,
});

/** The case page: the case, its person, timeline and tasks. Reading it is audited. */
export async function getCaseDetail(ctx: AppContext, actor: Actor, crisisId: string, caseId: string) {
  requireAccess(actor, 'case.read', crisisId, { hide: 'case' });
  const row = await findCase(ctx.db.db, crisisId, caseId);
  if (!row) throw notFound('case');
  const [events, tasks] = await Promise.all([eventsOf(ctx.db.db, caseId), tasksOf(ctx.db.db, caseId)]);
  const person = row.person_id
    ? ((await personSummaries(ctx, crisisId, [row.person_id])).get(row.person_id) ?? null)
    : null;
  await ctx.db.writer.write((trx) =>
    recordAudit(trx, ctx.db.dialect, actor, {
      action: 'case.viewed',
      entityType: 'case',
      entityId: caseId,
      crisisId,
    }),
  );
  return {
    case: toCaseView(row),
    person,
    events: events.map((e) => ({
      id: e.id,
      kind: e.kind,
      at: e.at,
      actorLabel: e.actor_label,
      data: JSON.parse(e.data) as Record<string, unknown>,
    })),
    tasks: tasks.map((t) => toTaskView(t)),
  };
}

async function requireCase(ctx: AppContext, actor: Actor, crisisId: string, caseId: string) {
  requireAccess(actor, 'case.read', crisisId, { hide: 'case' });
  requireAccess(actor, 'case.update', crisisId);
  const row = await findCase(ctx.db.db, crisisId, caseId);
  if (!row) throw notFound('case');
  return row;
}

export async function addCaseNote(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  caseId: string,
  text: string,
) {
  await requireCase(ctx, actor, crisisId, caseId);
  await ctx.db.writer.write(async (trx) => {
    await appendEvent(trx, actor, caseId, 'note', { text });
    await trx.updateTable('cases').set({ updated_at: nowIso() }).where('id', '=', caseId).execute();
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'case.note_added',
      entityType: 'case',
      entityId: caseId,
      crisisId,
      change: { length: text.length },
    });
  });
}

/** Logs a call or message and its outcome (the timeline shows every attempt). */
export async function addContactAttempt(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  caseId: string,
  input: z.output<typeof contactAttemptSchema>,
) {
  await requireCase(ctx, actor, crisisId, caseId);
  await ctx.db.writer.write(async (trx) => {
    await appendEvent(trx, actor, caseId, 'contact_attempt', input);
    await trx.updateTable('cases').set({ updated_at: nowIso() }).where('id', '=', caseId).execute();
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'case.contact_logged',
      entityType: 'case',
      entityId: caseId,
      crisisId,
      change: { channel: input.channel, outcome: input.outcome },
    });
  });
}

export async function addTask(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  caseId: string,
  input: z.output<typeof taskCreateSchema>,
) {
  await requireCase(ctx, actor, crisisId, caseId);
  const at = nowIso();
  const row: TaskRow = {
    id: newId(),
    case_id: caseId,
    crisis_id: crisisId,
    title: input.title,
    due_at: input.dueAt ? new Date(input.dueAt).toISOString() : null,
    assignee_id: input.assigneeId ?? (actor.kind === 'staff' ? actor.id : null),
    done_at: null,
    done_by: null,
    created_by: actor.id,
    created_at: at,
  };
  await ctx.db.writer.write(async (trx) => {
    await insertTask(trx, row);
    await appendEvent(
      trx,
      actor,
      caseId,
      'task_added',
      { taskId: row.id, title: row.title, dueAt: row.due_at },
      at,
    );
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'case.task_added',
      entityType: 'case',
      entityId: caseId,
      crisisId,
    });
  });
  return toTaskView(row);
}

export async function completeTask(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  caseId: string,
  taskId: string,
) {
  await requireCase(ctx, actor, crisisId, caseId);
  const at = nowIso();
  return ctx.db.writer.write(async (trx) => {
    const task = await findTask(trx, caseId, taskId);
    if (!task) throw notFound('task');
    if (task.done_at) throw conflict('This task is already done.');
    await trx
      .updateTable('case_tasks')
      .set({ done_at: at, done_by: actor.id })
      .where('id', '=', taskId)
      .execute();
    await appendEvent(trx, actor, caseId, 'task_done', { taskId, title: task.title }, at);
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'case.task_done',
      entityType: 'case',
      entityId: caseId,
      crisisId,
    });
    return toTaskView({ ...task, done_at: at, done_by: actor.id });
  });
}

/**
 * Assigns or closes many cases at once. Each case is handled on its own (its current version),
 * so one that cannot be closed is reported and the others still go through.
 */
export async function bulkUpdateCases(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  input: z.output<typeof bulkSchema>,
) {
  requireAccess(actor, 'case.read', crisisId, { hide: 'crisis' });
  requireAccess(actor, 'case.update', crisisId);
  const results: { caseId: string; ok: boolean; error?: string }[] = [];
  for (const caseId of new Set(input.caseIds)) {
    const row = await findCase(ctx.db.db, crisisId, caseId);
    if (!row) {
      results.push({ caseId, ok: false, error: 'not_found' });
      continue;
    }
    try {
      if (input.action === 'assign') {
        await assignCase(ctx, actor, crisisId, caseId, {
          assigneeId: input.assigneeId,
          teamId: input.teamId,
          version: row.version,
        });
      } else {
        let state = row.state as CaseState;
        let version = row.version;
        // Closing goes through "resolved" when the rules require it.
        if (!canTransition(state, 'closed') && canTransition(state, 'resolved')) {
          version = (
            await changeCaseState(ctx, actor, crisisId, caseId, { to: 'resolved', version, note: input.note })
          ).version;
          state = 'resolved';
        }
        await changeCaseState(ctx, actor, crisisId, caseId, { to: 'closed', version, note: input.note });
      }
      results.push({ caseId, ok: true });
    } catch (error) {
      results.push({ caseId, ok: false, error: error instanceof AppError ? error.code : 'failed' });
    }
  }
  return { results, done: results.filter((r) => r.ok).length };
}
