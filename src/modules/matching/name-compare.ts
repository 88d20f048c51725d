/**
 * Comparison of two name chains. Units are compared pairwise (exact / equivalent / close), then
 * aligned in order so that the given name meets the given name and a missing middle part counts
 * as a partial chain, not a disagreement. This is what keeps a son ("Ahmed Mohammed Khaled
 * Nassar") apart from his father ("Mohammed Khaled Yousef Nassar") although they share three
 * parts: the shared parts do not line up.
 */
import type { NameLexicon } from './lexicon.js';
import { MAX_UNITS } from './prepare.js';
import { boundedEditDistance, jaroWinkler, withinOneTypo } from './string-similarity.js';
import type { FieldLevel } from './types.js';

/** Unit comparison levels. */
export const UNIT_NONE = 0;
export const UNIT_CLOSE = 1;
export const UNIT_EQUIVALENT = 2;
export const UNIT_EXACT = 3;

/** Penalties in bits, see docs/matching.md for how they were chosen. */
export const NAME_PENALTY = {
  /**
   * A part present on both sides at the same place in the chain (between the same aligned
   * parts) that differs: a different father or grandfather name. A part present on one side
   * only is a partial chain and costs nothing.
   */
  conflictingPart: 6,
  /**
   * The given names do not meet. Siblings share everything else, and a parent's chain is the
   * child's chain shifted by one ("Khaled Omar Nassar" is the father of "Ahmed Khaled Omar
   * Nassar"), so this must outweigh several agreeing rare parts.
   */
  givenNameMismatch: 20,
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
  if (sa === sb) return (lexicon.skeleton[sa] ?? '').length >= 2 ? UNIT_CLOSE : UNIT_NONE;
  return fuzzyLevel(lexicon, a, b, sa, sb);
}

