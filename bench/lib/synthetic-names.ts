/**
 * Synthetic name material for the matching benchmark, built from the project's own name tables:
 * given and family names with their listed spellings, "Abd al-X" compounds, "Abu X" family
 * names, and family names generated from Arabic root patterns (so that part of the population
 * carries names the table does not know, as in any real registry).
 */
import { NAME_ENTRIES, type NameEntry } from '../../src/modules/matching/index.js';

/** A name part with its Arabic form and the Latin spellings a clerk may use. */
export interface NamePart {
  readonly arabic: string;
  readonly latin: readonly string[];
  /** Written with the article in Arabic (ال) and often in Latin (al-/el-). */
  readonly article: boolean;
}

/** Deterministic PRNG (mulberry32) so every run of the benchmark sees the same population. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fromEntry(entry: NameEntry, article = false): NamePart {
  return { arabic: entry.arabic[0] ?? '', latin: entry.latin, article };
}

const byKind = (kind: NameEntry['kind']): NameEntry[] => NAME_ENTRIES.filter((entry) => entry.kind === kind);

/** Family names that usually carry the article. */
const WITH_ARTICLE = new Set([
  'masri',
  'khatib',
  'najjar',
  'hallaq',
  'sabbagh',
  'khayyat',
  'farra',
  'shawa',
  'tawil',
  'hindi',
  'khalidi',
  'kilani',
  'safadi',
  'tamimi',
  'mughrabi',
  'hijazi',
  'agha',
  'qudra',
  'banna',
  'masharawi',
  'husseini',
  'jundi',
  'shami',
  'saadi',
]);

const LATIN_VARIANTS_OF_ABD = ['abd al-', 'abdel', 'abdul', 'abdel ', 'abdul ', 'abd el-', 'abd '];

function abdCompound(divine: NameEntry): NamePart {
  const rest = divine.latin;
  const latin: string[] = [];
  for (const prefix of LATIN_VARIANTS_OF_ABD) latin.push(`${prefix}${rest[0] ?? ''}`);
  if (divine.canon === 'allah') latin.unshift('abdullah', 'abdallah', 'abdalla');
  const arabicRest = divine.arabic[0] ?? '';
  return {
    arabic: divine.canon === 'allah' ? `عبد${arabicRest}` : `عبد ال${arabicRest}`,
    latin,
    article: false,
  };
}

/** Given names by sex (with "Abd al-X" compounds among the male ones), most common first. */
export function givenNames(): { male: NamePart[]; female: NamePart[] } {
  const male = byKind('male').map((entry) => fromEntry(entry));
  const compounds = byKind('divine').slice(0, 14).map(abdCompound);
  // Interleave compounds in the upper half of the popularity order (Abdallah, Abd al-Rahman are common).
  compounds.forEach((compound, k) => {
    male.splice(4 + k * 3, 0, compound);
  });
  return { male, female: byKind('female').map((entry) => fromEntry(entry)) };
}

const CONSONANTS: ReadonlyArray<readonly [arabic: string, latin: readonly string[]]> = [
  ['ب', ['b']],
  ['ت', ['t']],
  ['ج', ['j', 'g']],
  ['ح', ['h']],
  ['خ', ['kh']],
  ['د', ['d']],
  ['ر', ['r']],
  ['ز', ['z']],
  ['س', ['s']],
  ['ش', ['sh', 'ch']],
  ['ص', ['s']],
  ['ط', ['t']],
  ['ع', ['a', '']],
  ['غ', ['gh']],
  ['ف', ['f']],
  ['ق', ['q', 'k']],
  ['ك', ['k']],
  ['ل', ['l']],
  ['م', ['m']],
  ['ن', ['n']],
  ['ه', ['h']],
];

/** Root patterns: C = root consonant, Arabic template and Latin templates (vowel spellings). */
const PATTERNS: ReadonlyArray<readonly [arabic: string, latin: readonly string[]]> = [
  ['C1aC2C2aC3', ['C1aC2C2aC3', 'C1aC2aC3']], // فعّال
  ['C1aاC2iC3', ['C1aC2eC3', 'C1aC2iC3']], // فاعل
  ['C1aC2iيC3', ['C1aC2eeC3', 'C1aC2iC3']], // فعيل
  ['مC1C2وC3', ['maC1C2ouC3', 'maC1C2uC3']], // مفعول
  ['C1aC2C3اوي', ['C1aC2C3awi', 'C1aC2C3awy']], // فعلاوي
  ['C1uC2C3ان', ['C1oC2C3an', 'C1uC2C3an']], // فعلان
  ['C1C2C3ي', ['C1aC2C3i', 'C1aC2C3y']], // فعلي
];

/** Generates `count` family names from root patterns (unknown to the curated table). */
export function patternFamilyNames(count: number, random: () => number): NamePart[] {
  const out: NamePart[] = [];
  const seen = new Set<string>();
  while (out.length < count) {
    const roots = [0, 1, 2].map(() => CONSONANTS[Math.floor(random() * CONSONANTS.length)] ?? CONSONANTS[0]!);
    const pattern = PATTERNS[Math.floor(random() * PATTERNS.length)] ?? PATTERNS[0]!;
    let arabic = pattern[0];
    roots.forEach((root, k) => {
      arabic = arabic.replaceAll(`C${k + 1}`, root[0]);
    });
    arabic = arabic.replace(/[a-z]/g, '');
    if (seen.has(arabic)) continue;
    seen.add(arabic);
    const latin = new Set<string>();
    for (const template of pattern[1]) {
      for (let v = 0; v < 2; v++) {
        let spelled = template;
        roots.forEach((root, k) => {
          spelled = spelled.replaceAll(`C${k + 1}`, root[1][v % root[1].length] ?? '');
        });
        if (spelled.length >= 3) latin.add(spelled.replace(/^a(?=a)/, ''));
      }
    }
    if (latin.size === 0) continue;
    out.push({ arabic, latin: [...latin], article: random() < 0.2 });
  }
  return out;
}

/** Family names: table names (some with the article), "Abu X" names and pattern names. */
export function familyNames(random: () => number, patternCount: number): NamePart[] {
  const table = byKind('family').map((entry) => fromEntry(entry, WITH_ARTICLE.has(entry.canon)));
  const abu = byKind('male')
    .slice(0, 60)
    .map((entry) => ({
      arabic: `أبو ${entry.arabic[0] ?? ''}`,
      latin: entry.latin
        .slice(0, 3)
        .flatMap((spelling) => [`abu ${spelling}`, `abou ${spelling}`, `abu${spelling}`]),
      article: false,
    }));
  const parts: NamePart[] = [];
  // Interleave so that table names stay the most common, as they are in Gaza.
  const generated = patternFamilyNames(patternCount, random);
  const longest = Math.max(table.length, abu.length, Math.ceil(generated.length / 2));
  for (let k = 0; k < longest; k++) {
    for (const part of [table[k], abu[k], generated[2 * k], generated[2 * k + 1]]) {
      if (part !== undefined) parts.push(part);
    }
  }
  return parts;
}
