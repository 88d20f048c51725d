/**
 * A published approved-to-cross list, read from CSV, XLSX or a text PDF, becomes a table of
 * strings; this file maps that table's columns (headers in English, French or Arabic) onto the
 * fields matching needs, and reports bad input by file, row and column.
 */

export type ListField =
  | 'row_number'
  | 'full_name'
  | 'full_name_ar'
  | 'given_name'
  | 'father_name'
  | 'grandfather_name'
  | 'family_name'
  | 'passport_number'
  | 'id_number'
  | 'nationality'
  | 'date_of_birth'
  | 'sex';

/** One row of an approved list, as published (no normalisation beyond trimming). */
export interface ApprovedListRow {
  /** 1-based position in the file (data rows only), for error messages and review. */
  sourceRow: number;
  /** Where the row came from, e.g. "page 2, line 14" for PDFs or "row 15" for spreadsheets. */
  sourceRef: string;
  fullName: string;
  fullNameAr?: string;
  givenName?: string;
  fatherName?: string;
  grandfatherName?: string;
  familyName?: string;
  passportNumber?: string;
  idNumber?: string;
  nationality?: string;
  dateOfBirth?: string;
  sex?: 'M' | 'F';
}

export interface RawTable {
  headers: string[];
  rows: { ref: string; cells: string[] }[];
}

export interface ParsedList {
  rows: ApprovedListRow[];
  columns: Partial<Record<ListField, string>>;
  /** Counts of rows per published nationality ("unknown" when the column is absent or empty). */
  byNationality: Record<string, number>;
}

/** Bad input, always naming the file and, where it applies, the row and column. */
export class ListFormatError extends Error {
  constructor(
    readonly file: string,
    /** What is wrong, without the location (the message adds file, row and column). */
    readonly reason: string,
    readonly row?: string,
    readonly column?: string,
  ) {
    super(`${[file, row, column ? `column "${column}"` : undefined].filter(Boolean).join(', ')}: ${reason}`);
    this.name = 'ListFormatError';
  }
}

/** Longest accepted cell; a published list has no reason for more. */
export const MAX_CELL_LENGTH = 500;

const HEADER_SYNONYMS: Record<ListField, string[]> = {
  row_number: [
    'no',
    'no.',
    '#',
    'n°',
    'nº',
    'num',
    'number',
    'serial',
    's/n',
    'sn',
    'م',
    'الرقم',
    'رقم',
    'ت',
    'التسلسل',
    'تسلسل',
  ],
  full_name: [
    'name',
    'full name',
    'full_name',
    'fullname',
    'names',
    'nom',
    'nom complet',
    'nom et prénom',
    'nom et prenom',
    'english name',
    'name (english)',
    'الاسم بالانجليزية',
    'الاسم بالإنجليزية',
  ],
  full_name_ar: [
    'الاسم',
    'الاسم الكامل',
    'الاسم الرباعي',
    'الاسم الثلاثي',
    'اسم',
    'arabic name',
    'name (arabic)',
    'nom en arabe',
    'full_name_ar',
  ],
  given_name: [
    'given name',
    'given_name',
    'first name',
    'first_name',
    'firstname',
    'prénom',
    'prenom',
    'الاسم الأول',
    'الاسم الاول',
  ],
  father_name: [
    'father name',
    'father_name',
    "father's name",
    'fathers name',
    'nom du père',
    'اسم الأب',
    'اسم الاب',
    'الأب',
    'الاب',
  ],
  grandfather_name: [
    'grandfather name',
    'grandfather_name',
    "grandfather's name",
    'nom du grand-père',
    'اسم الجد',
    'الجد',
  ],
  family_name: [
    'family name',
    'family_name',
    'last name',
    'last_name',
    'lastname',
    'surname',
    'nom de famille',
    'اسم العائلة',
    'العائلة',
    'اللقب',
    'الكنية',
  ],
  passport_number: [
    'passport',
    'passport no',
    'passport no.',
    'passport number',
    'passport_number',
    'passport #',
    'passeport',
    'n° passeport',
    'numéro de passeport',
    'رقم الجواز',
    'جواز السفر',
    'رقم جواز السفر',
    'الجواز',
  ],
  id_number: [
    'id',
    'id no',
    'id number',
    'id_number',
    'national id',
    'identity number',
    "carte d'identité",
    'رقم الهوية',
    'الهوية',
  ],
  nationality: ['nationality', 'nationalité', 'nationalite', 'country', 'citizenship', 'الجنسية', 'الدولة'],
  date_of_birth: [
    'date of birth',
    'date_of_birth',
    'dob',
    'birth date',
    'birthdate',
    'date de naissance',
    'né le',
    'تاريخ الميلاد',
    'تاريخ الولادة',
    'المواليد',
  ],
  sex: ['sex', 'gender', 'sexe', 'genre', 'الجنس', 'النوع'],
};

