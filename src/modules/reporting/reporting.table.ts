/** Tables of the reporting module (portable column conventions: see src/db/schema.ts). */

/** One row per crisis and day whose snapshot was taken: the first taker wins, so a day is taken once. */
export interface ReportSnapshotDayTable {
  crisis_id: string;
  /** YYYY-MM-DD (UTC). */
  day: string;
  taken_at: string;
  taken_by: string | null;
  row_count: number;
}

/** One figure of a day: `metric` (e.g. `persons`, `seats`) broken down by `dimension` (a key). */
export interface ReportSnapshotTable {
  crisis_id: string;
  day: string;
  metric: string;
  dimension: string;
  value: number;
}

/** A day's situation report: narrative, the figures it was built from (frozen), and PDF digests. */
export interface SituationReportTable {
  id: string;
  crisis_id: string;
  day: string;
  narrative: string;
  /** JSON: the report's figures and 14-day trend, frozen when the report was first archived. */
  figures: string;
  /** JSON: { [lang]: { sha256, at } } of the last PDF produced per language. */
  pdf_digests: string;
  version: number;
  created_by: string | null;
  updated_by: string | null;
  created_at: string;
  updated_at: string;
}

/**
 * Counters kept by database triggers (migration 0013): each change of a source row appends +1 / -1
 * for its cell; the worker folds them into one row per cell. A cell's count is the sum of `n`.
 */
export interface ReportPersonCountTable {
  crisis_id: string;
  /** Empty string for persons without a zone. */
  zone_id: string;
  intention: string;
  status: string;
  eligibility: string;
  n: number;
}
export interface ReportSeatCountTable {
  crisis_id: string;
  /** The person's zone ('' without a person or a zone). */
  zone_id: string;
  leg_id: string;
  status: string;
  n: number;
}
export interface ReportCaseCountTable {
  crisis_id: string;
  /** The person's zone ('' without a person or a zone). */
  zone_id: string;
  state: string;
  n: number;
}
export interface ReportMessageCountTable {
  crisis_id: string;
  /** The person's zone ('' without a person or a zone). */
  zone_id: string;
  /** The UTC day the message was queued. */
  day: string;
  status: string;
  n: number;
}

export interface ReportingTables {
  report_person_counts: ReportPersonCountTable;
  report_seat_counts: ReportSeatCountTable;
  report_case_counts: ReportCaseCountTable;
  report_message_counts: ReportMessageCountTable;
  report_snapshot_days: ReportSnapshotDayTable;
  report_snapshots: ReportSnapshotTable;
  situation_reports: SituationReportTable;
}
