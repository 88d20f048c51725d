import type { AppContext } from '../../app-context.js';
import { normaliseDocumentNumber } from '../persons/person-normalise.js';
import { householdOfLink } from '../persons/person-records.service.js';
import { listDatesForPersons } from './list-review.service.js';

export type ListCheckInput =
  | { reference: string; secret: string }
  | { documentNumber: string; dateOfBirth: string };

export interface ListCheckAnswer {
  /** True when at least one person asked about is on a list dated today or later. */
  onList: boolean;
  lists: { listDate: string; crossing: string; people: string[] }[];
}

const NOT_ON_LIST: ListCheckAnswer = { onList: false, lists: [] };

/** The persons the asker may ask about: their household (update link), or one person (document + birth date). */
async function personsAskedAbout(
  ctx: AppContext,
  input: ListCheckInput,
): Promise<{ crisisId: string; ids: string[]; labels: Map<string, string> } | undefined> {
  if ('reference' in input) {
    const household = await householdOfLink(ctx, input.reference, input.secret);
    if (!household) return undefined;
    const members = await ctx.db.db
      .selectFrom('persons')
      .select(['id', 'given_name', 'given_name_ar', 'full_name', 'full_name_ar'])
      .where('household_id', '=', household.id)
      .where('anonymised_at', 'is', null)
      .execute();
    return {
      crisisId: household.crisis_id,
      ids: members.map((m) => m.id),
      labels: new Map(
        members.map((m) => [m.id, m.given_name ?? m.given_name_ar ?? m.full_name ?? m.full_name_ar ?? '—']),
      ),
    };
  }
  const number = normaliseDocumentNumber(input.documentNumber);
  if (number.length < 5) return undefined;
  const rows = await ctx.db.db
    .selectFrom('person_documents')
    .innerJoin('persons', 'persons.id', 'person_documents.person_id')
    .select(['persons.id', 'persons.crisis_id', 'persons.birth_date', 'persons.birth_precision'])
    .where('person_documents.number_normalised', '=', number)
    .where('persons.anonymised_at', 'is', null)
    .execute();
  // The birth date must agree; a registration that only knows the year agrees on the year.
  const hit = rows.find(
    (r) =>
      r.birth_date !== null &&
      (r.birth_date === input.dateOfBirth ||
        (r.birth_precision === 'year' && input.dateOfBirth.startsWith(r.birth_date))),
  );
  if (!hit) return undefined;
  return { crisisId: hit.crisis_id, ids: [hit.id], labels: new Map([[hit.id, '']]) };
}

/**
 * "Am I on today's list?" for the public portal. It answers only to someone who holds the
 * household's update link (reference + secret) or a document number with its date of birth,
 * never lists anyone else, and gives the same answer for unknown details as for "not on a list".
 * Registrations merged into one identity count together (the list may have matched the other).
 */
export async function checkApprovedLists(
  ctx: AppContext,
  input: ListCheckInput,
  today = new Date().toISOString().slice(0, 10),
): Promise<ListCheckAnswer> {
  const asked = await personsAskedAbout(ctx, input);
  if (!asked) return NOT_ON_LIST;
  const identity = new Map<string, string>(asked.ids.map((id) => [id, id]));
  const links = await ctx.db.db
    .selectFrom('identity_decisions')
    .select(['person_a', 'person_b'])
    .where('crisis_id', '=', asked.crisisId)
    .where('decision', '=', 'same')
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('person_a', 'in', asked.ids), eb('person_b', 'in', asked.ids)]))
    .execute();
  for (const l of links) {
    if (asked.ids.includes(l.person_a)) identity.set(l.person_b, identity.get(l.person_b) ?? l.person_a);
    if (asked.ids.includes(l.person_b)) identity.set(l.person_a, identity.get(l.person_a) ?? l.person_b);
  }
  const dates = await listDatesForPersons(ctx, asked.crisisId, [...identity.keys()]);
  const crossings = new Map(
    (
      await ctx.db.db
        .selectFrom('crossing_points')
        .select(['id', 'name'])
        .where('crisis_id', '=', asked.crisisId)
        .execute()
    ).map((c) => [c.id, c.name]),
  );
  const byList = new Map<string, { listDate: string; crossing: string; people: Set<string> }>();
  for (const [personId, lists] of dates) {
    const asker = identity.get(personId)!;
    for (const l of lists) {
      if (l.listDate < today) continue;
      const entry = byList.get(l.listId) ?? {
        listDate: l.listDate,
        crossing: crossings.get(l.crossingPointId) ?? '',
        people: new Set<string>(),
      };
      const label = asked.labels.get(asker);
      if (label) entry.people.add(label);
      byList.set(l.listId, entry);
    }
  }
  const lists = [...byList.values()]
    .sort((a, b) => (a.listDate < b.listDate ? -1 : 1))
    .map((l) => ({ listDate: l.listDate, crossing: l.crossing, people: [...l.people].sort() }));
  return { onList: lists.length > 0, lists };
}
