import { randomBytes } from 'node:crypto';
import type { Selectable, Transaction } from 'kysely';
import type { z } from 'zod';
import type { Actor } from '../../access/actor.js';
import { requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import type { Database } from '../../db/schema.js';
import { nowIso } from '../../lib/clock.js';
import { AppError, conflict, notFound, validationFailed } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { personExistsInCrisis } from '../persons/person-records.service.js';
import type {
  liaisonSchema,
  restrictedCreateSchema,
  restrictedPersonSchema,
  restrictedTaskSchema,
  restrictedUpdateSchema,
} from './restricted.schemas.js';
import type { RestrictedCaseTable } from './restricted.table.js';

type CaseRow = Selectable<RestrictedCaseTable>;
type Person = z.output<typeof restrictedPersonSchema>;
interface SealedCase {
  person: Person;
  circumstances: string;
  lastKnownLocation?:
    | { place: string; asOf?: string | undefined; coordinates?: [number, number] | undefined }
    | undefined;
}

const today = () => new Date().toISOString().slice(0, 10);
const HIDE = { hide: 'case' };

/** Every restricted operation: the restricted role in that crisis, or the same 404 as a missing case. */
function guard(actor: Actor, crisisId: string, write: boolean) {
  requireAccess(actor, 'restricted.read', crisisId, HIDE);
  if (write) requireAccess(actor, 'restricted.update', crisisId, HIDE);
}

function summary(ctx: AppContext, row: CaseRow) {
  const sealed = JSON.parse(ctx.restrictedBox.open(row.sealed)) as SealedCase;
  return {
    id: row.id,
    number: row.number,
    kind: row.kind,
    status: row.status,
    citizenship: row.citizenship,
    personId: row.person_id,
    person: sealed.person,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sealed,
  };
}

async function addEvent(
  ctx: AppContext,
  trx: Transaction<Database>,
  actor: Actor,
  caseId: string,
  kind: string,
  eventDate: string,
  payload: Record<string, unknown>,
) {
  await trx
    .insertInto('restricted_events')
    .values({
      id: newId(),
      case_id: caseId,
      kind,
      event_date: eventDate,
      sealed: ctx.restrictedBox.seal(JSON.stringify(payload)),
      at: nowIso(),
      actor_id: actor.id,
    })
    .execute();
}

async function checkPersonLink(ctx: AppContext, crisisId: string, personId: string | null | undefined) {
  if (!personId) return;
  if (!(await personExistsInCrisis(ctx, crisisId, personId)))
    throw validationFailed([{ path: 'personId', message: 'No such person in this crisis.' }]);
}

export async function createRestrictedCase(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  input: z.output<typeof restrictedCreateSchema>,
) {
  guard(actor, crisisId, true);
  await checkPersonLink(ctx, crisisId, input.personId);
  const at = nowIso();
  const sealed: SealedCase = {
    person: input.person,
    circumstances: input.circumstances,
    lastKnownLocation: input.lastKnownLocation,
  };
  const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
  const row: CaseRow = {
    id: newId(),
    crisis_id: crisisId,
    number: `R-${[...randomBytes(6)].map((b) => alphabet[b % alphabet.length]).join('')}`,
    kind: input.kind,
    status: input.status,
    citizenship: input.citizenship,
    person_id: input.personId ?? null,
    sealed: ctx.restrictedBox.seal(JSON.stringify(sealed)),
    version: 1,
    created_by: actor.id,
    created_at: at,
    updated_at: at,
  };
  await ctx.db.writer.write(async (trx) => {
    await trx.insertInto('restricted_cases').values(row).execute();
    await addEvent(ctx, trx, actor, row.id, 'opened', input.eventDate ?? today(), {
      status: input.status,
      citizenship: input.citizenship,
    });
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'restricted.created',
      entityType: 'restricted_case',
      entityId: row.id,
      crisisId,
    });
  });
  const { sealed: _sealed, ...view } = summary(ctx, row);
  return view;
}

