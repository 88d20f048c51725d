/**
 * Types of the disclosure module: the rules of a crisis and the published tables they produce.
 * Shared by the pure library (protect.ts), the service, the API, the portal and other modules.
 */

export const BAND_KEYS = [
  'few',
  'dozens',
  'hundreds',
  'thousands',
  'tensOfThousands',
  'hundredsOfThousands',
] as const;
export type BandKey = (typeof BAND_KEYS)[number];

/** A verbal band: every value from `from` up to the next band's `from` − 1 reads as `key`. */
export interface Band {
  key: BandKey;
  from: number;
}

/** The breakdowns a crisis may publish (each is one table of the registry's population). */
export const BREAKDOWNS = [
  'total',
  'zone',
  'intention',
  'zone_intention',
  'status',
  'eligibility',
  'departed',
  'on_list',
] as const;
export type BreakdownKey = (typeof BREAKDOWNS)[number];

/** How a published count reads: a number rounded to the base, or a verbal band only. */
export type FigureStyle = 'rounded' | 'band';

/** Restricted (hostage, missing) persons: left out entirely, or counted only in a protected overall total. */
export type RestrictedTreatment = 'exclude' | 'total_only';

export interface DisclosureRules {
  /** Counts from 1 to minCount − 1 are never published (threshold rule, k). */
  minCount: number;
  /** Published numbers are rounded to the nearest multiple (ties up); 1 publishes exact numbers ≥ k. */
  roundingBase: number;
  /** Ascending verbal bands (first `from` ≥ 1). */
  bands: Band[];
  /** The breakdowns that may be published, each with its style. Absent ones are not published. */
  breakdowns: { key: BreakdownKey; style: FigureStyle }[];
  restricted: RestrictedTreatment;
  /** General advice for the public status page, per language (may be empty). */
  publicAdvice: { en: string; fr: string; ar: string };
}

/** Why a figure is not published. */
export type SuppressionReason =
  /** Its count is between 1 and k − 1 (primary suppression). */
  | 'small'
  /** Hidden so that a small count cannot be recovered from the others (complementary suppression). */
  | 'complement'
  /** The overall total without restricted persons, hidden so that their number cannot be derived. */
  | 'restricted';

/** One published figure (a cell, a margin or a total) of a published table. */
export type PublishedCell =
  | {
      status: 'published';
      /** The rounded number (0 is published exactly); null when the figure is published as a band only. */
      value: number | null;
      /** The verbal band (null for 0). */
      band: BandKey | null;
      style: FigureStyle;
      /** What an attacker knows from this figure: the true count lies in [low, high] (high null = no upper bound). */
      low: number;
      high: number | null;
    }
  | {
      status: 'suppressed';
      /** Only in the analyst view: the public never learns why (a "small" reason would say 1..k−1). */
      reason?: SuppressionReason;
    };

/** A category on an axis: a value of the dimension, or a group of values (hierarchical tables). */
export interface PublishedCategory {
  key: string;
  /** Human label (zone name, or the key of a fixed vocabulary: intention, status, eligibility). */
  label: string;
  /** Set for group rows (e.g. "departed" = departed + arrived). */
  members?: string[];
}

export interface PublishedTable {
  /** The breakdown key (`total`, `zone`, `zone_intention`, …) or `overall` (total with restricted persons). */
  id: string;
  /** Dimension of the rows (`zone`, `intention`, …); null for a single total. */
  rowDimension: string | null;
  columnDimension: string | null;
  style: FigureStyle;
  rows: PublishedCategory[];
  columns: PublishedCategory[];
  /** cells[r][c]; a 1-D table has one column. */
  cells: PublishedCell[][];
  /** Row margins (2-D tables), one per row. */
  rowTotals: PublishedCell[] | null;
  /** Column margins (2-D tables), one per column. */
  columnTotals: PublishedCell[] | null;
  grandTotal: PublishedCell;
}

/**
 * The result of `publishableTables(ctx, crisisId)`: what the crisis's rules allow to be made public,
 * computed from the day's frozen counts. Hidden values are never part of it.
 */
export interface PublishableTables {
  crisisId: string;
  /** When the counts were taken from the registry (ISO-8601 UTC). */
  computedAt: string;
  /** The UTC day of the publication (counts are frozen once per day). */
  day: string;
  /** The rules in force when the tables were derived (public parts only). */
  rules: { minCount: number; roundingBase: number; bands: Band[]; restricted: RestrictedTreatment };
  tables: PublishedTable[];
}
