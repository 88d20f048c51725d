import { randomFillSync } from 'node:crypto';

const pool = Buffer.alloc(8192);
let offset = pool.length;

/**
 * `size` fresh bytes from the operating system's CSPRNG, drawn from a pooled buffer: one
 * getrandom call per 8 KiB instead of one per draw (a draw of a few bytes costs microseconds on
 * its own, on the hot path of every registration). The result is a view into the pool, valid
 * until the next call: use it at once or copy it.
 */
export function randomView(size: number): Buffer {
  if (size > 256) throw new RangeError('randomView draws at most 256 bytes; use randomBytes.');
  if (offset + size > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const view = pool.subarray(offset, offset + size);
  offset += size;
  return view;
}
