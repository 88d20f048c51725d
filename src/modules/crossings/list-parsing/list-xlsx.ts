import ExcelJS from 'exceljs';
import { ListFormatError, type RawTable } from './list-table.js';

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    if ('error' in value) return '';
  }
  return String(value);
}

/** Reads the first worksheet with data; its first non-empty row is the header. */
export async function readXlsxTable(file: string, data: Uint8Array): Promise<RawTable> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(data) as unknown as ArrayBuffer);
  } catch {
    throw new ListFormatError(file, 'not a readable XLSX workbook');
  }
  const sheet = workbook.worksheets.find((ws) => ws.actualRowCount > 0);
  if (!sheet) throw new ListFormatError(file, 'the workbook has no data');
  const lines: { ref: string; cells: string[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellText(cell.value);
    });
    lines.push({ ref: `sheet "${sheet.name}" row ${rowNumber}`, cells: Array.from(cells, (c) => c ?? '') });
  });
  const [header, ...rows] = lines;
  if (!header) throw new ListFormatError(file, 'the workbook has no header row');
  return { headers: header.cells.map((h) => h.trim()), rows };
}
