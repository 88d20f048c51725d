/** Quality figures for clusterings and list matches against known truth. */

/** Pairwise and BCubed F1 of a predicted clustering against the true one (labels per record). */
export function clusteringF1(
  predicted: ArrayLike<number>,
  truth: ArrayLike<number>,
): { pairwiseF1: number; bcubedF1: number } {
  const n = predicted.length;
  const cell = new Map<string, number>();
  const predSize = new Map<number, number>();
  const truthSize = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const p = predicted[i] ?? 0;
    const t = truth[i] ?? 0;
    const key = `${p}:${t}`;
    cell.set(key, (cell.get(key) ?? 0) + 1);
    predSize.set(p, (predSize.get(p) ?? 0) + 1);
    truthSize.set(t, (truthSize.get(t) ?? 0) + 1);
  }
  const pairs = (k: number): number => (k * (k - 1)) / 2;
  let truePairs = 0;
  for (const count of cell.values()) truePairs += pairs(count);
  let predictedPairs = 0;
  for (const count of predSize.values()) predictedPairs += pairs(count);
  let actualPairs = 0;
  for (const count of truthSize.values()) actualPairs += pairs(count);
  const precision = predictedPairs === 0 ? 1 : truePairs / predictedPairs;
  const recall = actualPairs === 0 ? 1 : truePairs / actualPairs;
  const pairwiseF1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  // BCubed: per record, the share of its predicted cluster that is truly its, and vice versa.
  let bPrecision = 0;
  let bRecall = 0;
  for (let i = 0; i < n; i++) {
    const p = predicted[i] ?? 0;
    const t = truth[i] ?? 0;
    const both = cell.get(`${p}:${t}`) ?? 0;
    bPrecision += both / (predSize.get(p) ?? 1);
    bRecall += both / (truthSize.get(t) ?? 1);
  }
  bPrecision /= n;
  bRecall /= n;
  const bcubedF1 = (2 * bPrecision * bRecall) / (bPrecision + bRecall);
  return { pairwiseF1: round4(pairwiseF1), bcubedF1: round4(bcubedF1) };
}

/** A candidate of a list row, as produced by either matcher. */
export interface ScoredCandidate {
  listIndex: number;
  registryIndex: number;
  score: number;
  match: boolean;
}

/**
 * recall@1: share of list rows whose person is in the registry and whose best candidate is one of
 * that person's registrations. autoMatchPrecision: share of candidates decided "match" that are
 * right.
 */
export function listMatchQuality(
  candidates: readonly ScoredCandidate[],
  listEntity: ArrayLike<number>,
  registryEntity: ArrayLike<number>,
  registeredEntities: ReadonlySet<number>,
): { recallAt1: number; autoMatchPrecision: number } {
  const best = new Map<number, ScoredCandidate>();
  let matches = 0;
  let correctMatches = 0;
  for (const candidate of candidates) {
    const current = best.get(candidate.listIndex);
    if (current === undefined || candidate.score > current.score) best.set(candidate.listIndex, candidate);
    if (candidate.match) {
      matches++;
      if (registryEntity[candidate.registryIndex] === listEntity[candidate.listIndex]) correctMatches++;
    }
  }
  let findable = 0;
  let found = 0;
  for (let q = 0; q < listEntity.length; q++) {
    const entity = listEntity[q] ?? -1;
    if (!registeredEntities.has(entity)) continue;
    findable++;
    const top = best.get(q);
    if (top !== undefined && registryEntity[top.registryIndex] === entity) found++;
  }
  return {
    recallAt1: round4(findable === 0 ? 1 : found / findable),
    autoMatchPrecision: round4(matches === 0 ? 1 : correctMatches / matches),
  };
}

/** Rounds to four decimals. */
export function round4(value: number): number {
  return Math.round(value * 10000) / 10000;
}
