import { describe, expect, it } from 'vitest';
import { matchList, prepareRegistry } from './list-matching.js';
import { compareRecords, dedupe } from './matching.js';
import { compareDates } from './scoring.js';
import { withinOneTypo } from './string-similarity.js';
import type { NameRecord } from './types.js';

const person = (id: string, fullName: string, extra: Partial<NameRecord> = {}): NameRecord => ({
  id,
  fullName,
  ...extra,
});

describe('compareRecords: names across spellings and scripts', () => {
  const variants = [
    'محمد عبد الرحمن',
    'Mohammed Abdelrahman',
    'Muhammad Abd al-Rahman',
    'ABDULRAHMAN, Mohamed',
  ];

  it('finds every pair of variants equivalent, and a match once the dates agree', () => {
    for (const a of variants) {
      for (const b of variants) {
        if (a === b) continue;
        const names = compareRecords(person('a', a), person('b', b));
        const nameField = names.fields.find((field) => field.field === 'name');
        expect(['exact', 'equivalent'], `${a} / ${b}`).toContain(nameField?.level);
        expect(names.decision, `${a} / ${b}`).not.toBe('non-match');
        const withDates = compareRecords(
          person('a', a, { dateOfBirth: '1990-03-04' }),
          person('b', b, { dateOfBirth: '1990-03-04' }),
        );
        expect(withDates.decision, `${a} / ${b}`).toBe('match');
      }
    }
  });

  it('meets unseen spellings through the phonetic skeleton (close level)', () => {
    const result = compareRecords(
      person('a', 'Mouhammad Barhoum', { dateOfBirth: '1980' }),
      person('b', 'محمد برهوم', { dateOfBirth: '1980' }),
    );
    expect(result.fields[0]?.level).toBe('close');
    expect(result.decision).not.toBe('non-match');
  });

  it('accepts a partial chain as a subset and a family-name-first chain as reordered', () => {
    const full = person('a', 'Ahmed Mohammed Khaled Nassar');
    expect(compareRecords(full, person('b', 'Ahmed Nassar')).fields[0]?.level).toBe('subset');
    expect(compareRecords(full, person('b', 'NASSAR Ahmed Mohammed Khaled')).fields[0]?.level).toBe(
      'reordered',
    );
  });

  it('keeps a son apart from his father and from his brother, though they share three parts', () => {
    const son = person('s', 'Ahmed Mohammed Khaled Nassar');
    const father = person('f', 'Mohammed Khaled Yousef Nassar');
    const brother = person('b', 'Omar Mohammed Khaled Nassar');
    expect(compareRecords(son, father).decision).toBe('non-match');
    expect(compareRecords(son, brother).decision).toBe('non-match');
  });

  it('weighs a rare family name more than a common given name', () => {
    const common = compareRecords(person('a', 'Mohammed Zomlot'), person('b', 'Mohammed Kahlout'));
    const rare = compareRecords(person('a', 'Ahmed Zomlot'), person('b', 'Youssef Zomlot'));
    const detail = (text: string | undefined): number =>
      Number(/\(exact, ([\d.]+) bits\)/.exec(text ?? '')?.[1]);
    expect(detail(rare.fields[0]?.detail)).toBeGreaterThan(detail(common.fields[0]?.detail) + 3);
  });

  it('learns frequencies from the data: a family name frequent in the registry weighs less', () => {
    const registry = Array.from({ length: 300 }, (_, i) =>
      person(`r${i}`, `${i % 2 ? 'Ahmed' : 'Omar'} Xyzabc`),
    );
    registry.push(person('rare', 'Ahmed Qwrtz'));
    const hits = matchList(registry, [person('l1', 'Ahmed Xyzabc'), person('l2', 'Ahmed Qwrtz')], {
      maxCandidates: 1,
    });
    const common = hits.find((hit) => hit.listId === 'l1');
    const rare = hits.find((hit) => hit.listId === 'l2');
    expect(rare?.registryId).toBe('rare');
    expect(rare?.score ?? 0).toBeGreaterThan((common?.score ?? 0) + 4);
  });
});

