/** Defaults shared by list matching and deduplication (documented in docs/matching.md). */

/** Keys shared by more records than this are skipped as too common. */
export const DEFAULT_MAX_BLOCK_SIZE = 30;
/** Candidates kept per list row. */
export const DEFAULT_MAX_CANDIDATES = 5;
/** No dedupe cluster grows beyond this. */
export const DEFAULT_MAX_CLUSTER_SIZE = 25;
/** Bits within which two incompatible partners make a record or a list row ambiguous. */
export const DEFAULT_AMBIGUITY_MARGIN = 4;
/** Records between two progress reports. */
export const PROGRESS_EVERY = 4096;
