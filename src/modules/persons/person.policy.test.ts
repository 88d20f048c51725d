import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_POLICY } from '../crises/crisis.schemas.js';
import { deriveEligibility } from './person.policy.js';
import {
  foldForSearch,
  normaliseDocumentNumber,
  normalisePhone,
  parseBirthDate,
  parsePassportMrz,
} from './person-normalise.js';
import {
  newReferenceCode,
  normaliseReferenceCode,
  REFERENCE_ALPHABET,
  REFERENCE_RUN,
} from './reference-code.js';

describe('eligibility from the crisis policy', () => {
  it('derives immediate family from a citizen head and explains each decision', () => {
    const d = deriveEligibility(DEFAULT_POLICY, [
      { relationship: 'head', category: 'citizen' },
      { relationship: 'spouse', category: null },
      { relationship: 'child', category: 'immediate_family' },
      { relationship: 'parent', category: 'permanent_resident' },
      { relationship: 'other', category: null },
    ]);
    expect(d.map((x) => [x.eligibility, x.reason])).toEqual([
      ['eligible', 'citizen'],
      ['eligible', 'immediate_family_of_citizen'],
      ['eligible', 'immediate_family_of_citizen'],
      ['eligible', 'permanent_resident_with_citizen_family'],
      ['to_verify', 'category_unknown'],
    ]);
    expect(d[1]!.derivedFrom).toBe(0);
  });

  it('refuses a permanent resident without citizen family when the policy says so', () => {
    const alone = deriveEligibility(DEFAULT_POLICY, [
      { relationship: 'head', category: 'permanent_resident' },
    ]);
    expect(alone[0]).toMatchObject({
      eligibility: 'not_eligible',
      reason: 'permanent_resident_without_citizen_family',
    });
    const open = deriveEligibility({ ...DEFAULT_POLICY, permanentResidentsOnlyWithCitizenFamily: false }, [
      { relationship: 'head', category: 'permanent_resident' },
    ]);
    expect(open[0]).toMatchObject({ eligibility: 'eligible', reason: 'permanent_resident' });
    const narrow = deriveEligibility(
      { eligibleCategories: ['citizen'], permanentResidentsOnlyWithCitizenFamily: true },
      [{ relationship: 'head', category: 'immediate_family' }],
    );
    expect(narrow[0]).toMatchObject({ eligibility: 'not_eligible', reason: 'category_not_covered' });
  });

  it('leaves family of an unregistered citizen to verify', () => {
    const d = deriveEligibility(DEFAULT_POLICY, [{ relationship: 'head', category: 'immediate_family' }]);
    expect(d[0]).toMatchObject({ eligibility: 'to_verify', reason: 'citizen_relative_not_registered' });
  });
});

describe('reference codes', () => {
  it('look like K7R-4MX-9PD, use only unambiguous characters and validate their check character', () => {
    for (let i = 0; i < 500; i += 1) {
      const code = newReferenceCode();
      expect(code).toMatch(/^[346789A-Z]{3}-[346789A-Z]{3}-[346789A-Z]{3}$/);
      for (const ch of code.replaceAll('-', '')) expect(REFERENCE_ALPHABET).toContain(ch);
      expect(normaliseReferenceCode(code.toLowerCase().replaceAll('-', ' '))).toBe(code);
    }
  });

  it('share a random prefix within a run, so a batch sits together in the index, and spread evenly over runs', () => {
    const codes = Array.from({ length: REFERENCE_RUN * 40 }, () => newReferenceCode().replaceAll('-', ''));
    const prefixes = new Map<string, number>();
    for (const code of codes) prefixes.set(code.slice(0, 3), (prefixes.get(code.slice(0, 3)) ?? 0) + 1);
    // 40 runs (41 when the first run started before this test): each prefix covers whole runs.
    expect(prefixes.size).toBeGreaterThanOrEqual(38);
    expect(prefixes.size).toBeLessThanOrEqual(41);
    // Inside a run the other five characters are fresh: no code repeats, and every position of
    // the random part uses most of the alphabet.
    expect(new Set(codes).size).toBe(codes.length);
    for (let pos = 3; pos < 8; pos += 1) {
      expect(new Set(codes.map((c) => c[pos])).size).toBe(REFERENCE_ALPHABET.length);
    }
    // The prefixes themselves are random: not in order of drawing.
    const order = [...prefixes.keys()];
    expect(order).not.toEqual([...order].sort());
  });

  it('catch any single mistyped character', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 1, max: REFERENCE_ALPHABET.length - 1 }),
        (pos, shift) => {
          const raw = newReferenceCode().replaceAll('-', '');
          const wrong =
            REFERENCE_ALPHABET[(REFERENCE_ALPHABET.indexOf(raw[pos]!) + shift) % REFERENCE_ALPHABET.length]!;
          expect(normaliseReferenceCode(raw.slice(0, pos) + wrong + raw.slice(pos + 1))).toBeUndefined();
        },
      ),
    );
  });
});

