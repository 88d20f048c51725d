/**
 * List matching: the rows of a published list against the registry. Two ways in, same results:
 * a registry prepared and indexed once (`prepareRegistry`, for an app that matches a list every
 * day), or raw registry records, streamed through an index of the much smaller list: that skips
 * sorting fifteen million registry keys, which is most of the cost of a one-off run.
 */
import { BlockIndex, blockingKeys, partPairKey, skeletonPairKey } from './blocking.js';
import {
  DEFAULT_AMBIGUITY_MARGIN,
  DEFAULT_MAX_BLOCK_SIZE,
  DEFAULT_MAX_CANDIDATES,
  PROGRESS_EVERY,
} from './defaults.js';
import { NameLexicon } from './lexicon.js';
import { type PreparedRecords, prepareRecords } from './prepare.js';
import { hardConflict, round2, ScoringModel, scorePair } from './scoring.js';
import type { ListCandidate, MatchingOptions, MatchListOptions, NameRecord } from './types.js';

/** A registry prepared and indexed once, to match many lists against it. */
export interface PreparedRegistry {
  readonly records: PreparedRecords;
  readonly index: BlockIndex;
}

/** Prepares and indexes a registry (the slow part of list matching; reuse it across lists). */
export function prepareRegistry(
  records: readonly NameRecord[],
  options: MatchingOptions = {},
): PreparedRegistry {
  const prepared = prepareRecords(records, { lexicon: new NameLexicon() });
  return {
    records: prepared,
    index: new BlockIndex(prepared, options.maxBlockSize ?? DEFAULT_MAX_BLOCK_SIZE),
  };
}

function isPreparedRegistry(value: readonly NameRecord[] | PreparedRegistry): value is PreparedRegistry {
  return !Array.isArray(value);
}

/**
 * Matches each row of a list against the registry. Returns, per list row in list order, the
 * candidates in the match or review band, best first (at most `maxCandidates`); rows with no
 * candidate are absent.
 */
export function matchList(
  registry: readonly NameRecord[] | PreparedRegistry,
  list: readonly NameRecord[],
  options: MatchListOptions = {},
): ListCandidate[] {
  return isPreparedRegistry(registry)
    ? matchAgainstIndex(registry, list, options)
    : matchByStreaming(registry as readonly NameRecord[], list, options);
}

type Found = Array<{ r: number; score: number }>;

function matchAgainstIndex(
  prepared: PreparedRegistry,
  list: readonly NameRecord[],
  options: MatchListOptions,
): ListCandidate[] {
  const reg = prepared.records;
  // Frequencies are the registry's: matching a list must not shift them for the next list.
  const rows = prepareRecords(list, { lexicon: reg.lexicon, countFrequencies: false });
  const index = prepared.index;
  const model = new ScoringModel(
    reg.lexicon,
    options.thresholds,
    (x, y) => index.count(partPairKey(x, y)),
    reg.size,
    (x, y) => index.count(skeletonPairKey(x, y)),
  );
  const stamp = new Int32Array(reg.size).fill(-1);
  const keys: number[] = [];
  const found: Found = [];
  const out: ListCandidate[] = [];
  for (let q = 0; q < rows.size; q++) {
    blockingKeys(rows, q, keys);
    found.length = 0;
    for (const key of keys) {
      const [start, end] = index.block(key);
      for (let p = start; p < end; p++) {
        const r = index.records[p] ?? 0;
        if (stamp[r] === q) continue;
        stamp[r] = q;
        const score = scorePair(model, rows, q, reg, r);
        if (score >= model.thresholds.review) found.push({ r, score });
      }
    }
    emitRow(model, rows, q, reg, found, options.maxCandidates ?? DEFAULT_MAX_CANDIDATES, out);
    if (options.onProgress !== undefined && (q % PROGRESS_EVERY === 0 || q === rows.size - 1)) {
      options.onProgress(q + 1, rows.size);
    }
  }
  return out;
}

/** Bits of the bitmap that screens registry keys for list keys (2 MB, stays in cache). */
const SCREEN_BITS = 24;
const SCREEN_MASK = (1 << SCREEN_BITS) - 1;
const PAIR_BASE = 2 ** 32;

