/**
 * Clustering of scored pairs into persons. Pairs are merged best first (union-find), but two
 * groups are joined only if no record of one conflicts with a record of the other (different
 * passports, sexes or dates of birth) and no cross pair scores below `linkFloor`. Plain
 * transitive closure would chain A–B–C into one person when B is a partial record ("Mohammed
 * Nassar", no date) that matches both a father and his son; that is the error a crisis cell can
 * least afford (one seat for two people), so the guard costs some recall on purpose.
 */
import type { PreparedRecords } from './prepare.js';
import { hardConflict, type ScoringModel, scorePair } from './scoring.js';

/** Scored pairs (record indexes and scores), growable. */
export class PairList {
  a = new Int32Array(1024);
  b = new Int32Array(1024);
  score = new Float32Array(1024);
  count = 0;

  push(a: number, b: number, score: number): void {
    if (this.count === this.a.length) {
      const capacity = this.a.length * 2;
      const grownA = new Int32Array(capacity);
      grownA.set(this.a);
      this.a = grownA;
      const grownB = new Int32Array(capacity);
      grownB.set(this.b);
      this.b = grownB;
      const grownScore = new Float32Array(capacity);
      grownScore.set(this.score);
      this.score = grownScore;
    }
    this.a[this.count] = a;
    this.b[this.count] = b;
    this.score[this.count] = score;
    this.count++;
  }
}

/** Options of {@link clusterPairs}. */
export interface ClusterOptions {
  /** Pairs below this score are not merged. */
  minScore: number;
  /** No cluster grows beyond this many records. */
  maxClusterSize: number;
  /** Every cross pair of a merge must score at least this much. */
  linkFloor: number;
}

/**
 * Groups records into clusters. Returns, for each record, the index of its cluster's
 * representative: the lowest record index in the cluster (stable across runs).
 */
export function clusterPairs(
  model: ScoringModel,
  records: PreparedRecords,
  pairs: PairList,
  options: ClusterOptions,
): Int32Array {
  const n = records.size;
  const parent = new Int32Array(n);
  const size = new Int32Array(n).fill(1);
  const next = new Int32Array(n).fill(-1);
  const tail = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    parent[i] = i;
    tail[i] = i;
  }
  const find = (x: number): number => {
    let root = x;
    while (parent[root] !== root) root = parent[root] ?? root;
    let cursor = x;
    while (parent[cursor] !== root) {
      const up = parent[cursor] ?? root;
      parent[cursor] = root;
      cursor = up;
    }
    return root;
  };
  const canJoin = (ra: number, rb: number, x: number, y: number): boolean => {
    for (let p = ra; p >= 0; p = next[p] ?? -1) {
      for (let q = rb; q >= 0; q = next[q] ?? -1) {
        if (hardConflict(records, p, records, q)) return false;
        if ((p === x && q === y) || (p === y && q === x)) continue;
        if (scorePair(model, records, p, records, q) < options.linkFloor) return false;
      }
    }
    return true;
  };

  const order = new Int32Array(pairs.count);
  let kept = 0;
  for (let e = 0; e < pairs.count; e++) if ((pairs.score[e] ?? 0) >= options.minScore) order[kept++] = e;
  const sorted = order.subarray(0, kept).sort((e1, e2) => (pairs.score[e2] ?? 0) - (pairs.score[e1] ?? 0));
  for (const e of sorted) {
    const x = pairs.a[e] ?? 0;
    const y = pairs.b[e] ?? 0;
    const rx = find(x);
    const ry = find(y);
    if (rx === ry) continue;
    if ((size[rx] ?? 0) + (size[ry] ?? 0) > options.maxClusterSize) continue;
    if (!canJoin(rx, ry, x, y)) continue;
    const [big, small] = (size[rx] ?? 0) >= (size[ry] ?? 0) ? [rx, ry] : [ry, rx];
    parent[small] = big;
    size[big] = (size[big] ?? 0) + (size[small] ?? 0);
    next[tail[big] ?? big] = small;
    tail[big] = tail[small] ?? small;
  }
  const representative = new Int32Array(n).fill(-1);
  const result = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const root = find(i);
    if (representative[root] === -1) representative[root] = i;
    result[i] = representative[root] ?? i;
  }
  return result;
}
