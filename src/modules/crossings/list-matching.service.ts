import type { Actor } from '../../access/actor.js';
import { requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import type { ExplainedCandidate } from '../../jobs/list-matching.worker.js';
import { runListMatching } from '../../jobs/worker-jobs.js';
import { nowIso } from '../../lib/clock.js';
import { conflict, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { NameRecord } from '../matching/index.js';
import { matchingRecordsForCrisis, personIdOf } from '../persons/person-records.service.js';
import {
  type EntryRow,
  entriesOf,
  findApprovedList,
  type MatchRow,
  matchesOf,
} from './approved-list.repository.js';

/** Candidates kept per list row; more than a handful is noise for a reviewer. */
const MAX_CANDIDATES = 5;

function entryRecords(entries: EntryRow[]): NameRecord[] {
  const out: NameRecord[] = [];
  for (const e of entries) {
    const common = {
      ...(e.date_of_birth ? { dateOfBirth: e.date_of_birth } : {}),
      ...(e.passport_number ? { passportNumber: e.passport_number } : {}),
      ...(e.sex ? { sex: e.sex } : {}),
      ...(e.nationality ? { nationality: e.nationality } : {}),
    };
    out.push({
      id: `${e.id}|l`,
      fullName: e.full_name,
      ...(e.given_name ? { givenName: e.given_name } : {}),
      ...(e.father_name ? { fatherName: e.father_name } : {}),
      ...(e.grandfather_name ? { grandfatherName: e.grandfather_name } : {}),
      ...(e.family_name ? { familyName: e.family_name } : {}),
      ...common,
    });
    if (e.full_name_ar) out.push({ id: `${e.id}|a`, fullName: e.full_name_ar, ...common });
  }
  return out;
}

/**
 * Folds script variants back onto (entry, person) pairs, keeping each pair's best score, and
 * decides each pair's status: a row whose single best candidate is a match — with no other
 * candidate also in the match band — is linked automatically; everything else waits for review.
 */
export function decideListMatches(candidates: ExplainedCandidate[]) {
  const best = new Map<string, ExplainedCandidate & { entryId: string; personId: string }>();
  for (const c of candidates) {
    const entryId = personIdOf(c.listId);
    const personId = personIdOf(c.registryId);
    const key = `${entryId}|${personId}`;
    const seen = best.get(key);
    if (!seen || c.score > seen.score) best.set(key, { ...c, entryId, personId });
  }
  const byEntry = new Map<string, (ExplainedCandidate & { entryId: string; personId: string })[]>();
  for (const pair of best.values()) {
    const list = byEntry.get(pair.entryId) ?? [];
    list.push(pair);
    byEntry.set(pair.entryId, list);
  }
  const decided: {
    entryId: string;
    personId: string;
    score: number;
    decision: 'match' | 'review';
    status: 'auto_linked' | 'pending';
    fields: ExplainedCandidate['fields'];
  }[] = [];
  for (const pairs of byEntry.values()) {
    pairs.sort((a, b) => b.score - a.score);
    const matches = pairs.filter((p) => p.decision === 'match').length;
    pairs.slice(0, MAX_CANDIDATES).forEach((p, i) => {
      const status = i === 0 && p.decision === 'match' && matches === 1 ? 'auto_linked' : 'pending';
      decided.push({
        entryId: p.entryId,
        personId: p.personId,
        score: p.score,
        decision: p.decision,
        status,
        fields: p.fields,
      });
    });
  }
  return decided;
}

export interface ListMatchSummary {
  listId: string;
  entries: number;
  registryPersons: number;
  autoLinked: number;
  pending: number;
  keptDecisions: number;
  seconds: number;
}

/**
 * Matches an approved list against the crisis registry in a worker thread, then stores the
 * candidates: matches auto-linked, the rest queued for review. Reviewers' earlier decisions
 * (confirmed / rejected) are kept when the list is matched again.
 */
export async function matchApprovedList(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  listId: string,
): Promise<ListMatchSummary> {
  requireAccess(actor, 'movement.read', crisisId, { hide: 'approved list' });
  requireAccess(actor, 'matching.review', crisisId);
  const started = performance.now();
  const list = await findApprovedList(ctx.db.db, crisisId, listId);
  if (!list) throw notFound('approved list');
  const entries = await entriesOf(ctx.db.db, listId);
  const registry = await matchingRecordsForCrisis(ctx, crisisId);
  const persons = new Set(registry.map((r) => personIdOf(r.id))).size;
  const candidates =
    registry.length === 0 || entries.length === 0
      ? []
      : await runListMatching({ registry, list: entryRecords(entries), maxCandidates: MAX_CANDIDATES * 2 });
  const decided = decideListMatches(candidates);
  const at = nowIso();
  const result = await ctx.db.writer.write(async (trx) => {
    const current = await findApprovedList(trx, crisisId, listId);
    if (!current) throw notFound('approved list');
    if (current.matched_at && current.matched_at > at)
      throw conflict('The list was matched again meanwhile.');
    const previous: MatchRow[] = await matchesOf(trx, listId);
    const reviewed = new Map(
      previous
        .filter((m) => m.status === 'confirmed' || m.status === 'rejected')
        .map((m) => [`${m.entry_id}|${m.person_id}`, m]),
    );
    await trx
      .deleteFrom('approved_list_matches')
      .where('list_id', '=', listId)
      .where('status', 'in', ['auto_linked', 'pending'])
      .execute();
    const rows = decided
      .filter((d) => !reviewed.has(`${d.entryId}|${d.personId}`))
      .map((d) => ({
        id: newId(),
        list_id: listId,
        entry_id: d.entryId,
        person_id: d.personId,
        score: d.score,
        decision: d.decision,
        status: d.status,
        explanation: JSON.stringify(d.fields),
        reviewed_by: null,
        reviewed_at: null,
      }));
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto('approved_list_matches')
        .values(rows.slice(i, i + 500))
        .execute();
    await trx.updateTable('approved_lists').set({ matched_at: at }).where('id', '=', listId).execute();
    const summary = {
      listId,
      entries: entries.length,
      registryPersons: persons,
      autoLinked: rows.filter((r) => r.status === 'auto_linked').length,
      pending: rows.filter((r) => r.status === 'pending').length,
      keptDecisions: reviewed.size,
      seconds: 0,
    };
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'approved_list.matched',
      entityType: 'approved_list',
      entityId: listId,
      crisisId,
      change: summary,
    });
    return summary;
  });
  return { ...result, seconds: Math.round((performance.now() - started) / 10) / 100 };
}
