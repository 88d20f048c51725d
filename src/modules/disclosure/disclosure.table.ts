/** Tables of the disclosure module (portable column conventions: see src/db/schema.ts). */

export interface DisclosureRulesTable {
  crisis_id: string;
  min_count: number;
  rounding_base: number;
  /** JSON array of { key, from }. */
  bands: string;
  /** JSON array of { key, style }. */
  breakdowns: string;
  restricted: 'exclude' | 'total_only';
  /** JSON object { en, fr, ar }. */
  public_advice: string;
  version: number;
  updated_by: string | null;
  updated_at: string;
}

/**
 * The counts of one crisis frozen for one UTC day: internal (they hold exact small counts) and
 * never sent anywhere; public figures are derived from them under the rules in force.
 */
export interface DisclosureCountsTable {
  id: string;
  crisis_id: string;
  /** YYYY-MM-DD (UTC). */
  day: string;
  computed_at: string;
  /** JSON: FrozenCounts (see disclosure.repository.ts). */
  counts: string;
}

export interface DisclosureTables {
  disclosure_rules: DisclosureRulesTable;
  disclosure_counts: DisclosureCountsTable;
}
