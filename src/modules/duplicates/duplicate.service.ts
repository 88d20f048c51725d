import type { Actor } from '../../access/actor.js';
import { requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import { runDedupe } from '../../jobs/worker-jobs.js';
import { nowIso } from '../../lib/clock.js';
import { conflict, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { FieldExplanation } from '../matching/index.js';
import { matchingRecordsForCrisis, personIdOf, personSummaries } from '../persons/person-records.service.js';
import {
  activeDecisionsTouching,
  candidatesOf,
  findCandidate,
  findDecision,
  insertCandidates,
  knownPairs,
} from './duplicate.repository.js';

export type IdentityDecision = 'same' | 'not_same' | 'unsure';

const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

/**
 * Runs deduplication over a crisis's registry in a worker thread and queues every new candidate
 * pair for review. Pairs already queued or decided are not queued again; pairs already joined
 * in one identity are skipped.
 */
export async function findDuplicates(ctx: AppContext, actor: Actor, crisisId: string) {
  requireAccess(actor, 'person.read', crisisId, { hide: 'crisis' });
  requireAccess(actor, 'matching.review', crisisId);
  const started = performance.now();
  const records = await matchingRecordsForCrisis(ctx, crisisId);
  const pairs = records.length < 2 ? [] : await runDedupe({ records });
  const at = nowIso();
  const queued = await ctx.db.writer.write(async (trx) => {
    const known = await knownPairs(trx, crisisId);
    const fresh = pairs.filter((p) => !known.has(pairKey(p.personA, p.personB)));
    await insertCandidates(
      trx,
      fresh.map((p) => ({
        id: newId(),
        crisis_id: crisisId,
        person_a: p.personA,
        person_b: p.personB,
        score: p.score,
        band: p.band,
        explanation: JSON.stringify(p.fields),
        status: 'pending' as const,
        found_at: at,
      })),
    );
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'duplicates.searched',
      entityType: 'crisis',
      entityId: crisisId,
      crisisId,
      change: { records: records.length, pairs: pairs.length, queued: fresh.length },
    });
    return fresh.length;
  });
  return {
    registrations: new Set(records.map((r) => personIdOf(r.id))).size,
    pairsFound: pairs.length,
    newlyQueued: queued,
    seconds: Math.round((performance.now() - started) / 10) / 100,
  };
}

/** The review queue: pairs with both registrations and the per-field evidence (audited). */
export async function duplicateQueue(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  filter: {
    status: 'pending' | IdentityDecision;
    band?: 'match' | 'review' | undefined;
    offset: number;
    limit: number;
  },
) {
  requireAccess(actor, 'person.read', crisisId, { hide: 'crisis' });
  const rows = await candidatesOf(ctx.db.db, crisisId, filter);
  const persons = await personSummaries(ctx, crisisId, [
    ...new Set(rows.flatMap((r) => [r.person_a, r.person_b])),
  ]);
  await ctx.db.writer.write((trx) =>
    recordAudit(trx, ctx.db.dialect, actor, {
      action: 'duplicates.viewed',
      entityType: 'crisis',
      entityId: crisisId,
      crisisId,
      change: filter,
    }),
  );
  return rows
    .filter((r) => persons.has(r.person_a) && persons.has(r.person_b))
    .map((r) => ({
      id: r.id,
      score: r.score,
      band: r.band,
      status: r.status,
      foundAt: r.found_at,
      explanation: JSON.parse(r.explanation) as FieldExplanation[],
      a: persons.get(r.person_a)!,
      b: persons.get(r.person_b)!,
    }));
}

/**
 * Records a reviewer's decision on a candidate pair: "same" merges the two registrations into
 * one identity, "not the same person" keeps them apart (and stops the pair being queued again),
 * "unsure" parks it. Every decision keeps who and when, and can be undone.
 */
export async function decideDuplicate(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  candidateId: string,
  input: { decision: IdentityDecision; note?: string | undefined },
) {
  const [result] = await decideDuplicates(ctx, actor, crisisId, [candidateId], input);
  return result!;
}

/**
 * One decision for several pairs, all or nothing: if any pair is missing or already decided,
 * nothing is recorded and the error names it.
 */