describe('normalisation', () => {
  it('puts phones in E.164 and refuses what is not a number', () => {
    expect(normalisePhone('+970 59-912-3456')).toBe('+970599123456');
    expect(normalisePhone('00972 52 123 4567')).toBe('+972521234567');
    expect(normalisePhone('12')).toBeUndefined();
  });

  it('folds document numbers and search text', () => {
    expect(normaliseDocumentNumber(' x12-34 5o ')).toBe('X123450');
    expect(foldForSearch('Éloïse  أحمد إبراهيم')).toBe('eloise احمد ابراهيم');
  });

  it('reads birth dates with their precision', () => {
    expect(parseBirthDate('1984')).toEqual({ value: '1984', precision: 'year' });
    expect(parseBirthDate('1984-02-30')).toHaveProperty('error');
    expect(parseBirthDate(undefined)).toEqual({ value: null, precision: 'unknown' });
  });

  it('parses a passport MRZ and verifies its check digits', () => {
    const ok = parsePassportMrz(
      'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10',
    );
    expect(ok).toMatchObject({
      number: 'L898902C3',
      birthDate: '1974-08-12',
      sex: 'female',
      familyName: 'ERIKSSON',
    });
    const bad = parsePassportMrz(
      'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<L898902C37UTO7408122F1204159ZE184226B<<<<<10',
    );
    expect(bad).toHaveProperty('error');
    expect(parsePassportMrz('nonsense')).toHaveProperty('error');
  });
});

describe('row ids and update secrets', () => {
  it('gives time-ordered ids and 128-bit URL-safe secrets', async () => {
    const { newRowId, newUpdateSecret } = await import('./row-id.js');
    const ids = Array.from({ length: 2000 }, () => newRowId());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const secrets = new Set(Array.from({ length: 2000 }, () => newUpdateSecret()));
    expect(secrets.size).toBe(2000);
    for (const s of secrets) expect(Buffer.from(s, 'base64url')).toHaveLength(16);
  });

  it('keeps ids in order past 4,096 in one millisecond and when the clock goes back', async () => {
    const { newRowId } = await import('./row-id.js');
    const clock = vi.spyOn(Date, 'now');
    try {
      // Ahead of any id made so far in this process (the module keeps the last millisecond).
      const start = Date.now() + 3_600_000;
      clock.mockReturnValue(start);
      const ids = Array.from({ length: 10_000 }, () => newRowId());
      clock.mockReturnValue(start - 60_000); // the clock is set back a minute
      ids.push(...Array.from({ length: 100 }, () => newRowId()));
      clock.mockReturnValue(start + 5);
      ids.push(newRowId());
      expect([...ids].sort()).toEqual(ids);
      expect(new Set(ids).size).toBe(ids.length);
      // The millisecond field: the frozen clock's, then borrowed ones, never one from the past.
      const ms = (id: string) => Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
      expect(ms(ids[0]!)).toBe(start);
      expect(ms(ids[9_999]!)).toBe(start + 2);
      expect(ms(ids.at(-2)!)).toBe(start + 2);
      expect(ms(ids.at(-1)!)).toBe(start + 5);
      for (const id of ids)
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    } finally {
      clock.mockRestore();
    }
  });
});
