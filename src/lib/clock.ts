/** Timestamps are stored as ISO-8601 UTC text in both databases so that one SQL serves both. */
let lastMs = Number.NaN;
let lastIso = '';
/** Now as ISO-8601 UTC; formatted once per millisecond (a surge asks many times in each). */
export function nowIso(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}
export const addMinutes = (iso: string, minutes: number): string =>
  new Date(Date.parse(iso) + minutes * 60_000).toISOString();
