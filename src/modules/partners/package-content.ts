import type { Actor } from '../../access/actor.js';
import type { AppContext } from '../../app-context.js';
import { listZonesFor } from '../crises/crisis.service.js';
import { listDatesForPersons } from '../crossings/index.js';
import { parseList } from '../persons/person.mappers.js';
import {
  type ContactRow,
  type DocumentRow,
  iteratePersons,
  listContacts,
  listDocuments,
  type PersonRow,
} from '../persons/person.repository.js';
import { legsOfPersons, restrictedAmong } from './package.repository.js';
import type { Selection, ShareField } from './partner.schemas.js';

/** Column headings of each shareable field, in English (partners receive one language). */
export const SHARE_FIELD_HEADERS: Record<ShareField, string> = {
  householdReference: 'Household reference',
  nameLatin: 'Name (Latin)',
  nameArabic: 'Name (Arabic)',
  sex: 'Sex',
  birthDate: 'Date of birth',
  nationality: 'Nationality',
  documentType: 'Document type',
  documentNumber: 'Document number',
  documentExpiry: 'Document expiry',
  documentCountry: 'Document issuing country',
  phone: 'Phone',
  zone: 'Zone',
  relationship: 'Relationship',
  eligibility: 'Eligibility',
  intention: 'Intention',
  status: 'Status',
  listStatus: 'On approved list (dates)',
  leg: 'Transport leg',
};

const needs = (fields: readonly ShareField[], ...any: ShareField[]) => any.some((f) => fields.includes(f));

/**
 * The persons a selection picks, through the registry's own filtered iteration (which already
 * leaves out anonymised persons and everyone linked to a restricted case), then narrowed by list,
 * leg and explicit ids. A last check drops anyone linked to a restricted case, whatever happened above.
 */
export async function selectPersons(ctx: AppContext, crisisId: string, s: Selection): Promise<PersonRow[]> {
  const wanted = s.personIds ? new Set(s.personIds) : null;
  const out: PersonRow[] = [];
  const filter = {
    tokens: [],
    zoneId: s.zone,
    status: s.status,
    intention: s.intention,
    eligibility: s.eligibility,
  };
  for await (const page of iteratePersons(ctx.db.db, crisisId, filter)) {
    let rows = wanted ? page.filter((p) => wanted.has(p.id)) : page;
    if (rows.length > 0 && s.onList) {
      const lists = await listDatesForPersons(
        ctx,
        crisisId,
        rows.map((p) => p.id),
      );
      rows = rows.filter((p) =>
        (lists.get(p.id) ?? []).some((l) => s.listDate === undefined || l.listDate === s.listDate),
      );
    }
    if (rows.length > 0 && s.allocated) {
      const legs = await legsOfPersons(
        ctx.db.db,
        crisisId,
        rows.map((p) => p.id),
      );
      rows = rows.filter((p) => {
        const leg = legs.get(p.id);
        return leg !== undefined && (s.legId === undefined || leg.legId === s.legId);
      });
    }
    out.push(...rows);
  }
  const restricted = await restrictedAmong(
    ctx.db.db,
    out.map((p) => p.id),
  );
  return restricted.size === 0 ? out : out.filter((p) => !restricted.has(p.id));
}

/** A passport if the person has one, else their first document. */
const mainDocument = (docs: DocumentRow[]) => docs.find((d) => d.type === 'passport') ?? docs[0];

/** The rows of a person package: exactly the chosen fields, in the chosen order, nothing else. */
export async function personLines(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  persons: PersonRow[],
  fields: readonly ShareField[],
): Promise<string[][]> {
  const ids = persons.map((p) => p.id);
  const zones = needs(fields, 'zone')
    ? new Map((await listZonesFor(ctx, actor, crisisId)).map((z) => [z.id, z.name]))
    : new Map<string, string>();
  const docs: DocumentRow[] = [];
  const contacts: ContactRow[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const slice = persons.slice(i, i + 500);
    if (needs(fields, 'documentType', 'documentNumber', 'documentExpiry', 'documentCountry'))
      docs.push(
        ...(await listDocuments(
          ctx.db.db,
          slice.map((p) => p.id),
        )),
      );
    if (needs(fields, 'phone'))
      contacts.push(...(await listContacts(ctx.db.db, [...new Set(slice.map((p) => p.household_id))])));
  }
  const lists = needs(fields, 'listStatus') ? await listDatesForPersons(ctx, crisisId, ids) : new Map();
  const legs = needs(fields, 'leg') ? await legsOfPersons(ctx.db.db, crisisId, ids) : new Map();
  const docsOf = new Map<string, DocumentRow[]>();
  for (const d of docs) {
    const list = docsOf.get(d.person_id);
    if (list) list.push(d);
    else docsOf.set(d.person_id, [d]);
  }
  const phonesOf = new Map<string, ContactRow[]>();
  for (const c of contacts) {
    if (c.kind !== 'phone') continue;
    const list = phonesOf.get(c.household_id);
    if (list) list.push(c);
    else phonesOf.set(c.household_id, [c]);
  }

  return persons.map((p) => {
    const doc = mainDocument(docsOf.get(p.id) ?? []);
    const value = (field: ShareField): string => {
      switch (field) {
        case 'householdReference':
          return p.reference;
        case 'nameLatin':
          return p.full_name ?? '';
        case 'nameArabic':
          return p.full_name_ar ?? '';
        case 'sex':
          return p.sex;
        case 'birthDate':
          return p.birth_date ?? '';
        case 'nationality':
          return parseList(p.nationalities).join(' ');
        case 'documentType':
          return doc?.type ?? '';
        case 'documentNumber':
          return doc?.number ?? '';
        case 'documentExpiry':
          return doc?.expiry_date ?? '';
        case 'documentCountry':
          return doc?.issuing_country ?? '';
        case 'phone':
          // A household phone (no person) is everyone's; a member's own phone is only theirs.
          return (phonesOf.get(p.household_id) ?? [])
            .filter((c) => c.person_id === null || c.person_id === p.id)
            .map((c) => c.value)
            .join(' ');
        case 'zone':
          return p.zone_id ? (zones.get(p.zone_id) ?? '') : '';
        case 'relationship':
          return p.relationship;
        case 'eligibility':
          return p.eligibility;
        case 'intention':
          return p.intention;
        case 'status':
          return p.status;
        case 'listStatus':
          return ((lists.get(p.id) ?? []) as { listDate: string }[]).map((l) => l.listDate).join(' ');
        case 'leg': {
          const leg = legs.get(p.id) as { legName: string; departureAt: string } | undefined;
          return leg ? `${leg.legName} (${leg.departureAt.slice(0, 16).replace('T', ' ')} UTC)` : '';
        }
      }
    };
    return fields.map(value);
  });
}
