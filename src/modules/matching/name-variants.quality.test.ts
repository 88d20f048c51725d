/**
 * Evaluation against an external corpus of Arabic name parts and their Latin spellings (see
 * ../shared/data/names/README.md). The corpus is read, never copied: it stays outside the
 * project, and this test skips when it is absent (e.g. in a clone without the sibling folder).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NameLexicon } from './lexicon.js';
import { compareUnits, UNIT_CLOSE, UNIT_EQUIVALENT } from './name-compare.js';
import { normaliseName } from './normalise-name.js';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const corpus = resolve(repoRoot, '../shared/data/names/arabic-latin-name-variants.tsv');
const present = existsSync(corpus);

/** A variant counts as "frequent" from this many sightings; the corpus is noisy below that. */
const MIN_COUNT = 5;

interface Figures {
  groups: number;
  latinPairs: number;
  latinMet: number;
  latinEquivalent: number;
  crossScript: number;
  crossMet: number;
  crossEquivalent: number;
}

function evaluate(): Figures {
  const lexicon = new NameLexicon();
  const unitOf = (text: string): number | undefined => {
    const units = normaliseName(text);
    return units.length === 1 ? lexicon.internUnit(units[0] ?? '') : undefined;
  };
  const figures: Figures = {
    groups: 0,
    latinPairs: 0,
    latinMet: 0,
    latinEquivalent: 0,
    crossScript: 0,
    crossMet: 0,
    crossEquivalent: 0,
  };
  for (const line of readFileSync(corpus, 'utf8').split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const [arabic = '', variants = ''] = line.split('\t');
    const frequent = variants
      .split(',')
      .map((entry) => entry.split(':'))
      .filter(([, count]) => Number(count) >= MIN_COUNT)
      .map(([spelling]) => spelling ?? '')
      .slice(0, 4);
    if (frequent.length < 2) continue;
    const arabicUnit = unitOf(arabic);
    const latinUnits = frequent.map(unitOf).filter((unit): unit is number => unit !== undefined);
    if (arabicUnit === undefined || latinUnits.length < 2) continue;
    figures.groups++;
    for (let x = 0; x < latinUnits.length; x++) {
      for (let y = x + 1; y < latinUnits.length; y++) {
        const level = compareUnits(lexicon, latinUnits[x] ?? 0, latinUnits[y] ?? 0);
        figures.latinPairs++;
        if (level >= UNIT_CLOSE) figures.latinMet++;
        if (level >= UNIT_EQUIVALENT) figures.latinEquivalent++;
      }
    }
    for (const unit of latinUnits) {
      const level = compareUnits(lexicon, arabicUnit, unit);
      figures.crossScript++;
      if (level >= UNIT_CLOSE) figures.crossMet++;
      if (level >= UNIT_EQUIVALENT) figures.crossEquivalent++;
    }
  }
  return figures;
}

describe('name variants corpus (evaluation only)', () => {
  it.skipIf(!present)('brings frequent spellings of one Arabic name part together', () => {
    const f = evaluate();
    const share = (met: number, total: number): number => Math.round((1000 * met) / total) / 10;
    const latin = share(f.latinMet, f.latinPairs);
    const cross = share(f.crossMet, f.crossScript);
    console.log(
      `name variants: ${f.groups} Arabic parts with >= 2 frequent Latin spellings; ` +
        `Latin/Latin pairs met ${latin}% (${f.latinMet}/${f.latinPairs}, ${share(f.latinEquivalent, f.latinPairs)}% via the table); ` +
        `Arabic/Latin met ${cross}% (${f.crossMet}/${f.crossScript}, ${share(f.crossEquivalent, f.crossScript)}% via the table)`,
    );
    expect(f.groups).toBeGreaterThan(300);
    // Floors a little under the measured figures: a drop means a regression in normalisation.
    expect(latin).toBeGreaterThanOrEqual(LATIN_FLOOR);
    expect(cross).toBeGreaterThanOrEqual(CROSS_FLOOR);
  });
});

const LATIN_FLOOR = 75;
const CROSS_FLOOR = 72;
