import { randomFillSync } from 'node:crypto';

/**
 * Fresh bytes from the operating system's CSPRNG, pooled: one getrandom call per 8 KiB instead of
 * one per draw (a draw of a few bytes costs microseconds on its own, on the hot path of every
 * registration). Bytes are handed out once and never again.
 */
export const randomPool = Buffer.alloc(8192);
let offset = randomPool.length;

/**
 * Where `size` fresh bytes start in `randomPool`: read `randomPool[at .. at + size)` at once
 * (the next draw may refill the pool). For hot paths that read bytes one by one and should not
 * pay for a Buffer view per draw.
 */
export function randomOffset(size: number): number {
  if (size > 256) throw new RangeError('The random pool draws at most 256 bytes; use randomBytes.');
  if (offset + size > randomPool.length) {
    randomFillSync(randomPool);
    offset = 0;
  }
  const at = offset;
  offset += size;
  return at;
}

/**
 * `size` fresh bytes as a view into the pool, valid until the next draw: use it at once or copy it.
 */
export function randomView(size: number): Buffer {
  const at = randomOffset(size);
  return randomPool.subarray(at, at + size);
}
