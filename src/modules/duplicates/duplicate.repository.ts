import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { DuplicateCandidateTable } from './duplicate.table.js';

type Q = Kysely<Database> | Transaction<Database>;
export type CandidateRow = Selectable<DuplicateCandidateTable>;

/** Pairs already queued (any status) or with an active decision, as "a|b" keys. */
export async function knownPairs(db: Q, crisisId: string): Promise<Set<string>> {
  const queued = await db
    .selectFrom('duplicate_candidates')
    .select(['person_a', 'person_b'])
    .where('crisis_id', '=', crisisId)
    .execute();
  const decided = await db
    .selectFrom('identity_decisions')
    .select(['person_a', 'person_b'])
    .where('crisis_id', '=', crisisId)
    .where('revoked_at', 'is', null)
    .execute();
  return new Set([...queued, ...decided].map((r) => `${r.person_a}|${r.person_b}`));
}

export async function insertCandidates(trx: Transaction<Database>, rows: CandidateRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await trx
      .insertInto('duplicate_candidates')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

export const candidatesOf = (
  db: Q,
  crisisId: string,
  f: { status: CandidateRow['status']; band?: 'match' | 'review' | undefined; offset: number; limit: number },
) => {
  let q = db
    .selectFrom('duplicate_candidates')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .where('status', '=', f.status);
  if (f.band) q = q.where('band', '=', f.band);
  return q.orderBy('score', 'desc').orderBy('id').offset(f.offset).limit(f.limit).execute();
};

export const findCandidate = (db: Q, crisisId: string, id: string) =>
  db
    .selectFrom('duplicate_candidates')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .where('id', '=', id)
    .executeTakeFirst();

export const findDecision = (db: Q, crisisId: string, id: string) =>
  db
    .selectFrom('identity_decisions')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .where('id', '=', id)
    .executeTakeFirst();

export const activeDecisionsTouching = (
  db: Q,
  crisisId: string,
  personIds: string[],
  decision: 'same' | 'not_same' | 'unsure',
) =>
  db
    .selectFrom('identity_decisions')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .where('decision', '=', decision)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('person_a', 'in', personIds), eb('person_b', 'in', personIds)]))
    .execute();