export async function decideDuplicates(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  candidateIds: string[],
  input: { decision: IdentityDecision; note?: string | undefined },
) {
  requireAccess(actor, 'person.read', crisisId, { hide: 'duplicate pair' });
  requireAccess(actor, 'matching.review', crisisId);
  const at = nowIso();
  return ctx.db.writer.write(async (trx) => {
    const results: { decisionId: string; status: IdentityDecision; decidedAt: string }[] = [];
    for (const candidateId of new Set(candidateIds)) {
      const candidate = await findCandidate(trx, crisisId, candidateId);
      if (!candidate) throw notFound('duplicate pair');
      if (candidate.status !== 'pending' && candidate.status !== 'unsure') {
        throw conflict('This pair was already decided; undo that decision first.', [
          { path: candidateId, message: 'Already decided.' },
        ]);
      }
      const decisionId = newId();
      await trx
        .updateTable('identity_decisions')
        .set({ revoked_at: at, revoked_by: actor.id })
        .where('crisis_id', '=', crisisId)
        .where('person_a', '=', candidate.person_a)
        .where('person_b', '=', candidate.person_b)
        .where('revoked_at', 'is', null)
        .execute();
      await trx
        .insertInto('identity_decisions')
        .values({
          id: decisionId,
          crisis_id: crisisId,
          person_a: candidate.person_a,
          person_b: candidate.person_b,
          decision: input.decision,
          note: input.note ?? '',
          decided_by: actor.id,
          decided_at: at,
          revoked_by: null,
          revoked_at: null,
        })
        .execute();
      await trx
        .updateTable('duplicate_candidates')
        .set({ status: input.decision })
        .where('id', '=', candidateId)
        .execute();
      await recordAudit(trx, ctx.db.dialect, actor, {
        action: `identity.${input.decision}`,
        entityType: 'person',
        entityId: candidate.person_a,
        crisisId,
        change: { candidateId, other: candidate.person_b, note: input.note ?? '' },
      });
      results.push({ decisionId, status: input.decision, decidedAt: at });
    }
    return results;
  });
}

/** Undoes a decision (e.g. splits a wrong merge); the pair goes back to the queue. */
export async function revokeIdentityDecision(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  decisionId: string,
) {
  requireAccess(actor, 'person.read', crisisId, { hide: 'decision' });
  requireAccess(actor, 'matching.review', crisisId);
  const at = nowIso();
  return ctx.db.writer.write(async (trx) => {
    const decision = await findDecision(trx, crisisId, decisionId);
    if (!decision) throw notFound('decision');
    if (decision.revoked_at) throw conflict('This decision was already undone.');
    await trx
      .updateTable('identity_decisions')
      .set({ revoked_at: at, revoked_by: actor.id })
      .where('id', '=', decisionId)
      .execute();
    await trx
      .updateTable('duplicate_candidates')
      .set({ status: 'pending' })
      .where('crisis_id', '=', crisisId)
      .where('person_a', '=', decision.person_a)
      .where('person_b', '=', decision.person_b)
      .execute();
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'identity.decision_revoked',
      entityType: 'person',
      entityId: decision.person_a,
      crisisId,
      change: { decisionId, decision: decision.decision, other: decision.person_b },
    });
    return { decisionId, revokedAt: at };
  });
}

/**
 * Every registration behind one person: the connected component of active "same" decisions
 * around `personId`, with the decisions that join them (who, when).
 */
export async function identityOf(ctx: AppContext, actor: Actor, crisisId: string, personId: string) {
  requireAccess(actor, 'person.read', crisisId, { hide: 'person' });
  const seen = new Set([personId]);
  const decisions = new Map<string, Awaited<ReturnType<typeof activeDecisionsTouching>>[number]>();
  let frontier = [personId];
  while (frontier.length > 0 && seen.size <= 500) {
    const rows = await activeDecisionsTouching(ctx.db.db, crisisId, frontier, 'same');
    frontier = [];
    for (const d of rows) {
      decisions.set(d.id, d);
      for (const p of [d.person_a, d.person_b]) {
        if (!seen.has(p)) {
          seen.add(p);
          frontier.push(p);
        }
      }
    }
  }
  const persons = await personSummaries(ctx, crisisId, [...seen]);
  if (!persons.has(personId)) throw notFound('person');
  const deciders = [
    ...new Set([...decisions.values()].map((d) => d.decided_by).filter((d): d is string => d !== null)),
  ];
  const names = new Map(
    deciders.length
      ? (
          await ctx.db.db
            .selectFrom('staff')
            .select(['id', 'display_name'])
            .where('id', 'in', deciders)
            .execute()
        ).map((s) => [s.id, s.display_name])
      : [],
  );
  return {
    personId,
    registrations: [...persons.values()],
    decisions: [...decisions.values()].map((d) => ({
      id: d.id,
      personA: d.person_a,
      personB: d.person_b,
      decidedBy: d.decided_by,
      decidedByName: d.decided_by ? (names.get(d.decided_by) ?? null) : null,
      decidedAt: d.decided_at,
      note: d.note,
    })),
  };
}
