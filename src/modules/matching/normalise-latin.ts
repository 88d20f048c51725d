/**
 * Latin-script folding and the vocabulary of Latin name lists: titles to drop, filiation
 * particles, the article in its many spellings, and the "abd"/"abu" compound prefixes.
 */

/** Letters that NFD does not decompose into a base letter plus a mark. */
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};
const SPECIAL = /[ßæœøłđðþı]/g;
const COMBINING_MARKS = /\p{M}/gu;
/** Apostrophes and okina-like marks stand for hamza or ain (Sa'ad, Ra'ed): drop, do not split. */
const APOSTROPHES = /['’‘`ʼʻ´]/g;
/** Article glued by a hyphen, including sun-letter assimilations (ash-Shawa, an-Najjar). */
const HYPHEN_ARTICLE = /(^|[^a-z])(?:al|el|ul|il|as|ash|ad|an|ar|at|az|ath|adh|es|ed|en|er|et|ez)-(?=[a-z])/g;

/**
 * Folds Latin text: lower case, accents removed (é → e, ç → c), apostrophes removed and hyphenated
 * articles detached ("al-Masri" → "al masri"). Arabic letters pass through (they carry no
 * combining marks after Arabic folding). Idempotent.
 */
export function foldLatin(text: string): string {
  return text
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(SPECIAL, (ch) => SPECIAL_LETTERS[ch] ?? ch)
    .replace(APOSTROPHES, '')
    .replace(HYPHEN_ARTICLE, '$1al ');
}

/** Honorifics and professional titles: not part of the name on any document. */
export const LATIN_TITLES: ReadonlySet<string> = new Set([
  'dr',
  'doctor',
  'eng',
  'engr',
  'engineer',
  'mr',
  'mrs',
  'ms',
  'miss',
  'mme',
  'mlle',
  'mister',
  'madam',
  'sir',
  'prof',
  'professor',
  'sheikh',
  'shaikh',
  'sheik',
  'shaykh',
  'cheikh',
  'hajj',
  'haj',
  'hadj',
  'hajji',
  'hajja',
  'hajjeh',
]);

/** Filiation particles ("son/daughter of"): they mark the chain, not a name part. */
export const LATIN_PARTICLES: ReadonlySet<string> = new Set(['bin', 'ibn', 'ben', 'bint', 'bent']);

/** The article written as its own token. */
export const LATIN_ARTICLES: ReadonlySet<string> = new Set(['al', 'el', 'ul', 'il']);

/** Tokens that begin an "abd X" compound when written apart ("Abdel Aziz", "Abd al-Rahman"). */
export const LATIN_ABD_PREFIXES: ReadonlySet<string> = new Set([
  'abd',
  'abdel',
  'abdul',
  'abdal',
  'abdol',
  'abdoul',
  'abdil',
]);
/** Like {@link LATIN_ABD_PREFIXES} but also standalone names (Abdu, Abdou): joined only before a divine name. */
export const LATIN_WEAK_ABD_PREFIXES: ReadonlySet<string> = new Set(['abdu', 'abdou', 'abdo']);

/** Tokens that begin an "abu X" compound ("Abu Shamala", "Abou Khalil"). */
export const LATIN_ABU_PREFIXES: ReadonlySet<string> = new Set(['abu', 'abou', 'abo', 'aboo']);

// Tolerant of the commonest slips in these prefixes: a doubled first letter ("Aabd", "Aabu")
// or a doubled b ("Abbou").
const GLUED_ABD = /^a{1,2}bb?d(?:ou|[aeiou])?l?([a-z]{2,})$/;
const GLUED_ABU = /^a{1,2}bb?(?:ou|u)([a-z]{3,})$/;
const LOOSE_ABD = /^a{1,2}bb?d(?:[aeiou]|ou)?l$|^aa?bb?d$/;
const LOOSE_ABU = /^a{1,2}bb?(?:u|ou|o|oo)$/;

/** True for a token that opens an "abd X" compound written apart (listed spellings and slips). */
export function isLatinAbdPrefix(token: string): boolean {
  return LATIN_ABD_PREFIXES.has(token) || LOOSE_ABD.test(token);
}

/** True for a token that opens an "abu X" compound written apart. */
export function isLatinAbuPrefix(token: string): boolean {
  return LATIN_ABU_PREFIXES.has(token) || LOOSE_ABU.test(token);
}

/**
 * Splits a Latin token glued to a compound prefix: "abdelrahman" → ["abd", "rahman"],
 * "abdurrahman" → ["abd", "rahman"] (assimilated article), "abushamala" → ["abu", "shamala"].
 * Callers check the name table first so listed names are never split.
 */
export function splitLatinCompound(token: string): [prefix: 'abd' | 'abu', rest: string] | undefined {
  let match = GLUED_ABD.exec(token);
  if (match?.[1] !== undefined) return ['abd', collapseAssimilation(match[1])];
  match = GLUED_ABU.exec(token);
  if (match?.[1] !== undefined) return ['abu', stripLatinArticle(match[1])];
  return undefined;
}

/** "rrahman" → "rahman": the doubled first letter left by a sun-letter assimilation. */
function collapseAssimilation(rest: string): string {
  return rest.length > 3 && rest[0] === rest[1] ? rest.slice(1) : rest;
}

/**
 * Strips a glued article ("almasri", "elmasri" → "masri"), leaving at least three letters so that
 * short names beginning with "al"/"el" (Alaa, Elham is listed) are kept.
 */
export function stripLatinArticle(token: string): string {
  if ((token.startsWith('al') || token.startsWith('el')) && token.length >= 5) return token.slice(2);
  return token;
}
