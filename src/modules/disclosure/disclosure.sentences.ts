/**
 * Plain sentences for the spokesperson and the public page, built only from published cells:
 * "About 600 people want to leave.", "Hundreds of people are in Khan Younis." (en, fr, ar).
 */

import { type PortalLang, t } from '../../portal/i18n.js';
import type { PublishedCategory, PublishedCell, PublishedTable } from './types.js';

export interface Sentence {
  tableId: string;
  row: string | null;
  column: string | null;
  text: string;
}

/** "About 600 people" / "600 people" / "Hundreds of people", or null for a hidden or zero cell. */
export function amountOf(lang: PortalLang, cell: PublishedCell, roundingBase: number): string | null {
  if (cell.status !== 'published') return null;
  if (cell.value === 0) return null;
  if (cell.value === null) return cell.band ? t(lang, `status.amount.band.${cell.band}`) : null;
  return t(lang, roundingBase > 1 ? 'status.amount.about' : 'status.amount.exact', { n: cell.value });
}

/** How a cell reads in a table: "about 600", "hundreds", "0" or "not published". */
export function cellText(lang: PortalLang, cell: PublishedCell, roundingBase: number): string {
  if (cell.status !== 'published') return t(lang, 'status.suppressed');
  if (cell.value === null) return cell.band ? t(lang, `status.band.${cell.band}`) : '0';
  if (cell.value === 0 || roundingBase === 1) return String(cell.value);
  return t(lang, 'status.about', { n: cell.value });
}

/** The label of a category in the reader's language (zones keep their names). */
export function categoryLabel(
  lang: PortalLang,
  dimension: string | null,
  category: PublishedCategory,
): string {
  if (dimension === 'zone')
    return category.key === 'none' ? t(lang, 'status.values.zone.none') : category.label;
  return t(lang, `status.values.${dimension}.${category.key}`);
}

const capitalised = (text: string) => text.charAt(0).toLocaleUpperCase() + text.slice(1);

export function sentencesFor(
  lang: PortalLang,
  tables: readonly PublishedTable[],
  roundingBase: number,
): Sentence[] {
  const out: Sentence[] = [];
  const add = (
    table: PublishedTable,
    row: PublishedCategory | null,
    column: PublishedCategory | null,
    key: string,
    cell: PublishedCell,
    vars: Record<string, string> = {},
  ) => {
    const amount = amountOf(lang, cell, roundingBase);
    if (!amount) return;
    out.push({
      tableId: table.id,
      row: row?.key ?? null,
      column: column?.key ?? null,
      text: capitalised(t(lang, key, { amount, ...vars })),
    });
  };
  for (const table of tables) {
    switch (table.id) {
      case 'overall':
      case 'total':
        add(table, null, null, 'status.sentence.total', table.grandTotal);
        break;
      case 'zone':
        table.rows.forEach((r, i) => {
          add(table, r, null, 'status.sentence.zone', table.cells[i]![0]!, {
            zone: categoryLabel(lang, 'zone', r),
          });
        });
        break;
      case 'intention':
        table.rows.forEach((r, i) => {
          add(table, r, null, `status.sentence.intention.${r.key}`, table.cells[i]![0]!);
        });
        break;
      case 'zone_intention':
        table.rows.forEach((r, i) => {
          table.columns.forEach((c, j) => {
            add(table, r, c, `status.sentence.zoneIntention.${c.key}`, table.cells[i]![j]!, {
              zone: categoryLabel(lang, 'zone', r),
            });
          });
        });
        break;
      case 'status':
        table.rows.forEach((r, i) => {
          add(table, r, null, 'status.sentence.status', table.cells[i]![0]!, {
            status: categoryLabel(lang, 'status', r),
          });
        });
        break;
      case 'eligibility':
        table.rows.forEach((r, i) => {
          add(table, r, null, 'status.sentence.eligibility', table.cells[i]![0]!, {
            eligibility: categoryLabel(lang, 'eligibility', r),
          });
        });
        break;
      case 'departed':
        table.rows.forEach((r, i) => {
          if (r.key === 'departed') add(table, r, null, 'status.sentence.departed', table.cells[i]![0]!);
        });
        break;
      case 'on_list':
        table.rows.forEach((r, i) => {
          if (r.key === 'listed') add(table, r, null, 'status.sentence.listed', table.cells[i]![0]!);
        });
        break;
    }
  }
  return out;
}