/** Bits set in a 32-bit mask. */
function popcount(mask: number): number {
  let x = mask - ((mask >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/**
 * Jaro-Winkler at or above 0.9 needs nearly all letters in common; letter-set masks reject most
 * pairs with a few integer operations, before any string is touched.
 */
function mayBeClose(maskA: number, maskB: number): boolean {
  const common = popcount(maskA & maskB);
  return common >= Math.max(popcount(maskA), popcount(maskB)) - 1;
}

function fuzzyLevel(lexicon: NameLexicon, a: number, b: number, sa: number, sb: number): number {
  const skeletonA = lexicon.skeleton[sa] ?? '';
  const skeletonB = lexicon.skeleton[sb] ?? '';
  const skeletonsMayMeet = mayBeClose(lexicon.skeletonMask[sa] ?? 0, lexicon.skeletonMask[sb] ?? 0);
  if (
    skeletonsMayMeet &&
    skeletonA.length >= 4 &&
    skeletonB.length >= 4 &&
    jaroWinkler(skeletonA, skeletonB) >= 0.9
  )
    return UNIT_CLOSE;
  if (
    lexicon.arabic[a] === lexicon.arabic[b] &&
    mayBeClose(lexicon.textMask[a] ?? 0, lexicon.textMask[b] ?? 0)
  ) {
    const textA = lexicon.unitKey[a] ?? '';
    const textB = lexicon.unitKey[b] ?? '';
    if (textA.length >= 4 && textB.length >= 4 && jaroWinkler(textA, textB) >= 0.92) return UNIT_CLOSE;
    // One keyboard slip on a listed name, too short for the skeletons to tell ("Ammdouh").
    if (
      lexicon.known[a] !== lexicon.known[b] &&
      textA.length >= 4 &&
      textB.length >= 4 &&
      withinOneTypo(textA, textB)
    )
      return UNIT_CLOSE;
  }
  // A typo of a listed name ("Hmssen" for Hassan, "Tedfik" for Toufic), in either script: one
  // edit between the skeletons (of two letters at least, three for the longer), when exactly one
  // side is listed (two unlisted family names one letter apart are as likely two families).
  if (
    skeletonsMayMeet &&
    lexicon.known[a] !== lexicon.known[b] &&
    Math.min(skeletonA.length, skeletonB.length) >= 2 &&
    Math.max(skeletonA.length, skeletonB.length) >= 3 &&
    boundedEditDistance(skeletonA, skeletonB, 1) <= 1
  )
    return UNIT_CLOSE;
  return UNIT_NONE;
}

/** Frequency weights of name units, in bits (see ScoringModel). */
export interface UnitWeights {
  /** Agreement weight of the unit's canonical name: rare names weigh more. */
  unitWeight(unit: number): number;
  /** Agreement weight of the unit's phonetic skeleton (many names share a skeleton). */
  skeletonWeight(unit: number): number;
}

/** Most a "close" unit can weigh: a typo or an unseen spelling is weaker evidence than a listed one. */
const MAX_CLOSE_WEIGHT = 6;

/**
 * Cost in bits of meeting through the same phonetic skeleton rather than through the table:
 * m is lower (a skeleton can be written many ways), u is the skeleton's own share in the data.
 */
const SAME_SKELETON_COST = 1;

/**
 * Weight of agreeing on a pair of units at a level. Two spellings with the same skeleton (an
 * unknown family name in Arabic and in Latin, "Takhawi" and "Takkhawy") weigh what agreeing on
 * that skeleton is worth in the data; only a fuzzy closeness (Jaro-Winkler, a typo) is capped.
 */
export function levelWeight(
  weights: UnitWeights,
  level: number,
  a: number,
  b: number,
  sameSkeleton = false,
): number {
  const frequency = Math.min(weights.unitWeight(a), weights.unitWeight(b));
  if (level === UNIT_EXACT) return frequency;
  if (level === UNIT_EQUIVALENT) return frequency - 0.25;
  if (level === UNIT_CLOSE) {
    const skeleton = Math.min(weights.skeletonWeight(a), weights.skeletonWeight(b));
    if (sameSkeleton) return Math.max(0.5, Math.min(frequency, skeleton) - SAME_SKELETON_COST);
    return Math.max(0.5, Math.min(MAX_CLOSE_WEIGHT, frequency - 2, skeleton - 2));
  }
  return 0;
}

/** Result of comparing two chains. */
export interface NameComparison {
  weight: number;
  level: FieldLevel;
  /** Aligned pairs as indexes into the two chains (a, b, a, b...), for explanations. */
  pairs: number[];
  /** The given names meet (first parts aligned, directly or after reordering). */
  givenMet: boolean;
}

const SIZE = MAX_UNITS + 1;
const levels = new Int8Array(MAX_UNITS * MAX_UNITS);
const weights = new Float64Array(MAX_UNITS * MAX_UNITS);
const dp = new Float64Array(SIZE * SIZE);

interface Alignment {
  weight: number;
  covered: number;
  /** Parts that differ at the same place in both chains. */
  conflicts: number;
  firstAligned: boolean;
  /** The second parts are aligned with each other (the given names, in a reordered chain). */
  secondAligned: boolean;
  allExact: boolean;
  allEquivalent: boolean;
  pairs: number[];
}

const orderA = new Int32Array(MAX_UNITS);
const orderB = new Int32Array(MAX_UNITS);

/**
 * Best in-order alignment of chain A against chain B, one of them rotated left by `shift`
 * (family name written first), by dynamic programming over the precomputed pair weights.
 * Written without closures: this is the innermost loop of a million-record dedupe.
 */
function align(n: number, m: number, shift: number, rotateA: boolean, collectPairs: boolean): Alignment {
  for (let i = 0; i < n; i++) orderA[i] = rotateA ? (i + shift) % n : i;
  for (let j = 0; j < m; j++) orderB[j] = rotateA ? j : (j + shift) % m;
  for (let i = 0; i <= n; i++) dp[i * SIZE] = 0;
  for (let j = 0; j <= m; j++) dp[j] = 0;
  for (let i = 1; i <= n; i++) {
    const row = (orderA[i - 1] ?? 0) * MAX_UNITS;
    for (let j = 1; j <= m; j++) {
      const cell = row + (orderB[j - 1] ?? 0);
      const up = dp[(i - 1) * SIZE + j] ?? 0;
      const left = dp[i * SIZE + j - 1] ?? 0;
      let best = Math.max(up, left);
      if ((levels[cell] ?? 0) > 0) {
        const diagonal = (dp[(i - 1) * SIZE + j - 1] ?? 0) + (weights[cell] ?? 0);
        if (diagonal > best) best = diagonal;
      }
      dp[i * SIZE + j] = best;
    }
  }
  const result: Alignment = {
    weight: dp[n * SIZE + m] ?? 0,
    covered: 0,
    conflicts: 0,
    firstAligned: false,
    secondAligned: false,
    allExact: true,
    allEquivalent: true,
    pairs: [],
  };
  let i = n;
  let j = m;
  // Position (1-based) of the last aligned pair seen while walking back, to measure the gaps.
  let gapEndA = n + 1;
  let gapEndB = m + 1;
  // A second part (the father name of a chain of three or more) aligned with another place.
  let secondShifted = false;
  while (i > 0 && j > 0) {
    const here = dp[i * SIZE + j] ?? 0;
    const cell = (orderA[i - 1] ?? 0) * MAX_UNITS + (orderB[j - 1] ?? 0);
    const level = levels[cell] ?? 0;
    // Prefer skipping a part (of A, then of B) when that loses nothing, so that a part repeated
    // in either chain (a son named after his father) is aligned with its earliest occurrence.
    if (here === (dp[(i - 1) * SIZE + j] ?? 0)) i--;
    else if (here === (dp[i * SIZE + j - 1] ?? 0)) j--;
    else if (level > 0 && here === (dp[(i - 1) * SIZE + j - 1] ?? 0) + (weights[cell] ?? 0)) {
      result.conflicts += Math.min(gapEndA - i - 1, gapEndB - j - 1);
      gapEndA = i;
      gapEndB = j;
      result.covered++;
      if (i === 1 && j === 1) result.firstAligned = true;
      if (i === 2 && j === 2) result.secondAligned = true;
      else if (i === 2 || j === 2) secondShifted = true;
      if (level !== UNIT_EXACT) result.allExact = false;
      if (level < UNIT_EQUIVALENT) result.allEquivalent = false;
      if (collectPairs) result.pairs.push(orderA[i - 1] ?? 0, orderB[j - 1] ?? 0);
      i--;
      j--;
    } else j--;
  }
  result.conflicts += Math.min(gapEndA - 1, gapEndB - 1);
  // In chains of three or more parts the second is the father on both sides: when one father
  // meets the other's grandfather, the fathers differ ("Reem Tamer Hamza X" is the niece of
  // "Reem Hamza Hasan X", not the same woman).
  if (shift === 0 && n >= 3 && m >= 3 && secondShifted) result.conflicts++;
  return result;
}

/**
 * Compares chains `a[aFrom..aTo)` and `b[bFrom..bTo)` of unit ids.
 */
export function compareChains(
  lexicon: NameLexicon,
  a: Int32Array,
  aFrom: number,
  aTo: number,
  b: Int32Array,
  bFrom: number,
  bTo: number,
  unitWeights: UnitWeights,
  collectPairs = false,
): NameComparison {
  const n = aTo - aFrom;
  const m = bTo - bFrom;
  if (n === 0 || m === 0) return { weight: 0, level: 'missing', pairs: [], givenMet: false };
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
        weights[cell] = levelWeight(
          unitWeights,
          level,
          ua,
          ub,
          level === UNIT_CLOSE && lexicon.skeletonId[ua] === lexicon.skeletonId[ub],
        );
      }
    }
  }
  const shorter = Math.min(n, m);
  if (!anyMatch) {
    const weight = -NAME_PENALTY.conflictingPart * shorter - NAME_PENALTY.givenNameMismatch;
    return { weight, level: 'different', pairs: [], givenMet: false };
  }
  let best = align(n, m, 0, false, collectPairs);
  let reordered = false;
  if ((best.covered < shorter || !best.firstAligned) && shorter >= 2) {
    // Family name written first on one side ("NASSAR Mohammed Ahmed"): rotate that side.
    for (const rotateA of [false, true]) {
      const length = rotateA ? n : m;
      const rotated = align(n, m, length - 1, rotateA, collectPairs);
      // The rotated chain's given name (now second) must meet the other's second part, the given
      // name of a chain written family first: otherwise a son's chain ("Radwan Mohamed Louay
      // Ramnawi") would meet his father's written family first ("Ramnawi Mohamed Louay").
      if (
        rotated.covered === shorter &&
        rotated.firstAligned &&
        rotated.secondAligned &&
        rotated.weight > best.weight - 2
      ) {
        best = rotated;
        reordered = true;
        break;
      }
    }
  }
  let weight = best.weight - NAME_PENALTY.conflictingPart * best.conflicts;
  if (!best.firstAligned) weight -= NAME_PENALTY.givenNameMismatch;
  if (reordered) weight -= NAME_PENALTY.reordered;
  let level: FieldLevel;
  if (reordered) level = 'reordered';
  else if (best.covered < shorter || !best.firstAligned) level = 'partial';
  else if (n !== m) level = 'subset';
  else if (best.allExact) level = 'exact';
  else if (best.allEquivalent) level = 'equivalent';
  else level = 'close';
  return { weight, level, pairs: best.pairs, givenMet: best.firstAligned };
}
