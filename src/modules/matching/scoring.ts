/**
 * Fellegi–Sunter scoring: each field is compared at a level, each level carries a weight
 * log2(m/u) in bits (m: chance of that level for two records of one person, u: for two different
 * people), and the weights add up. Name parts get frequency weights estimated from the data, so
 * agreeing on "Mohammed" says little and agreeing on a rare family name says a lot.
 */
import type { NameLexicon } from './lexicon.js';
import { compareChains, compareUnits, UNIT_CLOSE, UNIT_EQUIVALENT, UNIT_EXACT } from './name-compare.js';
import type { PreparedRecords } from './prepare.js';
import { boundedEditDistance } from './string-similarity.js';
import {
  DEFAULT_THRESHOLDS,
  type Decision,
  type FieldExplanation,
  type FieldLevel,
  type ScoreExplanation,
  type Thresholds,
} from './types.js';

/** Field weights in bits. m/u reasoning for each is in docs/matching.md. */
export const FIELD_WEIGHTS = {
  dobExact: 10,
  dobYear: 4,
  dobNear: 2.5,
  dobDifferentSameYear: -4,
  dobDifferent: -8,
  passportAgree: 18,
  passportNear: 5,
  passportDisagree: -10,
  /** Different passports of different nationalities: dual nationals hold two. */
  passportDisagreeOtherNationality: -2,
  sexAgree: 0.8,
  sexDisagree: -8,
  /** Phones are shared by whole families: weak evidence either way. */
  phoneAgree: 1.5,
  phoneDisagree: -0.3,
  /**
   * Most a shared phone can weigh when the given names meet as well (see
   * {@link householdPhoneWeight}): a household rarely holds two people of one name.
   */
  phoneAgreeSameNameMax: 10,
} as const;

/** m of a phone for two registrations of one person that both give a phone, before the data says otherwise. */
const PHONE_M = 0.9;
/**
 * Most a phone disagreement can count against a pair, however rarely registrations of one
 * person give different phones: no more than a date of birth that differs within the year.
 */
const PHONE_DISAGREE_FLOOR = -4;
/** Anchor pairs needed before the phone's m is taken from the data. */
const MIN_PHONE_ANCHORS = 30;
/**
 * Expected registrations of another member of the same household who bears the same given and
 * family name (a son named after his father, mostly): about one household in ten has such a
 * namesake, and a person has about 1.6 registrations.
 */
const HOUSEHOLD_NAMESAKES = 0.16;

/** m of an exact date of birth: day and month swapped, typos and guessed dates make it miss. */
const DOB_M = 0.95;
/**
 * Prior share of one full date before the data says otherwise: 1 in 1,000 (10 bits), far more
 * than a uniform spread of dates, because real registries clump (1 January for unknown days).
 */
const DOB_PRIOR_SHARE = 0.001;
/** Most one field value can weigh (as a rare family name). */
const MAX_VALUE_WEIGHT = 13;

/** Population size the thresholds are calibrated for; larger ones pay {@link ScoringModel.populationPenalty}. */
export const REFERENCE_POPULATION = 100_000;

/** m for name parts: chance a true pair agrees on a part it both records. */
const NAME_M = 0.95;
/** Pseudo-count of the table prior when estimating part frequencies from the data. */
const PRIOR_STRENGTH = 500;
/** Prior share of a given + family name combination before the data says otherwise. */
const PAIR_PRIOR_SHARE = 0.0001;
/** Prior share of a skeleton: skeletons are coarse, so even an unseen one is not rare. */
const SKELETON_PRIOR = 0.005;

/** Weights and thresholds for one matching run, derived from the lexicon's frequencies. */
export class ScoringModel {
  readonly thresholds: Thresholds;
  /**
   * Bits taken off every score for the size of the population searched: among twice as many
   * people, twice as many share a name by chance, so the same evidence is worth one bit less.
   * Zero up to {@link REFERENCE_POPULATION} records, so thresholds keep their meaning there.
   */
  readonly populationPenalty: number;
  private readonly canonWeight: Float64Array;
  private readonly skeletonWeights: Float64Array;
  /** m of phone agreement (see {@link estimatePhoneAgreement}). */
  phoneM = PHONE_M;
  /** Weight of two different phones (see {@link estimatePhoneAgreement}). */
  phoneDisagreeWeight: number = FIELD_WEIGHTS.phoneDisagree;

