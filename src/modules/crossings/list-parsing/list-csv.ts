import { parse } from 'csv-parse/sync';
import { ListFormatError, type RawTable } from './list-table.js';

/**
 * Decodes a text file: UTF-8 (with or without BOM) or UTF-16 with a BOM, as spreadsheet
 * programs export. Anything else is refused with a hint rather than read as mojibake.
 */
export function decodeText(file: string, data: Uint8Array): string {
  if (data[0] === 0xff && data[1] === 0xfe) return new TextDecoder('utf-16le').decode(data.subarray(2));
  if (data[0] === 0xfe && data[1] === 0xff) return new TextDecoder('utf-16be').decode(data.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(data);
  } catch {
    throw new ListFormatError(file, 'the file is not UTF-8 text (save it as "CSV UTF-8" and try again)');
  }
}

function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![1] > 0 ? counts[0]![0] : ',';
}

/** Reads a CSV (comma, semicolon or tab separated) into a raw table; the first row is the header. */
export function readCsvTable(file: string, data: Uint8Array): RawTable {
  const text = decodeText(file, data).replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new ListFormatError(file, 'the file is empty');
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: detectDelimiter(text),
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: 64 * 1024,
    }) as string[][];
  } catch (error) {
    const e = error as { lines?: number; message?: string };
    throw new ListFormatError(
      file,
      `not valid CSV (${e.message ?? 'parse error'})`,
      e.lines ? `line ${e.lines}` : undefined,
    );
  }
  const [headers, ...body] = records;
  if (!headers) throw new ListFormatError(file, 'the file has no header row');
  return {
    headers: headers.map((h) => h.trim()),
    rows: body.map((cells, i) => ({ ref: `row ${i + 2}`, cells })),
  };
}
