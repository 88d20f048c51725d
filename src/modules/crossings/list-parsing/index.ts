import { extname } from 'node:path';
import { runPdfTable } from '../../../jobs/worker-jobs.js';
import { readCsvTable } from './list-csv.js';
import { type ListField, ListFormatError, mapListTable, type ParsedList } from './list-table.js';
import { readXlsxTable } from './list-xlsx.js';

export { type ApprovedListRow, type ListField, ListFormatError, type ParsedList } from './list-table.js';

export type ListFormat = 'csv' | 'xlsx' | 'pdf';

/** The format from the file's first bytes (magic numbers), falling back to its extension. */
export function detectListFormat(file: string, data: Uint8Array): ListFormat {
  const head = Buffer.from(data.subarray(0, 5)).toString('latin1');
  if (head === '%PDF-') return 'pdf';
  if (head.startsWith('PK\u0003\u0004')) return 'xlsx';
  const ext = extname(file).toLowerCase();
  if (ext === '.pdf' || ext === '.xlsx') {
    throw new ListFormatError(file, `the file does not look like a ${ext.slice(1).toUpperCase()} file`);
  }
  return 'csv';
}

/** Reads a published approved list (CSV, XLSX or text PDF) into rows for matching. */
export async function parseApprovedList(
  file: string,
  data: Uint8Array,
  options: { format?: ListFormat; columns?: Partial<Record<ListField, string>> } = {},
): Promise<ParsedList & { format: ListFormat }> {
  if (data.length === 0) throw new ListFormatError(file, 'the file is empty');
  const format = options.format ?? detectListFormat(file, data);
  const table =
    format === 'pdf'
      ? await runPdfTable(file, data)
      : format === 'xlsx'
        ? await readXlsxTable(file, data)
        : readCsvTable(file, data);
  return { ...mapListTable(file, table, options.columns), format };
}