  /**
   * @param partPairCount number of records (in the set matched against) holding both of two
   *   canonical name parts. Given, the name weight of a two-part name is capped by how common
   *   that combination really is: frequencies of single parts multiply as if independent, but
   *   families reuse names, so "Maryam Nassar" is far more common than P(Maryam) x P(Nassar).
   */
  constructor(
    readonly lexicon: NameLexicon,
    thresholds: Partial<Thresholds> = {},
    readonly partPairCount?: (canonA: number, canonB: number) => number,
    readonly population = lexicon.recordCount,
    /**
     * Number of records holding a first and a last name part of two skeletons: how many bear a
     * given + family name whatever its spelling (see {@link householdPhoneWeight}).
     */
    readonly skeletonPairCount?: (skeletonA: number, skeletonB: number) => number,
  ) {
    this.thresholds = { ...DEFAULT_THRESHOLDS, ...thresholds };
    this.populationPenalty = Math.max(0, Math.log2(Math.max(1, population) / REFERENCE_POPULATION));
    const total = lexicon.recordCount;
    this.canonWeight = new Float64Array(lexicon.canonName.length);
    for (let c = 0; c < this.canonWeight.length; c++) this.canonWeight[c] = this.computeCanonWeight(c, total);
    this.skeletonWeights = new Float64Array(lexicon.skeleton.length);
    for (let k = 0; k < this.skeletonWeights.length; k++)
      this.skeletonWeights[k] = this.computeSkeletonWeight(k, total);
  }

  private computeSkeletonWeight(skeleton: number, total: number): number {
    // No table prior for skeletons: a default share, corrected by the data as it grows.
    const count = this.lexicon.skeletonRecordCount[skeleton] ?? 0;
    const share = (count + PRIOR_STRENGTH * SKELETON_PRIOR) / (total + PRIOR_STRENGTH);
    return Math.min(13, Math.max(0.5, Math.log2(NAME_M / share)));
  }

  /** Agreement weight of a unit's phonetic skeleton. */
  readonly skeletonWeight = (unit: number): number => {
    const skeleton = this.lexicon.skeletonId[unit] ?? 0;
    const cached = this.skeletonWeights[skeleton];
    if (cached !== undefined && !Number.isNaN(cached)) return cached;
    const weight = this.computeSkeletonWeight(skeleton, this.lexicon.recordCount);
    if (skeleton < this.skeletonWeights.length) this.skeletonWeights[skeleton] = weight;
    return weight;
  };

  private computeCanonWeight(canon: number, total: number): number {
    const count = this.lexicon.canonRecordCount[canon] ?? 0;
    const share = (count + PRIOR_STRENGTH * this.lexicon.priorShare(canon)) / (total + PRIOR_STRENGTH);
    return Math.min(13, Math.max(0.5, Math.log2(NAME_M / share)));
  }

  /** Agreement weight of a name unit (by its primary canonical name). */
  readonly unitWeight = (unit: number): number => {
    const canon = this.lexicon.canon[unit] ?? 0;
    const cached = this.canonWeight[canon];
    if (cached !== undefined && !Number.isNaN(cached)) return cached;
    const weight = this.computeCanonWeight(canon, this.lexicon.recordCount);
    if (canon < this.canonWeight.length) this.canonWeight[canon] = weight;
    return weight;
  };

  /**
   * Takes the phone's m from the data: among `anchors` pairs known to be one person (same
   * document number and the given names meet) that both give a phone, `differing` give different
   * ones. u of a disagreement is close to 1 (two people rarely share a phone outside a
   * household), so the disagreement weighs log2(m), between {@link PHONE_DISAGREE_FLOOR} and the
   * default; too few anchors leave the defaults.
   */
  estimatePhoneAgreement(anchors: number, differing: number): void {
    if (anchors < MIN_PHONE_ANCHORS) return;
    const mDiffer = (differing + 1) / (anchors + 2);
    this.phoneM = Math.min(0.99, 1 - mDiffer);
    this.phoneDisagreeWeight = Math.min(
      FIELD_WEIGHTS.phoneDisagree,
      Math.max(PHONE_DISAGREE_FLOOR, Math.log2(mDiffer)),
    );
  }

