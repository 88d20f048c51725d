/**
 * Comparison of two name chains. Units are compared pairwise (exact / equivalent / close), then
 * aligned in order so that the given name meets the given name and a missing middle part counts
 * as a partial chain, not a disagreement. This is what keeps a son ("Ahmed Mohammed Khaled
 * Nassar") apart from his father ("Mohammed Khaled Yousef Nassar") although they share three
 * parts: the shared parts do not line up.
 */
import type { NameLexicon } from './lexicon.js';
import { MAX_UNITS } from './prepare.js';
import { jaroWinkler } from './string-similarity.js';
import type { FieldLevel } from './types.js';

/** Unit comparison levels. */
export const UNIT_NONE = 0;
export const UNIT_CLOSE = 1;
export const UNIT_EQUIVALENT = 2;
export const UNIT_EXACT = 3;

/** Penalties in bits, see docs/matching.md for how they were chosen. */
export const NAME_PENALTY = {
  /** Each part of the shorter chain that finds no partner. */
  unmatchedPart: 3,
  /** The given names do not meet: siblings and parent/child share everything else. */
  givenNameMismatch: 10,
  /** The chain is written in another order (family name first). */
  reordered: 1,
} as const;

/**
 * Level of two name units: same spelling, same canonical name (table or cross-script), or close
 * (same phonetic skeleton, or Jaro-Winkler on skeleton/spelling above a threshold). Two different
 * names that the table both knows are never close: Samir and Samer are two names, not a typo.
 */
export function compareUnits(lexicon: NameLexicon, a: number, b: number): number {
  if (a === b) return UNIT_EXACT;
  const ca = lexicon.canon[a] ?? -1;
  const cb = lexicon.canon[b] ?? -2;
  if (ca === cb) return UNIT_EQUIVALENT;
  const aa = lexicon.canonAlt[a] ?? -1;
  const ab = lexicon.canonAlt[b] ?? -1;
  if ((aa >= 0 && (aa === cb || aa === ab)) || (ab >= 0 && ab === ca)) return UNIT_EQUIVALENT;
  if (lexicon.known[a] === 1 && lexicon.known[b] === 1) return UNIT_NONE;
  const sa = lexicon.skeletonId[a] ?? -1;
  const sb = lexicon.skeletonId[b] ?? -2;
  const skeletonA = lexicon.skeleton[sa] ?? '';
  const skeletonB = lexicon.skeleton[sb] ?? '';
  if (sa === sb) return skeletonA.length >= 2 ? UNIT_CLOSE : UNIT_NONE;
  if (skeletonA.length >= 3 && skeletonB.length >= 3 && jaroWinkler(skeletonA, skeletonB) >= 0.9) return UNIT_CLOSE;
  if (lexicon.arabic[a] === lexicon.arabic[b]) {
    const textA = lexicon.unitKey[a] ?? '';
    const textB = lexicon.unitKey[b] ?? '';
    if (textA.length >= 4 && textB.length >= 4 && jaroWinkler(textA, textB) >= 0.92) return UNIT_CLOSE;
  }
  return UNIT_NONE;
}

/** Weight of agreeing on a unit at a level, given the unit's frequency weight. */
export function levelWeight(level: number, frequencyWeight: number): number {
  if (level === UNIT_EXACT) return frequencyWeight;
  if (level === UNIT_EQUIVALENT) return frequencyWeight - 0.25;
  if (level === UNIT_CLOSE) return frequencyWeight * 0.7 - 0.5;
  return 0;
}

/** Result of comparing two chains. */
export interface NameComparison {
  weight: number;
  level: FieldLevel;
  /** Aligned pairs as indexes into the two chains (a, b, a, b...), for explanations. */
  pairs: number[];
}

const SIZE = MAX_UNITS + 1;
const levels = new Int8Array(MAX_UNITS * MAX_UNITS);
const weights = new Float64Array(MAX_UNITS * MAX_UNITS);
const dp = new Float64Array(SIZE * SIZE);

interface Alignment {
  weight: number;
  covered: number;
  firstAligned: boolean;
  allExact: boolean;
  allEquivalent: boolean;
  pairs: number[];
}

/**
 * Best in-order alignment of chain A against chain B read from `shift` (B rotated left), by
 * dynamic programming over the precomputed pair weights.
 */
