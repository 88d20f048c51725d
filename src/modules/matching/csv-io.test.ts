import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvInputError, decodeUtf8, formatCsv, parseCsv, tableToRecords } from './csv-io.js';

const cell = fc.string({ unit: 'grapheme', maxLength: 20 });

describe('CSV reading and writing', () => {
  it('round-trips any table through formatCsv and parseCsv', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 4 })
          .chain((width) =>
            fc.array(fc.array(cell, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 6 }),
          ),
        (table) => {
          // A row of empty cells is an empty line in CSV, which readers skip: keep one letter.
          const header = (table[0] ?? []).map((_, k) => `c${k}`);
          const body = table.map((row) => row.map((value, k) => (k === 0 ? `r${value}` : value)));
          const parsed = parseCsv(formatCsv([header, ...body]), 't.csv');
          expect(parsed.header).toEqual(header);
          expect(parsed.rows).toEqual(body);
        },
      ),
    );
  });

  it('never throws anything but a located CsvInputError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          tableToRecords(parseCsv(decodeUtf8(bytes, 'x.csv'), 'x.csv'), 'x.csv');
        } catch (error) {
          expect(error).toBeInstanceOf(CsvInputError);
          expect((error as CsvInputError).message).toMatch(/^x\.csv/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reads optional columns, strips a UTF-8 byte-order mark and checks dates', () => {
    const text = `\uFEFFid,full_name,date_of_birth,sex\nA1,"Nassar, Mohammed",1990-01-02,M\nA2,Huda Ashour,,\n`;
    const records = tableToRecords(parseCsv(text, 'p.csv'), 'p.csv');
    expect(records).toEqual([
      { id: 'A1', fullName: 'Nassar, Mohammed', dateOfBirth: '1990-01-02', sex: 'M' },
      { id: 'A2', fullName: 'Huda Ashour' },
    ]);
    expect(() =>
      tableToRecords(parseCsv('id,full_name,date_of_birth\nA1,Huda,02/01/1990\n', 'p.csv'), 'p.csv'),
    ).toThrow(/p\.csv, line 2, column date_of_birth/);
  });
});
