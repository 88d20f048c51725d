import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { errorMessage } from '../../lib/errors.js';

/** A spreadsheet as text: its header and its rows, each with the row number people see. */
export interface Table {
  headers: string[];
  rows: { rowNo: number; cells: string[] }[];
}

export class TableFormatError extends Error {
  override name = 'TableFormatError';
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    return '';
  }
  return String(value);
}

async function readXlsx(data: Uint8Array): Promise<Table> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(data) as unknown as ArrayBuffer);
  } catch {
    throw new TableFormatError('Not a readable XLSX workbook.');
  }
  const sheet = workbook.worksheets.find((ws) => ws.actualRowCount > 0);
  if (!sheet) throw new TableFormatError('The workbook has no data.');
  const lines: { rowNo: number; cells: string[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNo) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellText(cell.value).trim();
    });
    lines.push({ rowNo, cells: Array.from(cells, (c) => c ?? '') });
  });
  const [header, ...rows] = lines;
  if (!header) throw new TableFormatError('The workbook has no header row.');
  return { headers: header.cells, rows };
}

function readCsv(data: Uint8Array): Table {
  let text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let records: string[][];
  try {
    records = parse(text, {
      relax_column_count: true,
      skip_empty_lines: false,
      trim: true,
      delimiter: [',', ';', '\t'],
    }) as string[][];
  } catch (error) {
    throw new TableFormatError(`Not a readable CSV file: ${errorMessage(error)}`);
  }
  const [header, ...rows] = records;
  if (!header) throw new TableFormatError('The file is empty.');
  return {
    headers: header,
    rows: rows.map((cells, i) => ({ rowNo: i + 2, cells })).filter((r) => r.cells.some((c) => c !== '')),
  };
}

/** Reads CSV (UTF-8, comma, semicolon or tab) or XLSX, chosen by the file name or its first bytes. */
export async function readTable(fileName: string, data: Uint8Array): Promise<Table> {
  const isZip = data[0] === 0x50 && data[1] === 0x4b;
  if (fileName.toLowerCase().endsWith('.xlsx') || isZip) return readXlsx(data);
  try {
    return readCsv(data);
  } catch (error) {
    if (error instanceof TypeError)
      throw new TableFormatError('The file is not UTF-8 text (save it as CSV UTF-8 or XLSX).');
    throw error;
  }
}