function align(n: number, m: number, shift: number, rotateA: boolean, collectPairs: boolean): Alignment {
  const bAt = (j: number): number => (rotateA ? j : (j + shift) % m);
  const aAt = (i: number): number => (rotateA ? (i + shift) % n : i);
  for (let i = 0; i <= n; i++) dp[i * SIZE] = 0;
  for (let j = 0; j <= m; j++) dp[j] = 0;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const cell = aAt(i - 1) * MAX_UNITS + bAt(j - 1);
      let best = Math.max(dp[(i - 1) * SIZE + j] ?? 0, dp[i * SIZE + j - 1] ?? 0);
      if ((levels[cell] ?? 0) > 0) best = Math.max(best, (dp[(i - 1) * SIZE + j - 1] ?? 0) + (weights[cell] ?? 0));
      dp[i * SIZE + j] = best;
    }
  }
  const result: Alignment = {
    weight: dp[n * SIZE + m] ?? 0,
    covered: 0,
    firstAligned: false,
    allExact: true,
    allEquivalent: true,
    pairs: [],
  };
  let i = n;
  let j = m;
  while (i > 0 && j > 0) {
    const here = dp[i * SIZE + j] ?? 0;
    const cell = aAt(i - 1) * MAX_UNITS + bAt(j - 1);
    const level = levels[cell] ?? 0;
    if (level > 0 && here === (dp[(i - 1) * SIZE + j - 1] ?? 0) + (weights[cell] ?? 0)) {
      result.covered++;
      if (i === 1 && j === 1) result.firstAligned = true;
      if (level !== UNIT_EXACT) result.allExact = false;
      if (level < UNIT_EQUIVALENT) result.allEquivalent = false;
      if (collectPairs) result.pairs.push(aAt(i - 1), bAt(j - 1));
      i--;
      j--;
    } else if (here === (dp[(i - 1) * SIZE + j] ?? 0)) i--;
    else j--;
  }
  return result;
}

/**
 * Compares chains `a[aFrom..aTo)` and `b[bFrom..bTo)` of unit ids. `frequencyWeight(unit)` gives
 * the agreement weight of a unit (rare parts weigh more).
 */
export function compareChains(
  lexicon: NameLexicon,
  a: Int32Array,
  aFrom: number,
  aTo: number,
  b: Int32Array,
  bFrom: number,
  bTo: number,
  frequencyWeight: (unit: number) => number,
  collectPairs = false,
): NameComparison {
  const n = aTo - aFrom;
  const m = bTo - bFrom;
  if (n === 0 || m === 0) return { weight: 0, level: 'missing', pairs: [] };
  let anyMatch = false;
  for (let i = 0; i < n; i++) {
    const ua = a[aFrom + i] ?? 0;
    for (let j = 0; j < m; j++) {
      const ub = b[bFrom + j] ?? 0;
      const level = compareUnits(lexicon, ua, ub);
      const cell = i * MAX_UNITS + j;
      levels[cell] = level;
      if (level > 0) {
        anyMatch = true;
        weights[cell] = levelWeight(level, Math.min(frequencyWeight(ua), frequencyWeight(ub)));
      }
    }
  }
  const shorter = Math.min(n, m);
  if (!anyMatch) {
    const weight = -NAME_PENALTY.unmatchedPart * shorter - NAME_PENALTY.givenNameMismatch;
    return { weight, level: 'different', pairs: [] };
  }
  let best = align(n, m, 0, false, collectPairs);
  let reordered = false;
  if ((best.covered < shorter || !best.firstAligned) && shorter >= 2) {
    // Family name written first on one side ("NASSAR Mohammed Ahmed"): rotate that side.
    for (const rotateA of [false, true]) {
      const length = rotateA ? n : m;
      const rotated = align(n, m, length - 1, rotateA, collectPairs);
      if (rotated.covered === shorter && rotated.firstAligned && rotated.weight > best.weight - 2) {
        best = rotated;
        reordered = true;
        break;
      }
    }
  }
  let weight = best.weight - NAME_PENALTY.unmatchedPart * (shorter - best.covered);
  if (!best.firstAligned) weight -= NAME_PENALTY.givenNameMismatch;
  if (reordered) weight -= NAME_PENALTY.reordered;
  let level: FieldLevel;
  if (reordered) level = 'reordered';
  else if (best.covered < shorter || !best.firstAligned) level = 'partial';
  else if (n !== m) level = 'subset';
  else if (best.allExact) level = 'exact';
  else if (best.allEquivalent) level = 'equivalent';
  else level = 'close';
  return { weight, level, pairs: best.pairs };
}
