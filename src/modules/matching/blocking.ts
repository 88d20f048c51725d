/**
 * Blocking: only records that share at least one key are compared, so a million registrations
 * never meet all-against-all. Keys are 32-bit hashes of small tuples of ids: pairs and triples of
 * canonical name parts (so the order of the chain and missing parts do not matter), the same on
 * phonetic skeletons (for spellings the table does not know), rare single parts, document number,
 * and date of birth with a name skeleton. A key shared by more than `maxBlockSize` records says
 * little ("Mohammed" + "Ahmed") and is skipped: the more specific keys of the same records still
 * bring true pairs together. Hash collisions only add comparisons, never lose one.
 */
import { MAX_UNITS, type PreparedRecords } from './prepare.js';

const canons = new Int32Array(MAX_UNITS);
const skeletons = new Int32Array(MAX_UNITS);

const KEY_CANON_PAIR = 1;
const KEY_CANON_TRIPLE = 2;
const KEY_CANON_PAIR_YEAR = 3;
const KEY_SKELETON_PAIR = 4;
const KEY_SKELETON_TRIPLE = 5;
const KEY_SINGLE_PART = 6;
const KEY_PASSPORT = 7;
const KEY_DOB_SKELETON = 8;
const KEY_SKELETON_PAIR_YEAR = 9;
const KEY_PHONE = 10;

/** Parts considered for pair keys: given, father, grandfather and family names fit in five. */
const PAIR_WINDOW = 5;

function mix(h: number, v: number): number {
  const x = Math.imul(h ^ v, 0x9e3779b1);
  return x ^ (x >>> 15);
}