  /**
   * Weight of two records agreeing on the full date `dob`: log2(m / u) with u the share of
   * records born that day in the data (smoothed by {@link DOB_PRIOR_SHARE}), so a date many
   * records carry (a default, a clerk's placeholder) weighs less than an ordinary one. The two
   * records compared are not counted: in a tiny registry they would make any date look common.
   */
  dobExactWeight(dob: number): number {
    const count = Math.max(0, (this.lexicon.dobRecordCount.get(dob) ?? 0) - 2);
    const share = (count + PRIOR_STRENGTH * DOB_PRIOR_SHARE) / (this.lexicon.recordCount + PRIOR_STRENGTH);
    return Math.min(MAX_VALUE_WEIGHT, Math.max(FIELD_WEIGHTS.dobYear, Math.log2(DOB_M / share)));
  }

  /** Decision band of a score. */
  decide(score: number): Decision {
    if (score >= this.thresholds.match) return 'match';
    if (score >= this.thresholds.review) return 'review';
    return 'non-match';
  }
}

function yearOf(dob: number): number {
  return Math.floor(dob / 10000);
}

/** Date-of-birth level and weight (dates as yyyymmdd / yyyy0000 / 0). */
export function compareDates(a: number, b: number): [FieldLevel, number] {
  if (a === 0 || b === 0) return ['missing', 0];
  const ya = yearOf(a);
  const yb = yearOf(b);
  const yearGap = Math.abs(ya - yb);
  const fullA = a % 10000 !== 0;
  const fullB = b % 10000 !== 0;
  if (fullA && fullB) {
    if (a === b) return ['exact', FIELD_WEIGHTS.dobExact];
    const ma = Math.floor(a / 100) % 100;
    const da = a % 100;
    const mb = Math.floor(b / 100) % 100;
    const db = b % 100;
    const swapped = ya === yb && ma === db && da === mb;
    const oneTypo = (ya === yb ? 0 : 1) + (ma === mb ? 0 : 1) + (da === db ? 0 : 1) === 1 && yearGap <= 1;
    if (swapped || oneTypo) return ['near', FIELD_WEIGHTS.dobNear];
    return ya === yb
      ? ['different', FIELD_WEIGHTS.dobDifferentSameYear]
      : ['different', FIELD_WEIGHTS.dobDifferent];
  }
  if (yearGap === 0) return ['year', FIELD_WEIGHTS.dobYear];
  if (yearGap === 1) return ['near', 0];
  return ['different', FIELD_WEIGHTS.dobDifferent];
}

function comparePassports(
  textA: string,
  textB: string,
  nationalityA: number,
  nationalityB: number,
): [FieldLevel, number] {
  if (textA.length === 0 || textB.length === 0) return ['missing', 0];
  if (textA === textB) return ['agree', FIELD_WEIGHTS.passportAgree];
  if (textA.length >= 6 && boundedEditDistance(textA, textB, 1) <= 1)
    return ['near', FIELD_WEIGHTS.passportNear];
  if (nationalityA >= 0 && nationalityB >= 0 && nationalityA !== nationalityB) {
    return ['disagree', FIELD_WEIGHTS.passportDisagreeOtherNationality];
  }
  return ['disagree', FIELD_WEIGHTS.passportDisagree];
}

/**
 * True when two records cannot be one person whatever their names say: different passports
 * (of one nationality), different sexes, or clearly different dates of birth. Clustering never
 * puts such records in one cluster, even through a chain of good matches.
 */
export function hardConflict(a: PreparedRecords, i: number, b: PreparedRecords, j: number): boolean {
  const sa = a.sex[i] ?? 0;
  const sb = b.sex[j] ?? 0;
  if (sa !== 0 && sb !== 0 && sa !== sb) return true;
  const [dobLevel, dobWeight] = compareDates(a.dob[i] ?? 0, b.dob[j] ?? 0);
  if (dobLevel === 'different' && dobWeight <= FIELD_WEIGHTS.dobDifferent) return true;
  const [passportLevel, passportWeight] = comparePassports(
    a.passportText[i] ?? '',
    b.passportText[j] ?? '',
    a.nationality[i] ?? -1,
    b.nationality[j] ?? -1,
  );
  return passportLevel === 'disagree' && passportWeight <= FIELD_WEIGHTS.passportDisagree;
}

