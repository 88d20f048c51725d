import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { restrictedPersonIds } from '../restricted/restricted-visibility.js';

type Q = Kysely<Database> | Transaction<Database>;

/** Largest identity walked from a starting registration (a runaway chain of wrong merges stops here). */
const MAX_GROUP = 500;

/**
 * The registrations that reviewers confirmed to be one person, as groups of person ids (two or more
 * per group, sorted). Only active `same` decisions count: pending or "unsure" suggestions, "not the
 * same person" decisions and undone (revoked) merges do not. Groups are connected components, so a
 * chain A=B, B=C makes one person of A, B and C.
 *
 * With `around`, only the groups containing one of those ids are built (walked outward from them);
 * without it, every group of the crisis. Persons linked to a restricted case are left out of the
 * groups (they are hidden everywhere outside the restricted area), but the decisions through them
 * still join the others. Internal: callers check access and must not show the ids to anyone who
 * cannot read the persons.
 */
export async function confirmedIdentityGroups(
  db: Q,
  crisisId: string,
  around?: readonly string[],
): Promise<string[][]> {
  const base = () =>
    db
      .selectFrom('identity_decisions')
      .select(['person_a', 'person_b'])
      .where('crisis_id', '=', crisisId)
      .where('decision', '=', 'same')
      .where('revoked_at', 'is', null);
  let edges: { person_a: string; person_b: string }[];
  if (around === undefined) {
    edges = await base().execute();
  } else {
    const seen = new Set(around);
    const found = new Map<string, { person_a: string; person_b: string }>();
    let frontier = [...seen];
    while (frontier.length > 0 && seen.size <= MAX_GROUP * Math.max(1, around.length)) {
      const rows: { person_a: string; person_b: string }[] = [];
      for (let i = 0; i < frontier.length; i += 500) {
        const chunk = frontier.slice(i, i + 500);
        rows.push(
          ...(await base()
            .where((eb) => eb.or([eb('person_a', 'in', chunk), eb('person_b', 'in', chunk)]))
            .execute()),
        );
      }
      frontier = [];
      for (const r of rows) {
        found.set(`${r.person_a}|${r.person_b}`, r);
        for (const p of [r.person_a, r.person_b])
          if (!seen.has(p)) {
            seen.add(p);
            frontier.push(p);
          }
      }
    }
    edges = [...found.values()];
  }
  if (edges.length === 0) return [];

  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== undefined && parent.get(root) !== root) root = parent.get(root)!;
    let cur = x;
    while (cur !== root) {
      const next = parent.get(cur)!;
      parent.set(cur, root);
      cur = next;
    }
    return root;
  };
  for (const e of edges) {
    if (!parent.has(e.person_a)) parent.set(e.person_a, e.person_a);
    if (!parent.has(e.person_b)) parent.set(e.person_b, e.person_b);
    const a = find(e.person_a);
    const b = find(e.person_b);
    // The smaller id becomes the root, so groups do not depend on the order decisions were read.
    if (a < b) parent.set(b, a);
    else if (b < a) parent.set(a, b);
  }
  const ids = [...parent.keys()];
  const hidden = new Set<string>();
  for (let i = 0; i < ids.length; i += 500)
    for (const r of await restrictedPersonIds(db)
      .where('restricted_cases.person_id', 'in', ids.slice(i, i + 500))
      .execute())
      if (r.person_id) hidden.add(r.person_id);
  const groups = new Map<string, string[]>();
  for (const id of parent.keys()) {
    if (hidden.has(id)) continue;
    const root = find(id);
    groups.set(root, [...(groups.get(root) ?? []), id]);
  }
  return [...groups.values()]
    .filter((g) => g.length > 1)
    .map((g) => g.sort())
    .sort((x, y) => (x[0]! < y[0]! ? -1 : 1));
}
