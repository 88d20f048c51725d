import type { Insertable } from 'kysely';
import type {
  HouseholdTable,
  PersonContactTable,
  PersonDocumentTable,
  PersonHistoryTable,
  PersonTable,
} from '../../db/schema.js';
import type { FieldError } from '../../lib/errors.js';
import { hashSecret } from '../../lib/ids.js';
import type { Crisis, Zone } from '../crises/crisis.schemas.js';
import { deriveEligibility } from './person.policy.js';
import type { Channel, DocumentInput, MemberInput, NameParts, RegistrationBody } from './person.schemas.js';
import {
  foldForSearch,
  normaliseDocumentNumber,
  normaliseEmail,
  normalisePhone,
  parseBirthDate,
  parsePassportMrz,
} from './person-normalise.js';
import { newReferenceCode } from './reference-code.js';
import { newRowId as newId, newUpdateSecret } from './row-id.js';

/** Everything one registration writes, built before the write so the write job only inserts. */
export interface RegistrationRows {
  household: Insertable<HouseholdTable>;
  persons: Insertable<PersonTable>[];
  documents: Insertable<PersonDocumentTable>[];
  contacts: Insertable<PersonContactTable>[];
  history: Insertable<PersonHistoryTable>[];
  /** The private update secret (only its hash is stored). */
  updateSecret: string;
}

export interface RegistrationSource {
  channel: Channel;
  actorId: string | null;
  actorLabel: string;
  staffId: string | null;
  at: string;
}

export const joinName = (n: NameParts | undefined) =>
  n ? (n.full ?? [n.given, n.father, n.grandfather, n.family].filter(Boolean).join(' ')) : '';

/** The folded text the registry search runs on: names in both scripts, documents, phones, reference. */
export const searchTextOf = (parts: readonly (string | null | undefined)[]) =>
  ` ${foldForSearch(parts.filter(Boolean).join(' '))} `;

/** A member needs at least a given name or a full name, in one script or the other. */
const hasName = (m: MemberInput) =>
  Boolean(m.nameLatin?.given || m.nameLatin?.full || m.nameArabic?.given || m.nameArabic?.full);

function buildDocument(
  doc: DocumentInput,
  path: string,
  errors: FieldError[],
  member: { nationalities: string[]; sex?: string; birthDate?: string },
): Omit<Insertable<PersonDocumentTable>, 'id' | 'person_id' | 'crisis_id' | 'created_at'> | undefined {
  if (doc.mrz) {
    const parsed = parsePassportMrz(doc.mrz);
    if ('error' in parsed) {
      errors.push({ path: `${path}.mrz`, message: parsed.error });
      return undefined;
    }
    if (
      parsed.nationality &&
      /^[A-Z]{2,3}$/.test(parsed.nationality) &&
      !member.nationalities.includes(parsed.nationality)
    ) {
      member.nationalities.push(parsed.nationality);
    }
    return {
      type: 'passport',
      number: parsed.number,
      number_normalised: normaliseDocumentNumber(parsed.number),
      issuing_country: parsed.issuingCountry,
      expiry_date: parsed.expiryDate,
    };
  }
  if (!doc.type) errors.push({ path: `${path}.type`, message: 'Choose the document type.' });
  if (!doc.number) errors.push({ path: `${path}.number`, message: 'Enter the document number.' });
  if (!doc.type || !doc.number) return undefined;
  const normalised = normaliseDocumentNumber(doc.number);
  if (normalised.length < 3) {
    errors.push({ path: `${path}.number`, message: 'The number is too short.' });
    return undefined;
  }
  return {
    type: doc.type,
    number: doc.number,
    number_normalised: normalised,
    issuing_country: doc.issuingCountry ?? null,
    expiry_date: doc.expiryDate ?? null,
  };
}

