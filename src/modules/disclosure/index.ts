/**
 * What other modules may use from the disclosure module.
 *
 * `publishableTables(ctx, crisisId): Promise<PublishableTables>` — the figures of a crisis that
 * its disclosure rules allow to be made public today (the partners' HXL aggregate export, the
 * public page). The return value:
 *
 *   {
 *     crisisId, day: 'YYYY-MM-DD', computedAt: ISO time the day's counts were taken,
 *     rules: { minCount, roundingBase, bands: [{ key, from }], restricted },
 *     tables: PublishedTable[]   // in the order of the crisis's rules; `overall` first when
 *                                // restricted persons are counted in a protected overall total
 *   }
 *
 * A PublishedTable (`total`, `zone`, `intention`, `zone_intention`, `status`, `eligibility`,
 * `departed`, `on_list`, `overall`) has `rows` / `columns` (categories: `key`, `label`; zones use
 * their id as key and their name as label, `none` for people without a zone), `cells[r][c]`
 * (1-D tables: one column), `rowTotals` / `columnTotals` (2-D only) and `grandTotal`. Each cell is
 *
 *   { status: 'published', value: number | null, band: BandKey | null, style, low, high }
 *       value: the rounded count (null when the table is published as bands only; 0 is exact)
 *       band:  'few' | 'dozens' | 'hundreds' | 'thousands' | 'tensOfThousands' | 'hundredsOfThousands'
 *       low/high: the interval the figure allows (high null: no upper bound)
 *   { status: 'suppressed' }   // never a value, never a reason
 *
 * Use every published figure as it is (do not recompute totals from cells, do not fill hidden
 * cells by subtraction: the suppression pattern is what keeps small counts and restricted cases
 * secret). Counts are frozen once per UTC day; the result is cached for a minute.
 */

export { publishableTables } from './disclosure.service.js';
export type {
  Band,
  BandKey,
  BreakdownKey,
  DisclosureRules,
  PublishableTables,
  PublishedCategory,
  PublishedCell,
  PublishedTable,
} from './types.js';
