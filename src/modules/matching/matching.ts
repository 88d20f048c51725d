/**
 * Deduplication (registrations that describe one person) and the explained comparison of two
 * records. List matching is in list-matching.ts. Synchronous and allocation-light so the app can
 * run it in a worker thread.
 */
import { BlockIndex, blockingKeys, partPairKey, passportKey, skeletonPairKey } from './blocking.js';
import { clusterPairs, PairList } from './clustering.js';
import {
  DEFAULT_AMBIGUITY_MARGIN,
  DEFAULT_MAX_BLOCK_SIZE,
  DEFAULT_MAX_CLUSTER_SIZE,
  PROGRESS_EVERY,
} from './defaults.js';
import { NameLexicon } from './lexicon.js';
import type { PreparedRegistry } from './list-matching.js';
import { compareChains } from './name-compare.js';
import { type PreparedRecords, prepareRecords } from './prepare.js';
import { explainPair, round2, ScoringModel, scorePair } from './scoring.js';
import type { DedupeOptions, MatchingOptions, NameRecord, ScoreExplanation } from './types.js';

/** Result of {@link dedupe}. */
export interface DedupeResult {
  /** Cluster id per input record, in input order: the id of the cluster's first record. */
  clusterIds: string[];
  clusterCount: number;
  /** Record pairs scored (after blocking). */
  comparisons: number;
  /** Pairs in the review band that were not merged, as [idA, idB, score], for human review. */
  reviewPairs: Array<[string, string, number]>;
}

/**
 * Finds registrations of one person. Pairs are found by blocking, scored, and clustered without
 * chaining across conflicts (see clustering.ts).
 */
export function dedupe(
  records: readonly NameRecord[] | PreparedRecords,
  options: DedupeOptions = {},
): DedupeResult {
  const prepared = Array.isArray(records)
    ? prepareRecords(records as readonly NameRecord[], { lexicon: new NameLexicon() })
    : (records as PreparedRecords);
  const index = new BlockIndex(prepared, options.maxBlockSize ?? DEFAULT_MAX_BLOCK_SIZE);
  const model = new ScoringModel(
    prepared.lexicon,
    options.thresholds,
    (x, y) => index.count(partPairKey(x, y)),
    prepared.size,
    (x, y) => index.count(skeletonPairKey(x, y)),
  );
  calibratePhone(model, prepared, index);
  const { review, match } = model.thresholds;
  const pairs = new PairList();
  const stamp = new Int32Array(prepared.size).fill(-1);
  const keys: number[] = [];
  let comparisons = 0;
  for (let i = 0; i < prepared.size; i++) {
    blockingKeys(prepared, i, keys);
    for (const key of keys) {
      const [start, end] = index.block(key);
      for (let p = start; p < end; p++) {
        const j = index.records[p] ?? 0;
        if (j <= i || stamp[j] === i) continue;
        stamp[j] = i;
        comparisons++;
        const score = scorePair(model, prepared, i, prepared, j);
        if (score >= review) pairs.push(i, j, score);
      }
    }
    if (options.onProgress !== undefined && (i % PROGRESS_EVERY === 0 || i === prepared.size - 1)) {
      options.onProgress(i + 1, prepared.size);
    }
  }
  const representative = clusterPairs(model, prepared, pairs, {
    minScore: match,
    maxClusterSize: options.maxClusterSize ?? DEFAULT_MAX_CLUSTER_SIZE,
    linkFloor: 0,
    ambiguityMargin: DEFAULT_AMBIGUITY_MARGIN,
  });
  const clusterIds = new Array<string>(prepared.size);
  let clusterCount = 0;
  for (let i = 0; i < prepared.size; i++) {
    const rep = representative[i] ?? i;
    if (rep === i) clusterCount++;
    clusterIds[i] = prepared.ids[rep] ?? '';
  }
  const reviewPairs: Array<[string, string, number]> = [];
  for (let e = 0; e < pairs.count; e++) {
    const a = pairs.a[e] ?? 0;
    const b = pairs.b[e] ?? 0;
    if (representative[a] !== representative[b]) {
      reviewPairs.push([prepared.ids[a] ?? '', prepared.ids[b] ?? '', round2(pairs.score[e] ?? 0)]);
    }
  }
  return { clusterIds, clusterCount, comparisons, reviewPairs };
}

/**
 * Estimates how often registrations of one person give different phones, on the pairs that are
 * one person beyond doubt: the same document number, and given names that meet. No truth is
 * needed: the data calibrates itself (a registry where relatives abroad register people with
 * their own phones gets a weaker phone disagreement than one where households share one phone).
 */
function calibratePhone(model: ScoringModel, records: PreparedRecords, index: BlockIndex): void {
  let anchors = 0;
  let differing = 0;
  for (let i = 0; i < records.size; i++) {
    const passport = records.passport[i] ?? 0;
    const phone = records.phone[i] ?? -1;
    if (passport === 0 || phone < 0) continue;
    const text = records.passportText[i] ?? '';
    const [start, end] = index.block(passportKey(passport));
    for (let p = start; p < end; p++) {
      const j = index.records[p] ?? 0;
      const other = records.phone[j] ?? -1;
      if (j <= i || other < 0 || records.passportText[j] !== text || text.length < 6) continue;
      const name = compareChains(
        model.lexicon,
        records.units,
        records.unitStart[i] ?? 0,
        records.unitStart[i + 1] ?? 0,
        records.units,
        records.unitStart[j] ?? 0,
        records.unitStart[j + 1] ?? 0,
        model,
      );
      if (!name.givenMet) continue;
      anchors++;
      if (other !== phone) differing++;
    }
  }
  model.estimatePhoneAgreement(anchors, differing);
}

/**
 * Compares two records and explains the score field by field (for a review screen). Name-part
 * frequencies come from the curated table's priors only, unless `context` gives the records (or
 * the prepared registry) whose frequencies should be used; with a prepared registry the score is
 * the one `matchList` gives. Scoring a pair never changes the context's frequencies.
 */
export function compareRecords(
  a: NameRecord,
  b: NameRecord,
  options: MatchingOptions & { context?: PreparedRecords | PreparedRegistry } = {},
): ScoreExplanation {
  const context = options.context;
  const registry = context !== undefined && 'index' in context ? context : undefined;
  const records = registry !== undefined ? registry.records : (context as PreparedRecords | undefined);
  const lexicon = records?.lexicon ?? new NameLexicon();
  const pair = prepareRecords([a, b], { lexicon, countFrequencies: records === undefined });
  const model = new ScoringModel(
    lexicon,
    options.thresholds,
    registry === undefined ? undefined : (x, y) => registry.index.count(partPairKey(x, y)),
    records?.size ?? lexicon.recordCount,
    registry === undefined ? undefined : (x, y) => registry.index.count(skeletonPairKey(x, y)),
  );
  return explainPair(model, pair, 0, pair, 1);
}
