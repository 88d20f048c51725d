/**
 * Public API of the matching library: name normalisation, cross-script equivalence, blocking,
 * Fellegi–Sunter scoring with explanations, list matching and deduplication. Pure: no database,
 * no network, no clock.
 */
export { BlockIndex, blockingKeys } from './blocking.js';
export { clusterPairs, PairList } from './clustering.js';
export {
  CsvInputError,
  type CsvTable,
  formatCsv,
  parseCsv,
  readPeopleCsv,
  writeCsvAtomic,
} from './csv-io.js';
export { NameLexicon } from './lexicon.js';
export { matchList, type PreparedRegistry, prepareRegistry } from './list-matching.js';
export { compareRecords, type DedupeResult, dedupe } from './matching.js';
export { compareUnits, UNIT_CLOSE, UNIT_EQUIVALENT, UNIT_EXACT, UNIT_NONE } from './name-compare.js';
export { lookupNameCanons, NAME_ENTRIES, type NameEntry, type NameKind } from './name-equivalents.js';
export { foldArabic } from './normalise-arabic.js';
export { foldLatin } from './normalise-latin.js';
export { foldName, normaliseName } from './normalise-name.js';
export { arabicSkeleton, phoneticSkeleton } from './phonetic.js';
export {
  normaliseDocumentNumber,
  normalisePhone,
  type PreparedRecords,
  type PrepareOptions,
  parseDateOfBirth,
  parseSex,
  prepareRecords,
} from './prepare.js';
export { romaniseArabic } from './romanise.js';
export {
  compareDates,
  explainPair,
  FIELD_WEIGHTS,
  hardConflict,
  ScoringModel,
  scorePair,
} from './scoring.js';
export { jaroWinkler } from './string-similarity.js';
export {
  DEFAULT_THRESHOLDS,
  type Decision,
  type DedupeOptions,
  type FieldExplanation,
  type FieldLevel,
  type ListCandidate,
  type MatchingOptions,
  type MatchListOptions,
  type NameRecord,
  type ScoreExplanation,
  type Thresholds,
} from './types.js';