/**
 * Scores record i of `a` against record j of `b` (both prepared with `model.lexicon`). With
 * `fields` given, pushes one explanation per field into it.
 */
export function scorePair(
  model: ScoringModel,
  a: PreparedRecords,
  i: number,
  b: PreparedRecords,
  j: number,
  fields?: FieldExplanation[],
): number {
  const lexicon = model.lexicon;
  const name = compareChains(
    lexicon,
    a.units,
    a.unitStart[i] ?? 0,
    a.unitStart[i + 1] ?? 0,
    b.units,
    b.unitStart[j] ?? 0,
    b.unitStart[j + 1] ?? 0,
    model,
    fields !== undefined,
  );
  let nameWeight = name.weight;
  if (model.partPairCount !== undefined && nameWeight > 0) {
    nameWeight = Math.min(nameWeight, jointNameCap(model, a, i, b, j));
  }
  const [dobLevel, dobLevelWeight] = compareDates(a.dob[i] ?? 0, b.dob[j] ?? 0);
  const dobWeight = dobLevel === 'exact' ? model.dobExactWeight(a.dob[i] ?? 0) : dobLevelWeight;
  const [passportLevel, passportWeight] = comparePassports(
    a.passportText[i] ?? '',
    b.passportText[j] ?? '',
    a.nationality[i] ?? -1,
    b.nationality[j] ?? -1,
  );
  const sa = a.sex[i] ?? 0;
  const sb = b.sex[j] ?? 0;
  const sexLevel: FieldLevel = sa === 0 || sb === 0 ? 'missing' : sa === sb ? 'agree' : 'disagree';
  const sexWeight =
    sexLevel === 'agree' ? FIELD_WEIGHTS.sexAgree : sexLevel === 'disagree' ? FIELD_WEIGHTS.sexDisagree : 0;
  const pha = a.phone[i] ?? -1;
  const phb = b.phone[j] ?? -1;
  const phoneLevel: FieldLevel = pha < 0 || phb < 0 ? 'missing' : pha === phb ? 'agree' : 'disagree';
  const phoneWeight =
    phoneLevel === 'agree'
      ? name.givenMet
        ? householdPhoneWeight(model, a, i, b, j)
        : FIELD_WEIGHTS.phoneAgree
      : phoneLevel === 'disagree'
        ? model.phoneDisagreeWeight
        : 0;
  if (fields !== undefined) {
    fields.push({
      field: 'name',
      level: name.level,
      weight: round2(name.weight),
      detail: describePairs(model, a, i, b, j, name.pairs),
    });
    fields.push({ field: 'dateOfBirth', level: dobLevel, weight: dobWeight });
    fields.push({ field: 'passportNumber', level: passportLevel, weight: passportWeight });
    fields.push({ field: 'sex', level: sexLevel, weight: sexWeight });
    fields.push({ field: 'phone', level: phoneLevel, weight: phoneWeight });
  }
  return nameWeight + dobWeight + passportWeight + sexWeight + phoneWeight - model.populationPenalty;
}

/**
 * Weight of a shared phone when the given names meet too. Alone, a shared phone says little:
 * families share one. But among the H records that bear this given and family name, another
 * person sharing the phone must be a namesake in the same household, which is rare; so
 * u = HOUSEHOLD_NAMESAKES / H and the weight is log2(m x H / HOUSEHOLD_NAMESAKES), at least
 * the plain weight and at most {@link FIELD_WEIGHTS.phoneAgreeSameNameMax}. H is measured on the
 * data being matched, in all spellings when the skeleton count is given; of the two records'
 * counts the larger (a rare spelling of a common name still bears the common name).
 */
function householdPhoneWeight(
  model: ScoringModel,
  a: PreparedRecords,
  i: number,
  b: PreparedRecords,
  j: number,
): number {
  if (model.partPairCount === undefined) return FIELD_WEIGHTS.phoneAgree;
  const holders = Math.max(givenFamilyHolders(model, a, i), givenFamilyHolders(model, b, j));
  const weight = Math.log2((model.phoneM * holders) / HOUSEHOLD_NAMESAKES);
  return Math.min(FIELD_WEIGHTS.phoneAgreeSameNameMax, Math.max(FIELD_WEIGHTS.phoneAgree, weight));
}