/** 32-bit hash of a key tuple. */
export function hashKey(type: number, a: number, b = 0, c = 0): number {
  let h = Math.imul(type + 0x632be5ab, 0x85ebca6b);
  h = mix(h, a);
  h = mix(h, b);
  h = mix(h, c);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Writes the blocking keys of record i into `out` (cleared first); returns the count. */
export function blockingKeys(records: PreparedRecords, i: number, out: number[]): number {
  out.length = 0;
  const lexicon = records.lexicon;
  const from = records.unitStart[i] ?? 0;
  const k = Math.min((records.unitStart[i + 1] ?? 0) - from, MAX_UNITS);
  // Copy ids to scratch arrays once (no closures: this runs for every record of a million).
  for (let u = 0; u < k; u++) {
    const unit = records.units[from + u] ?? 0;
    canons[u] = lexicon.canon[unit] ?? 0;
    skeletons[u] = lexicon.skeletonId[unit] ?? 0;
  }
  const dob = records.dob[i] ?? 0;
  const year = Math.floor(dob / 10000);
  const last = k - 1;
  if (k >= 2) {
    const window = Math.min(k, PAIR_WINDOW);
    for (let x = 0; x < window; x++) {
      for (let y = x + 1; y < window; y++)
        out.push(unorderedKey(KEY_CANON_PAIR, canons[x] ?? 0, canons[y] ?? 0));
    }
    if (last >= PAIR_WINDOW) {
      for (let x = 0; x < 2; x++) out.push(unorderedKey(KEY_CANON_PAIR, canons[x] ?? 0, canons[last] ?? 0));
    }
    out.push(unorderedKey(KEY_SKELETON_PAIR, skeletons[0] ?? 0, skeletons[last] ?? 0));
    if (k >= 3) {
      out.push(unorderedKey(KEY_SKELETON_PAIR, skeletons[0] ?? 0, skeletons[1] ?? 0));
      out.push(unorderedKey(KEY_SKELETON_PAIR, skeletons[1] ?? 0, skeletons[last] ?? 0));
      out.push(hashKey(KEY_CANON_TRIPLE, canons[0] ?? 0, canons[1] ?? 0, canons[last] ?? 0));
      out.push(hashKey(KEY_SKELETON_TRIPLE, skeletons[0] ?? 0, skeletons[1] ?? 0, skeletons[last] ?? 0));
    }
    if (k >= 4) out.push(hashKey(KEY_CANON_TRIPLE, canons[0] ?? 0, canons[2] ?? 0, canons[last] ?? 0));
    if (year > 0) {
      out.push(hashKey(KEY_CANON_PAIR_YEAR, canons[0] ?? 0, canons[last] ?? 0, year));
      out.push(hashKey(KEY_SKELETON_PAIR_YEAR, skeletons[0] ?? 0, skeletons[last] ?? 0, year));
    }
  }
  for (let u = 0; u < Math.min(k, PAIR_WINDOW); u++) out.push(hashKey(KEY_SINGLE_PART, canons[u] ?? 0));
  const passport = records.passport[i] ?? 0;
  if (passport !== 0) out.push(hashKey(KEY_PASSPORT, passport));
  // A phone is shared by a household, a small block: it brings registrations of one person
  // together where the name keys of a common two-part name ("Mohammed Nassar") are too large to
  // use, whatever the spelling or order of the name. A phone shared by more (a call centre's) is
  // skipped like any common key.
  const phone = records.phone[i] ?? -1;
  if (phone >= 0) out.push(hashKey(KEY_PHONE, phone));
  if (dob % 10000 !== 0 && k >= 1) {
    out.push(hashKey(KEY_DOB_SKELETON, dob, skeletons[0] ?? 0));
    if (k >= 2) out.push(hashKey(KEY_DOB_SKELETON, dob, skeletons[last] ?? 0));
  }
  return out.length;
}

function unorderedKey(type: number, a: number, b: number): number {
  return a <= b ? hashKey(type, a, b) : hashKey(type, b, a);
}

/** Key of a document number (its hash as prepared). */
export function passportKey(passportHash: number): number {
  return hashKey(KEY_PASSPORT, passportHash);
}

/** Key of "holds both canonical parts a and b" (the key used for pairs of name parts). */
export function partPairKey(canonA: number, canonB: number): number {
  return unorderedKey(KEY_CANON_PAIR, canonA, canonB);
}

/** Key of "holds a first part of skeleton a and a last part of skeleton b" (any spelling, either script). */
export function skeletonPairKey(skeletonA: number, skeletonB: number): number {
  return unorderedKey(KEY_SKELETON_PAIR, skeletonA, skeletonB);
}

/** Sorted (key hash, record index) pairs of a prepared set, with lookup by key. */
export class BlockIndex {
  /** Key hashes, ascending; records sharing a key are contiguous and in record order. */
  readonly hashes: Uint32Array;
  readonly records: Int32Array;

  constructor(
    prepared: PreparedRecords,
    readonly maxBlockSize: number,
  ) {
    let hashes = new Uint32Array(Math.max(1024, prepared.size * 16));
    let records = new Int32Array(hashes.length);
    let count = 0;
    const scratch: number[] = [];
    for (let i = 0; i < prepared.size; i++) {
      const n = blockingKeys(prepared, i, scratch);
      if (count + n > hashes.length) {
        const grownHashes = new Uint32Array(hashes.length * 2);
        grownHashes.set(hashes);
        hashes = grownHashes;
        const grownRecords = new Int32Array(hashes.length);
        grownRecords.set(records);
        records = grownRecords;
      }
      for (let k = 0; k < n; k++) {
        hashes[count] = scratch[k] ?? 0;
        records[count] = i;
        count++;
      }
    }
    [this.hashes, this.records] = radixSort(hashes.subarray(0, count), records.subarray(0, count));
  }

  /** Position of the first entry with a key not below `hash` (binary search). */
  lowerBound(hash: number): number {
    const hashes = this.hashes;
    let lo = 0;
    let hi = hashes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((hashes[mid] ?? 0) < hash) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Number of records holding a key, however common. */
  count(hash: number): number {
    const start = this.lowerBound(hash);
    let end = start;
    while (end < this.hashes.length && this.hashes[end] === hash) end++;
    return end - start;
  }

  /** Range [start, end) of the block of `hash`, or an empty range if absent or too large. */
  block(hash: number): [number, number] {
    const hashes = this.hashes;
    const lo = this.lowerBound(hash);
    let end = lo;
    const limit = Math.min(hashes.length, lo + this.maxBlockSize + 1);
    while (end < limit && hashes[end] === hash) end++;
    if (end - lo > this.maxBlockSize) return [0, 0];
    return [lo, end];
  }
}

/** Stable LSD radix sort of hashes (two 16-bit passes), carrying the record indexes along. */
function radixSort(hashes: Uint32Array, records: Int32Array): [Uint32Array, Int32Array] {
  const n = hashes.length;
  let srcH: Uint32Array = hashes;
  let srcR: Int32Array = records;
  let dstH: Uint32Array = new Uint32Array(n);
  let dstR: Int32Array = new Int32Array(n);
  const counts = new Int32Array(65537);
  for (const shift of [0, 16]) {
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const bucket = (((srcH[i] ?? 0) >>> shift) & 0xffff) + 1;
      counts[bucket] = (counts[bucket] ?? 0) + 1;
    }
    for (let b = 1; b <= 65536; b++) counts[b] = (counts[b] ?? 0) + (counts[b - 1] ?? 0);
    for (let i = 0; i < n; i++) {
      const h = srcH[i] ?? 0;
      const bucket = (h >>> shift) & 0xffff;
      const at = counts[bucket] ?? 0;
      counts[bucket] = at + 1;
      dstH[at] = h;
      dstR[at] = srcR[i] ?? 0;
    }
    [srcH, dstH] = [dstH, srcH];
    [srcR, dstR] = [dstR, srcR];
  }
  return [srcH.slice(0, n), srcR.slice(0, n)];
}
