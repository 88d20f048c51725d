/**
 * Rule-based romanisation of folded Arabic, for names the curated table does not hold. Short
 * vowels are not written in Arabic, so the output is close to a consonant skeleton ("محمود" →
 * "mhmwd"); it is designed to meet the Latin phonetic skeleton (see phonetic.ts), not to be
 * read by people.
 */

const LETTERS: Readonly<Record<string, string>> = {
  ا: 'a',
  ب: 'b',
  ت: 't',
  ث: 'th',
  ج: 'j',
  ح: 'h',
  خ: 'kh',
  د: 'd',
  ذ: 'dh',
  ر: 'r',
  ز: 'z',
  س: 's',
  ش: 'sh',
  ص: 's',
  ض: 'd',
  ط: 't',
  ظ: 'z',
  // Ain is heard as a vowel onset by most Latin spellers (Omar, Ali, Saad): render it as one.
  ع: 'a',
  غ: 'gh',
  ف: 'f',
  ق: 'q',
  ك: 'k',
  ل: 'l',
  م: 'm',
  ن: 'n',
  ه: 'h',
  ء: '',
  و: 'w',
  ي: 'y',
};

/**
 * Romanises a folded Arabic token letter by letter. Waw and yeh become "u"/"i" (long vowels)
 * except at the start of the word, where they are consonants (Walid, Youssef). Characters outside
 * the Arabic alphabet are dropped.
 */
export function romaniseArabic(token: string): string {
  let out = '';
  let index = 0;
  for (const ch of token) {
    let latin = LETTERS[ch];
    if (latin === undefined) {
      if (/[a-z0-9]/.test(ch)) latin = ch;
      else continue;
    }
    if (index > 0 && ch === 'و') latin = 'u';
    else if (index > 0 && ch === 'ي') latin = 'i';
    out += latin;
    index++;
  }
  return out;
}