describe('compareRecords: documents, dates, sex', () => {
  it('treats an agreeing passport as decisive and a different one as strong evidence against', () => {
    const agree = compareRecords(
      person('a', 'Mohammed Ahmed', { passportNumber: 'P1234567' }),
      person('b', 'Muhammad Ahmad', { passportNumber: 'p 123 4567' }),
    );
    expect(agree.decision).toBe('match');
    const disagree = compareRecords(
      person('a', 'Mohammed Ahmed Zomlot', { passportNumber: 'P1234567', dateOfBirth: '1990-01-01' }),
      person('b', 'Mohammed Ahmed Zomlot', { passportNumber: 'P7654321', dateOfBirth: '1990-01-01' }),
    );
    expect(disagree.fields.find((field) => field.field === 'passportNumber')?.weight).toBeLessThan(-5);
    expect(disagree.score).toBeLessThan(agree.score);
  });

  it('grades dates: exact, year only, near (swapped day and month), different', () => {
    expect(compareDates(19900304, 19900304)[0]).toBe('exact');
    expect(compareDates(19900000, 19900304)[0]).toBe('year');
    expect(compareDates(19900403, 19900304)[0]).toBe('near');
    expect(compareDates(19900304, 19750304)[0]).toBe('different');
    expect(compareDates(0, 19900304)[0]).toBe('missing');
  });

  it('explains every field with a weight', () => {
    const result = compareRecords(
      person('a', 'Fatima Nassar', { sex: 'F' }),
      person('b', 'Fatma Nassar', { sex: 'M' }),
    );
    expect(result.fields.map((field) => field.field)).toEqual([
      'name',
      'dateOfBirth',
      'passportNumber',
      'sex',
      'phone',
    ]);
    expect(result.fields.find((field) => field.field === 'sex')?.level).toBe('disagree');
    expect(result.decision).toBe('non-match');
  });
});

describe('compareRecords: chain positions, reordering and typos', () => {
  it('does not take a son for his father written family name first', () => {
    const father = person('f', 'NASSAR Mohamed Louay');
    const son = person('s', 'Radwan Mohamed Louay Nassar');
    expect(compareRecords(father, son).decision).toBe('non-match');
  });

  it("counts a father who meets the other chain's grandfather as a different father", () => {
    // A niece named after her aunt: the niece's grandfather is the aunt's father.
    const niece = person('n', 'Reem Tamer Hamza Totsan');
    const aunt = person('a', 'Reem Hamza Hasan Totsan');
    const same = person('s', 'Reem Tamer Hamza Totsan');
    expect(compareRecords(niece, aunt).score).toBeLessThan(compareRecords(niece, same).score - 10);
  });

  it('aligns a repeated given name with its first place (a son named after his father)', () => {
    const short = person('a', 'Mohammed Ronzan');
    const full = person('b', 'Muhammed Mohammad Ghassan Ronzan');
    expect(compareRecords(short, full).fields[0]?.level).toBe('subset');
  });

  it('meets a keyboard slip on a listed name, never two listed names', () => {
    expect(withinOneTypo('ammdouh', 'mamdouh')).toBe(true);
    expect(withinOneTypo('hasan', 'hassan')).toBe(true);
    expect(withinOneTypo('rawsn', 'raawan')).toBe(false);
    const slip = compareRecords(person('a', 'Ammdouh Ammar Samad'), person('b', 'Mamdouh Ammar Samad'));
    expect(slip.fields[0]?.level).toBe('close');
    const siblings = compareRecords(person('a', 'Samir Ammar Samad'), person('b', 'Samer Ammar Samad'));
    expect(siblings.decision).toBe('non-match');
  });
});

describe('dedupe: phones', () => {
  // Forty households whose two registrations (Latin and Arabic) give one phone, with or without
  // the passport that proves they are one person.
  const registry = (anchored: boolean): NameRecord[] => {
    const records: NameRecord[] = [];
    for (let n = 0; n < 40; n++) {
      const extra = { phone: `59${1000000 + n}`, ...(anchored ? { passportNumber: `P${1000000 + n}` } : {}) };
      records.push(
        person(`p${n}a`, `Fadi Khaled Omar Zaqout${n}`, extra),
        person(`p${n}b`, `فادي خالد عمر زقوت${n}`, extra),
      );
    }
    records.push(
      person('h1', 'Huda Mahmoud Ali Nassar', { dateOfBirth: '1990-01-01', sex: 'F', phone: '599999901' }),
      person('h2', 'Huda Nassar', { sex: 'F', phone: '599999901' }),
      person('h3', 'Huda Nassar', { sex: 'F', phone: '599999902' }),
    );
    return records;
  };
  const huda = (anchored: boolean): string[] =>
    dedupe(registry(anchored))
      .reviewPairs.filter(([a]) => a.startsWith('h'))
      .map(([a, b]) => `${a}-${b}`);

  it('learns from passport-anchored pairs how personal phones are', () => {
    // Anchored registrations always share their phone: a different phone now counts against.
    expect(huda(true)).toEqual(['h1-h2']);
    // Without anchors a different phone stays weak evidence (families, relatives abroad).
    expect(huda(false)).toEqual(['h1-h2', 'h1-h3', 'h2-h3']);
  });
});

