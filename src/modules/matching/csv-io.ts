/**
 * CSV input and output for the matching commands. Input is checked strictly and every error names
 * the file, the line and the column, because the people feeding these files are working under
 * pressure from lists produced by others; output is written to a temporary file and renamed so a
 * failed run never leaves a half-written file that looks complete.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type CsvError, parse } from 'csv-parse/sync';
import type { NameRecord } from './types.js';

/** Longest accepted cell, in characters: far above any name, far below a pasted document. */
export const MAX_CELL_LENGTH = 4096;

/** An input problem, located. `line` is 1-based (the header is line 1); 0 when not line-specific. */
export class CsvInputError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: string | undefined,
    readonly problem: string,
  ) {
    super(
      `${file}${line > 0 ? `, line ${line}` : ''}${column !== undefined ? `, column ${column}` : ''}: ${problem}`,
    );
    this.name = 'CsvInputError';
  }
}

/** A parsed table: lower-cased header names and rows of cells, with each row's line number. */
export interface CsvTable {
  header: string[];
  rows: string[][];
  lines: number[];
}

/** Byte offset of the first invalid UTF-8 sequence, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    let extra: number;
    if (b < 0x80) extra = 0;
    else if (b >= 0xc2 && b <= 0xdf) extra = 1;
    else if (b >= 0xe0 && b <= 0xef) extra = 2;
    else if (b >= 0xf0 && b <= 0xf4) extra = 3;
    else return i;
    for (let k = 1; k <= extra; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += extra + 1;
  }
  return -1;
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/**
 * Decodes CSV bytes as UTF-8: rejects UTF-16 (by its byte-order mark) and invalid UTF-8 with the
 * line of the first bad byte; strips a UTF-8 byte-order mark.
 */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new CsvInputError(file, 0, undefined, 'the file is UTF-16; save it as UTF-8 (CSV UTF-8)');
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    const offset = Math.max(0, firstInvalidUtf8(bytes));
    throw new CsvInputError(
      file,
      lineAt(bytes, offset),
      undefined,
      `invalid UTF-8 at byte ${offset}; save the file as UTF-8`,
    );
  }
}

/** Parses CSV text (header first). Throws {@link CsvInputError} on malformed CSV. */
export function parseCsv(text: string, file: string): CsvTable {
  const rows: string[][] = [];
  const lines: number[] = [];
  let header: string[] | undefined;
  try {
    parse(text, {
      max_record_size: MAX_CELL_LENGTH * 64,
      skip_empty_lines: true,
      on_record: (record: string[], context: { lines: number }) => {
        if (header === undefined) header = record.map((cell) => cell.trim().toLowerCase());
        else {
          rows.push(record);
          lines.push(context.lines);
        }
        return null;
      },
    });
  } catch (error) {
    const csvError = error as CsvError & { lines?: number };
    const reason =
      csvError.code === 'CSV_MAX_RECORD_SIZE'
        ? 'a row is far too large (is a cell holding a whole document?)'
        : csvError.message;
    throw new CsvInputError(
      file,
      typeof csvError.lines === 'number' ? csvError.lines : 0,
      undefined,
      `malformed CSV: ${reason}`,
    );
  }
  if (header === undefined)
    throw new CsvInputError(file, 0, undefined, 'the file is empty (a header row is required)');
  return { header, rows, lines };
}

const COLUMNS: ReadonlyArray<readonly [column: string, field: keyof NameRecord]> = [
  ['id', 'id'],
  ['full_name', 'fullName'],
  ['given_name', 'givenName'],
  ['father_name', 'fatherName'],
  ['grandfather_name', 'grandfatherName'],
  ['family_name', 'familyName'],
  ['date_of_birth', 'dateOfBirth'],
  ['passport_number', 'passportNumber'],
  ['sex', 'sex'],
  ['nationality', 'nationality'],
  ['phone', 'phone'],
];
const REQUIRED = ['id', 'full_name'];
const DATE = /^\d{4}(-\d{2}-\d{2})?$/;

/** Checks a table of people and turns it into records; errors name line and column. */
export function tableToRecords(table: CsvTable, file: string): NameRecord[] {
  for (const column of REQUIRED) {
    if (!table.header.includes(column)) {
      throw new CsvInputError(
        file,
        1,
        column,
        `required column "${column}" is missing (header: ${table.header.join(',')})`,
      );
    }
  }
  const positions = COLUMNS.map(
    ([column, field]) => [table.header.indexOf(column), column, field] as const,
  ).filter(([position]) => position >= 0);
  const seen = new Map<string, number>();
  const records: NameRecord[] = new Array<NameRecord>(table.rows.length);
  for (let r = 0; r < table.rows.length; r++) {
    const row = table.rows[r] ?? [];
    const line = table.lines[r] ?? 0;
    const record: Record<string, string> = {};
    for (const [position, column, field] of positions) {
      const cell = (row[position] ?? '').trim();
      if (cell.length > MAX_CELL_LENGTH) {
        throw new CsvInputError(
          file,
          line,
          column,
          `cell is ${cell.length} characters long (limit ${MAX_CELL_LENGTH})`,
        );
      }
      if (cell.length > 0) record[field] = cell;
    }
    const id = record.id;
    if (id === undefined) throw new CsvInputError(file, line, 'id', 'empty id');
    const previous = seen.get(id);
    if (previous !== undefined)
      throw new CsvInputError(file, line, 'id', `duplicate id "${id}" (first on line ${previous})`);
    seen.set(id, line);
    if (record.fullName === undefined || !/[\p{L}]/u.test(record.fullName)) {
      throw new CsvInputError(file, line, 'full_name', 'empty name');
    }
    if (record.dateOfBirth !== undefined && !DATE.test(record.dateOfBirth)) {
      throw new CsvInputError(
        file,
        line,
        'date_of_birth',
        `"${record.dateOfBirth}" is not YYYY-MM-DD or YYYY`,
      );
    }
    records[r] = record as unknown as NameRecord;
  }
  return records;
}

/** Reads and checks a people CSV (registry, list or dedupe input). */
export function readPeopleCsv(path: string): NameRecord[] {
  const file = basename(path);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new CsvInputError(file, 0, undefined, `cannot read: ${(error as Error).message}`);
  }
  return tableToRecords(parseCsv(decodeUtf8(bytes, file), file), file);
}

function quote(cell: string): string {
  return /[",\r\n]/.test(cell) || cell !== cell.trim() ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** Formats rows as CSV (RFC 4180 quoting, \n line ends). */
export function formatCsv(rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  let out = '';
  for (const row of rows) out += `${row.map((cell) => quote(String(cell))).join(',')}\n`;
  return out;
}

/** Writes a file atomically: to a temporary file in the same directory, then rename. */
export function writeCsvAtomic(path: string, text: string): void {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temporary, text, 'utf8');
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
