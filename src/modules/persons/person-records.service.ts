import type { AppContext } from '../../app-context.js';
import { hashSecret } from '../../lib/ids.js';
import type { NameRecord } from '../matching/index.js';
import { restrictedPersonIds } from '../restricted/restricted-visibility.js';
import { findHouseholdByLink } from './person.repository.js';
import { normaliseReferenceCode } from './reference-code.js';

/**
 * Registry records in the shape the matching library reads, for one crisis. A person with both
 * a Latin and an Arabic name gives two records (`<id>|l`, `<id>|a`) so that a list in either
 * script meets them; callers fold candidates back onto the person id with {@link personIdOf}.
 * Anonymised persons are left out. Internal: callers check access before.
 */
export async function matchingRecordsForCrisis(ctx: AppContext, crisisId: string): Promise<NameRecord[]> {
  const persons = await ctx.db.db
    .selectFrom('persons')
    .select([
      'id',
      'given_name',
      'father_name',
      'grandfather_name',
      'family_name',
      'full_name',
      'given_name_ar',
      'father_name_ar',
      'grandfather_name_ar',
      'family_name_ar',
      'full_name_ar',
      'sex',
      'birth_date',
      'birth_precision',
      'nationalities',
    ])
    .where('crisis_id', '=', crisisId)
    .where('anonymised_at', 'is', null)
    .where('id', 'not in', restrictedPersonIds(ctx.db.db))
    .execute();
  const passports = await ctx.db.db
    .selectFrom('person_documents')
    .select(['person_id', 'number_normalised'])
    .where('crisis_id', '=', crisisId)
    .where('type', '=', 'passport')
    .execute();
  const passportOf = new Map(passports.map((p) => [p.person_id, p.number_normalised]));
  const out: NameRecord[] = [];
  for (const p of persons) {
    const dob =
      p.birth_date && p.birth_precision === 'year'
        ? p.birth_date.slice(0, 4)
        : p.birth_precision === 'unknown'
          ? undefined
          : (p.birth_date ?? undefined);
    const common = {
      ...(dob ? { dateOfBirth: dob } : {}),
      ...(passportOf.get(p.id) ? { passportNumber: passportOf.get(p.id)! } : {}),
      ...(p.sex === 'male' || p.sex === 'M'
        ? { sex: 'M' }
        : p.sex === 'female' || p.sex === 'F'
          ? { sex: 'F' }
          : {}),
      ...(JSON.parse(p.nationalities)[0] ? { nationality: String(JSON.parse(p.nationalities)[0]) } : {}),
    };
    const latin =
      p.full_name ??
      [p.given_name, p.father_name, p.grandfather_name, p.family_name].filter(Boolean).join(' ');
    if (latin) {
      out.push({
        id: `${p.id}|l`,
        fullName: latin,
        ...(p.given_name ? { givenName: p.given_name } : {}),
        ...(p.father_name ? { fatherName: p.father_name } : {}),
        ...(p.grandfather_name ? { grandfatherName: p.grandfather_name } : {}),
        ...(p.family_name ? { familyName: p.family_name } : {}),
        ...common,
      });
    }
    const arabic =
      p.full_name_ar ??
      [p.given_name_ar, p.father_name_ar, p.grandfather_name_ar, p.family_name_ar].filter(Boolean).join(' ');
    if (arabic) {
      out.push({
        id: `${p.id}|a`,
        fullName: arabic,
        ...(p.given_name_ar ? { givenName: p.given_name_ar } : {}),
        ...(p.father_name_ar ? { fatherName: p.father_name_ar } : {}),
        ...(p.grandfather_name_ar ? { grandfatherName: p.grandfather_name_ar } : {}),
        ...(p.family_name_ar ? { familyName: p.family_name_ar } : {}),
        ...common,
      });
    }
  }
  return out;
}

/** The person id behind a matching record id (`<id>|l` or `<id>|a`). */
export const personIdOf = (recordId: string): string => recordId.replace(/\|[la]$/, '');

