/**
 * SMS length and segment count (pure). A text that fits the GSM 03.38 default alphabet is sent in
 * GSM-7: 160 septets in one message, 153 per part once it has to be split (the rest of each part
 * carries the concatenation header); characters of the extension table (€ [ ] { } ^ ~ | \ and form
 * feed) cost two septets, an escape and the character, and the pair is never split across parts.
 * Anything else (Arabic, most accents, emoji) forces UCS-2: 70 UTF-16 code units in one message,
 * 67 per part; a character outside the Basic Multilingual Plane (most emoji) is a surrogate pair of
 * two code units that is never split across parts either.
 */

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsInfo {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
  /** Units one part holds for this text: 160/153 (GSM-7) or 70/67 (UCS-2). */
  perSegment: number;
  /** Units left in the last part before another part is needed. */
  remaining: number;
}

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '^{}\\[~]|€\f';

const basic = new Set(GSM_BASIC);
const extension = new Set(GSM_EXTENSION);

export const GSM_LIMITS = { single: 160, multi: 153 } as const;
export const UCS2_LIMITS = { single: 70, multi: 67 } as const;

/** True when every character of the text is in the GSM-7 default alphabet or its extension table. */
export function isGsm7(text: string): boolean {
  for (const ch of text) if (!basic.has(ch) && !extension.has(ch)) return false;
  return true;
}

/** Cost in units of each indivisible piece of the text, in order. */
function pieces(text: string, encoding: SmsEncoding): number[] {
  const out: number[] = [];
  // `for…of` walks code points: a surrogate pair arrives as one piece of length 2.
  for (const ch of text) out.push(encoding === 'GSM-7' ? (extension.has(ch) ? 2 : 1) : ch.length);
  return out;
}

/** Parts needed when pieces may not straddle two parts. */
function pack(costs: number[], perPart: number): { parts: number; lastFill: number } {
  let parts = 1;
  let fill = 0;
  for (const c of costs) {
    if (fill + c > perPart) {
      parts += 1;
      fill = 0;
    }
    fill += c;
  }
  return { parts, lastFill: fill };
}

/** Length, encoding and segment count of an SMS text. An empty text is one (empty) message. */
export function smsInfo(text: string): SmsInfo {
  const encoding: SmsEncoding = isGsm7(text) ? 'GSM-7' : 'UCS-2';
  const limits = encoding === 'GSM-7' ? GSM_LIMITS : UCS2_LIMITS;
  const costs = pieces(text, encoding);
  const units = costs.reduce((a, b) => a + b, 0);
  if (units <= limits.single) {
    return { encoding, units, segments: 1, perSegment: limits.single, remaining: limits.single - units };
  }
  const { parts, lastFill } = pack(costs, limits.multi);
  return { encoding, units, segments: parts, perSegment: limits.multi, remaining: limits.multi - lastFill };
}
