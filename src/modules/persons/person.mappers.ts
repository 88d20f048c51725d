import type { z } from 'zod';
import type { ContactRow, DocumentRow, HistoryRow, HouseholdRow, PersonRow } from './person.repository.js';
import type { historyEntrySchema, householdSchema, PersonDetail, PersonSummary } from './person.schemas.js';

const parseList = (json: string): string[] => {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
};

/** The name to show: the Latin full name, else the Arabic one. */
export const displayNameOf = (p: Pick<PersonRow, 'full_name' | 'full_name_ar'>) =>
  p.full_name ?? p.full_name_ar ?? '—';

export function toPersonSummary(p: PersonRow): PersonSummary {
  return {
    id: p.id,
    crisisId: p.crisis_id,
    householdId: p.household_id,
    reference: p.reference,
    relationship: p.relationship,
    nameLatin: {
      given: p.given_name,
      father: p.father_name,
      grandfather: p.grandfather_name,
      family: p.family_name,
      full: p.full_name,
    },
    nameArabic: {
      given: p.given_name_ar,
      father: p.father_name_ar,
      grandfather: p.grandfather_name_ar,
      family: p.family_name_ar,
      full: p.full_name_ar,
    },
    displayName: displayNameOf(p),
    sex: p.sex,
    birthDate: p.birth_date,
    birthPrecision: p.birth_precision as PersonSummary['birthPrecision'],
    zoneId: p.zone_id,
    place: p.place,
    intention: p.intention,
    status: p.status,
    eligibility: p.eligibility,
    eligibilityReason: p.eligibility_reason,
    eligibilityCategory: p.eligibility_category,
    vulnerabilities: parseList(p.vulnerabilities),
    channel: p.channel,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
  };
}

export const toContact = (c: ContactRow) => ({
  id: c.id,
  personId: c.person_id,
  kind: c.kind as 'phone' | 'email',
  value: c.value,
  whatsapp: c.whatsapp === 1,
});

export const toDocument = (d: DocumentRow) => ({
  id: d.id,
  type: d.type,
  number: d.number,
  numberNormalised: d.number_normalised,
  issuingCountry: d.issuing_country,
  expiryDate: d.expiry_date,
});

export function toPersonDetail(p: PersonRow, documents: DocumentRow[], contacts: ContactRow[]): PersonDetail {
  return {
    ...toPersonSummary(p),
    birthPlace: p.birth_place,
    nationalities: parseList(p.nationalities),
    citizenPersonId: p.citizen_person_id,
    latitude: p.latitude === null ? null : Number(p.latitude),
    longitude: p.longitude === null ? null : Number(p.longitude),
    locationConfirmedAt: p.location_confirmed_at,
    needs: p.needs,
    documents: documents.filter((d) => d.person_id === p.id).map(toDocument),
    contacts: contacts.filter((c) => c.person_id === p.id || c.person_id === null).map(toContact),
  };
}

export function toHousehold(
  h: HouseholdRow,
  members: PersonRow[],
  contacts: ContactRow[],
): z.infer<typeof householdSchema> {
  return {
    id: h.id,
    reference: h.reference,
    channel: h.channel,
    registeredBy: h.registered_by,
    registrant: {
      name: h.registrant_name,
      relationship: h.registrant_relationship,
      contact: h.registrant_contact,
    },
    headPersonId: h.head_person_id,
    safeReportedAt: h.safe_reported_at,
    createdAt: h.created_at,
    members: members.map(toPersonSummary),
    contacts: contacts.map(toContact),
  };
}

export function toHistoryEntry(h: HistoryRow): z.infer<typeof historyEntrySchema> {
  let changes: Record<string, unknown> | null = null;
  if (h.changes) {
    try {
      changes = JSON.parse(h.changes) as Record<string, unknown>;
    } catch {
      changes = null;
    }
  }
  return {
    id: h.id,
    at: h.at,
    kind: h.kind,
    status: h.status,
    reason: h.reason,
    changes,
    actorLabel: h.actor_label,
  };
}

export { parseList };
