import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildListCsv,
  buildListPdf,
  buildListXlsx,
  buildScannedPdf,
  LIST_ROWS,
} from '../../../../test/fixtures/crossing-lists/build.js';
import { ListFormatError, parseApprovedList } from './index.js';
import { joinCell } from './list-pdf.js';
import { cleanCell } from './list-table.js';

const expected = LIST_ROWS.map(([, latin, arabic, passport, nat]) => ({ latin, arabic, passport, nat }));

function checkRows(rows: Awaited<ReturnType<typeof parseApprovedList>>['rows']) {
  expect(rows).toHaveLength(LIST_ROWS.length);
  rows.forEach((row, i) => {
    const want = expected[i]!;
    expect(row.fullName, `row ${i + 1}`).toBe(want.latin);
    expect(row.fullNameAr, `row ${i + 1}`).toBe(want.arabic);
    if (want.passport) expect(row.passportNumber).toBe(want.passport);
    else expect(row.passportNumber).toBeUndefined();
    expect(row.nationality).toBe(want.nat);
  });
}

describe('approved list parsing', () => {
  it('reads a CSV with Arabic and Latin names, dates as YYYY-MM-DD or YYYY', async () => {
    const parsed = await parseApprovedList('list.csv', new TextEncoder().encode(buildListCsv()));
    expect(parsed.format).toBe('csv');
    checkRows(parsed.rows);
    expect(parsed.rows[0]!.dateOfBirth).toBe('1980-03-14');
    expect(parsed.rows[1]!.dateOfBirth).toBe('1984');
    expect(parsed.byNationality).toEqual({ USA: 4, CAN: 1, FRA: 1 });
  });

  it('reads semicolon-separated UTF-16 exports from spreadsheet programs', async () => {
    const text = buildListCsv(';');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    checkRows((await parseApprovedList('list.csv', utf16)).rows);
  });

  it('reads an XLSX with French headers and real dates', async () => {
    const parsed = await parseApprovedList('list.xlsx', await buildListXlsx());
    expect(parsed.format).toBe('xlsx');
    checkRows(parsed.rows);
    expect(parsed.rows[4]!.dateOfBirth).toBe('2012-06-30');
  });

  it('rebuilds rows of a multi-page text PDF from glyph positions, Arabic in reading order', async () => {
    const parsed = await parseApprovedList('list.pdf', await buildListPdf());
    expect(parsed.format).toBe('pdf');
    checkRows(parsed.rows);
    expect(parsed.rows[4]!.sourceRef).toMatch(/^page 2, line \d+$/);
    expect(parsed.columns).toMatchObject({
      full_name: 'Name',
      full_name_ar: 'الاسم',
      passport_number: 'Passport No.',
    });
  });

  it('joins a name wrapped onto a second line of the PDF back into its row', async () => {
    const parsed = await parseApprovedList(
      'list.pdf',
      await buildListPdf({ wrapLongName: true, rowsPerPage: 10 }),
    );
    checkRows(parsed.rows);
  });

  it('repairs Arabic runs that subset fonts split around marks (stray controls, one-letter fragments)', () => {
    // What pdf.js returns for "فاطمة المصري" set in a font that draws dots as separate glyphs.
    const pieces = [
      { text: cleanCell(' المصري'), x0: 359, x1: 389, y: 715, size: 10, rtl: true, spaceBefore: true },
      { text: cleanCell('ف\u0006 اطمة'), x0: 388, x1: 410, y: 715, size: 10, rtl: true },
    ];
    expect(joinCell(pieces)).toBe('فاطمة المصري');
    // "نصار" in two pieces that overlap: no space between them.
    const split = [
      { text: 'صار', x0: 368, x1: 383, y: 697, size: 10, rtl: true },
      { text: 'ن', x0: 382, x1: 385, y: 697, size: 10, rtl: true },
      { text: 'يوسف', x0: 387, x1: 410, y: 697, size: 10, rtl: true },
    ];
    expect(joinCell(split)).toBe('يوسف نصار');
  });

  it('refuses bad files with the file, row and column named', async () => {
    await expect(parseApprovedList('scan.pdf', await buildScannedPdf())).rejects.toThrow(
      /scan\.pdf: the PDF has no text layer/,
    );
    await expect(parseApprovedList('x.pdf', new TextEncoder().encode('hello'))).rejects.toThrow(
      /x\.pdf: the file does not look like a PDF/,
    );
    await expect(
      parseApprovedList('x.xlsx', new TextEncoder().encode('PK\u0003\u0004garbage')),
    ).rejects.toThrow(/not a readable XLSX/);
    await expect(parseApprovedList('empty.csv', new Uint8Array())).rejects.toThrow(
      /empty\.csv: the file is empty/,
    );
    await expect(
      parseApprovedList('latin1.csv', Uint8Array.from([0x4e, 0x61, 0x6d, 0x65, 0x0a, 0xe9, 0xe8])),
    ).rejects.toThrow(/not UTF-8/);
    await expect(
      parseApprovedList('cols.csv', new TextEncoder().encode('Passport,Nationality\nA1,USA\n')),
    ).rejects.toThrow(/cols\.csv: no name column/);
    await expect(
      parseApprovedList('dob.csv', new TextEncoder().encode('Name,DOB\nAHMAD,31/02/1990\n')),
    ).rejects.toThrow(/dob\.csv, row 2, column "DOB": "31\/02\/1990" is not a date/);
    await expect(
      parseApprovedList('noname.csv', new TextEncoder().encode('Name,Passport\n,A1\n')),
    ).rejects.toThrow(/noname\.csv, row 2, column "Name": the name is empty/);
    const huge = `Name\n${'x'.repeat(10 * 1024 * 1024)}\n`;
    await expect(parseApprovedList('huge.csv', new TextEncoder().encode(huge))).rejects.toBeInstanceOf(
      ListFormatError,
    );
  });

  it('never throws anything but a ListFormatError on arbitrary CSV input', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (text) => {
        try {
          const parsed = await parseApprovedList('fuzz.csv', new TextEncoder().encode(text));
          for (const row of parsed.rows) expect(row.fullName.length).toBeGreaterThan(0);
        } catch (error) {
          expect(error).toBeInstanceOf(ListFormatError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