function matchByStreaming(
  records: readonly NameRecord[],
  list: readonly NameRecord[],
  options: MatchListOptions,
): ListCandidate[] {
  const reg = prepareRecords(records, { lexicon: new NameLexicon() });
  const rows = prepareRecords(list, { lexicon: reg.lexicon, countFrequencies: false });
  const listIndex = new BlockIndex(rows, Number.MAX_SAFE_INTEGER);
  const listHashes = listIndex.hashes;
  const maxBlockSize = options.maxBlockSize ?? DEFAULT_MAX_BLOCK_SIZE;
  // Only keys the list uses matter: a bitmap screens the registry's keys, and exact registry
  // counts are kept for list keys only (at the first position of each key in the list index).
  const screen = new Uint8Array(1 << (SCREEN_BITS - 3));
  for (const key of listHashes) {
    const slot = key & SCREEN_MASK;
    screen[slot >>> 3] = (screen[slot >>> 3] ?? 0) | (1 << (slot & 7));
  }
  const registryCount = new Uint32Array(listHashes.length);
  let hitRecords = new Int32Array(1 << 16);
  let hitPositions = new Int32Array(1 << 16);
  let hits = 0;
  const keys: number[] = [];
  for (let r = 0; r < reg.size; r++) {
    blockingKeys(reg, r, keys);
    for (const key of keys) {
      const slot = key & SCREEN_MASK;
      if (((screen[slot >>> 3] ?? 0) & (1 << (slot & 7))) === 0) continue;
      const position = listIndex.lowerBound(key);
      if (listHashes[position] !== key) continue;
      const count = (registryCount[position] ?? 0) + 1;
      registryCount[position] = count;
      // A key already too common will be skipped: keep counting it, stop collecting its records.
      if (count > maxBlockSize) continue;
      if (hits === hitRecords.length) {
        const grownRecords = new Int32Array(hits * 2);
        grownRecords.set(hitRecords);
        hitRecords = grownRecords;
        const grownPositions = new Int32Array(hits * 2);
        grownPositions.set(hitPositions);
        hitPositions = grownPositions;
      }
      hitRecords[hits] = r;
      hitPositions[hits] = position;
      hits++;
    }
    if (options.onProgress !== undefined && (r % (PROGRESS_EVERY * 16) === 0 || r === reg.size - 1)) {
      options.onProgress(r + 1, reg.size);
    }
  }
  // Candidate pairs (list row, registry record), packed in one float64 so one sort groups them.
  const pairList: number[] = [];
  for (let h = 0; h < hits; h++) {
    const position = hitPositions[h] ?? 0;
    if ((registryCount[position] ?? 0) > maxBlockSize) continue;
    const key = listHashes[position];
    const r = hitRecords[h] ?? 0;
    for (let p = position; p < listHashes.length && listHashes[p] === key; p++) {
      pairList.push((listIndex.records[p] ?? 0) * PAIR_BASE + r);
    }
  }
  const pairs = Float64Array.from(pairList).sort();
  const partPairCount = (x: number, y: number): number => {
    const key = partPairKey(x, y);
    const position = listIndex.lowerBound(key);
    return listHashes[position] === key ? (registryCount[position] ?? 0) : 0;
  };
  const skeletonPairCount = (x: number, y: number): number => {
    const key = skeletonPairKey(x, y);
    const position = listIndex.lowerBound(key);
    return listHashes[position] === key ? (registryCount[position] ?? 0) : 0;
  };
  const model = new ScoringModel(reg.lexicon, options.thresholds, partPairCount, reg.size, skeletonPairCount);
  const maxCandidates = options.maxCandidates ?? DEFAULT_MAX_CANDIDATES;
  const out: ListCandidate[] = [];
  const found: Found = [];
  let previous = -1;
  let currentRow = -1;
  for (const packed of pairs) {
    if (packed === previous) continue;
    previous = packed;
    const q = Math.floor(packed / PAIR_BASE);
    const r = packed - q * PAIR_BASE;
    if (q !== currentRow) {
      if (currentRow >= 0) emitRow(model, rows, currentRow, reg, found, maxCandidates, out);
      currentRow = q;
      found.length = 0;
    }
    const score = scorePair(model, rows, q, reg, r);
    if (score >= model.thresholds.review) found.push({ r, score });
  }
  if (currentRow >= 0) emitRow(model, rows, currentRow, reg, found, maxCandidates, out);
  return out;
}

/** Sorts a row's candidates, settles their decisions and appends them to `out`. */
function emitRow(
  model: ScoringModel,
  rows: PreparedRecords,
  q: number,
  reg: PreparedRecords,
  found: Found,
  maxCandidates: number,
  out: ListCandidate[],
): void {
  found.sort((x, y) => y.score - x.score || x.r - y.r);
  const kept = found.slice(0, maxCandidates);
  const decisions = settleDecisions(model, reg, kept);
  kept.forEach(({ r, score }, k) => {
    out.push({
      listId: rows.ids[q] ?? '',
      registryId: reg.ids[r] ?? '',
      score: round2(score),
      decision: decisions[k] ?? 'review',
    });
  });
}

/**
 * Decisions for the candidates of one list row, best first. A candidate in the match band stays a
 * match only if no other match-band candidate that cannot be the same person (hard conflict, or
 * the two registrations score below 0 together) comes within the ambiguity margin; otherwise the
 * row goes to review: two different people on one approved name is for a person to settle.
 * Several registrations of one person may all be matches.
 */
function settleDecisions(
  model: ScoringModel,
  registry: PreparedRecords,
  candidates: ReadonlyArray<{ r: number; score: number }>,
): Array<'match' | 'review'> {
  const { match } = model.thresholds;
  const decisions = candidates.map(({ score }): 'match' | 'review' =>
    round2(score) >= match ? 'match' : 'review',
  );
  const top = candidates[0];
  if (top === undefined || decisions[0] !== 'match') return decisions;
  for (let k = 1; k < candidates.length; k++) {
    const other = candidates[k];
    if (other === undefined || other.score < top.score - DEFAULT_AMBIGUITY_MARGIN) break;
    const samePerson =
      !hardConflict(registry, top.r, registry, other.r) &&
      scorePair(model, registry, top.r, registry, other.r) >= 0;
    if (!samePerson) {
      // Rivals close to the top: nobody is matched automatically.
      for (let d = 0; d < decisions.length; d++) decisions[d] = 'review';
      return decisions;
    }
  }
  // Below the margin, incompatible candidates cannot be matches alongside the top one.
  for (let k = 1; k < candidates.length; k++) {
    const other = candidates[k];
    if (other === undefined || decisions[k] !== 'match') continue;
    if (
      hardConflict(registry, top.r, registry, other.r) ||
      scorePair(model, registry, top.r, registry, other.r) < 0
    ) {
      decisions[k] = 'review';
    }
  }
  return decisions;
}
