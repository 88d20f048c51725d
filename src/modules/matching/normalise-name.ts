/**
 * Turns a written name into its chain of name units, in order (given, father, grandfather, ...,
 * family). A unit is one name part in normalised spelling; compounds that are one name although
 * written as two or three words ("abd al-rahman", "عبد الرحمن", "Abu Shamala") become one unit
 * keyed "abd:rahman" / "abu:shamala".
 */

import { isDivineName, lookupNameCanons } from './name-equivalents.js';
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
  isLatinAbdPrefix,
  isLatinAbuPrefix,
  LATIN_ARTICLES,
  LATIN_PARTICLES,
  LATIN_TITLES,
  LATIN_WEAK_ABD_PREFIXES,
  splitLatinCompound,
  stripLatinArticle,
} from './normalise-latin.js';

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

const TITLE = 0;
const PARTICLE = 1;
const ARTICLE = 2;
const ABD = 3;
const ABU = 4;
const WEAK_ABD = 5;
const WORD = 6;

/** What a token is, and for a plain word the unit it stands for. */
interface TokenInfo {
  kind: number;
  /** Unit key for a word (after table lookup, compound split, article strip). */
  unit: string;
}

/** Token classification is pure and tokens repeat a lot: remember it (bounded). */
const tokenCache = new Map<string, TokenInfo>();
const MAX_CACHED_TOKENS = 200_000;

function classify(token: string): TokenInfo {
  const cached = tokenCache.get(token);
  if (cached !== undefined) return cached;
  let info: TokenInfo;
  const arabic = ARABIC_CHAR.test(token);
  if (isTitle(token)) info = { kind: TITLE, unit: token };
  else if (isParticle(token)) info = { kind: PARTICLE, unit: token };
  else if (isArticle(token)) info = { kind: ARTICLE, unit: token };
  else if (arabic ? token === 'عبد' : isLatinAbdPrefix(token)) info = { kind: ABD, unit: token };
  else if (arabic ? token === 'ابو' : isLatinAbuPrefix(token)) info = { kind: ABU, unit: token };
  else if (!arabic && LATIN_WEAK_ABD_PREFIXES.has(token)) info = { kind: WEAK_ABD, unit: token };
  else if (lookupNameCanons(token) !== undefined) info = { kind: WORD, unit: token };
  else {
    const compound = arabic ? splitArabicCompound(token) : splitLatinCompound(token);
    info = {
      kind: WORD,
      unit: compound !== undefined ? `${compound[0]}:${compound[1]}` : stripArticle(token),
    };
  }
  if (tokenCache.size >= MAX_CACHED_TOKENS) tokenCache.clear();
  tokenCache.set(token, info);
  return info;
}

/** Index of the next token that is not a detached article, or -1. */
function nextNameToken(tokens: readonly string[], from: number): number {
  for (let k = from; k < tokens.length; k++) {
    if (classify(tokens[k] ?? '').kind !== ARTICLE) return k;
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
  const folded = foldName(text);
  const split = PLAIN_ASCII.test(folded) ? folded.split(' ') : folded.split(SEPARATORS);
  const tokens: string[] = [];
  const infos: TokenInfo[] = [];
  let hasNonTitle = false;
  for (const token of split) {
    if (token.length === 0) continue;
    const info = classify(token);
    tokens.push(token);
    infos.push(info);
    if (info.kind !== TITLE) hasNonTitle = true;
  }
  const units: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    const info = infos[i] as TokenInfo;
    if (info.kind === TITLE && hasNonTitle) continue;
    if (info.kind === PARTICLE || info.kind === ARTICLE) continue;
    if (info.kind === ABD || info.kind === ABU || info.kind === WEAK_ABD) {
      const next = nextNameToken(tokens, i + 1);
      if (next >= 0) {
        const rest = stripArticle(tokens[next] ?? '');
        // "Abdu"/"Abdou" are names of their own unless an article or a divine name follows.
        if (info.kind !== WEAK_ABD || next > i + 1 || isDivineName(rest)) {
          units.push(`${info.kind === ABU ? 'abu' : 'abd'}:${rest}`);
          i = next;
          continue;
        }
      }
      if (info.kind === WEAK_ABD) {
        units.push(token);
        continue;
      }
    }
    units.push(info.kind === WORD ? info.unit : token);
  }
  return units;
}
