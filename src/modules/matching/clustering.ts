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
  /**
   * A record whose best partner is rivalled (within this many bits) by a partner that cannot be
   * the same person as the best one is ambiguous ("Khadija Tawil", no date, when two Khadija
   * Tawils are registered): it is left alone for review rather than merged into either.
   */
  ambiguityMargin: number;
}

/**
 * Marks records that match two incompatible partners about equally well (AMBIGUOUS), and
 * two-part names that are the sole holders of their name in the data (PROMOTED). Runs over an
 * adjacency built from the pair list (compressed rows, typed arrays).
 */
function linkStatus(
  model: ScoringModel,
  records: PreparedRecords,
  pairs: PairList,
  options: ClusterOptions,
): Uint8Array {
  const n = records.size;
  const start = new Int32Array(n + 1);
  for (let e = 0; e < pairs.count; e++) {
    start[(pairs.a[e] ?? 0) + 1] = (start[(pairs.a[e] ?? 0) + 1] ?? 0) + 1;
    start[(pairs.b[e] ?? 0) + 1] = (start[(pairs.b[e] ?? 0) + 1] ?? 0) + 1;
  }
  for (let i = 0; i < n; i++) start[i + 1] = (start[i + 1] ?? 0) + (start[i] ?? 0);
  const fill = start.slice(0, n);
  const partner = new Int32Array(pairs.count * 2);
  const edgeScore = new Float32Array(pairs.count * 2);
  for (let e = 0; e < pairs.count; e++) {
    const a = pairs.a[e] ?? 0;
    const b = pairs.b[e] ?? 0;
    const score = pairs.score[e] ?? 0;
    let at = fill[a] ?? 0;
    partner[at] = b;
    edgeScore[at] = score;
    fill[a] = at + 1;
    at = fill[b] ?? 0;
    partner[at] = a;
    edgeScore[at] = score;
    fill[b] = at + 1;
  }
  const status = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    const from = start[r] ?? 0;
    const to = start[r + 1] ?? 0;
    if (to === from) continue;
    let best = from;
    for (let k = from + 1; k < to; k++) if ((edgeScore[k] ?? 0) > (edgeScore[best] ?? 0)) best = k;
    const top = edgeScore[best] ?? 0;
    if (top < options.minScore) {
      if (isSoleHolder(model, records, r, partner.subarray(from, to), options)) status[r] = PROMOTED;
      continue;
    }
    if (to - from < 2) continue;
    const p1 = partner[best] ?? 0;
    for (let k = from; k < to; k++) {
      if (k === best || (edgeScore[k] ?? 0) < top - options.ambiguityMargin) continue;
      const p2 = partner[k] ?? 0;
      if (
        hardConflict(records, p1, records, p2) ||
        scorePair(model, records, p1, records, p2) < options.linkFloor
      ) {
        status[r] = AMBIGUOUS;
        break;
      }
    }
  }
  return status;
}

const AMBIGUOUS = 1;
const PROMOTED = 2;

/**
 * A two-part name ("Mohammed Nassar", no date) scores in the review band because both parts are
 * common. But when every record of the data set holding that pair of parts is already among its
 * partners, and those partners can all be one person, it is the only such person: it may join
 * them. The count comes from the blocking index, so it covers the whole data set.
 */
function isSoleHolder(
  model: ScoringModel,
  records: PreparedRecords,
  r: number,
  partners: Int32Array,
  options: ClusterOptions,
): boolean {
  const from = records.unitStart[r] ?? 0;
  if ((records.unitStart[r + 1] ?? 0) - from !== 2 || model.partPairCount === undefined) return false;
  const lexicon = model.lexicon;
  const holders = model.partPairCount(
    lexicon.canon[records.units[from] ?? 0] ?? 0,
    lexicon.canon[records.units[from + 1] ?? 0] ?? 0,
  );
  if (holders !== partners.length + 1) return false;
  for (let x = 0; x < partners.length; x++) {
    for (let y = x + 1; y < partners.length; y++) {
      const p = partners[x] ?? 0;
      const q = partners[y] ?? 0;
      if (hardConflict(records, p, records, q) || scorePair(model, records, p, records, q) < options.minScore)
        return false;
    }
  }
  return true;
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

  const status = linkStatus(model, records, pairs, options);
  const order = new Int32Array(pairs.count);
  let kept = 0;
  for (let e = 0; e < pairs.count; e++) {
    const a = pairs.a[e] ?? 0;
    const b = pairs.b[e] ?? 0;
    if (status[a] === AMBIGUOUS || status[b] === AMBIGUOUS) continue;
    if ((pairs.score[e] ?? 0) < options.minScore && status[a] !== PROMOTED && status[b] !== PROMOTED)
      continue;
    order[kept++] = e;
  }
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