/** The cell's list. Reading it is audited; names are opened only here. */
export async function listRestrictedCases(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  filter: { status?: string | undefined; kind?: string | undefined },
) {
  guard(actor, crisisId, false);
  let q = ctx.db.db.selectFrom('restricted_cases').selectAll().where('crisis_id', '=', crisisId);
  if (filter.status) q = q.where('status', '=', filter.status as CaseRow['status']);
  if (filter.kind) q = q.where('kind', '=', filter.kind as CaseRow['kind']);
  const rows = await q.orderBy('updated_at', 'desc').limit(1000).execute();
  await ctx.db.writer.write((trx) =>
    recordAudit(trx, ctx.db.dialect, actor, {
      action: 'restricted.listed',
      entityType: 'restricted_case',
      entityId: null,
      crisisId,
      change: filter,
    }),
  );
  return rows.map((r) => {
    const { sealed: _sealed, ...view } = summary(ctx, r);
    return view;
  });
}

async function requireCase(
  ctx: AppContext,
  crisisId: string,
  caseId: string,
  db: Transaction<Database> | AppContext['db']['db'] = ctx.db.db,
) {
  const row = await db
    .selectFrom('restricted_cases')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .where('id', '=', caseId)
    .executeTakeFirst();
  if (!row) throw notFound('case');
  return row;
}

/** The case file: details, dated events, liaison contacts and tasks (audited). */
export async function getRestrictedCase(ctx: AppContext, actor: Actor, crisisId: string, caseId: string) {
  guard(actor, crisisId, false);
  const row = await requireCase(ctx, crisisId, caseId);
  const [events, liaisons, tasks] = await Promise.all([
    ctx.db.db
      .selectFrom('restricted_events')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('event_date')
      .orderBy('at')
      .execute(),
    ctx.db.db
      .selectFrom('restricted_liaisons')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('created_at')
      .execute(),
    ctx.db.db
      .selectFrom('restricted_tasks')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('created_at')
      .execute(),
  ]);
  await ctx.db.writer.write((trx) =>
    recordAudit(trx, ctx.db.dialect, actor, {
      action: 'restricted.viewed',
      entityType: 'restricted_case',
      entityId: caseId,
      crisisId,
    }),
  );
  const { sealed, ...view } = summary(ctx, row);
  return {
    ...view,
    circumstances: sealed.circumstances,
    lastKnownLocation: sealed.lastKnownLocation ?? null,
    events: events.map((e) => ({
      id: e.id,
      kind: e.kind,
      eventDate: e.event_date,
      at: e.at,
      data: JSON.parse(ctx.restrictedBox.open(e.sealed)) as Record<string, unknown>,
    })),
    liaisons: liaisons.map((l) => ({
      id: l.id,
      ...(JSON.parse(ctx.restrictedBox.open(l.sealed)) as Record<string, unknown>),
    })),
    tasks: tasks.map((t) => ({
      id: t.id,
      title: ctx.restrictedBox.open(t.sealed_title),
      dueAt: t.due_at,
      assigneeId: t.assignee_id,
      doneAt: t.done_at,
    })),
  };
}

