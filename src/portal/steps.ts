import type { FieldError } from '../lib/errors.js';
import { ELIGIBILITY_CATEGORIES } from '../modules/crises/crisis.schemas.js';
import {
  RELATIONSHIPS,
  type RegistrationBody,
  SEXES,
  VULNERABILITIES,
} from '../modules/persons/person.schemas.js';
import { normaliseEmail, normalisePhone, parseBirthDate } from '../modules/persons/person-normalise.js';
import { type Draft, type DraftMember, emptyMember, type Step } from './draft.js';

export type FormBody = Record<string, unknown>;
/** Field name → message key (translated when the page is rendered). */
export type StepErrors = Record<string, string>;

export const MAX_MEMBERS = 20;

/** One text value from a form (first of repeated values), trimmed and bounded. */
export function field(body: FormBody, name: string, max = 200): string {
  const raw = body[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
}

function list(body: FormBody, name: string): string[] {
  const raw = body[name];
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return values.filter((v): v is string => typeof v === 'string');
}

const oneOf = <T extends string>(value: string, allowed: readonly T[]): T | '' =>
  (allowed as readonly string[]).includes(value) ? (value as T) : '';

function readMember(body: FormBody, i: number, current: DraftMember): DraftMember {
  const p = `m${i}_`;
  return {
    relationship:
      i === 0
        ? 'head'
        : oneOf(
            field(body, `${p}relationship`),
            RELATIONSHIPS.filter((r) => r !== 'head'),
          ) || current.relationship,
    given: field(body, `${p}given`, 100),
    father: field(body, `${p}father`, 100),
    grandfather: field(body, `${p}grandfather`, 100),
    family: field(body, `${p}family`, 100),
    nameArabic: field(body, `${p}nameArabic`, 300),
    sex: oneOf(field(body, `${p}sex`), SEXES),
    birthDate: field(body, `${p}birthDate`, 10),
    category: oneOf(field(body, `${p}category`), ELIGIBILITY_CATEGORIES),
    passport: field(body, `${p}passport`, 40),
    vulnerabilities: list(body, `${p}vuln`).filter((v) => (VULNERABILITIES as readonly string[]).includes(v)),
  };
}

/** Copies the fields of the page just posted into the draft (whatever their validity). */
export function readStep(draft: Draft, step: Step, body: FormBody): Draft {
  switch (step) {
    case 'notice':
      return { ...draft, accepted: field(body, 'accept') === 'yes' };
    case 'who':
      return {
        ...draft,
        registeredBy: oneOf(field(body, 'registeredBy'), ['self', 'relative'] as const),
        registrant: {
          name: field(body, 'r_name'),
          relationship: field(body, 'r_relationship', 60),
          phone: field(body, 'r_phone', 40),
          email: field(body, 'r_email'),
        },
      };
    case 'members': {
      const open = openMembers(draft);
      return {
        ...draft,
        members: draft.members.map((m, i) => (open.includes(i) ? readMember(body, i, m) : m)),
      };
    }
    case 'contacts':
      return {
        ...draft,
        contacts: {
          phone: field(body, 'c_phone', 40),
          whatsapp: field(body, 'c_whatsapp') === 'yes',
          email: field(body, 'c_email'),
        },
      };
    case 'location':
      return {
        ...draft,
        location: { zone: field(body, 'l_zone', 40), place: field(body, 'l_place') },
        intention: oneOf(field(body, 'intention'), ['leave', 'stay', 'undecided'] as const),
      };
    case 'review':
      return draft;
  }
}

/** Indices of the members shown as full forms (all of them in drafts from before summaries). */
export const openMembers = (draft: Draft): number[] => draft.open ?? draft.members.map((_m, i) => i);

/** Field errors of some members of the household. */
export function memberErrors(draft: Draft, indices: readonly number[]): StepErrors {
  const e: StepErrors = {};
  for (const i of indices) {
    const m = draft.members[i];
    if (!m) continue;
    if (!m.given && !m.nameArabic) e[`m${i}_given`] = 'members.nameNeeded';
    if (m.birthDate) {
      const parsed = /^\d{4}(-\d{2}-\d{2})?$/.test(m.birthDate)
        ? parseBirthDate(m.birthDate)
        : { error: 'format' };
      if ('error' in parsed) e[`m${i}_birthDate`] = 'invalid';
    }
    if (m.passport && m.passport.replace(/[^0-9A-Za-z]/g, '').length < 3) e[`m${i}_passport`] = 'invalid';
  }
  return e;
}

const erroredMembers = (errors: StepErrors) => [
  ...new Set(
    Object.keys(errors)
      .flatMap((k) => /^m(\d+)_/.exec(k)?.[1] ?? [])
      .map(Number),
  ),
];

/**
 * The buttons of the members page: add a person, change one, remove one. The open forms are
 * checked before another one opens, so a mistake is shown while the person is still on it.
 */
export function applyMembersAction(draft: Draft, action: string): { draft: Draft; errors: StepErrors } {
  const open = openMembers(draft);
  if (action.startsWith('remove:')) {
    const i = Number.parseInt(action.slice(7), 10);
    if (!(i > 0 && i < draft.members.length)) return { draft, errors: {} };
    return {
      draft: {
        ...draft,
        members: draft.members.filter((_m, j) => j !== i),
        open: open.filter((j) => j !== i).map((j) => (j > i ? j - 1 : j)),
      },
      errors: {},
    };
  }
  const errors = memberErrors(draft, open);
  if (Object.keys(errors).length > 0) return { draft, errors };
  if (action === 'add' && draft.members.length < MAX_MEMBERS) {
    return {
      draft: { ...draft, members: [...draft.members, emptyMember('child')], open: [draft.members.length] },
      errors,
    };
  }
  const edit = action.startsWith('edit:') ? Number.parseInt(action.slice(5), 10) : -1;
  if (edit >= 0 && edit < draft.members.length) return { draft: { ...draft, open: [edit] }, errors };
  return { draft, errors };
}

/** After a failed check of the members page, every member with an error is opened. */
export const openErrored = (draft: Draft, errors: StepErrors): Draft => ({
  ...draft,
  open: [...new Set([...openMembers(draft), ...erroredMembers(errors)])].sort((a, b) => a - b),
});

/** Checks one page; the keys are the form field names so each error sits next to its field. */
export function validateStep(draft: Draft, step: Step, zoneCodes: readonly string[]): StepErrors {
  const e: StepErrors = {};
  switch (step) {
    case 'notice':
      if (!draft.accepted) e.accept = 'notice.mustAccept';
      break;
    case 'who':
      if (!draft.registeredBy) e.registeredBy = 'required';
      if (draft.registeredBy === 'relative') {
        if (!draft.registrant.name) e.r_name = 'required';
        if (!draft.registrant.relationship) e.r_relationship = 'required';
        if (draft.registrant.phone && !normalisePhone(draft.registrant.phone)) e.r_phone = 'invalid';
        if (draft.registrant.email && !normaliseEmail(draft.registrant.email)) e.r_email = 'invalid';
      }
      break;
    case 'members':
      Object.assign(
        e,
        memberErrors(
          draft,
          draft.members.map((_m, i) => i),
        ),
      );
      break;
    case 'contacts':
      if (draft.contacts.phone && !normalisePhone(draft.contacts.phone)) e.c_phone = 'invalid';
      if (draft.contacts.email && !normaliseEmail(draft.contacts.email)) e.c_email = 'invalid';
      if (!draft.contacts.phone && !draft.contacts.email) e.c_phone = 'contacts.needOne';
      break;
    case 'location':
      if (zoneCodes.length > 0 && !zoneCodes.includes(draft.location.zone)) e.l_zone = 'required';
      if (!draft.intention) e.intention = 'required';
      break;
    case 'review':
      break;
  }
  return e;
}

const opt = (v: string) => (v ? v : undefined);

/** The registration the draft describes, in the shape of the public API. */
export function toRegistrationBody(draft: Draft): RegistrationBody {
  const relative = draft.registeredBy === 'relative';
  return {
    crisis: draft.crisis,
    registeredBy: relative ? 'relative' : 'self',
    ...(relative
      ? {
          registrant: {
            name: draft.registrant.name,
            relationship: draft.registrant.relationship,
            ...(draft.registrant.phone ? { phone: draft.registrant.phone } : {}),
            ...(draft.registrant.email ? { email: draft.registrant.email } : {}),
          },
        }
      : {}),
    locale: draft.lang,
    intention: (draft.intention || 'undecided') as RegistrationBody['intention'],
    location: {
      ...(draft.location.zone ? { zone: draft.location.zone } : {}),
      ...(draft.location.place ? { place: draft.location.place } : {}),
    },
    contacts: [
      {
        ...(draft.contacts.phone ? { phone: draft.contacts.phone, whatsapp: draft.contacts.whatsapp } : {}),
        ...(draft.contacts.email ? { email: draft.contacts.email } : {}),
      },
    ],
    members: draft.members.map((m) => {
      const nameLatin = {
        given: opt(m.given),
        father: opt(m.father),
        grandfather: opt(m.grandfather),
        family: opt(m.family),
      };
      const hasLatin = Object.values(nameLatin).some(Boolean);
      return {
        relationship: m.relationship as RegistrationBody['members'][number]['relationship'],
        ...(hasLatin
          ? { nameLatin: Object.fromEntries(Object.entries(nameLatin).filter(([, v]) => v)) }
          : {}),
        ...(m.nameArabic ? { nameArabic: { full: m.nameArabic } } : {}),
        ...(m.sex ? { sex: m.sex as 'female' | 'male' | 'unknown' } : {}),
        ...(m.birthDate ? { birthDate: m.birthDate } : {}),
        ...(m.category ? { eligibilityCategory: m.category as (typeof ELIGIBILITY_CATEGORIES)[number] } : {}),
        ...(m.passport ? { documents: [{ type: 'passport' as const, number: m.passport }] } : {}),
        ...(m.vulnerabilities.length
          ? { vulnerabilities: m.vulnerabilities as RegistrationBody['members'][number]['vulnerabilities'] }
          : {}),
      };
    }),
  };
}

/** Where an API field error belongs in the portal: the page and the form field. */
export function placeApiError(error: FieldError): { step: Step; field: string } {
  const m = /^members\.(\d+)\.(\w+)/.exec(error.path);
  if (m) {
    const name =
      m[2] === 'documents'
        ? 'passport'
        : m[2] === 'nameArabic'
          ? 'nameArabic'
          : m[2] === 'birthDate'
            ? 'birthDate'
            : 'given';
    return { step: 'members', field: `m${m[1]}_${name}` };
  }
  if (error.path.startsWith('contacts'))
    return { step: 'contacts', field: error.path.endsWith('email') ? 'c_email' : 'c_phone' };
  if (error.path.startsWith('location')) return { step: 'location', field: 'l_zone' };
  if (error.path.startsWith('registrant')) return { step: 'who', field: 'r_name' };
  return { step: 'review', field: '_form' };
}
