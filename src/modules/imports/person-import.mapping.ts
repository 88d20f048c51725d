import type { FieldError } from '../../lib/errors.js';
import {
  type MemberInput,
  type RegistrationBody,
  registrationBodySchema,
} from '../persons/person.schemas.js';
import type { Table } from './table-reader.js';

/** The fields a column can feed. `household` groups rows into one household (same value). */
export const IMPORT_FIELDS = [
  'household',
  'relationship',
  'given_name',
  'father_name',
  'grandfather_name',
  'family_name',
  'full_name',
  'given_name_ar',
  'family_name_ar',
  'full_name_ar',
  'sex',
  'birth_date',
  'nationalities',
  'category',
  'passport',
  'national_id',
  'phone',
  'email',
  'whatsapp',
  'zone',
  'place',
  'intention',
  'vulnerabilities',
  'needs',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Usual headers in partners' spreadsheets (compared without case, spaces or punctuation). */
const ALIASES: Record<string, ImportField> = {
  household: 'household',
  family: 'household',
  householdid: 'household',
  familyid: 'household',
  group: 'household',
  relationship: 'relationship',
  relation: 'relationship',
  given: 'given_name',
  givenname: 'given_name',
  firstname: 'given_name',
  first: 'given_name',
  father: 'father_name',
  fathername: 'father_name',
  grandfather: 'grandfather_name',
  grandfathername: 'grandfather_name',
  familyname: 'family_name',
  lastname: 'family_name',
  surname: 'family_name',
  name: 'full_name',
  fullname: 'full_name',
  givennamear: 'given_name_ar',
  familynamear: 'family_name_ar',
  namear: 'full_name_ar',
  fullnamear: 'full_name_ar',
  arabicname: 'full_name_ar',
  الاسم: 'full_name_ar',
  sex: 'sex',
  gender: 'sex',
  dob: 'birth_date',
  birthdate: 'birth_date',
  dateofbirth: 'birth_date',
  born: 'birth_date',
  nationality: 'nationalities',
  nationalities: 'nationalities',
  category: 'category',
  status: 'category',
  eligibility: 'category',
  passport: 'passport',
  passportnumber: 'passport',
  passportno: 'passport',
  nationalid: 'national_id',
  idnumber: 'national_id',
  id: 'national_id',
  phone: 'phone',
  mobile: 'phone',
  telephone: 'phone',
  phonenumber: 'phone',
  email: 'email',
  emailaddress: 'email',
  whatsapp: 'whatsapp',
  zone: 'zone',
  area: 'zone',
  place: 'place',
  location: 'place',
  address: 'place',
  intention: 'intention',
  wantstoleave: 'intention',
  vulnerabilities: 'vulnerabilities',
  vulnerability: 'vulnerabilities',
  needs: 'needs',
  notes: 'needs',
};

const squash = (header: string) => header.toLowerCase().replace(/[\s_\-.()/]+/g, '');

/**
 * Column → field: the usual headers are recognised, `overrides` (from `--map col=field`) win.
 * Unknown fields in an override are reported; unrecognised columns are ignored.
 */
export function mapColumns(
  headers: string[],
  overrides: Record<string, string> = {},
): { columns: Map<number, ImportField>; errors: string[] } {
  const columns = new Map<number, ImportField>();
  const errors: string[] = [];
  headers.forEach((h, i) => {
    const field = ALIASES[squash(h)];
    if (field) columns.set(i, field);
  });
  for (const [column, field] of Object.entries(overrides)) {
    const index = headers.findIndex((h) => h === column || squash(h) === squash(column));
    if (index < 0) errors.push(`--map ${column}=${field}: no column "${column}" in the file`);
    else if (!(IMPORT_FIELDS as readonly string[]).includes(field))
      errors.push(`--map ${column}=${field}: unknown field (use one of ${IMPORT_FIELDS.join(', ')})`);
    else columns.set(index, field as ImportField);
  }
  return { columns, errors };
}

export interface RowError {
  row: number;
  column: string;
  message: string;
}

export interface ImportGroup {
  key: string;
  rows: { rowNo: number; values: Partial<Record<ImportField, string>> }[];
}

/** Rows grouped into households by the `household` column (a row without one is its own). */
export function groupRows(table: Table, columns: Map<number, ImportField>): ImportGroup[] {
  const groups = new Map<string, ImportGroup>();
  for (const row of table.rows) {
    const values: Partial<Record<ImportField, string>> = {};
    for (const [index, field] of columns) {
      const v = (row.cells[index] ?? '').trim();
      if (v) values[field] = v;
    }
    const key = values.household ? `h:${values.household}` : `r:${row.rowNo}`;
    const group = groups.get(key) ?? { key, rows: [] };
    group.rows.push({ rowNo: row.rowNo, values });
    groups.set(key, group);
  }
  return [...groups.values()];
}

const list = (v: string | undefined) =>
  v
    ? v
        .split(/[,;|]/)
        .map((x) => x.trim())
        .filter(Boolean)
    : undefined;
const SEX: Record<string, 'female' | 'male'> = {
  f: 'female',
  female: 'female',
  woman: 'female',
  أنثى: 'female',
  m: 'male',
  male: 'male',
  man: 'male',
  ذكر: 'male',
};
const CATEGORY: Record<string, string> = {
  citizen: 'citizen',
  'permanent resident': 'permanent_resident',
  permanent_resident: 'permanent_resident',
  'immediate family': 'immediate_family',
  immediate_family: 'immediate_family',
  family: 'immediate_family',
  other: 'other_person_of_interest',
};
const INTENTION: Record<string, string> = {
  leave: 'leave',
  yes: 'leave',
  stay: 'stay',
  no: 'stay',
  undecided: 'undecided',
  unsure: 'undecided',
};

/** The registration a group of rows describes, and the column each body path came from. */
export function groupToBody(group: ImportGroup): {
  body: unknown;
  origin: (path: string) => { row: number; column: string };
} {
  const first = group.rows[0]!.values;
  const members: Record<string, unknown>[] = group.rows.map(({ values: v }, i) => {
    const m: Record<string, unknown> = {
      relationship: (v.relationship ?? (i === 0 ? 'head' : 'other_relative'))
        .toLowerCase()
        .replace(/\s+/g, '_'),
    };
    const latin = {
      given: v.given_name,
      father: v.father_name,
      grandfather: v.grandfather_name,
      family: v.family_name,
      full: v.full_name,
    };
    if (Object.values(latin).some(Boolean))
      m.nameLatin = Object.fromEntries(Object.entries(latin).filter(([, x]) => x));
    const arabic = { given: v.given_name_ar, family: v.family_name_ar, full: v.full_name_ar };
    if (Object.values(arabic).some(Boolean))
      m.nameArabic = Object.fromEntries(Object.entries(arabic).filter(([, x]) => x));
    if (v.sex) m.sex = SEX[v.sex.toLowerCase()] ?? v.sex;
    if (v.birth_date) m.birthDate = v.birth_date;
    if (v.nationalities) m.nationalities = list(v.nationalities)?.map((x) => x.toUpperCase());
    if (v.category) m.eligibilityCategory = CATEGORY[v.category.toLowerCase()] ?? v.category;
    const documents = [
      ...(v.passport ? [{ type: 'passport', number: v.passport }] : []),
      ...(v.national_id ? [{ type: 'national_id', number: v.national_id }] : []),
    ];
    if (documents.length) m.documents = documents;
    if (v.phone) m.phone = v.phone;
    if (v.email) m.email = v.email;
    if (v.whatsapp) m.whatsapp = /^(1|y|yes|true|oui|نعم)$/i.test(v.whatsapp);
    if (v.vulnerabilities)
      m.vulnerabilities = list(v.vulnerabilities)?.map((x) => x.toLowerCase().replace(/\s+/g, '_'));
    if (v.needs) m.needs = v.needs;
    return m;
  });
  const body = {
    registeredBy: 'self',
    intention: first.intention ? (INTENTION[first.intention.toLowerCase()] ?? first.intention) : 'undecided',
    ...(first.zone || first.place
      ? {
          location: {
            ...(first.zone ? { zone: first.zone } : {}),
            ...(first.place ? { place: first.place } : {}),
          },
        }
      : {}),
    members,
  };
  const FIELD_OF: Record<string, ImportField> = {
    nameLatin: 'given_name',
    nameArabic: 'full_name_ar',
    birthDate: 'birth_date',
    eligibilityCategory: 'category',
    documents: 'passport',
    vulnerabilities: 'vulnerabilities',
    relationship: 'relationship',
    sex: 'sex',
    phone: 'phone',
    email: 'email',
    nationalities: 'nationalities',
    needs: 'needs',
  };
  const origin = (path: string) => {
    const m = /^members\.(\d+)\.(\w+)/.exec(path);
    if (m)
      return {
        row: group.rows[Number(m[1])]?.rowNo ?? group.rows[0]!.rowNo,
        column: FIELD_OF[m[2]!] ?? m[2]!,
      };
    if (path.startsWith('location'))
      return { row: group.rows[0]!.rowNo, column: path.endsWith('place') ? 'place' : 'zone' };
    return { row: group.rows[0]!.rowNo, column: path.split('.')[0] || 'row' };
  };
  return { body, origin };
}

/** Schema check of one group: the body, or errors that name the row and the column. */
export function checkGroup(group: ImportGroup): { body: RegistrationBody } | { errors: RowError[] } {
  const { body, origin } = groupToBody(group);
  const parsed = registrationBodySchema.safeParse(body);
  if (parsed.success) return { body: parsed.data };
  return {
    errors: parsed.error.issues.map((issue) => ({ ...origin(issue.path.join('.')), message: issue.message })),
  };
}

export const rowErrorsFrom = (group: ImportGroup, fields: FieldError[]): RowError[] => {
  const { origin } = groupToBody(group);
  return fields.map((f) => ({ ...origin(f.path), message: f.message }));
};

export type { MemberInput };
