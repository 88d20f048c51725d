/**
 * Preparation: records in, columnar typed arrays out. Done once per registry; everything after
 * (blocking, scoring, clustering) works on integer ids.
 */
import { NameLexicon } from './lexicon.js';
import { normaliseName } from './normalise-name.js';
import type { NameRecord } from './types.js';

/** Name chains longer than this are cut; real chains rarely exceed six parts. */
export const MAX_UNITS = 8;

/** Records prepared for matching, column by column. */
export interface PreparedRecords {
  readonly lexicon: NameLexicon;
  readonly size: number;
  readonly ids: readonly string[];
  /** Units of record i are `units[unitStart[i] .. unitStart[i + 1])`. */
  readonly unitStart: Int32Array;
  readonly units: Int32Array;
  /** Date of birth as yyyymmdd, yyyy0000 when only the year is known, 0 when missing. */
  readonly dob: Int32Array;
  /** 0 unknown, 1 male, 2 female. */
  readonly sex: Uint8Array;
  /** Normalised document numbers ('' when missing); strings, not interned: nearly all unique. */
  readonly passportText: readonly string[];
  /** 32-bit hash of the document number (blocking key), 0 when missing. */
  readonly passport: Int32Array;
  /** Interned nationality ids, -1 when missing. */
  readonly nationality: Int32Array;
  /** Last nine digits of the phone as a number, -1 when missing. */
  readonly phone: Int32Array;
}

/** Options of {@link prepareRecords}. */
export interface PrepareOptions {
  /** Share one lexicon between a registry and the lists matched against it. */
  lexicon?: NameLexicon;
  /**
   * Count these records in the lexicon's name frequencies (default true). Off when scoring a
   * pair against a registry's frequencies, so that explaining many pairs does not shift them.
   */
  countFrequencies?: boolean;
}

/**
 * Parses a date of birth: `YYYY-MM-DD` → yyyymmdd, `YYYY` → yyyy0000, anything else (including
 * impossible dates) → 0, i.e. missing. Dates are evidence, so a malformed one is ignored rather
 * than guessed.
 */
export function parseDateOfBirth(text: string | undefined): number {
  if (text === undefined) return 0;
  const trimmed = text.trim();
  // Parsed by hand: this runs once per record of a million-record registry.
  const year = trimmed.length === 4 || trimmed.length === 10 ? digitsAt(trimmed, 0, 4) : -1;
  if (year < 1880 || year > 2100) return 0;
  if (trimmed.length === 4) return year * 10000;
  if (trimmed[4] !== '-' || trimmed[7] !== '-') return 0;
  const month = digitsAt(trimmed, 5, 7);
  const day = digitsAt(trimmed, 8, 10);
  if (month < 1 || month > 12 || day < 1 || day > 31) return 0;
  return year * 10000 + month * 100 + day;
}

/** The number written with ASCII digits in `text[from..to)`, or -1. */
function digitsAt(text: string, from: number, to: number): number {
  let value = 0;
  for (let k = from; k < to; k++) {
    const code = text.charCodeAt(k) - 48;
    if (code < 0 || code > 9) return -1;
    value = value * 10 + code;
  }
  return value;
}

/** `M`/`F` in English, French and Arabic; anything else is unknown (0). */
export function parseSex(text: string | undefined): number {
  const value = text?.trim().toLowerCase() ?? '';
  if (value === 'm' || value === 'male' || value === 'h' || value === 'homme' || value === 'ذكر') return 1;
  if (value === 'f' || value === 'female' || value === 'femme' || value === 'انثى' || value === 'أنثى')
    return 2;
  return 0;
}

/** Document numbers: upper case, letters and digits only ("ab 123-456" → "AB123456"). */
export function normaliseDocumentNumber(text: string | undefined): string {
  if (text === undefined || text.length === 0) return '';
  // NFKC only when needed (full-width or Arabic-Indic digits); most numbers are plain ASCII.
  const plain = ASCII.test(text) ? text : westernDigits(text.normalize('NFKC'));
  return plain.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

const ASCII = /^[\x20-\x7e]*$/;

/** Arabic-Indic (٠-٩) and Persian (۰-۹) digits as 0-9; NFKC leaves them alone. */
function westernDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (digit) => String((digit.charCodeAt(0) & 0xf) % 10));
}

