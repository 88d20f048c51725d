import type { Actor } from '../../access/actor.js';
import { holdsInCrisis, requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import { nowIso } from '../../lib/clock.js';
import { conflict, notFound, validationFailed } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { type CaseSubjectRow, caseSubjects, teamsOfStaff } from './case.repository.js';
import { OPEN_STATES } from './case.rules.js';
import type { QueueQuery } from './case.schemas.js';
import { toCaseView } from './case.service.js';
import { toTaskView } from './case-work.service.js';

/**
 * The queues: mine, my team's, unassigned, overdue, all open, or everything — most urgent first
 * (priority, then the nearest deadline). Each row says who the case is about (`subject`): the
 * household reference, and the registered names only for callers holding `person.read`; a person
 * linked to a restricted case shows nothing (null), as on the case page. Names returned are audited
 * like a registry search.
 */
export async function caseQueue(ctx: AppContext, actor: Actor, crisisId: string, query: QueueQuery) {
  requireAccess(actor, 'case.read', crisisId, { hide: 'crisis' });
  const now = nowIso();
  let q = ctx.db.db.selectFrom('cases').selectAll().where('crisis_id', '=', crisisId);
  if (query.queue !== 'all') q = q.where('state', 'in', [...OPEN_STATES]);
  if (query.queue === 'mine') q = q.where('assignee_id', '=', actor.id ?? '');
  if (query.queue === 'unassigned') q = q.where('assignee_id', 'is', null).where('team_id', 'is', null);
  if (query.queue === 'overdue') q = q.where('due_at', '<', now);
  if (query.queue === 'team') {
    const teams = actor.kind === 'staff' ? await teamsOfStaff(ctx.db.db, crisisId, actor.id) : [];
    if (teams.length === 0) return { items: [], total: 0 };
    q = q.where('team_id', 'in', teams);
  }
  if (query.type) q = q.where('type', '=', query.type);
  if (query.state) q = q.where('state', '=', query.state);
  if (query.personId) q = q.where('person_id', '=', query.personId);
  const total = Number(
    (
      await q
        .clearSelect()
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  const rows = await q
    .orderBy('priority')
    .orderBy((eb) => eb.case().when('due_at', 'is', null).then(1).else(0).end())
    .orderBy('due_at')
    .orderBy('created_at')
    .offset(query.offset)
    .limit(query.limit)
    .execute();
  const subjects = await subjectsFor(ctx, actor, crisisId, rows, query.queue);
  const items = rows.map((r) => ({ ...toCaseView(r, now), subject: subjects.get(r.id) ?? null }));
  return { items, total };
}

/**
 * Open tasks assigned to the caller, soonest first, each with its case's number and who the case
 * is about (the same `subject` as the queues, under the same rules).
 */
export async function myTasks(ctx: AppContext, actor: Actor, crisisId: string) {
  requireAccess(actor, 'case.read', crisisId, { hide: 'crisis' });
  const rows = await ctx.db.db
    .selectFrom('case_tasks')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .where('assignee_id', '=', actor.id ?? '')
    .where('done_at', 'is', null)
    .orderBy((eb) => eb.case().when('due_at', 'is', null).then(1).else(0).end())
    .orderBy('due_at')
    .limit(200)
    .execute();
  const caseIds = [...new Set(rows.map((t) => t.case_id))];
  const cases = caseIds.length
    ? await ctx.db.db
        .selectFrom('cases')
        .select(['id', 'number', 'person_id', 'household_id'])
        .where('crisis_id', '=', crisisId)
        .where('id', 'in', caseIds)
        .execute()
    : [];
  const subjects = await subjectsFor(ctx, actor, crisisId, cases, 'tasks');
  const caseById = new Map(cases.map((c) => [c.id, c]));
  return rows.map((t) => ({
    ...toTaskView(t),
    case: {
      number: caseById.get(t.case_id)?.number ?? '',
      subject: subjects.get(t.case_id) ?? null,
    },
  }));
}

/**
 * Who each case is about, as a queue or task list shows it: names only for `person.read` holders
 * (audited like a registry search when any is handed out), the reference alone for others, and
 * nothing for a person linked to a restricted case.
 */
async function subjectsFor(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  cases: readonly { id: string; person_id: string | null; household_id: string | null }[],
  list: string,
): Promise<Map<string, CaseSubjectRow>> {
  const found = await caseSubjects(ctx.db.db, cases);
  if (!holdsInCrisis(actor, 'person.read', crisisId)) {
    return new Map(
      [...found].map(([id, s]) => [
        id,
        { householdReference: s.householdReference, fullName: null, fullNameAr: null },
      ]),
    );
  }
  const named = [...new Set(cases.flatMap((c) => (c.person_id && found.has(c.id) ? [c.person_id] : [])))];
  if (named.length > 0)
    await ctx.db.writer.write((trx) =>
      recordAudit(trx, ctx.db.dialect, actor, {
        action: 'case.queue_listed',
        entityType: 'person',
        entityId: null,
        crisisId,
        change: { list, returned: named },
      }),
    );
  return found;
}

export async function listTeams(ctx: AppContext, actor: Actor, crisisId: string) {
  requireAccess(actor, 'case.read', crisisId, { hide: 'crisis' });
  const teams = await ctx.db.db
    .selectFrom('case_teams')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .orderBy('name')
    .execute();
  const members = teams.length
    ? await ctx.db.db
        .selectFrom('case_team_members')
        .selectAll()
        .where(
          'team_id',
          'in',
          teams.map((t) => t.id),
        )
        .execute()
    : [];
  return teams.map((t) => ({
    id: t.id,
    name: t.name,
    memberIds: members.filter((m) => m.team_id === t.id).map((m) => m.staff_id),
  }));
}

/** Creates a team or replaces its members (staff must work on the crisis). */
export async function saveTeam(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  input: { id?: string | undefined; name: string; memberIds: string[] },
) {
  requireAccess(actor, 'case.read', crisisId, { hide: 'crisis' });
  requireAccess(actor, 'case.update', crisisId);
  const members = [...new Set(input.memberIds)];
  if (members.length) {
    const found = await ctx.db.db
      .selectFrom('staff_grants')
      .select('staff_id')
      .distinct()
      .where('staff_id', 'in', members)
      .where((eb) => eb.or([eb('crisis_id', '=', crisisId), eb('crisis_id', '=', '')]))
      .execute();
    const known = new Set(found.map((f) => f.staff_id));
    const bad = members.flatMap((m, i) =>
      known.has(m) ? [] : [{ path: `memberIds.${i}`, message: 'Not a staff member of this crisis.' }],
    );
    if (bad.length) throw validationFailed(bad);
  }
  const id = input.id ?? newId();
  await ctx.db.writer.write(async (trx) => {
    if (input.id) {
      const team = await trx
        .selectFrom('case_teams')
        .select('id')
        .where('id', '=', input.id)
        .where('crisis_id', '=', crisisId)
        .executeTakeFirst();
      if (!team) throw notFound('team');
      await trx.updateTable('case_teams').set({ name: input.name }).where('id', '=', id).execute();
      await trx.deleteFrom('case_team_members').where('team_id', '=', id).execute();
    } else {
      const clash = await trx
        .selectFrom('case_teams')
        .select('id')
        .where('crisis_id', '=', crisisId)
        .where('name', '=', input.name)
        .executeTakeFirst();
      if (clash)
        throw conflict('A team with this name exists.', [{ path: 'name', message: 'Already in use.' }]);
      await trx
        .insertInto('case_teams')
        .values({ id, crisis_id: crisisId, name: input.name, created_at: nowIso() })
        .execute();
    }
    if (members.length)
      await trx
        .insertInto('case_team_members')
        .values(members.map((staff_id) => ({ team_id: id, staff_id })))
        .execute();
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'case_team.saved',
      entityType: 'case_team',
      entityId: id,
      crisisId,
      change: { name: input.name, members: members.length },
    });
  });
  return { id, name: input.name, memberIds: members };
}