describe('dedupe', () => {
  it('groups channel duplicates across scripts and spellings', () => {
    const records = [
      person('1', 'Youssef Ibrahim Khalil Ashour', { dateOfBirth: '1984-05-06', sex: 'M' }),
      person('2', 'يوسف إبراهيم خليل عاشور', { dateOfBirth: '1984-05-06' }),
      person('3', 'ASHOUR, Yousef Ebrahim', { dateOfBirth: '1984' }),
      person('4', 'Maryam Youssef Ibrahim Ashour', { dateOfBirth: '2012-09-10', sex: 'F' }),
    ];
    const result = dedupe(records);
    expect(result.clusterIds).toEqual(['1', '1', '1', '4']);
    expect(result.clusterCount).toBe(2);
  });

  it('does not chain two people into one through a record that matches both', () => {
    // B (no passport, no date) matches A and C equally well; A and C hold different passports.
    const records = [
      person('A', 'Khaled Omar Zomlot', { passportNumber: 'X1111111', dateOfBirth: '1970-01-01' }),
      person('B', 'Khaled Omar Zomlot'),
      person('C', 'Khaled Omar Zomlot', { passportNumber: 'Y2222222', dateOfBirth: '1970-01-01' }),
    ];
    const result = dedupe(records);
    expect(result.clusterIds[0]).not.toBe(result.clusterIds[2]);
    // B could be either: it is left alone, and its pairs are offered for review.
    expect(new Set(result.clusterIds).size).toBe(3);
    expect(result.reviewPairs.map(([a, b]) => `${a}-${b}`)).toEqual(expect.arrayContaining(['A-B', 'B-C']));
  });

  it('caps cluster sizes', () => {
    const records = Array.from({ length: 12 }, (_, i) =>
      person(`${i}`, 'Ahmed Yousef Zomlot', { dateOfBirth: '1990-01-01', passportNumber: 'Z9999999' }),
    );
    const result = dedupe(records, { maxClusterSize: 5 });
    const sizes = new Map<string, number>();
    for (const id of result.clusterIds) sizes.set(id, (sizes.get(id) ?? 0) + 1);
    expect(Math.max(...sizes.values())).toBe(5);
  });
});

describe('matchList', () => {
  it('gives the same candidates from raw records (streamed) and from a prepared registry (indexed)', () => {
    const registry: NameRecord[] = [];
    for (const given of ['Mohammed', 'Ahmed', 'Omar', 'Huda', 'Fatima', 'Youssef']) {
      for (const family of ['Nassar', 'Ashour', 'Zomlot', 'Kahlout']) {
        for (const father of ['Khaled', 'Ibrahim']) {
          const n = registry.length;
          registry.push(person(`r${n}`, `${given} ${father} ${family}`, { dateOfBirth: `${1950 + n}` }));
        }
      }
    }
    const list = registry
      .filter((_, i) => i % 5 === 0)
      .map((record, i) =>
        person(`l${i}`, record.fullName.toUpperCase(), { dateOfBirth: record.dateOfBirth }),
      );
    const streamed = matchList(registry, list);
    expect(streamed.length).toBeGreaterThanOrEqual(list.length);
    expect(streamed).toEqual(matchList(prepareRegistry(registry), list));
  });

  it('returns candidates best first, in bands, and leaves out rows without candidates', () => {
    const registry = [
      person('r1', 'Mohammed Abdelrahman Nassar', { dateOfBirth: '1990-03-04' }),
      person('r2', 'Mohammed Abdelrahman Nassar', { dateOfBirth: '1962' }),
      person('r3', 'Huda Ashour', { dateOfBirth: '2001-01-01' }),
    ];
    const list = [
      person('l1', 'محمد عبد الرحمن نصار', { dateOfBirth: '1990-03-04' }),
      person('l2', 'Zeina Kahlout', { dateOfBirth: '1999-02-02' }),
    ];
    const hits = matchList(registry, list);
    expect(hits[0]).toMatchObject({ listId: 'l1', registryId: 'r1', decision: 'match' });
    expect(hits.every((hit) => hit.listId === 'l1')).toBe(true);
    for (let k = 1; k < hits.length; k++)
      expect(hits[k - 1]?.score ?? 0).toBeGreaterThanOrEqual(hits[k]?.score ?? 0);
  });
});

describe('compareRecords against a prepared registry', () => {
  it('gives the score matchList gives, and leaves the registry frequencies alone', () => {
    const registry = prepareRegistry([
      person('r1', 'Huda Khaled Ashour', { dateOfBirth: '1990-01-01' }),
      person('r2', 'Huda Omar Ashour', { dateOfBirth: '1975' }),
      person('r3', 'Maryam Youssef Nassar'),
    ]);
    const row = person('l1', 'HUDA KHALID ASHOUR', { dateOfBirth: '1990-01-01' });
    const before = registry.records.lexicon.recordCount;
    const [best] = matchList(registry, [row]);
    const explained = compareRecords(person('r1', 'Huda Khaled Ashour', { dateOfBirth: '1990-01-01' }), row, {
      context: registry,
    });
    expect(best?.registryId).toBe('r1');
    expect(explained.score).toBeCloseTo(best?.score ?? 0, 1);
    compareRecords(row, row, { context: registry });
    expect(registry.records.lexicon.recordCount).toBe(before);
  });
});
