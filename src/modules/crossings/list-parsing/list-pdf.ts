import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { cleanCell, fieldForHeader, isArabicText, ListFormatError, type RawTable } from './list-table.js';

/** A positioned piece of text from a PDF page (PDF user space: y grows upwards). */
interface Piece {
  text: string;
  x0: number;
  x1: number;
  y: number;
  size: number;
  rtl: boolean;
  /** The item's own text began or ended with a space (a word boundary the geometry may hide). */
  spaceBefore?: boolean;
  spaceAfter?: boolean;
}

interface Column {
  header: string;
  x0: number;
  x1: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : 0;
};

async function readPieces(file: string, data: Uint8Array): Promise<Piece[][]> {
  let pdf: Awaited<ReturnType<typeof getDocument>['promise']>;
  try {
    pdf = await getDocument({
      data: new Uint8Array(data),
      disableFontFace: true,
      useSystemFonts: false,
      verbosity: 0,
      isEvalSupported: false,
    }).promise;
  } catch {
    throw new ListFormatError(file, 'not a readable PDF');
  }
  const pages: Piece[][] = [];
  try {
    for (let p = 1; p <= pdf.numPages; p++) {
      const page = await pdf.getPage(p);
      const content = await page.getTextContent();
      const pieces: Piece[] = [];
      for (const item of content.items) {
        if (!('str' in item)) continue;
        const text = cleanCell(item.str);
        if (!text) continue;
        const [, , , d, e, f] = item.transform as number[];
        pieces.push({
          text,
          x0: e!,
          x1: e! + item.width,
          y: f!,
          size: Math.abs(d!) || item.height || 10,
          rtl: item.dir === 'rtl' || isArabicText(text),
          spaceBefore: /^\s/.test(item.str),
          spaceAfter: /\s$/.test(item.str),
        });
      }
      pages.push(pieces);
    }
  } finally {
    await pdf.destroy();
  }
  return pages;
}

/** Groups pieces into lines, top to bottom; Arabic runs sit a few points off the Latin baseline. */
function groupLines(pieces: Piece[]): Piece[][] {
  const tolerance = Math.max(2, 0.5 * median(pieces.map((p) => p.size)));
  const sorted = [...pieces].sort((a, b) => b.y - a.y || a.x0 - b.x0);
  const lines: { y: number; pieces: Piece[] }[] = [];
  for (const piece of sorted) {
    const line = lines.find((l) => Math.abs(l.y - piece.y) <= tolerance);
    if (line) line.pieces.push(piece);
    else lines.push({ y: piece.y, pieces: [piece] });
  }
  return lines.sort((a, b) => b.y - a.y).map((l) => l.pieces);
}

/**
 * Joins the pieces of one cell in reading order: right to left for Arabic (by right edge,
 * descending), left to right otherwise. A gap wider than a fraction of the font size is a space.
 * Subset fonts split words around ligatures and marks, leaving stray one-letter fragments; a lone
 * Arabic letter is joined to the next word because names have no one-letter words.
 */
export function joinCell(pieces: Piece[]): string {
  if (pieces.length === 0) return '';
  const rtl = pieces.filter((p) => p.rtl).length * 2 >= pieces.length;
  const ordered = [...pieces].sort((a, b) => (rtl ? b.x1 - a.x1 : a.x0 - b.x0));
  let out = ordered[0]!.text;
  for (let i = 1; i < ordered.length; i++) {
    const prev = ordered[i - 1]!;
    const cur = ordered[i]!;
    const gap = rtl ? prev.x0 - cur.x1 : cur.x0 - prev.x1;
    const spaced = gap > 0.15 * Math.max(prev.size, cur.size) || prev.spaceAfter || cur.spaceBefore;
    out += (spaced ? ' ' : '') + cur.text;
  }
  out = cleanCell(out);
  if (rtl) {
    const words = out.split(' ');
    const merged: string[] = [];
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      if (w.length === 1 && isArabicText(w) && w !== 'و' && i + 1 < words.length) {
        words[i + 1] = w + words[i + 1];
      } else merged.push(w);
    }
    out = merged.join(' ');
  }
  return out;
}

