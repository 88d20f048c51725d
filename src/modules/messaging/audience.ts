/**
 * A campaign's audience: the registry's filters (same code as the registry list), narrowed by
 * crossing lists, transport legs and offers, and cases; then one channel and address per person.
 * Restricted persons (hostage and missing-person cases) and anonymised persons are never in an
 * audience, nor anyone recorded as deceased or withdrawn.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { iteratePersons, type PersonRow } from '../persons/person.repository.js';
import { restrictedPersonIds } from '../restricted/restricted-visibility.js';
import type { AudienceFilter } from './messaging.schemas.js';

type Q = Kysely<Database> | Transaction<Database>;
export type Channel = 'sms' | 'email' | 'whatsapp';

/** People in these statuses get no campaign whatever the filter says. */
export const NEVER_MESSAGED = ['deceased', 'withdrawn'];

/** Seat statuses that hold a place on a leg (as transport counts them). */
const HOLDING = ['offered', 'confirmed', 'checked_in'] as const;
const CHUNK = 500;

export interface AudiencePerson {
  id: string;
  householdId: string;
  reference: string;
  /** The household's language (registration locale). */
  locale: string;
  nameLatin: string | null;
  nameArabic: string | null;
}

export interface Recipient extends AudiencePerson {
  channel: Channel;
  address: string;
  /** The address is the household's shared contact, not the person's own. */
  viaHousehold: boolean;
}

export interface ResolvedAudience {
  /** People reached (one channel each). */
  people: number;
  recipients: Recipient[];
  unreachable: number;
  byChannel: Record<Channel, number>;
}

const chunks = <T>(list: readonly T[], size = CHUNK): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
};

const intersect = (a: Set<string> | null, b: Set<string>): Set<string> =>
  a === null ? b : new Set([...a].filter((x) => b.has(x)));

/** Person ids allowed by the filters that are not registry columns, or null when none is given. */
async function narrowingSet(db: Q, crisisId: string, f: AudienceFilter): Promise<Set<string> | null> {
  let allowed: Set<string> | null = f.personIds ? new Set(f.personIds) : null;
  if (f.onList) {
    let q = db
      .selectFrom('approved_list_matches')
      .innerJoin('approved_lists', 'approved_lists.id', 'approved_list_matches.list_id')
      .select('approved_list_matches.person_id')
      .where('approved_lists.crisis_id', '=', crisisId)
      .where('approved_list_matches.status', 'in', ['auto_linked', 'confirmed']);
    if (f.onList.listId) q = q.where('approved_lists.id', '=', f.onList.listId);
    if (f.onList.listDate) q = q.where('approved_lists.list_date', '=', f.onList.listDate);
    if (f.onList.crossingPointId)
      q = q.where('approved_lists.crossing_point_id', '=', f.onList.crossingPointId);
    allowed = intersect(allowed, new Set((await q.execute()).map((r) => r.person_id)));
  }
  if (f.legId || f.pendingOffer) {
    let q = db.selectFrom('seat_assignments').select('person_id').where('crisis_id', '=', crisisId);
    if (f.legId) q = q.where('leg_id', '=', f.legId).where('status', 'in', HOLDING);
    if (f.pendingOffer) q = q.where('status', '=', 'offered');
    allowed = intersect(allowed, new Set((await q.execute()).map((r) => r.person_id)));
  }
  if (f.caseType || f.caseState?.length) {
    let q = db
      .selectFrom('cases')
      .select('person_id')
      .where('crisis_id', '=', crisisId)
      .where('person_id', 'is not', null);
    if (f.caseType) q = q.where('type', '=', f.caseType);
    if (f.caseState?.length) q = q.where('state', 'in', f.caseState);
    const ids = (await q.execute()).flatMap((r) => (r.person_id ? [r.person_id] : []));
    allowed = intersect(allowed, new Set(ids));
  }
  return allowed;
}

/** The registry filters applied to rows read by id (same meaning as the registry list's SQL). */
function matchesRegistryFilter(p: PersonRow, f: AudienceFilter): boolean {
  if (f.zoneId && p.zone_id !== f.zoneId) return false;
  if (f.status?.length && !f.status.includes(p.status as never)) return false;
  if (f.intention?.length && !f.intention.includes(p.intention as never)) return false;
  if (f.eligibility?.length && !f.eligibility.includes(p.eligibility as never)) return false;
  if (f.vulnerability?.length) {
    const own: string[] = JSON.parse(p.vulnerabilities);
    if (!f.vulnerability.some((v) => own.includes(v))) return false;
  }
  return true;
}

