/** Public types of the matching library. */

/** One person as written in a registry or on a list. Only `id` and `fullName` are required. */
export interface NameRecord {
  id: string;
  /** The name as one string, in Arabic or Latin script; "FAMILY, Given" order is understood. */
  fullName: string;
  givenName?: string;
  fatherName?: string;
  grandfatherName?: string;
  familyName?: string;
  /** `YYYY-MM-DD`, or `YYYY` when only the year is known. */
  dateOfBirth?: string;
  passportNumber?: string;
  /** `M`/`F` (also male/female, ذكر/أنثى); anything else is treated as unknown. */
  sex?: string;
  nationality?: string;
  phone?: string;
}

/** The three decision bands. */
export type Decision = 'match' | 'review' | 'non-match';

/** Comparison level of one field, as shown to a reviewer. */
export type FieldLevel =
  | 'exact'
  | 'equivalent'
  | 'close'
  | 'subset'
  | 'reordered'
  | 'partial'
  | 'different'
  | 'year'
  | 'near'
  | 'agree'
  | 'disagree'
  | 'missing';

/** How one field contributed to a score. */
export interface FieldExplanation {
  field: 'name' | 'dateOfBirth' | 'passportNumber' | 'sex' | 'phone';
  level: FieldLevel;
  /** Weight in bits (log2 of the likelihood ratio); positive is evidence for a match. */
  weight: number;
  /** Short human-readable detail, e.g. the aligned name parts. */
  detail?: string;
}

/** A scored comparison with the evidence behind it. */
export interface ScoreExplanation {
  /** Sum of the field weights minus `populationPenalty`. */
  score: number;
  decision: Decision;
  fields: FieldExplanation[];
  /** Bits taken off for the size of the population searched (0 up to 100,000 records). */
  populationPenalty: number;
}

/** Thresholds of the decision bands, in bits. */
export interface Thresholds {
  /** Score at or above which a pair is a match. */
  match: number;
  /** Score at or above which a pair is worth a human look. */
  review: number;
}

/** Options shared by list matching and deduplication. */
export interface MatchingOptions {
  thresholds?: Partial<Thresholds>;
  /** Blocks (records sharing a key) larger than this are skipped as too common. Default 30. */
  maxBlockSize?: number;
  /** Called now and then with work done and work total (for progress bars). */
  onProgress?: (done: number, total: number) => void;
}

/** Options of {@link matchList}. */
export interface MatchListOptions extends MatchingOptions {
  /** Candidates kept per list row, best first. Default 5. */
  maxCandidates?: number;
}

/** Options of {@link dedupe}. */
export interface DedupeOptions extends MatchingOptions {
  /** No cluster grows beyond this many records. Default 25. */
  maxClusterSize?: number;
}

/** One candidate for a list row. */
export interface ListCandidate {
  listId: string;
  registryId: string;
  score: number;
  decision: Exclude<Decision, 'non-match'>;
}

/** Default decision thresholds, tuned on the synthetic benchmark (see docs/matching.md). */
export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = { match: 14, review: 7 };