/** Adjacent pieces closer than about half a character form one phrase ("Passport" + "No."). */
function phrases(line: Piece[]): Piece[][] {
  const sorted = [...line].sort((a, b) => a.x0 - b.x0);
  const groups: Piece[][] = [];
  for (const p of sorted) {
    const last = groups[groups.length - 1];
    const tail = last?.[last.length - 1];
    if (last && tail && p.x0 - Math.max(...last.map((q) => q.x1)) < 0.6 * p.size && tail.rtl === p.rtl)
      last.push(p);
    else groups.push([p]);
  }
  return groups;
}

function headerColumns(line: Piece[]): Column[] | undefined {
  const cols = phrases(line).map((g) => ({
    header: joinCell(g),
    x0: Math.min(...g.map((p) => p.x0)),
    x1: Math.max(...g.map((p) => p.x1)),
  }));
  const known = cols.filter((c) => fieldForHeader(c.header)).length;
  return known >= 2 && known * 2 >= cols.length ? cols.sort((a, b) => a.x0 - b.x0) : undefined;
}

function columnFor(piece: Piece, columns: Column[]): number {
  let best = -1;
  let bestScore = Number.NEGATIVE_INFINITY;
  columns.forEach((c, i) => {
    const overlap = Math.min(piece.x1, c.x1) - Math.max(piece.x0, c.x0);
    // Overlap wins; otherwise the nearest edge (negative distance).
    const score =
      overlap > 0
        ? overlap
        : Math.max(overlap, -Math.min(Math.abs(piece.x0 - c.x1), Math.abs(piece.x1 - c.x0)));
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  });
  return best;
}

const FOOTER = /^(page|p\.|صفحة|الصفحة)\s*\d+(\s*(of|\/|من|sur)\s*\d+)?$/i;

/**
 * Rebuilds the table of a text PDF from glyph positions: lines by baseline, columns from the
 * header row (found by its known column names), cells in reading order. Header rows repeated on
 * later pages, page footers and titles above the header are skipped; a line with no row number
 * under a table that has one continues the previous row (a wrapped name).
 */
export async function readPdfTable(file: string, data: Uint8Array): Promise<RawTable> {
  const pages = await readPieces(file, data);
  if (pages.every((p) => p.length === 0)) {
    throw new ListFormatError(
      file,
      'the PDF has no text layer (a scan?); use the CSV or XLSX version of the list',
    );
  }
  let columns: Column[] | undefined;
  const rows: RawTable['rows'] = [];
  pages.forEach((pieces, pageIndex) => {
    const lines = groupLines(pieces);
    const headerAt = lines.findIndex((line) => headerColumns(line) !== undefined);
    if (headerAt >= 0) columns ??= headerColumns(lines[headerAt]!);
    if (!columns) return;
    const numberCol = columns.findIndex((c) => fieldForHeader(c.header) === 'row_number');
    // Titles sit above the header; a page without a repeated header starts at its first line.
    lines.slice(headerAt + 1).forEach((line, offset) => {
      const text = joinCell(line);
      if (FOOTER.test(text)) return;
      const cells: Piece[][] = columns!.map(() => []);
      for (const p of line) cells[columnFor(p, columns!)]!.push(p);
      const values = cells.map(joinCell);
      const previous = rows[rows.length - 1];
      if (numberCol >= 0 && values[numberCol] === '' && previous) {
        values.forEach((v, i) => {
          if (v) previous.cells[i] = previous.cells[i] ? `${previous.cells[i]} ${v}` : v;
        });
        return;
      }
      rows.push({ ref: `page ${pageIndex + 1}, line ${headerAt + offset + 2}`, cells: values });
    });
  });
  if (!columns) {
    throw new ListFormatError(
      file,
      'could not find the header row (expected column names such as "Name", "Passport", "الاسم")',
    );
  }
  return { headers: columns.map((c) => c.header), rows };
}