export interface PersonSummary {
  id: string;
  householdId: string;
  reference: string;
  fullName: string | null;
  fullNameAr: string | null;
  dateOfBirth: string | null;
  sex: string;
  passportNumber: string | null;
}

/** Short descriptions of persons for review screens (internal: callers check access and audit). */
export async function personSummaries(
  ctx: AppContext,
  crisisId: string,
  ids: string[],
): Promise<Map<string, PersonSummary>> {
  const out = new Map<string, PersonSummary>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = await ctx.db.db
      .selectFrom('persons')
      .innerJoin('households', 'households.id', 'persons.household_id')
      .select([
        'persons.id',
        'persons.household_id',
        'households.reference',
        'persons.full_name',
        'persons.full_name_ar',
        'persons.birth_date',
        'persons.sex',
      ])
      .where('persons.crisis_id', '=', crisisId)
      .where('persons.id', 'in', chunk)
      .where('persons.id', 'not in', restrictedPersonIds(ctx.db.db))
      .execute();
    const passports = await ctx.db.db
      .selectFrom('person_documents')
      .select(['person_id', 'number_normalised'])
      .where('person_id', 'in', chunk)
      .where('type', '=', 'passport')
      .execute();
    const passportOf = new Map(passports.map((p) => [p.person_id, p.number_normalised]));
    for (const r of rows) {
      out.set(r.id, {
        id: r.id,
        householdId: r.household_id,
        reference: r.reference,
        fullName: r.full_name,
        fullNameAr: r.full_name_ar,
        dateOfBirth: r.birth_date,
        sex: r.sex,
        passportNumber: passportOf.get(r.id) ?? null,
      });
    }
  }
  return out;
}

/**
 * What a case needs to know about the person or household it is opened for: that they exist in
 * the crisis, the household, and the vulnerabilities (of the person, or of every member of the
 * household) from which the case's priority is computed. Undefined when not found.
 */
export async function caseSubject(
  ctx: AppContext,
  crisisId: string,
  ref: { personId?: string | undefined; householdId?: string | undefined },
): Promise<{ personId: string | null; householdId: string; vulnerabilities: string[] } | undefined> {
  let q = ctx.db.db
    .selectFrom('persons')
    .select(['id', 'household_id', 'vulnerabilities'])
    .where('crisis_id', '=', crisisId)
    .where('anonymised_at', 'is', null)
    .where('id', 'not in', restrictedPersonIds(ctx.db.db));
  if (ref.personId) q = q.where('id', '=', ref.personId);
  else if (ref.householdId) q = q.where('household_id', '=', ref.householdId);
  else return undefined;
  const rows = await q.execute();
  if (rows.length === 0) return undefined;
  if (ref.personId && ref.householdId && rows[0]!.household_id !== ref.householdId) return undefined;
  const vulnerabilities = [...new Set(rows.flatMap((r) => JSON.parse(r.vulnerabilities) as string[]))];
  return { personId: ref.personId ?? null, householdId: rows[0]!.household_id, vulnerabilities };
}

/** True when the person exists in the crisis, restricted or not (for linking a restricted case). */
export async function personExistsInCrisis(
  ctx: AppContext,
  crisisId: string,
  personId: string,
): Promise<boolean> {
  const row = await ctx.db.db
    .selectFrom('persons')
    .select('id')
    .where('crisis_id', '=', crisisId)
    .where('id', '=', personId)
    .where('anonymised_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The household behind a private update link, or undefined — the same for an unknown reference
 * and a wrong secret, so the link cannot be probed part by part.
 */
export async function householdOfLink(
  ctx: AppContext,
  reference: string,
  secret: string,
): Promise<{ id: string; crisis_id: string } | undefined> {
  const ref = normaliseReferenceCode(reference);
  if (!ref) return undefined;
  const household = await findHouseholdByLink(ctx.db.db, ref, hashSecret(secret));
  return household ? { id: household.id, crisis_id: household.crisis_id } : undefined;
}
