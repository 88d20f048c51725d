import { parse } from 'csv-parse/sync';
import type { PublishableTables, PublishedCategory, PublishedCell } from '../disclosure/types.js';
import { csvCell } from '../imports/person-export.service.js';

/**
 * HXL (Humanitarian Exchange Language, https://hxlstandard.org): a CSV whose second row tags every
 * column with a hashtag and optional attributes (`#affected+ind+total`). One hashtag spec: `#`, a
 * letter, then letters, digits or underscores; each attribute the same after a `+`. Whitespace is
 * allowed around the `+` by the standard.
 */
export const HXL_HASHTAG_SPEC = /^#[A-Za-z][A-Za-z0-9_]*(\s*\+\s*[A-Za-z][A-Za-z0-9_]*)*$/;

/** The columns of an aggregate package, in order: header text and HXL hashtag. */
export const HXL_COLUMNS = [
  ['Date', '#date+reported'],
  ['Crisis', '#crisis+name'],
  ['Table', '#meta+table'],
  ['Level', '#meta+level'],
  ['Zone', '#adm1+name'],
  ['Breakdown', '#indicator+type'],
  ['Category', '#indicator+category'],
  ['People', '#affected+ind+total'],
  ['Band', '#meta+band'],
  ['Figure', '#meta+status'],
] as const;

interface Dim {
  dimension: string;
  category: PublishedCategory;
}

function row(
  day: string,
  crisis: string,
  table: string,
  level: string,
  dims: Dim[],
  cell: PublishedCell,
): string[] {
  const zone = dims.find((d) => d.dimension === 'zone');
  const others = dims.filter((d) => d.dimension !== 'zone');
  // Band-style tables publish only the words ("hundreds"), never a number.
  const value =
    cell.status === 'published' && cell.style === 'rounded' && cell.value !== null ? String(cell.value) : '';
  return [
    day,
    crisis,
    table,
    level,
    zone?.category.label ?? '',
    others.map((d) => d.dimension).join('/'),
    others.map((d) => d.category.key).join('/'),
    value,
    cell.status === 'published' ? (cell.band ?? '') : '',
    // Never why a figure is hidden: "too small" would itself say the count is between 1 and k − 1.
    cell.status,
  ];
}

/**
 * The publishable tables (already through disclosure control) as long-format rows: every cell,
 * margin and total of the chosen tables. Suppressed figures appear as such, without a value.
 */
export function hxlRows(
  published: PublishableTables,
  crisisName: string,
  tableIds: readonly string[],
): string[][] {
  const wanted = new Set(tableIds);
  const out: string[][] = [];
  for (const t of published.tables) {
    if (!wanted.has(t.id)) continue;
    const r = (level: string, dims: Dim[], cell: PublishedCell): void => {
      out.push(row(published.day, crisisName, t.id, level, dims, cell));
    };
    const rowDim = (i: number): Dim[] =>
      t.rowDimension && t.rows[i] ? [{ dimension: t.rowDimension, category: t.rows[i] }] : [];
    const colDim = (j: number): Dim[] =>
      t.columnDimension && t.columns[j] ? [{ dimension: t.columnDimension, category: t.columns[j] }] : [];
    // A table without dimensions is its grand total alone.
    if (!t.rowDimension && !t.columnDimension) {
      r('total', [], t.grandTotal);
      continue;
    }
    t.cells.forEach((cells, i) => {
      cells.forEach((cell, j) => {
        r('cell', [...rowDim(i), ...colDim(j)], cell);
      });
    });
    for (const [i, cell] of (t.rowTotals ?? []).entries()) r('row_total', rowDim(i), cell);
    for (const [j, cell] of (t.columnTotals ?? []).entries()) r('column_total', colDim(j), cell);
    r('total', [], t.grandTotal);
  }
  return out;
}

/** The HXL CSV: header row, hashtag row, data rows (UTF-8 without BOM, CRLF). */
export function renderHxl(rows: readonly (readonly string[])[]): Buffer {
  const lines = [HXL_COLUMNS.map(([h]) => h), HXL_COLUMNS.map(([, tag]) => tag), ...rows];
  return Buffer.from(`${lines.map((l) => l.map(csvCell).join(',')).join('\r\n')}\r\n`, 'utf8');
}

export interface ParsedHxl {
  headers: string[];
  tags: string[];
  rows: string[][];
}

/**
 * Reads an HXL CSV the way HXL tools do: the hashtag row is the first row in which every non-empty
 * cell is a hashtag spec; rows above it are headers, rows below are data. Stricter than the
 * standard on purpose: every column must carry a tag, and every data row must have every column.
 */
export function parseHxl(input: Buffer | string): ParsedHxl {
  const records: string[][] = parse(typeof input === 'string' ? input : input.toString('utf8'), {
    bom: true,
    relax_column_count: true,
  });
  const tagIndex = records.findIndex(
    (r) =>
      r.some((c) => c.trim() !== '') && r.every((c) => c.trim() === '' || HXL_HASHTAG_SPEC.test(c.trim())),
  );
  if (tagIndex < 0) throw new Error('No HXL hashtag row.');
  const tags = records[tagIndex]!.map((c) => c.trim());
  const untagged = tags.flatMap((t, i) => (t === '' ? [i] : []));
  if (untagged.length > 0) throw new Error(`Columns without a hashtag: ${untagged.join(', ')}.`);
  const headers = tagIndex > 0 ? records[tagIndex - 1]! : [];
  if (headers.length > 0 && headers.length !== tags.length)
    throw new Error('The header row and the hashtag row differ in length.');
  const rows = records.slice(tagIndex + 1);
  const bad = rows.findIndex((r) => r.length !== tags.length);
  if (bad >= 0) throw new Error(`Data row ${bad + 1} has ${rows[bad]!.length} cells, not ${tags.length}.`);
  return { headers, tags, rows };
}
