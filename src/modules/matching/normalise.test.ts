import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldArabic } from './normalise-arabic.js';
import { foldLatin } from './normalise-latin.js';
import { foldName, normaliseName } from './normalise-name.js';
import { arabicSkeleton, phoneticSkeleton } from './phonetic.js';
import { romaniseArabic } from './romanise.js';

describe('foldArabic', () => {
  it('merges hamza seats, ta marbuta and alef maqsura, drops harakat and tatweel', () => {
    expect(foldArabic('أحمد')).toBe('احمد');
    expect(foldArabic('إبراهيم')).toBe('ابراهيم');
    expect(foldArabic('آمنة')).toBe('امنه');
    expect(foldArabic('مُصْطَفَى')).toBe('مصطفي');
    expect(foldArabic('مـحـمـد')).toBe('محمد');
    expect(foldArabic('فؤاد')).toBe('فواد');
    expect(foldArabic('وائل')).toBe('وايل');
  });

  it('reads presentation forms from PDF extraction as plain letters', () => {
    expect(foldArabic('ﻣﺤﻤﺪ')).toBe('محمد');
  });

  it('is idempotent and never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const once = foldArabic(text);
        expect(foldArabic(once)).toBe(once);
      }),
    );
  });
});

describe('foldLatin', () => {
  it('lower-cases, removes accents and apostrophes, detaches hyphenated articles', () => {
    expect(foldLatin('Sa’ad El-Hélou')).toBe('saad al helou');
    expect(foldLatin('ash-Shawa')).toBe('al shawa');
    expect(foldLatin('Çelik Øre')).toBe('celik ore');
  });

  it('is idempotent and never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const once = foldLatin(text);
        expect(foldLatin(once)).toBe(once);
      }),
    );
  });
});

describe('normaliseName', () => {
  it('joins abd compounds written apart, glued or with the article', () => {
    for (const name of [
      'Abdelrahman',
      'Abd al-Rahman',
      'Abdul Rahman',
      'abd el rahman',
      'Abdurrahman',
      'ABDULRAHMAN',
    ]) {
      expect(normaliseName(name)).toEqual(['abd:rahman']);
    }
    expect(normaliseName('عبد الرحمن')).toEqual(['abd:رحمن']);
    expect(normaliseName('عبدالرحمن')).toEqual(['abd:رحمن']);
    expect(normaliseName('عبدالله')).toEqual(['abd:الله']);
    expect(normaliseName('Abdullah')).toEqual(['abd:lah']);
  });

  it('joins abu compounds and strips articles', () => {
    expect(normaliseName('Abu Shamala')).toEqual(['abu:shamala']);
    expect(normaliseName('Abushamala')).toEqual(['abu:shamala']);
    expect(normaliseName('أبو شمالة')).toEqual(['abu:شماله']);
    expect(normaliseName('Ahmed al-Masri')).toEqual(['ahmed', 'masri']);
    expect(normaliseName('Ahmed Elmasri')).toEqual(['ahmed', 'masri']);
    expect(normaliseName('أحمد المصري')).toEqual(['احمد', 'مصري']);
  });

  it('puts "LAST, First" back in order and drops titles and particles', () => {
    expect(normaliseName('NASSAR, Dr. Mohammed Ahmed')).toEqual(['mohammed', 'ahmed', 'nassar']);
    expect(normaliseName('Sheikh Khaled bin Walid')).toEqual(['khaled', 'walid']);
    expect(normaliseName('الحاج خالد بن وليد')).toEqual(['خالد', 'وليد']);
  });

  it('keeps a name that is only a title rather than returning nothing', () => {
    expect(normaliseName('Hajj')).toEqual(['hajj']);
  });

  it('never throws and never yields empty units, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (text) => {
        for (const unit of normaliseName(text)) expect(unit.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same units for a name and its own folded form (folding is stable)', () => {
    const arabicLetters = fc.constantFrom(...'ابتثجحخدذرزسشصضطظعغفقكلمنهويأإآةىؤئ ًٌٍَُِّْـ'.split(''));
    const latinLetters = fc.constantFrom(..."abdehiklmnorstuyz -,'".split(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: arabicLetters }), fc.string({ unit: latinLetters })), (text) => {
        expect(normaliseName(foldName(text))).toEqual(normaliseName(text));
      }),
      { numRuns: 500 },
    );
  });
});

describe('phonetic skeleton', () => {
  it('brings transliteration variants together', () => {
    const groups = [
      ['mohammed', 'muhammad', 'mouhamad', 'mohamed'],
      ['youssef', 'yusuf', 'yousif'],
      ['khaled', 'khalid'],
      ['hussein', 'husain', 'hossein'],
      ['fatima', 'fatimah'],
    ];
    for (const group of groups) {
      const keys = new Set(group.map(phoneticSkeleton));
      expect(keys.size, group.join('/')).toBe(1);
    }
  });

  it('meets the romanised Arabic spelling', () => {
    expect(arabicSkeleton('محمد')).toBe(phoneticSkeleton('Muhammad'));
    expect(arabicSkeleton('يوسف')).toBe(phoneticSkeleton('Youssef'));
    expect(arabicSkeleton('دحدوح')).toBe(phoneticSkeleton('Dahdouh'));
    expect(arabicSkeleton('خالد')).toBe(phoneticSkeleton('Khalid'));
  });

  it('keeps how a word starts', () => {
    expect(phoneticSkeleton('Ibrahim')).not.toBe(phoneticSkeleton('Brahim'));
  });

  it('romanises letter by letter', () => {
    expect(romaniseArabic('محمود')).toBe('mhmud');
    expect(romaniseArabic('وليد')).toBe('wlid');
  });

  it('never throws and yields only key characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        expect(phoneticSkeleton(text)).toMatch(/^[A-Za-z]*$/);
        expect(arabicSkeleton(foldArabic(text))).toMatch(/^[A-Za-z]*$/);
      }),
    );
  });
});