/** Status, citizenship or details change, each with the day it happened (a release on 20 October). */
export async function updateRestrictedCase(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  caseId: string,
  input: z.output<typeof restrictedUpdateSchema>,
) {
  guard(actor, crisisId, true);
  await checkPersonLink(ctx, crisisId, input.personId);
  const at = nowIso();
  return ctx.db.writer.write(async (trx) => {
    const row = await requireCase(ctx, crisisId, caseId, trx);
    if (row.version !== input.version)
      throw new AppError(
        409,
        'version_conflict',
        'Someone else changed this case meanwhile; reload it and try again.',
      );
    const sealed = JSON.parse(ctx.restrictedBox.open(row.sealed)) as SealedCase;
    const next: SealedCase = {
      person: input.person ?? sealed.person,
      circumstances: input.circumstances ?? sealed.circumstances,
      lastKnownLocation: input.lastKnownLocation ?? sealed.lastKnownLocation,
    };
    const patch: Partial<CaseRow> = {
      ...(input.status ? { status: input.status } : {}),
      ...(input.citizenship ? { citizenship: input.citizenship } : {}),
      ...(input.personId !== undefined ? { person_id: input.personId } : {}),
      sealed: ctx.restrictedBox.seal(JSON.stringify(next)),
      version: row.version + 1,
      updated_at: at,
    };
    const r = await trx
      .updateTable('restricted_cases')
      .set(patch)
      .where('id', '=', caseId)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1)
      throw new AppError(
        409,
        'version_conflict',
        'Someone else changed this case meanwhile; reload it and try again.',
      );
    const eventDate = input.eventDate ?? today();
    if (input.status && input.status !== row.status)
      await addEvent(ctx, trx, actor, caseId, 'status_changed', eventDate, {
        from: row.status,
        to: input.status,
        note: input.note ?? '',
      });
    if (input.citizenship && input.citizenship !== row.citizenship) {
      await addEvent(ctx, trx, actor, caseId, 'citizenship_changed', eventDate, {
        from: row.citizenship,
        to: input.citizenship,
      });
    }
    if (input.person || input.circumstances !== undefined || input.lastKnownLocation)
      await addEvent(ctx, trx, actor, caseId, 'details_updated', eventDate, { note: input.note ?? '' });
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'restricted.updated',
      entityType: 'restricted_case',
      entityId: caseId,
      crisisId,
      change: { status: input.status, citizenship: input.citizenship },
    });
    const { sealed: _s, ...view } = summary(ctx, { ...row, ...patch } as CaseRow);
    return view;
  });
}

export async function addRestrictedNote(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  caseId: string,
  input: { text: string; eventDate?: string | undefined },
) {
  guard(actor, crisisId, true);
  await ctx.db.writer.write(async (trx) => {
    await requireCase(ctx, crisisId, caseId, trx);
    await addEvent(ctx, trx, actor, caseId, 'note', input.eventDate ?? today(), { text: input.text });
    await trx
      .updateTable('restricted_cases')
      .set({ updated_at: nowIso() })
      .where('id', '=', caseId)
      .execute();
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'restricted.note_added',
      entityType: 'restricted_case',
      entityId: caseId,
      crisisId,
    });
  });
}

export async function addLiaison(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  caseId: string,
  input: z.output<typeof liaisonSchema>,
) {
  guard(actor, crisisId, true);
  const id = newId();
  await ctx.db.writer.write(async (trx) => {
    await requireCase(ctx, crisisId, caseId, trx);
    await trx
      .insertInto('restricted_liaisons')
      .values({
        id,
        case_id: caseId,
        sealed: ctx.restrictedBox.seal(JSON.stringify(input)),
        created_at: nowIso(),
      })
      .execute();
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'restricted.liaison_added',
      entityType: 'restricted_case',
      entityId: caseId,
      crisisId,
    });
  });
  return { id, ...input };
}

export async function addRestrictedTask(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  caseId: string,
  input: z.output<typeof restrictedTaskSchema>,
) {
  guard(actor, crisisId, true);
  const id = newId();
  const dueAt = input.dueAt ? new Date(input.dueAt).toISOString() : null;
  await ctx.db.writer.write(async (trx) => {
    await requireCase(ctx, crisisId, caseId, trx);
    await trx
      .insertInto('restricted_tasks')
      .values({
        id,
        case_id: caseId,
        sealed_title: ctx.restrictedBox.seal(input.title),
        due_at: dueAt,
        assignee_id: actor.id,
        done_at: null,
        created_at: nowIso(),
      })
      .execute();
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'restricted.task_added',
      entityType: 'restricted_case',
      entityId: caseId,
      crisisId,
    });
  });
  return { id, title: input.title, dueAt, assigneeId: actor.id, doneAt: null };
}

export async function completeRestrictedTask(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  caseId: string,
  taskId: string,
) {
  guard(actor, crisisId, true);
  await ctx.db.writer.write(async (trx) => {
    await requireCase(ctx, crisisId, caseId, trx);
    const r = await trx
      .updateTable('restricted_tasks')
      .set({ done_at: nowIso() })
      .where('id', '=', taskId)
      .where('case_id', '=', caseId)
      .where('done_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw conflict('No such open task.');
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'restricted.task_done',
      entityType: 'restricted_case',
      entityId: caseId,
      crisisId,
    });
  });
}
