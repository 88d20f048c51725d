/**
 * The two jobs of the library: match a published list against the registry, and find the
 * registrations that describe one person. Both are synchronous and allocation-light so the app
 * can run them in a worker thread.
 */
import { BlockIndex, blockingKeys, partPairKey } from './blocking.js';
import { clusterPairs, PairList } from './clustering.js';
import { NameLexicon } from './lexicon.js';
import { type PreparedRecords, prepareRecords } from './prepare.js';
import { explainPair, hardConflict, round2, ScoringModel, scorePair } from './scoring.js';
import type {
  DedupeOptions,
  ListCandidate,
  MatchingOptions,
  MatchListOptions,
  NameRecord,
  ScoreExplanation,
} from './types.js';

const DEFAULT_MAX_BLOCK_SIZE = 30;
const DEFAULT_MAX_CANDIDATES = 5;
const DEFAULT_MAX_CLUSTER_SIZE = 25;
/** Bits within which two incompatible partners make a record ambiguous (see clustering.ts). */
const DEFAULT_AMBIGUITY_MARGIN = 4;
const PROGRESS_EVERY = 4096;

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
 * Matches each row of a list against the registry. Returns, per list row, the candidates in the
 * match or review band, best first (at most `maxCandidates`); rows with no candidate are absent.
 */
export function matchList(
  registry: readonly NameRecord[] | PreparedRegistry,
  list: readonly NameRecord[],
  options: MatchListOptions = {},
): ListCandidate[] {
  const prepared = isPreparedRegistry(registry) ? registry : prepareRegistry(registry, options);
  const reg = prepared.records;
  // Frequencies are the registry's: matching a list must not shift them for the next list.
  const rows = prepareRecords(list, { lexicon: reg.lexicon, countFrequencies: false });
  const model = new ScoringModel(
    reg.lexicon,
    options.thresholds,
    (x, y) => prepared.index.count(partPairKey(x, y)),
    reg.size,
  );
  const { review } = model.thresholds;
  const maxCandidates = options.maxCandidates ?? DEFAULT_MAX_CANDIDATES;
  const stamp = new Int32Array(reg.size).fill(-1);
  const keys: number[] = [];
  const found: Array<{ r: number; score: number }> = [];
  const out: ListCandidate[] = [];
  const index = prepared.index;
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
        if (score >= review) found.push({ r, score });
      }
    }
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
    if (options.onProgress !== undefined && (q % PROGRESS_EVERY === 0 || q === rows.size - 1)) {
      options.onProgress(q + 1, rows.size);
    }
  }
  return out;
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
  );
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
  );
  return explainPair(model, pair, 0, pair, 1);
}