const normaliseHeader = (h: string) =>
  h
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u064B-\u065F\u0640]/g, '')
    .replace(/[_\s]+/g, ' ')
    .replace(/[:：]$/, '')
    .trim();

const SYNONYM_INDEX = new Map<string, ListField>(
  (Object.entries(HEADER_SYNONYMS) as [ListField, string[]][]).flatMap(([field, names]) =>
    names.map((n) => [normaliseHeader(n), field] as const),
  ),
);

/** The field a header names, if it is one we know. */
export function fieldForHeader(header: string): ListField | undefined {
  return SYNONYM_INDEX.get(normaliseHeader(header));
}

const ARABIC = /[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/;
export const isArabicText = (s: string) => ARABIC.test(s);

/** Control characters that subset fonts and some exporters leave in text. */
export const cleanCell = (s: string) =>
  s
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

function parseSex(value: string): 'M' | 'F' | undefined | null {
  const v = normaliseHeader(value);
  if (!v) return undefined;
  if (['m', 'male', 'masculin', 'homme', 'h', 'ذكر', 'ذ'].includes(v)) return 'M';
  if (['f', 'female', 'féminin', 'feminin', 'femme', 'أنثى', 'انثى', 'ا', 'أ'].includes(v)) return 'F';
  return null;
}

/** YYYY-MM-DD or YYYY from the forms lists use (YYYY-MM-DD, DD/MM/YYYY, DD.MM.YYYY, YYYY). */
function parseDate(value: string): string | undefined | null {
  // Wrapped PDF cells can leave a space inside a date ("1980-03 -14").
  const v = value.replace(/\s+/g, '').replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660));
  if (!v) return undefined;
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(v);
  if (m) return validDate(m[1]!, m[2]!, m[3]!);
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(v);
  if (m) return validDate(m[3]!, m[2]!, m[1]!);
  if (/^\d{4}$/.test(v)) return Number(v) >= 1900 && Number(v) <= 2100 ? v : null;
  return null;
}

