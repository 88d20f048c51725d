/**
 * The plain baseline the benchmark compares against: accent-folded lower-case tokens, best-pair
 * Jaro-Winkler between tokens, no blocking, no equivalence table, no other field. It is what a
 * spreadsheet macro or a quick script does, and it is quadratic, so it runs on a sample.
 */
import { jaroWinkler, type NameRecord } from '../../src/modules/matching/index.js';

/** Accent-folded lower-case tokens of a name. */
export function baselineTokens(name: string): string[] {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((token) => token.length > 0);
}

/** Mean, over the tokens of the shorter name, of the best Jaro-Winkler against the other name. */
export function baselineScore(a: readonly string[], b: readonly string[]): number {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length === 0) return 0;
  let total = 0;
  for (const token of short) {
    let best = 0;
    for (const other of long) best = Math.max(best, jaroWinkler(token, other));
    total += best;
  }
  return total / short.length;
}

/** Threshold of the baseline: a pair at or above it is a match. */
export const BASELINE_THRESHOLD = 0.93;

/** All-pairs baseline dedupe with transitive closure; returns a cluster label per record. */
export function baselineDedupe(records: readonly NameRecord[]): Int32Array {
  const tokens = records.map((record) => baselineTokens(record.fullName));
  const parent = Int32Array.from(records.map((_, i) => i));
  const find = (x: number): number => {
    let root = x;
    while (parent[root] !== root) root = parent[root] ?? root;
    return root;
  };
  for (let i = 0; i < records.length; i++) {
    for (let j = i + 1; j < records.length; j++) {
      if (baselineScore(tokens[i] ?? [], tokens[j] ?? []) >= BASELINE_THRESHOLD) parent[find(i)] = find(j);
    }
  }
  return Int32Array.from(records.map((_, i) => find(i)));
}

/** All-pairs baseline list match: the best registry record per list row, if above the threshold. */
export function baselineMatch(
  registry: readonly NameRecord[],
  list: readonly NameRecord[],
): Array<{ listIndex: number; registryIndex: number; score: number; match: boolean }> {
  const registryTokens = registry.map((record) => baselineTokens(record.fullName));
  const out: Array<{ listIndex: number; registryIndex: number; score: number; match: boolean }> = [];
  list.forEach((row, q) => {
    const tokens = baselineTokens(row.fullName);
    let best = -1;
    let bestScore = 0;
    registryTokens.forEach((other, r) => {
      const score = baselineScore(tokens, other);
      if (score > bestScore) {
        bestScore = score;
        best = r;
      }
    });
    if (best >= 0 && bestScore >= BASELINE_THRESHOLD)
      out.push({ listIndex: q, registryIndex: best, score: bestScore, match: true });
  });
  return out;
}
