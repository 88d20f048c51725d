import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GSM_LIMITS, isGsm7, smsInfo, UCS2_LIMITS } from './segments.js';

const GSM_BASIC_SAMPLE = [
  ...'@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡AZÄÖÑÜ§¿azäöñüà\n',
];
const GSM_EXT = [...'^{}\\[~]|€'];
const ARABIC = [...'ابتثجحخدذرزسشصضطظعغفقكلمنهوي ،؟'];
const EMOJI = ['😀', '🚌', '✈️', '🇺🇸'];

const gsmText = fc
  .array(fc.constantFrom(...GSM_BASIC_SAMPLE, ...GSM_EXT), { maxLength: 700 })
  .map((a) => a.join(''));
const anyText = fc
  .array(fc.constantFrom(...GSM_BASIC_SAMPLE, ...GSM_EXT, ...ARABIC, ...EMOJI, 'ç', 'ê'), { maxLength: 500 })
  .map((a) => a.join(''));

describe('SMS segments', () => {
  it('counts known cases exactly', () => {
    expect(smsInfo('')).toMatchObject({ encoding: 'GSM-7', units: 0, segments: 1 });
    expect(smsInfo('a'.repeat(160))).toMatchObject({
      encoding: 'GSM-7',
      units: 160,
      segments: 1,
      remaining: 0,
    });
    expect(smsInfo('a'.repeat(161))).toMatchObject({ units: 161, segments: 2, perSegment: 153 });
    expect(smsInfo('a'.repeat(306))).toMatchObject({ segments: 2, remaining: 0 });
    expect(smsInfo('a'.repeat(307))).toMatchObject({ segments: 3 });
    // The euro sign costs two septets: 80 of them fill one message exactly.
    expect(smsInfo('€'.repeat(80))).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsInfo('€'.repeat(81))).toMatchObject({ units: 162, segments: 2 });
    // An escape pair is never split: 152 plain septets then '€' needs a second part.
    expect(smsInfo(`${'a'.repeat(152)}€${'a'.repeat(10)}`)).toMatchObject({ units: 164, segments: 2 });
    // 306 septets would fill two parts, but the pair that did not fit pushes one septet into a third.
    expect(smsInfo(`${'a'.repeat(152)}€${'a'.repeat(152)}`)).toMatchObject({ units: 306, segments: 3 });
    // Arabic forces UCS-2: 70 / 67.
    expect(smsInfo('س'.repeat(70))).toMatchObject({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(smsInfo('س'.repeat(71))).toMatchObject({ units: 71, segments: 2, perSegment: 67 });
    expect(smsInfo('س'.repeat(134))).toMatchObject({ segments: 2 });
    expect(smsInfo('س'.repeat(135))).toMatchObject({ segments: 3 });
    // An emoji is two UTF-16 code units and a pair does not straddle two parts.
    expect(smsInfo('😀')).toMatchObject({ encoding: 'UCS-2', units: 2, segments: 1 });
    expect(smsInfo('😀'.repeat(35))).toMatchObject({ units: 70, segments: 1 });
    expect(smsInfo(`${'x'.repeat(66)}😀${'x'.repeat(10)}`)).toMatchObject({
      units: 78,
      segments: 2,
      remaining: 55,
    });
    expect(smsInfo(`${'ç'.repeat(66)}😀`)).toMatchObject({ units: 68, segments: 1 });
    // 'ç' is not in GSM-7 (only 'Ç' is); 'é' is.
    expect(isGsm7('ç')).toBe(false);
    expect(isGsm7('é')).toBe(true);
  });

  it('GSM-7 exactly when every character is in the alphabet, counting extension characters twice', () => {
    fc.assert(
      fc.property(gsmText, (text) => {
        const info = smsInfo(text);
        expect(info.encoding).toBe('GSM-7');
        const ext = [...text].filter((c) => GSM_EXT.includes(c)).length;
        expect(info.units).toBe([...text].length + ext);
        if (info.units <= GSM_LIMITS.single) expect(info.segments).toBe(1);
        else {
          expect(info.segments).toBeGreaterThanOrEqual(Math.ceil(info.units / GSM_LIMITS.multi));
          // A part loses at most one septet to an escape pair that did not fit.
          expect(info.segments).toBeLessThanOrEqual(Math.ceil(info.units / (GSM_LIMITS.multi - 1)));
        }
      }),
    );
  });

  it('UCS-2 counts UTF-16 code units, and the segment count never drops when text grows', () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom(...GSM_BASIC_SAMPLE, ...ARABIC, ...EMOJI), (text, extra) => {
        const info = smsInfo(text);
        if (info.encoding === 'UCS-2') {
          expect(info.units).toBe(text.length);
          expect([...text].some((c) => !isGsm7(c))).toBe(true);
          if (info.units <= UCS2_LIMITS.single) expect(info.segments).toBe(1);
          else expect(info.segments).toBeGreaterThanOrEqual(Math.ceil(info.units / UCS2_LIMITS.multi));
        }
        expect(info.remaining).toBeGreaterThanOrEqual(0);
        expect(smsInfo(text + extra).segments).toBeGreaterThanOrEqual(info.segments);
      }),
    );
  });
});