function validDate(y: string, mo: string, d: string): string | null {
  const iso = `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const t = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== iso ? null : iso;
}

/**
 * Maps a raw table onto approved-list rows. Headers are recognised in English, French and
 * Arabic; a single name column holding Arabic script is read as the Arabic name. Rows that are
 * entirely empty are skipped; a row without any name is an error naming that row.
 */
export function mapListTable(
  file: string,
  table: RawTable,
  overrides: Partial<Record<ListField, string>> = {},
): ParsedList {
  const columnOf = new Map<ListField, number>();
  table.headers.forEach((h, i) => {
    const field = fieldForHeader(h);
    if (field && !columnOf.has(field)) columnOf.set(field, i);
  });
  for (const [field, header] of Object.entries(overrides) as [ListField, string][]) {
    const i = table.headers.findIndex((h) => normaliseHeader(h) === normaliseHeader(header));
    if (i < 0) throw new ListFormatError(file, `no column named "${header}" (for ${field})`);
    columnOf.set(field, i);
  }
  // A lone name column with Arabic content is the Arabic name; a lone Arabic-named column with
  // Latin content is the Latin name.
  const share = (col: number) => {
    const cells = table.rows.map((r) => cleanCell(r.cells[col] ?? '')).filter(Boolean);
    return cells.length ? cells.filter(isArabicText).length / cells.length : 0;
  };
  const latin = columnOf.get('full_name');
  const arabic = columnOf.get('full_name_ar');
  if (latin !== undefined && arabic === undefined && share(latin) > 0.5) {
    columnOf.set('full_name_ar', latin);
    columnOf.delete('full_name');
  } else if (arabic !== undefined && latin === undefined && share(arabic) < 0.5) {
    columnOf.set('full_name', arabic);
    columnOf.delete('full_name_ar');
  }
  const hasNameParts = columnOf.has('given_name') || columnOf.has('family_name');
  if (!columnOf.has('full_name') && !columnOf.has('full_name_ar') && !hasNameParts) {
    throw new ListFormatError(
      file,
      `no name column found among the headers (${table.headers.map((h) => `"${h}"`).join(', ') || 'none'}); expected one such as "Name", "Nom" or "الاسم"`,
    );
  }

  const rows: ApprovedListRow[] = [];
  const byNationality: Record<string, number> = {};
  let n = 0;
  for (const raw of table.rows) {
    const cells = raw.cells.map((c) => {
      if (c.length > MAX_CELL_LENGTH) {
        throw new ListFormatError(file, `cell longer than ${MAX_CELL_LENGTH} characters`, raw.ref);
      }
      return cleanCell(c);
    });
    if (cells.every((c) => c === '')) continue;
    const get = (f: ListField) => {
      const i = columnOf.get(f);
      const v = i === undefined ? '' : (cells[i] ?? '');
      return v === '' ? undefined : v;
    };
    n += 1;
    const parts = [get('given_name'), get('father_name'), get('grandfather_name'), get('family_name')].filter(
      (p): p is string => p !== undefined,
    );
    const fullNameAr = get('full_name_ar');
    const fullName = get('full_name') ?? (parts.length ? parts.join(' ') : fullNameAr);
    if (!fullName) {
      const header = table.headers[columnOf.get('full_name') ?? columnOf.get('full_name_ar') ?? 0] ?? 'name';
      throw new ListFormatError(file, 'the name is empty', raw.ref, header);
    }
    const row: ApprovedListRow = { sourceRow: n, sourceRef: raw.ref, fullName };
    if (fullNameAr && fullNameAr !== fullName) row.fullNameAr = fullNameAr;
    const assign = <K extends keyof ApprovedListRow>(key: K, f: ListField) => {
      const v = get(f);
      if (v !== undefined) row[key] = v as ApprovedListRow[K];
    };
    assign('givenName', 'given_name');
    assign('fatherName', 'father_name');
    assign('grandfatherName', 'grandfather_name');
    assign('familyName', 'family_name');
    assign('nationality', 'nationality');
    const passport = get('passport_number');
    if (passport) row.passportNumber = passport.toUpperCase().replace(/[\s-]/g, '');
    const id = get('id_number');
    if (id) row.idNumber = id.replace(/\s/g, '');
    const dob = get('date_of_birth');
    if (dob) {
      const parsed = parseDate(dob);
      if (parsed === null) {
        throw new ListFormatError(
          file,
          `"${dob}" is not a date (use YYYY-MM-DD, DD/MM/YYYY or YYYY)`,
          raw.ref,
          table.headers[columnOf.get('date_of_birth')!],
        );
      }
      if (parsed) row.dateOfBirth = parsed;
    }
    const sexValue = get('sex');
    if (sexValue) {
      const sex = parseSex(sexValue);
      if (sex === null)
        throw new ListFormatError(
          file,
          `"${sexValue}" is not a sex (M/F)`,
          raw.ref,
          table.headers[columnOf.get('sex')!],
        );
      if (sex) row.sex = sex;
    }
    const nat = row.nationality ?? 'unknown';
    byNationality[nat] = (byNationality[nat] ?? 0) + 1;
    rows.push(row);
  }
  const columns: Partial<Record<ListField, string>> = {};
  for (const [field, i] of columnOf) columns[field] = table.headers[i];
  return { rows, columns, byNationality };
}
