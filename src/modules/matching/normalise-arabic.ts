/**
 * Arabic-script folding. Lists published at a crossing are typed by many hands, with and without
 * hamza seats, diacritics or kashida; folding removes the differences that do not change a name
 * so that "أحمد", "احمد" and "أَحْمَد" are one key.
 */

/** Any character of the Arabic blocks (basic, supplement, presentation forms). */
export const ARABIC_CHAR = /[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/;

/** Letters whose written variants do not distinguish names. */
const LETTER_FOLDS: Readonly<Record<string, string>> = {
  أ: 'ا',
  إ: 'ا',
  آ: 'ا',
  ٱ: 'ا',
  ة: 'ه',
  ى: 'ي',
  ؤ: 'و',
  ئ: 'ي',
  ی: 'ي', // Persian yeh, common from some keyboards
  ک: 'ك', // Persian kaf
  '٠': '0',
  '١': '1',
  '٢': '2',
  '٣': '3',
  '٤': '4',
  '٥': '5',
  '٦': '6',
  '٧': '7',
  '٨': '8',
  '٩': '9',
};

/** Harakat, Quranic marks, superscript alef and tatweel: never part of how a name is spelled. */
const MARKS_AND_TATWEEL = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/g;
const FOLDABLE = /[أإآٱةىؤئیک٠-٩]/g;

/**
 * Folds Arabic script: NFKC first (PDF extraction often yields presentation forms such as "ﻣﺤﻤﺪ"),
 * then drops diacritics and tatweel and merges hamza seats, ta marbuta and alef maqsura.
 * Non-Arabic characters pass through unchanged. Idempotent.
 */
export function foldArabic(text: string): string {
  return text
    .normalize('NFKC')
    .replace(MARKS_AND_TATWEEL, '')
    .replace(FOLDABLE, (ch) => LETTER_FOLDS[ch] ?? ch)
    .replace(/،/g, ',');
}

/** Titles written before Arabic names ("Dr.", "Eng.", "Sheikh", "Hajj"...), folded. */
export const ARABIC_TITLES: ReadonlySet<string> = new Set([
  'د',
  'م',
  'دكتور',
  'الدكتور',
  'مهندس',
  'المهندس',
  'شيخ',
  'الشيخ',
  'حاج',
  'الحاج',
  'حاجه',
  'الحاجه',
  'السيد',
  'السيده',
  'الاستاذ',
  'استاذ',
]);

/** Filiation particles ("son of", "daughter of"): they mark the chain, not a name. */
export const ARABIC_PARTICLES: ReadonlySet<string> = new Set(['بن', 'ابن', 'بنت']);

/** The definite article written as its own token (rare, but seen in typed lists). */
export const ARABIC_ARTICLE = 'ال';

/**
 * Splits an Arabic token glued to a compound prefix: "عبدالرحمن" → ["abd", "رحمن"],
 * "ابوشماله" → ["abu", "شماله"]. Returns undefined when the token is not a glued compound.
 * Callers check the name table first, so listed names that merely start with these letters
 * (e.g. "عبده") are not split.
 */
export function splitArabicCompound(token: string): [prefix: 'abd' | 'abu', rest: string] | undefined {
  if (token.startsWith('عبد') && token.length >= 5) {
    return ['abd', stripArabicArticle(token.slice(3))];
  }
  if (token.startsWith('ابو') && token.length >= 6) {
    return ['abu', stripArabicArticle(token.slice(3))];
  }
  return undefined;
}

/**
 * Removes a leading definite article ("المصري" → "مصري"), keeping "الله" whole and never leaving
 * fewer than two letters, so short names that start with "ال" survive.
 */
export function stripArabicArticle(token: string): string {
  if (token === 'الله' || token === 'له' || token === 'لله') return 'الله';
  if (token.startsWith('ال') && token.length >= 4) return token.slice(2);
  return token;
}
