import type { Updateable } from 'kysely';
import type { z } from 'zod';
import type { Actor } from '../../access/actor.js';
import { requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { listAuditEntries } from '../../audit/audit.repository.js';
import { recordAudit } from '../../audit/audit.service.js';
import type { PersonTable } from '../../db/schema.js';
import { nowIso } from '../../lib/clock.js';
import { type FieldError, notFound, validationFailed } from '../../lib/errors.js';
import { findCrisisById } from '../crises/crisis.repository.js';
import { listZonesFor, toCrisis } from '../crises/crisis.service.js';
import { parseList, toHistoryEntry, toHousehold, toPersonDetail, toPersonSummary } from './person.mappers.js';
import { deriveEligibility } from './person.policy.js';
import {
  findHousehold,
  findPerson,
  insertDocuments,
  insertHistory,
  listContacts,
  listDocuments,
  listHistory,
  listHouseholdMembers,
  listPersons,
  type PersonFilter,
  type PersonRow,
  updatePersonRow,
} from './person.repository.js';
import type {
  PersonListQuery,
  PersonPatch,
  personListReplySchema,
  personPageSchema,
  Relationship,
} from './person.schemas.js';
import {
  foldForSearch,
  normaliseDocumentNumber,
  normalisePhone,
  parseBirthDate,
} from './person-normalise.js';
import { normaliseReferenceCode } from './reference-code.js';
import { joinName, searchTextOf } from './registration-rows.js';
import { newRowId } from './row-id.js';

/**
 * Search tokens for the registry: a reference code or a phone number is looked up whole; anything
 * else is folded (case, accents, Arabic letter variants) and every word must appear.
 */
export function searchTokens(q: string | undefined): string[] {
  if (!q?.trim()) return [];
  const reference = normaliseReferenceCode(q);
  if (reference) return [reference.replaceAll('-', '').toLowerCase()];
  if (/^[+0-9][0-9 ().-]{5,}$/.test(q.trim())) {
    const phone = normalisePhone(q);
    if (phone) return [phone];
  }
  const tokens = foldForSearch(q).split(' ').filter(Boolean);
  // A document number typed with separators is stored without them: also try it joined up.
  const joined = normaliseDocumentNumber(q).toLowerCase();
  if (tokens.length > 1 && /\d/.test(joined) && joined.length >= 5) return [joined];
  return tokens.slice(0, 8);
}

export function filterFrom(query: PersonListQuery): PersonFilter {
  return {
    tokens: searchTokens(query.q),
    zoneId: query.zone,
    status: query.status,
    intention: query.intention,
    eligibility: query.eligibility,
    vulnerability: query.vulnerability,
    channel: query.channel,
  };
}

/** The registry list of one crisis, searched and filtered. The search itself is audited. */
export async function listPersonsFor(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  query: PersonListQuery,
): Promise<z.infer<typeof personListReplySchema>> {
  requireAccess(actor, 'person.read', crisisId, { hide: 'crisis' });
  const limit = query.limit ?? 50;
  const offset = query.offset ?? 0;
  const { rows, total } = await listPersons(ctx.db.db, crisisId, filterFrom(query), { limit, offset });
  await ctx.db.writer.write((trx) =>
    recordAudit(trx, ctx.db.dialect, actor, {
      action: 'person.searched',
      entityType: 'person',
      entityId: null,
      crisisId,
      change: { query, returned: rows.map((r) => r.id) },
    }),
  );
  return { items: rows.map(toPersonSummary), total, limit, offset };
}

async function loadPerson(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  personId: string,
): Promise<PersonRow> {
  requireAccess(actor, 'person.read', crisisId, { hide: 'person' });
  const person = await findPerson(ctx.db.db, crisisId, personId);
  if (!person) throw notFound('person');
  return person;
}

/** Everything the person page shows: the person, household, documents, history and audit. */
export async function getPersonPage(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  personId: string,
): Promise<z.infer<typeof personPageSchema>> {
  const person = await loadPerson(ctx, actor, crisisId, personId);
  const household = await findHousehold(ctx.db.db, person.household_id);
  if (!household) throw notFound('person');
  const members = await listHouseholdMembers(ctx.db.db, household.id, { visibleToStaff: true });
  const [documents, contacts, history] = await Promise.all([
    listDocuments(ctx.db.db, [person.id]),
    listContacts(ctx.db.db, [household.id]),
    listHistory(ctx.db.db, person.id),
  ]);
  await ctx.db.writer.write((trx) =>
    recordAudit(trx, ctx.db.dialect, actor, {
      action: 'person.viewed',
      entityType: 'person',
      entityId: person.id,
      crisisId,
    }),
  );
  const audit = [
    ...(await listAuditEntries(ctx.db.db, {
      crisisScope: [crisisId],
      entityType: 'person',
      entityId: person.id,
      limit: 100,
    })),
    ...(await listAuditEntries(ctx.db.db, {
      crisisScope: [crisisId],
      entityType: 'household',
      entityId: household.id,
      limit: 20,
    })),
  ].sort((a, b) => b.seq - a.seq);
  return {
    person: toPersonDetail(person, documents, contacts),
    household: toHousehold(household, members, contacts),
    history: history.map(toHistoryEntry),
    audit: audit.map((a) => ({ seq: a.seq, at: a.at, actorLabel: a.actor_label, action: a.action })),
  };
}

/** Builds the column changes of a staff edit, or the field errors. */
async function patchColumns(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  person: PersonRow,
  patch: PersonPatch,
  at: string,
): Promise<{ columns: Updateable<PersonTable>; errors: FieldError[] }> {
  const errors: FieldError[] = [];
  const columns: Updateable<PersonTable> = {};
  if (patch.nameLatin) {
    Object.assign(columns, {
      given_name: patch.nameLatin.given ?? null,
      father_name: patch.nameLatin.father ?? null,
      grandfather_name: patch.nameLatin.grandfather ?? null,
      family_name: patch.nameLatin.family ?? null,
      full_name: joinName(patch.nameLatin) || null,
    });
  }
  if (patch.nameArabic) {
    Object.assign(columns, {
      given_name_ar: patch.nameArabic.given ?? null,
      father_name_ar: patch.nameArabic.father ?? null,
      grandfather_name_ar: patch.nameArabic.grandfather ?? null,
      family_name_ar: patch.nameArabic.family ?? null,
      full_name_ar: joinName(patch.nameArabic) || null,
    });
  }
  if (patch.sex) columns.sex = patch.sex;
  if (patch.birthDate !== undefined) {
    const birth = parseBirthDate(patch.birthDate);
    if ('error' in birth) errors.push({ path: 'birthDate', message: birth.error });
    else Object.assign(columns, { birth_date: birth.value, birth_precision: birth.precision });
  }
  if (patch.birthPlace !== undefined) columns.birth_place = patch.birthPlace;
  if (patch.nationalities) columns.nationalities = JSON.stringify([...new Set(patch.nationalities)]);
  if (patch.eligibilityCategory !== undefined) columns.eligibility_category = patch.eligibilityCategory;
  if (patch.relationship) columns.relationship = patch.relationship;
  if (patch.intention) columns.intention = patch.intention;
  if (patch.vulnerabilities) columns.vulnerabilities = JSON.stringify([...new Set(patch.vulnerabilities)]);
  if (patch.needs !== undefined) columns.needs = patch.needs;
  if (patch.status) columns.status = patch.status;
  if (patch.location) {
    const { zone, place, latitude, longitude } = patch.location;
    if (zone !== undefined) {
      const zones = await listZonesFor(ctx, actor, crisisId);
      const found = zones.find((z) => z.code.toUpperCase() === zone.toUpperCase() || z.id === zone);
      if (found) columns.zone_id = found.id;
      else errors.push({ path: 'location.zone', message: 'Unknown zone for this crisis.' });
    }
    if (place !== undefined) columns.place = place;
    if ((latitude === undefined) !== (longitude === undefined))
      errors.push({ path: 'location.latitude', message: 'Give both coordinates or neither.' });
    if (latitude !== undefined && longitude !== undefined) Object.assign(columns, { latitude, longitude });
    columns.location_confirmed_at = at;
  }
  if (columns.relationship === 'head' && person.relationship !== 'head') {
    errors.push({ path: 'relationship', message: 'Change the head of household from the household.' });
  }
  return { columns, errors };
}

/**
 * A staff edit: every change carries a reason, is kept in the person's history (status changes as
 * status entries) and audited; eligibility of the whole household is derived again.
 */
export async function updatePerson(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  personId: string,
  patch: PersonPatch,
): Promise<z.infer<typeof personPageSchema>> {
  const person = await loadPerson(ctx, actor, crisisId, personId);
  requireAccess(actor, 'person.update', crisisId);
  const crisisRow = await findCrisisById(ctx.db.db, crisisId);
  if (!crisisRow) throw notFound('person');
  const policy = toCrisis(crisisRow).eligibilityPolicy;
  const at = nowIso();
  const { columns, errors } = await patchColumns(ctx, actor, crisisId, person, patch, at);
  const { reason, addDocuments, ...rest } = patch;
  const newDocuments = (addDocuments ?? []).flatMap((d, i) => {
    if (!d.type || !d.number) {
      errors.push({
        path: `addDocuments.${i}.number`,
        message: 'Give the type and number (MRZ is read at registration).',
      });
      return [];
    }
    const row = {
      id: newRowId(),
      person_id: person.id,
      crisis_id: crisisId,
      type: d.type,
      number: d.number,
      number_normalised: normaliseDocumentNumber(d.number),
      issuing_country: d.issuingCountry ?? null,
      expiry_date: d.expiryDate ?? null,
      created_at: at,
    };
    return [row];
  });
  if (errors.length > 0) throw validationFailed(errors);

  await ctx.db.writer.write(async (trx) => {
    const merged = { ...person, ...columns } as PersonRow;
    const members = (await listHouseholdMembers(trx, person.household_id)).map((m) =>
      m.id === person.id ? merged : m,
    );
    const decisions = deriveEligibility(
      policy,
      members.map((m) => ({
        relationship: m.relationship as Relationship,
        category: (m.eligibility_category ?? null) as never,
      })),
    );
    const documents = [...(await listDocuments(trx, [person.id])), ...newDocuments];
    const contacts = await listContacts(trx, [person.household_id]);
    const history = [];
    for (const [i, m] of members.entries()) {
      const d = decisions[i]!;
      const own: Updateable<PersonTable> = m.id === person.id ? { ...columns } : {};
      if (d.eligibility !== m.eligibility || d.reason !== m.eligibility_reason) {
        Object.assign(own, {
          eligibility: d.eligibility,
          eligibility_reason: d.reason,
          eligibility_category: d.category,
          citizen_person_id: d.derivedFrom === null ? null : members[d.derivedFrom]!.id,
        });
        if (m.id !== person.id)
          history.push({
            id: newRowId(),
            person_id: m.id,
            crisis_id: crisisId,
            at,
            kind: 'eligibility',
            status: null,
            reason,
            changes: JSON.stringify({ eligibility: d.eligibility, reason: d.reason }),
            actor_id: actor.id,
            actor_label: actor.label,
          });
      }
      if (m.id === person.id) {
        own.search_text = searchTextOf([
          merged.full_name,
          merged.full_name_ar,
          ...documents.map((x) => x.number_normalised),
          ...contacts.map((c) => c.value),
          merged.reference.replaceAll('-', ''),
        ]);
        own.updated_at = at;
      }
      if (Object.keys(own).length > 0) await updatePersonRow(trx, m.id, own);
    }
    const { status, ...otherChanges } = rest;
    if (status && status !== person.status) {
      history.push({
        id: newRowId(),
        person_id: person.id,
        crisis_id: crisisId,
        at,
        kind: 'status',
        status,
        reason,
        changes: null,
        actor_id: actor.id,
        actor_label: actor.label,
      });
    }
    if (Object.keys(otherChanges).length > 0 || newDocuments.length > 0) {
      history.push({
        id: newRowId(),
        person_id: person.id,
        crisis_id: crisisId,
        at,
        kind: 'edit',
        status: null,
        reason,
        changes: JSON.stringify({
          ...otherChanges,
          ...(newDocuments.length ? { addDocuments: newDocuments.map((d) => d.number) } : {}),
        }),
        actor_id: actor.id,
        actor_label: actor.label,
      });
    }
    await insertDocuments(trx, newDocuments);
    await insertHistory(trx, history);
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'person.updated',
      entityType: 'person',
      entityId: person.id,
      crisisId,
      change: patch,
    });
  });
  return getPersonPage(ctx, actor, crisisId, personId);
}

export { parseList };
