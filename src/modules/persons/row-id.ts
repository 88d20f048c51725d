import { randomView } from '../../lib/random-pool.js';

let lastMs = 0;
let sequence = 0;

const take16 = () => randomView(16);

/** A 128-bit secret for a private update link, URL-safe (22 characters). */
export const newUpdateSecret = (): string => take16().toString('base64url');

/**
 * A time-ordered UUID (version 7 layout: 48-bit milliseconds, then random bits). Rows of the
 * registry are inserted in bulk during a surge; keys that grow with time land at the end of
 * each index instead of on random pages, which keeps every group commit small on disk.
 * A 12-bit counter keeps ids from one process in order within the same millisecond.
 */
export function newRowId(): string {
  const bytes = take16();
  const now = Date.now();
  if (now === lastMs) sequence = (sequence + 1) & 0xfff;
  else {
    lastMs = now;
    sequence = bytes[6]! & 0x07;
  }
  const hex = now.toString(16).padStart(12, '0');
  const seq = (0x7000 | sequence).toString(16);
  const variant = ((bytes[8]! & 0x3f) | 0x80).toString(16).padStart(2, '0');
  const rest = bytes.subarray(9, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${seq}-${variant}${rest.slice(0, 2)}-${rest.slice(2, 14)}`;
}