/** Persons of the audience, ordered by id (so re-queueing picks the same first member of a family). */
export async function audiencePersons(db: Q, crisisId: string, f: AudienceFilter): Promise<PersonRow[]> {
  const allowed = await narrowingSet(db, crisisId, f);
  let rows: PersonRow[] = [];
  if (allowed !== null && allowed.size <= 20_000) {
    // A short list of people (hooks, lists, legs): read them by id rather than the whole registry.
    for (const ids of chunks([...allowed])) {
      const found = await db
        .selectFrom('persons')
        .innerJoin('households', 'households.id', 'persons.household_id')
        .selectAll('persons')
        .select('households.reference')
        .where('persons.crisis_id', '=', crisisId)
        .where('persons.id', 'in', ids)
        .where('persons.anonymised_at', 'is', null)
        .where('persons.id', 'not in', restrictedPersonIds(db))
        .execute();
      rows.push(...found.filter((p) => matchesRegistryFilter(p, f)));
    }
  } else {
    const filter = {
      tokens: [],
      zoneId: f.zoneId,
      status: f.status,
      intention: f.intention,
      eligibility: f.eligibility,
      vulnerability: f.vulnerability,
    };
    for await (const page of iteratePersons(db, crisisId, filter, 250_000)) {
      for (const p of page) if (allowed === null || allowed.has(p.id)) rows.push(p);
    }
  }
  rows = rows.filter((p) => !NEVER_MESSAGED.includes(p.status));
  rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return rows;
}

interface ContactLite {
  person_id: string | null;
  household_id: string;
  kind: string;
  value: string;
  whatsapp: number;
}

/** Contacts and languages of the households of these persons. */
async function householdData(db: Q, crisisId: string, persons: PersonRow[]) {
  const householdIds = [...new Set(persons.map((p) => p.household_id))];
  const contacts: ContactLite[] = [];
  const locales = new Map<string, string>();
  if (householdIds.length > 5_000) {
    // A large audience: read the crisis's contacts and households at once.
    contacts.push(
      ...(await db
        .selectFrom('person_contacts')
        .select(['person_id', 'household_id', 'kind', 'value', 'whatsapp'])
        .where('crisis_id', '=', crisisId)
        .orderBy('created_at')
        .orderBy('id')
        .execute()),
    );
    for (const h of await db
      .selectFrom('households')
      .select(['id', 'locale'])
      .where('crisis_id', '=', crisisId)
      .execute())
      locales.set(h.id, h.locale);
  } else {
    for (const ids of chunks(householdIds)) {
      contacts.push(
        ...(await db
          .selectFrom('person_contacts')
          .select(['person_id', 'household_id', 'kind', 'value', 'whatsapp'])
          .where('household_id', 'in', ids)
          .orderBy('created_at')
          .orderBy('id')
          .execute()),
      );
      for (const h of await db
        .selectFrom('households')
        .select(['id', 'locale'])
        .where('id', 'in', ids)
        .execute())
        locales.set(h.id, h.locale);
    }
  }
  const byHousehold = new Map<string, ContactLite[]>();
  for (const c of contacts) {
    const list = byHousehold.get(c.household_id);
    if (list) list.push(c);
    else byHousehold.set(c.household_id, [c]);
  }
  return { byHousehold, locales };
}

/**
 * The address for one channel: the person's own contact of that kind, else the household's shared
 * one (registered without a member). WhatsApp only to a phone flagged as being on WhatsApp.
 */
export function addressFor(
  personId: string,
  contacts: readonly ContactLite[],
  channel: Channel,
): { address: string; viaHousehold: boolean } | undefined {
  const kind = channel === 'email' ? 'email' : 'phone';
  const usable = (c: ContactLite) => c.kind === kind && (channel !== 'whatsapp' || c.whatsapp === 1);
  const own = contacts.find((c) => c.person_id === personId && usable(c));
  if (own) return { address: own.value, viaHousehold: false };
  const shared = contacts.find((c) => c.person_id === null && usable(c));
  return shared ? { address: shared.value, viaHousehold: true } : undefined;
}

/** The audience of a campaign with one channel per person, in the campaign's order of preference. */
export async function resolveAudience(
  db: Q,
  crisisId: string,
  filter: AudienceFilter,
  channels: readonly Channel[],
): Promise<ResolvedAudience> {
  const persons = await audiencePersons(db, crisisId, filter);
  const { byHousehold, locales } = await householdData(db, crisisId, persons);
  const byChannel: Record<Channel, number> = { sms: 0, email: 0, whatsapp: 0 };
  const recipients: Recipient[] = [];
  let unreachable = 0;
  for (const p of persons) {
    const contacts = byHousehold.get(p.household_id) ?? [];
    let chosen: Recipient | undefined;
    for (const channel of channels) {
      const found = addressFor(p.id, contacts, channel);
      if (found) {
        chosen = {
          id: p.id,
          householdId: p.household_id,
          reference: p.reference,
          locale: locales.get(p.household_id) ?? 'en',
          nameLatin: p.full_name,
          nameArabic: p.full_name_ar,
          channel,
          ...found,
        };
        break;
      }
    }
    if (chosen) {
      recipients.push(chosen);
      byChannel[chosen.channel] += 1;
    } else unreachable += 1;
  }
  return { people: recipients.length, recipients, unreachable, byChannel };
}
