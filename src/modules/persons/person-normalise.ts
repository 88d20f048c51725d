import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { parse as parseMrzLines } from 'mrz';

/** A phone number in E.164 (`+970599123456`), or undefined when it is not a valid number. */
export function normalisePhone(input: string): string | undefined {
  const trimmed = input.trim();
  if (!trimmed) return undefined;
  // People abroad often type the 00 international prefix instead of +.
  const withPlus = trimmed.startsWith('00') ? `+${trimmed.slice(2)}` : trimmed;
  const parsed = parsePhoneNumberFromString(withPlus.startsWith('+') ? withPlus : `+${withPlus}`);
  return parsed?.isValid() ? parsed.number : undefined;
}

/** A lower-cased email address, or undefined when it does not look like one. */
export function normaliseEmail(input: string): string | undefined {
  const value = input.trim().toLowerCase();
  return /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@.]{2,}$/.test(value) ? value : undefined;
}

/** Document numbers compared without spaces, dashes or case, with the letter O read as zero. */
export function normaliseDocumentNumber(input: string): string {
  return input
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, '')
    .replace(/O/g, '0');
}

const ARABIC_MARKS = /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/g;

/**
 * Folds letters the way people type them interchangeably: Latin without accents and case, Arabic
 * without vowel marks and tatweel, one form of alef, taa marbuta as haa, alif maqsura and hamza
 * seats as their base letters. Shared by the registry search and the reading of SMS replies.
 */
export function foldLetters(input: string): string {
  return input
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(ARABIC_MARKS, '')
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ة/g, 'ه')
    .replace(/ى/g, 'ي')
    .replace(/ؤ/g, 'و')
    .replace(/ئ/g, 'ي')
    .toLowerCase();
}

/** Folds text for the registry search: folded letters, words separated by single spaces. */
export function foldForSearch(input: string): string {
  return foldLetters(input)
    .replace(/[^\p{L}\p{N}+]+/gu, ' ')
    .trim();
}

export interface BirthDate {
  value: string | null;
  precision: 'day' | 'year' | 'unknown';
}

/** `YYYY-MM-DD` or `YYYY` → value and precision; a problem message when it is not a real past date. */
export function parseBirthDate(
  input: string | undefined | null,
  today = new Date(),
): BirthDate | { error: string } {
  if (!input) return { value: null, precision: 'unknown' };
  const year = Number.parseInt(input.slice(0, 4), 10);
  if (year < 1890 || year > today.getUTCFullYear()) return { error: 'The year is not plausible.' };
  if (input.length === 4) return { value: input, precision: 'year' };
  const date = new Date(`${input}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || !date.toISOString().startsWith(input))
    return { error: 'Not a real date.' };
  if (date.getTime() > today.getTime()) return { error: 'The date is in the future.' };
  return { value: input, precision: 'day' };
}

export interface MrzDocument {
  type: 'passport';
  number: string;
  issuingCountry: string | null;
  nationality: string | null;
  expiryDate: string | null;
  birthDate: string | null;
  sex: 'female' | 'male' | 'unknown';
  familyName: string | null;
  givenNames: string | null;
}

/** YYMMDD → YYYY-MM-DD; birth dates are never in the future, expiry dates are within 50 years. */
function mrzDate(yymmdd: string | null, kind: 'birth' | 'expiry', now = new Date()): string | null {
  if (!yymmdd || !/^\d{6}$/.test(yymmdd)) return null;
  const yy = Number.parseInt(yymmdd.slice(0, 2), 10);
  const century = now.getUTCFullYear() - (now.getUTCFullYear() % 100);
  let year = century + yy;
  if (kind === 'birth' && year > now.getUTCFullYear()) year -= 100;
  if (kind === 'expiry' && year < now.getUTCFullYear() - 50) year += 100;
  return `${year}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;
}

/**
 * Parses a passport machine-readable zone (two lines of 44 characters, typed or pasted, with or
 * without the line break). Every check digit must hold; country codes are kept as printed.
 */
export function parsePassportMrz(input: string): MrzDocument | { error: string } {
  const compact = input.toUpperCase().replace(/[\r\t ]/g, '');
  const lines = compact.includes('\n')
    ? compact.split('\n').filter(Boolean)
    : [compact.slice(0, 44), compact.slice(44)];
  if (lines.length !== 2 || lines[0]!.length !== 44 || lines[1]!.length !== 44) {
    return { error: 'A passport MRZ has two lines of 44 characters.' };
  }
  let result: ReturnType<typeof parseMrzLines>;
  try {
    result = parseMrzLines(lines);
  } catch {
    return { error: 'This is not a passport MRZ.' };
  }
  const badCheck = result.details.find((d) => d.field?.endsWith('CheckDigit') && !d.valid);
  if (badCheck) return { error: `A check digit does not match (${badCheck.field}).` };
  const f = result.fields;
  if (!f.documentNumber) return { error: 'The document number cannot be read.' };
  return {
    type: 'passport',
    number: f.documentNumber,
    issuingCountry: lines[0]!.slice(2, 5).replace(/</g, '') || null,
    nationality: lines[1]!.slice(10, 13).replace(/</g, '') || null,
    expiryDate: mrzDate(f.expirationDate ?? null, 'expiry'),
    birthDate: mrzDate(f.birthDate ?? null, 'birth'),
    sex: f.sex === 'female' || f.sex === 'male' ? f.sex : 'unknown',
    familyName: f.lastName ?? null,
    givenNames: f.firstName ?? null,
  };
}