/** Phones: the last nine digits, enough to ignore country-code and trunk-prefix differences. */
export function normalisePhone(text: string | undefined): string {
  if (text === undefined || text.length === 0) return '';
  const digits = (ASCII.test(text) ? text : westernDigits(text.normalize('NFKC'))).replace(/\D/g, '');
  return digits.length >= 6 ? digits.slice(-9) : '';
}

/** FNV-1a hash of a string, never 0 (0 means "missing"). */
function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h === 0 ? 1 : h;
}

function chainOf(record: NameRecord): string[] {
  const fromFull = normaliseName(record.fullName ?? '');
  if (record.givenName === undefined && record.familyName === undefined) return fromFull;
  const parts = [record.givenName, record.fatherName, record.grandfatherName, record.familyName]
    .filter((part): part is string => part !== undefined && part.trim().length > 0)
    .join(' ');
  const fromParts = normaliseName(parts);
  // Keep the richer of the two: a full name often carries parts the split fields left out.
  return fromParts.length > fromFull.length ? fromParts : fromFull;
}

/**
 * Prepares records for matching: normalises names into interned unit chains, parses dates,
 * sexes, document numbers and phones, and counts name-part frequencies in the lexicon (which
 * drive the weights: a common part is weak evidence, a rare one strong).
 */
export function prepareRecords(
  records: readonly NameRecord[],
  options: PrepareOptions = {},
): PreparedRecords {
  const lexicon = options.lexicon ?? new NameLexicon();
  const counting = options.countFrequencies ?? true;
  const size = records.length;
  const unitStart = new Int32Array(size + 1);
  let units = new Int32Array(Math.max(16, size * 4));
  const dob = new Int32Array(size);
  const sex = new Uint8Array(size);
  const passport = new Int32Array(size);
  const passportText: string[] = new Array<string>(size);
  const nationality = new Int32Array(size).fill(-1);
  const phone = new Int32Array(size).fill(-1);
  const ids: string[] = new Array<string>(size);
  // Last record that counted each canonical name / skeleton (counts once per record).
  const canonStamp: number[] = [];
  const skeletonStamp: number[] = [];
  let cursor = 0;
  for (let i = 0; i < size; i++) {
    const record = records[i] as NameRecord;
    ids[i] = record.id;
    const chain = chainOf(record);
    const count = Math.min(chain.length, MAX_UNITS);
    if (cursor + count > units.length) {
      const grown = new Int32Array(units.length * 2 + count);
      grown.set(units);
      units = grown;
    }
    for (let u = 0; u < count; u++) {
      const unit = lexicon.internUnit(chain[u] ?? '');
      units[cursor++] = unit;
      const canon = lexicon.canon[unit] ?? 0;
      if (counting && canonStamp[canon] !== i) {
        canonStamp[canon] = i;
        lexicon.canonRecordCount[canon] = (lexicon.canonRecordCount[canon] ?? 0) + 1;
      }
      const skeleton = lexicon.skeletonId[unit] ?? 0;
      if (counting && skeletonStamp[skeleton] !== i) {
        skeletonStamp[skeleton] = i;
        lexicon.skeletonRecordCount[skeleton] = (lexicon.skeletonRecordCount[skeleton] ?? 0) + 1;
      }
    }
    unitStart[i + 1] = cursor;
    dob[i] = parseDateOfBirth(record.dateOfBirth);
    const date = dob[i] ?? 0;
    if (counting && date % 10000 !== 0) {
      lexicon.dobRecordCount.set(date, (lexicon.dobRecordCount.get(date) ?? 0) + 1);
    }
    sex[i] = parseSex(record.sex);
    const documentNumber = normaliseDocumentNumber(record.passportNumber);
    passportText[i] = documentNumber;
    if (documentNumber.length > 0) passport[i] = hashText(documentNumber);
    const nation = record.nationality?.trim().toUpperCase() ?? '';
    if (nation.length > 0) nationality[i] = lexicon.internValue(`n:${nation}`);
    const phoneDigits = normalisePhone(record.phone);
    if (phoneDigits.length > 0) phone[i] = Number(phoneDigits);
  }
  if (counting) lexicon.recordCount += size;
  return {
    lexicon,
    size,
    ids,
    unitStart,
    units: units.slice(0, cursor),
    dob,
    sex,
    passport,
    passportText,
    nationality,
    phone,
  };
}
