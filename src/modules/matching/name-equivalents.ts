/**
 * Lookup over the project's curated name tables: maps any listed spelling (Latin, or folded
 * Arabic) to the canonical name(s) it may stand for. A few Latin spellings are shared by two
 * Arabic names ("hamid" is written for both حامد and حميد), so a spelling maps to a list.
 */

import { DIVINE_NAMES, FAMILY_NAMES } from './name-table-family.js';
import { FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES } from './name-table-given.js';
import { foldArabic } from './normalise-arabic.js';

/** What a table entry is used for; drives the frequency prior and the synthetic generator. */
export type NameKind = 'male' | 'female' | 'family' | 'divine';

/** One curated name part with its spellings. */
export interface NameEntry {
  readonly canon: string;
  readonly kind: NameKind;
  /** Position in its list (0 = most common). */
  readonly rank: number;
  readonly arabic: readonly string[];
  /** Latin spellings, the canonical one first. */
  readonly latin: readonly string[];
}

function parseTable(lines: readonly string[], kind: NameKind): NameEntry[] {
  return lines.map((line, rank) => {
    const [canon = '', arabic = '', latin = ''] = line.split('|');
    const spellings = [canon, ...latin.split(' ').filter((s) => s.length > 0 && s !== canon)];
    return {
      canon,
      kind,
      rank,
      arabic: arabic.split(' ').map((s) => foldArabic(s)),
      latin: spellings,
    };
  });
}

/** Every curated entry, in table order. */
export const NAME_ENTRIES: readonly NameEntry[] = [
  ...parseTable(MALE_GIVEN_NAMES, 'male'),
  ...parseTable(FEMALE_GIVEN_NAMES, 'female'),
  ...parseTable(FAMILY_NAMES, 'family'),
  ...parseTable(DIVINE_NAMES, 'divine'),
];

const canonsByForm = new Map<string, string[]>();
/** Prior share of records holding a name part, by canonical name; see `namePrior`. */
const priorByCanon = new Map<string, number>();

function addForm(form: string, canon: string): void {
  const list = canonsByForm.get(form);
  if (list === undefined) canonsByForm.set(form, [canon]);
  else if (!list.includes(canon)) list.push(canon);
}

for (const entry of NAME_ENTRIES) {
  for (const form of entry.latin) addForm(form, entry.canon);
  for (const form of entry.arabic) addForm(form, entry.canon);
  // Zipf-like prior: the head of each list is very common (Mohammed is in a large share of
  // male name chains, as given, father or grandfather name), the tail much less so.
  const head = entry.kind === 'family' ? 0.03 : entry.kind === 'divine' ? 0.02 : 0.25;
  const prior = head / (entry.rank + 1) ** 0.9;
  priorByCanon.set(entry.canon, Math.max(prior, priorByCanon.get(entry.canon) ?? 0));
}

/**
 * Canonical names a normalised spelling may stand for (Latin lower-case ASCII, or folded Arabic
 * without article), or undefined when the tables do not list it.
 */
export function lookupNameCanons(form: string): readonly string[] | undefined {
  return canonsByForm.get(form);
}

/** Prior share of records holding this canonical part, before any data has been seen. */
export function namePrior(canon: string): number | undefined {
  return priorByCanon.get(canon);
}

/** True when the spelling is a divine name that can follow "abd" (rahman, allah, aziz...). */
export function isDivineName(form: string): boolean {
  const canons = canonsByForm.get(form);
  return canons?.some((canon) => DIVINE_CANONS.has(canon)) ?? false;
}

const DIVINE_CANONS: ReadonlySet<string> = new Set(
  NAME_ENTRIES.filter((entry) => entry.kind === 'divine').map((entry) => entry.canon),
);
