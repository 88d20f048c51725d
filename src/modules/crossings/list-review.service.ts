import type { Actor } from '../../access/actor.js';
import { requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import { nowIso } from '../../lib/clock.js';
import { conflict, notFound } from '../../lib/errors.js';
import type { FieldExplanation } from '../matching/index.js';
import { personSummaries } from '../persons/person-records.service.js';
import { findApprovedList } from './approved-list.repository.js';

export type MatchStatus = 'auto_linked' | 'pending' | 'confirmed' | 'rejected';

/**
 * Candidate pairs of a list for the review queue, best score first, with the list entry, the
 * registered person and the per-field explanation. Reading it is audited (names of people).
 */
export async function listMatchesForReview(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  listId: string,
  filter: { status?: MatchStatus | undefined; offset: number; limit: number },
) {
  requireAccess(actor, 'movement.read', crisisId, { hide: 'approved list' });
  requireAccess(actor, 'person.read', crisisId);
  if (!(await findApprovedList(ctx.db.db, crisisId, listId))) throw notFound('approved list');
  let q = ctx.db.db
    .selectFrom('approved_list_matches')
    .innerJoin('approved_list_entries', 'approved_list_entries.id', 'approved_list_matches.entry_id')
    .select([
      'approved_list_matches.id',
      'approved_list_matches.person_id',
      'approved_list_matches.score',
      'approved_list_matches.decision',
      'approved_list_matches.status',
      'approved_list_matches.explanation',
      'approved_list_matches.reviewed_by',
      'approved_list_matches.reviewed_at',
      'approved_list_entries.id as entry_id',
      'approved_list_entries.row_no',
      'approved_list_entries.source_ref',
      'approved_list_entries.full_name',
      'approved_list_entries.full_name_ar',
      'approved_list_entries.passport_number',
      'approved_list_entries.date_of_birth',
      'approved_list_entries.nationality',
    ])
    .where('approved_list_matches.list_id', '=', listId);
  if (filter.status) q = q.where('approved_list_matches.status', '=', filter.status);
  const rows = await q
    .orderBy('approved_list_matches.score', 'desc')
    .orderBy('approved_list_entries.row_no')
    .offset(filter.offset)
    .limit(filter.limit)
    .execute();
  const persons = await personSummaries(
    ctx,
    crisisId,
    rows.map((r) => r.person_id),
  );
  await ctx.db.writer.write((trx) =>
    recordAudit(trx, ctx.db.dialect, actor, {
      action: 'approved_list.matches_viewed',
      entityType: 'approved_list',
      entityId: listId,
      crisisId,
      change: filter,
    }),
  );
  return rows
    .filter((r) => persons.has(r.person_id))
    .map((r) => ({
      id: r.id,
      score: r.score,
      decision: r.decision,
      status: r.status,
      explanation: JSON.parse(r.explanation) as FieldExplanation[],
      reviewedBy: r.reviewed_by,
      reviewedAt: r.reviewed_at,
      entry: {
        id: r.entry_id,
        rowNo: r.row_no,
        sourceRef: r.source_ref,
        fullName: r.full_name,
        fullNameAr: r.full_name_ar,
        passportNumber: r.passport_number,
        dateOfBirth: r.date_of_birth,
        nationality: r.nationality,
      },
      person: persons.get(r.person_id)!,
    }));
}

/** A reviewer confirms or rejects a candidate pair; an auto-link can be rejected too. */
export async function decideListMatch(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  listId: string,
  matchId: string,
  decision: 'confirm' | 'reject',
) {
  requireAccess(actor, 'movement.read', crisisId, { hide: 'match' });
  requireAccess(actor, 'matching.review', crisisId);
  const at = nowIso();
  return ctx.db.writer.write(async (trx) => {
    const match = await trx
      .selectFrom('approved_list_matches')
      .innerJoin('approved_lists', 'approved_lists.id', 'approved_list_matches.list_id')
      .select(['approved_list_matches.id', 'approved_list_matches.status', 'approved_list_matches.person_id'])
      .where('approved_list_matches.id', '=', matchId)
      .where('approved_list_matches.list_id', '=', listId)
      .where('approved_lists.crisis_id', '=', crisisId)
      .executeTakeFirst();
    if (!match) throw notFound('match');
    const status: MatchStatus = decision === 'confirm' ? 'confirmed' : 'rejected';
    if (match.status === status) throw conflict(`Already ${status}.`);
    await trx
      .updateTable('approved_list_matches')
      .set({ status, reviewed_by: actor.id, reviewed_at: at })
      .where('id', '=', matchId)
      .execute();
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: `approved_list.match_${status}`,
      entityType: 'person',
      entityId: match.person_id,
      crisisId,
      change: { listId, matchId, from: match.status, to: status },
    });
    return { id: matchId, status, reviewedAt: at };
  });
}

/**
 * The approved lists each person is on (auto-linked or confirmed), newest day first: what the
 * registry shows as "on the list for <date>". Internal: callers check access.
 */
export async function listDatesForPersons(
  ctx: AppContext,
  crisisId: string,
  personIds: string[],
): Promise<Map<string, { listId: string; listDate: string; crossingPointId: string }[]>> {
  const out = new Map<string, { listId: string; listDate: string; crossingPointId: string }[]>();
  for (let i = 0; i < personIds.length; i += 500) {
    const rows = await ctx.db.db
      .selectFrom('approved_list_matches')
      .innerJoin('approved_lists', 'approved_lists.id', 'approved_list_matches.list_id')
      .select([
        'approved_list_matches.person_id',
        'approved_lists.id',
        'approved_lists.list_date',
        'approved_lists.crossing_point_id',
      ])
      .where('approved_lists.crisis_id', '=', crisisId)
      .where('approved_list_matches.person_id', 'in', personIds.slice(i, i + 500))
      .where('approved_list_matches.status', 'in', ['auto_linked', 'confirmed'])
      .orderBy('approved_lists.list_date', 'desc')
      .execute();
    for (const r of rows) {
      const list = out.get(r.person_id) ?? [];
      if (!list.some((l) => l.listId === r.id))
        list.push({ listId: r.id, listDate: r.list_date, crossingPointId: r.crossing_point_id });
      out.set(r.person_id, list);
    }
  }
  return out;
}
