/**
 * Latin phonetic skeleton: a vowel-less consonant key in which the letters that different
 * transliteration habits use for one Arabic sound fall together. "Mohammed", "Muhammad" and
 * "Mouhamad" all give "mhmd", and so does the romanised "محمد", so spellings never seen before
 * still meet in blocking and in the "close" comparison level.
 */

/** Digraphs first (longest first), then single letters. Order matters. */
const DIGRAPHS: ReadonlyArray<readonly [RegExp, string]> = [
  [/x/g, 'ks'],
  [/sch|sh|ch/g, 'x'], // ش: sh (English), ch (French), sch (German)
  [/kh/g, 'h'], // خ is written kh or h
  [/gh/g, 'G'], // غ, kept apart from g until g has been merged
  [/dj/g, 'j'], // ج in French spellings (Djamal)
  [/g/g, 'j'], // ج in Egyptian spellings (Gamal, Magdi)
  [/G/g, 'g'],
  [/th/g, 't'], // ث: th or t
  [/dh/g, 'd'], // ذ ض ظ: dh, d or z
  [/ph/g, 'f'],
  [/ck|q|c/g, 'k'], // ق and ك: q, k, c, ck
  [/z/g, 'd'],
  [/v/g, 'f'],
  [/p/g, 'b'],
];

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);

/**
 * Computes the skeleton of a Latin word (any case; non-letters ignored). See {@link skeletonOfClasses}
 * for what is kept.
 */
export function phoneticSkeleton(word: string): string {
  let s = word.toLowerCase().replace(/[^a-z]/g, '');
  if (s.length === 0) return '';
  for (const [pattern, replacement] of DIGRAPHS) s = s.replace(pattern, replacement);
  return skeletonOfClasses(s);
}

/** Arabic letters mapped straight to the sound classes of the Latin skeleton ('a' = vowel). */
const ARABIC_CLASSES: Readonly<Record<string, string>> = {
  ا: 'a',
  ب: 'b',
  ت: 't',
  ث: 't',
  ج: 'j',
  ح: 'h',
  خ: 'h',
  د: 'd',
  ذ: 'd',
  ر: 'r',
  ز: 'd',
  س: 's',
  ش: 'x',
  ص: 's',
  ض: 'd',
  ط: 't',
  ظ: 'd',
  ع: 'a',
  غ: 'g',
  ف: 'f',
  ق: 'k',
  ك: 'k',
  ل: 'l',
  م: 'm',
  ن: 'n',
  ه: 'h',
  و: 'w',
  ي: 'y',
};

/**
 * Skeleton of a folded Arabic token, directly from its letters (going through a Latin
 * romanisation would let digraph rules misread letter pairs: د + ح is not ذ).
 */
export function arabicSkeleton(token: string): string {
  let classes = '';
  for (const ch of token) {
    const mapped = ARABIC_CLASSES[ch];
    if (mapped !== undefined) classes += mapped;
    else if (ch >= 'a' && ch <= 'z') classes += ch;
  }
  return skeletonOfClasses(classes);
}

/**
 * Builds the key from a string of sound classes. The first character keeps a trace of how the
 * word starts ("A" for any vowel or ain, "Y" and "W" for the semivowels) because "Ibrahim" and
 * "Brahim" or "Yasser" and "Asser" should not be one key; after it, vowels and the semivowels w/y
 * (which stand for long vowels: ou, ee, oo) are dropped, repeated consonants collapse (a Latin
 * "mm" is one Arabic letter with shadda, and Arabic does not write the vowel between two equal
 * letters) and a final "h" (ta marbuta: Fatimah/Fatima) is dropped. Measured on the benchmark,
 * collapsing across vowels too brings more true pairs together than it merges wrong ones. The
 * final "h" stays when dropping it would leave a one-letter key (Ghahhawi).
 */
function skeletonOfClasses(s: string): string {
  if (s.length === 0) return '';
  const first = s[0] ?? '';
  let out = '';
  let start = 0;
  if (VOWELS.has(first)) {
    out = 'A';
    start = 1;
  } else if (first === 'y' || first === 'w') {
    out = first.toUpperCase();
    start = 1;
  }
  let previous = '';
  for (let i = start; i < s.length; i++) {
    const ch = s[i] ?? '';
    if (VOWELS.has(ch) || ch === 'w' || ch === 'y') continue;
    if (ch === previous) continue;
    out += ch;
    previous = ch;
  }
  if (out.length > 2 && out.endsWith('h')) out = out.slice(0, -1);
  return out;
}
