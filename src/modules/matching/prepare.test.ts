import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  normaliseDocumentNumber,
  normalisePhone,
  parseDateOfBirth,
  parseSex,
  prepareRecords,
} from './prepare.js';

describe('field parsing', () => {
  it('parses full dates and years, and treats anything else as missing', () => {
    expect(parseDateOfBirth('1990-03-04')).toBe(19900304);
    expect(parseDateOfBirth(' 1990 ')).toBe(19900000);
    for (const bad of [
      '1990-13-01',
      '1990-00-10',
      '1990-01-32',
      '90-01-01',
      '1990/01/01',
      '1700',
      'abcd',
      '',
      undefined,
    ]) {
      expect(parseDateOfBirth(bad), String(bad)).toBe(0);
    }
  });

  it('never throws on arbitrary date text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(parseDateOfBirth(text)).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('normalises document numbers and phones, including Arabic-Indic and full-width digits', () => {
    expect(normaliseDocumentNumber(' ab-123 456 ')).toBe('AB123456');
    expect(normaliseDocumentNumber('ＡＢ１２３')).toBe('AB123');
    expect(normalisePhone('+970 59-123-4567')).toBe('591234567');
    expect(normalisePhone('٠٥٩١٢٣٤٥٦٧')).toBe('591234567');
    expect(normalisePhone('12')).toBe('');
  });

  it('reads sexes in English, French and Arabic', () => {
    expect([parseSex('M'), parseSex('female'), parseSex('أنثى'), parseSex('x')]).toEqual([1, 2, 2, 0]);
  });

  it('prefers the richer of the split name fields and the full name', () => {
    const prepared = prepareRecords([
      { id: '1', fullName: 'Ahmed Nassar', givenName: 'Ahmed', fatherName: 'Khaled', familyName: 'Nassar' },
      { id: '2', fullName: 'Ahmed Khaled Omar Nassar', givenName: 'Ahmed', familyName: 'Nassar' },
    ]);
    expect(Array.from(prepared.unitStart)).toEqual([0, 3, 7]);
  });
});