/**
 * Records of the data bearing the given and family name of record i: by skeletons when the count
 * is available (all spellings, both scripts), else by canonical names.
 */
function givenFamilyHolders(model: ScoringModel, records: PreparedRecords, i: number): number {
  const from = records.unitStart[i] ?? 0;
  const to = records.unitStart[i + 1] ?? 0;
  if (to - from < 2) return 1;
  const lexicon = model.lexicon;
  const first = records.units[from] ?? 0;
  const last = records.units[to - 1] ?? 0;
  const count =
    model.skeletonPairCount !== undefined
      ? model.skeletonPairCount(lexicon.skeletonId[first] ?? 0, lexicon.skeletonId[last] ?? 0)
      : (model.partPairCount?.(lexicon.canon[first] ?? 0, lexicon.canon[last] ?? 0) ?? 1);
  return Math.max(1, count);
}

/**
 * Most a two-part name ("Given Family") can weigh: log2 of how many records would share that
 * combination by chance, measured on the data rather than multiplied from single-part shares.
 * Longer chains are not capped: father and grandfather names separate cousins well.
 */
function jointNameCap(
  model: ScoringModel,
  a: PreparedRecords,
  i: number,
  b: PreparedRecords,
  j: number,
): number {
  const lengthA = (a.unitStart[i + 1] ?? 0) - (a.unitStart[i] ?? 0);
  const lengthB = (b.unitStart[j + 1] ?? 0) - (b.unitStart[j] ?? 0);
  const [short, k, length] = lengthA <= lengthB ? [a, i, lengthA] : [b, j, lengthB];
  if (length !== 2) return Number.POSITIVE_INFINITY;
  const from = short.unitStart[k] ?? 0;
  const lexicon = model.lexicon;
  const given = lexicon.canon[short.units[from] ?? 0] ?? 0;
  const family = lexicon.canon[short.units[from + 1] ?? 0] ?? 0;
  // The same name in other spellings and scripts counts too ("فاطمه الفاته", "Fatma El-Fatih").
  const holders = Math.max(1, model.partPairCount?.(given, family) ?? 1, givenFamilyHolders(model, short, k));
  // Smoothed like single parts: in a small registry one holder out of three says nothing about
  // how common the combination is, so the data only takes over as the population grows.
  const share =
    (holders + PRIOR_STRENGTH * PAIR_PRIOR_SHARE) / (Math.max(2, model.population) + PRIOR_STRENGTH);
  return Math.log2(NAME_M / share);
}

const LEVEL_NAMES: Record<number, string> = {
  [UNIT_EXACT]: 'exact',
  [UNIT_EQUIVALENT]: 'equivalent',
  [UNIT_CLOSE]: 'close',
};

function describePairs(
  model: ScoringModel,
  a: PreparedRecords,
  i: number,
  b: PreparedRecords,
  j: number,
  pairs: readonly number[],
): string {
  const lexicon = model.lexicon;
  const parts: string[] = [];
  for (let k = pairs.length - 2; k >= 0; k -= 2) {
    const ua = a.units[(a.unitStart[i] ?? 0) + (pairs[k] ?? 0)] ?? 0;
    const ub = b.units[(b.unitStart[j] ?? 0) + (pairs[k + 1] ?? 0)] ?? 0;
    const level = LEVEL_NAMES[compareUnits(lexicon, ua, ub)] ?? 'none';
    parts.push(
      `${lexicon.describeUnit(ua)} ~ ${lexicon.describeUnit(ub)} (${level}, ${round2(model.unitWeight(ua))} bits)`,
    );
  }
  return parts.join('; ');
}

/** Full explanation of a pair: score, decision and per-field evidence. */
export function explainPair(
  model: ScoringModel,
  a: PreparedRecords,
  i: number,
  b: PreparedRecords,
  j: number,
): ScoreExplanation {
  const fields: FieldExplanation[] = [];
  const score = round2(scorePair(model, a, i, b, j, fields));
  return { score, decision: model.decide(score), fields, populationPenalty: round2(model.populationPenalty) };
}

/** Rounds to two decimals (scores are shown and written to CSV). */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