/**
 * Checks a registration against the crisis (zone, names, phones, documents, one head) and builds
 * every row it will insert, with eligibility derived from the crisis policy. Throws nothing:
 * returns the field errors instead, each naming its field (`members.1.documents.0.mrz`).
 */
export function buildRegistrationRows(
  body: RegistrationBody,
  crisis: Crisis,
  zones: readonly Zone[],
  source: RegistrationSource,
): { rows: RegistrationRows } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const at = source.at;
  if (body.registeredBy === 'relative' && !body.registrant) {
    errors.push({ path: 'registrant', message: 'Say who you are when registering someone else.' });
  }
  const heads = body.members.flatMap((m, i) => (m.relationship === 'head' ? [i] : []));
  if (heads.length > 1)
    errors.push({ path: `members.${heads[1]}.relationship`, message: 'Only one head of household.' });
  const headIndex = heads[0] ?? 0;

  let zoneId: string | null = null;
  if (body.location?.zone) {
    const code = body.location.zone.toUpperCase();
    const zone = zones.find((z) => z.code.toUpperCase() === code && z.status === 'active');
    if (zone) zoneId = zone.id;
    else errors.push({ path: 'location.zone', message: 'Unknown zone for this crisis.' });
  }
  const { latitude, longitude } = body.location ?? {};
  if ((latitude === undefined) !== (longitude === undefined)) {
    errors.push({
      path: latitude === undefined ? 'location.latitude' : 'location.longitude',
      message: 'Give both coordinates or neither.',
    });
  }

  const householdId = newId();
  const reference = newReferenceCode();
  const updateSecret = newUpdateSecret();
  const persons: Insertable<PersonTable>[] = [];
  const documents: Insertable<PersonDocumentTable>[] = [];
  const contacts: Insertable<PersonContactTable>[] = [];
  const history: Insertable<PersonHistoryTable>[] = [];
  const searchExtra: string[] = [reference.replaceAll('-', '')];

  const addContact = (
    kind: 'phone' | 'email',
    raw: string | undefined,
    path: string,
    personId: string | null,
    whatsapp: boolean,
  ) => {
    if (raw === undefined || raw.trim() === '') return;
    const value = kind === 'phone' ? normalisePhone(raw) : normaliseEmail(raw);
    if (!value) {
      errors.push({
        path,
        message:
          kind === 'phone'
            ? 'Not a valid phone number; include the country code (+970…).'
            : 'Not a valid email address.',
      });
      return;
    }
    // A phone is often shared by a whole family: keep it once per household.
    if (contacts.some((c) => c.value === value)) return;
    contacts.push({
      id: newId(),
      household_id: householdId,
      person_id: personId,
      crisis_id: crisis.id,
      kind,
      value,
      whatsapp: whatsapp ? 1 : 0,
      created_at: at,
    });
    searchExtra.push(value);
  };

  const members = body.members.map((m, i) => {
    const personId = newId();
    const path = `members.${i}`;
    if (!hasName(m))
      errors.push({
        path: `${path}.nameLatin.given`,
        message: 'Enter at least a given name (in Latin or Arabic letters).',
      });
    const birth = parseBirthDate(m.birthDate);
    if ('error' in birth) errors.push({ path: `${path}.birthDate`, message: birth.error });
    const nationalities = [...new Set(m.nationalities ?? [])];
    const docs = (m.documents ?? []).flatMap((d, j) => {
      const built = buildDocument(d, `${path}.documents.${j}`, errors, { nationalities });
      return built
        ? [{ ...built, id: newId(), person_id: personId, crisis_id: crisis.id, created_at: at }]
        : [];
    });
    documents.push(...docs);
    addContact('phone', m.phone, `${path}.phone`, personId, m.whatsapp ?? false);
    addContact('email', m.email, `${path}.email`, personId, false);
    return {
      m,
      personId,
      birth: 'error' in birth ? { value: null, precision: 'unknown' as const } : birth,
      nationalities,
      docs,
    };
  });
  (body.contacts ?? []).forEach((c, i) => {
    addContact('phone', c.phone, `contacts.${i}.phone`, null, c.whatsapp ?? false);
    addContact('email', c.email, `contacts.${i}.email`, null, false);
  });
  if (errors.length > 0) return { errors };

  const decisions = deriveEligibility(
    crisis.eligibilityPolicy,
    body.members.map((m, i) => ({
      relationship: i === headIndex ? 'head' : m.relationship,
      category: m.eligibilityCategory ?? null,
    })),
  );
  const extra = searchExtra.join(' ');
  members.forEach(({ m, personId, birth, nationalities, docs }, i) => {
    const d = decisions[i]!;
    const names = [
      joinName(m.nameLatin),
      joinName(m.nameArabic),
      ...docs.map((x) => x.number_normalised),
      extra,
    ];
    persons.push({
      id: personId,
      crisis_id: crisis.id,
      household_id: householdId,
      relationship: i === headIndex ? 'head' : m.relationship,
      given_name: m.nameLatin?.given ?? null,
      father_name: m.nameLatin?.father ?? null,
      grandfather_name: m.nameLatin?.grandfather ?? null,
      family_name: m.nameLatin?.family ?? null,
      full_name: m.nameLatin ? joinName(m.nameLatin) || null : null,
      given_name_ar: m.nameArabic?.given ?? null,
      father_name_ar: m.nameArabic?.father ?? null,
      grandfather_name_ar: m.nameArabic?.grandfather ?? null,
      family_name_ar: m.nameArabic?.family ?? null,
      full_name_ar: m.nameArabic ? joinName(m.nameArabic) || null : null,
      sex: m.sex ?? 'unknown',
      birth_date: birth.value,
      birth_precision: birth.precision,
      birth_place: m.birthPlace ?? null,
      nationalities: JSON.stringify(nationalities),
      eligibility_category: d.category,
      citizen_person_id: d.derivedFrom === null ? null : members[d.derivedFrom]!.personId,
      eligibility: d.eligibility,
      eligibility_reason: d.reason,
      zone_id: zoneId,
      place: body.location?.place ?? null,
      latitude: latitude ?? null,
      longitude: longitude ?? null,
      location_confirmed_at: body.location ? at : null,
      intention: body.intention,
      vulnerabilities: JSON.stringify([...new Set(m.vulnerabilities ?? [])]),
      needs: m.needs ?? null,
      status: 'registered',
      channel: source.channel,
      search_text: searchTextOf(names),
      created_at: at,
      updated_at: at,
      anonymised_at: null,
    });
    history.push({
      id: newId(),
      person_id: personId,
      crisis_id: crisis.id,
      at,
      kind: 'registered',
      status: 'registered',
      reason: source.channel,
      changes: null,
      actor_id: source.actorId,
      actor_label: source.actorLabel,
    });
  });

  const registrantContact = body.registrant
    ? ((body.registrant.phone ? normalisePhone(body.registrant.phone) : undefined) ??
      (body.registrant.email ? normaliseEmail(body.registrant.email) : undefined) ??
      null)
    : null;
  return {
    rows: {
      household: {
        id: householdId,
        crisis_id: crisis.id,
        reference,
        update_secret_hash: hashSecret(updateSecret),
        channel: source.channel,
        registered_by:
          source.channel === 'import'
            ? 'import'
            : source.staffId && body.registeredBy === 'self'
              ? 'staff'
              : body.registeredBy,
        registrant_name: body.registrant?.name ?? null,
        registrant_relationship: body.registrant?.relationship ?? null,
        registrant_contact: registrantContact,
        registered_by_staff_id: source.staffId,
        locale: body.locale ?? 'en',
        head_person_id: members[headIndex]!.personId,
        safe_reported_at: null,
        created_at: at,
        updated_at: at,
        anonymised_at: null,
      },
      persons,
      documents,
      contacts,
      history,
      updateSecret,
    },
  };
}
