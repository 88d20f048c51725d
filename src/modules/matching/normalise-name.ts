/**
 * Turns a written name into its chain of name units, in order (given, father, grandfather, ...,
 * family). A unit is one name part in normalised spelling; compounds that are one name although
 * written as two or three words ("abd al-rahman", "عبد الرحمن", "Abu Shamala") become one unit
 * keyed "abd:rahman" / "abu:shamala".
 */
import {
  ARABIC_ARTICLE,
  ARABIC_CHAR,
  ARABIC_PARTICLES,
  ARABIC_TITLES,
  foldArabic,
  splitArabicCompound,
  stripArabicArticle,
} from './normalise-arabic.js';
import {
  foldLatin,
  LATIN_ABD_PREFIXES,
  LATIN_ABU_PREFIXES,
  LATIN_ARTICLES,
  LATIN_PARTICLES,
  LATIN_TITLES,
  LATIN_WEAK_ABD_PREFIXES,
  splitLatinCompound,
  stripLatinArticle,
} from './normalise-latin.js';
import { isDivineName, lookupNameCanons } from './name-equivalents.js';

const SEPARATORS = /[^\p{L}\p{N}]+/u;
/** Plain lower-case ASCII names skip the Unicode folding passes (most rows of most lists). */
const PLAIN_ASCII = /^[a-z ]*$/;

/** Folds a whole name string (both scripts) and puts "LAST, First" back in chain order. */
export function foldName(text: string): string {
  let folded = text.toLowerCase();
  if (!PLAIN_ASCII.test(folded)) folded = foldLatin(foldArabic(text));
  const comma = folded.indexOf(',');
  // Only one comma means "FAMILY, Given"; several are separators and keep the written order.
  if (comma >= 0 && folded.indexOf(',', comma + 1) < 0) {
    const family = folded.slice(0, comma).trim();
    const given = folded.slice(comma + 1).trim();
    // "NASSAR, Mohammed Ahmed": the part before the comma is the family name.
    if (family.length > 0 && given.length > 0) folded = `${given} ${family}`;
  }
  return folded;
}

function isTitle(token: string): boolean {
  return LATIN_TITLES.has(token) || ARABIC_TITLES.has(token);
}

function isParticle(token: string): boolean {
  return LATIN_PARTICLES.has(token) || ARABIC_PARTICLES.has(token);
}

function isArticle(token: string): boolean {
  return LATIN_ARTICLES.has(token) || token === ARABIC_ARTICLE;
}

function stripArticle(token: string): string {
  if (lookupNameCanons(token) !== undefined) return token;
  return ARABIC_CHAR.test(token) ? stripArabicArticle(token) : stripLatinArticle(token);
}

/** Index of the next token that is not a detached article, or -1. */
function nextNameToken(tokens: readonly string[], from: number): number {
  for (let k = from; k < tokens.length; k++) {
    if (!isArticle(tokens[k] ?? '')) return k;
  }
  return -1;
}

/**
 * Normalises a name to its unit keys, in written order after "LAST, First" reordering.
 * Titles, filiation particles and articles are dropped; compounds are joined. Never throws;
 * returns an empty array when nothing name-like remains.
 *
 * @example normaliseName('ABDULRAHMAN, Dr. Mohamed') // ['mohamed', 'abd:rahman']
 * @example normaliseName('مُحَمَّد عبدالرحمن') // ['محمد', 'abd:رحمن']
 */
export function normaliseName(text: string): string[] {
  const tokens = foldName(text)
    .split(SEPARATORS)
    .filter((token) => token.length > 0);
  const hasNonTitle = tokens.some((token) => !isTitle(token));
  const units: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    if (hasNonTitle && isTitle(token)) continue;
    if (isParticle(token) || isArticle(token)) continue;
    const arabic = ARABIC_CHAR.test(token);
    const isAbd = arabic ? token === 'عبد' : LATIN_ABD_PREFIXES.has(token);
    const isAbu = arabic ? token === 'ابو' : LATIN_ABU_PREFIXES.has(token);
    const next = nextNameToken(tokens, i + 1);
    if ((isAbd || isAbu) && next >= 0) {
      units.push(`${isAbd ? 'abd' : 'abu'}:${stripArticle(tokens[next] ?? '')}`);
      i = next;
      continue;
    }
    if (!arabic && LATIN_WEAK_ABD_PREFIXES.has(token) && next >= 0) {
      const rest = stripArticle(tokens[next] ?? '');
      if (next > i + 1 || isDivineName(rest)) {
        units.push(`abd:${rest}`);
        i = next;
        continue;
      }
    }
    if (lookupNameCanons(token) !== undefined) {
      units.push(token);
      continue;
    }
    const compound = arabic ? splitArabicCompound(token) : splitLatinCompound(token);
    if (compound !== undefined) {
      units.push(`${compound[0]}:${compound[1]}`);
      continue;
    }
    units.push(stripArticle(token));
  }
  return units;
}
