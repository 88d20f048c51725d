/** Timestamps are stored as ISO-8601 UTC text in both databases so that one SQL serves both. */
export const nowIso = (): string => new Date().toISOString();
export const addMinutes = (iso: string, minutes: number): string =>
  new Date(Date.parse(iso) + minutes * 60_000).toISOString();
