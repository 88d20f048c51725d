import { randomView } from '../../lib/random-pool.js';

/**
 * Reference codes people read out over a bad phone line: `K7R-4MX-9PD`. The alphabet leaves out
 * characters that are easy to confuse (0/O/Q, 1/I/L, 5/S, 2/Z, U/V); the alphabet size is
 * even because the Luhn mod N doubling step is a permutation only then, and the last character is a
 * Luhn mod N check character, so any single mistyped character and most swapped neighbours are
 * caught before a lookup.
 */
export const REFERENCE_ALPHABET = '346789ABCDEFGHJKMNPRTWXY';
const N = REFERENCE_ALPHABET.length;

function checkCharacter(body: string): string {
  let factor = 2;
  let sum = 0;
  for (let i = body.length - 1; i >= 0; i -= 1) {
    let addend = factor * REFERENCE_ALPHABET.indexOf(body[i]!);
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / N) + (addend % N);
    sum += addend;
  }
  return REFERENCE_ALPHABET[(N - (sum % N)) % N]!;
}

/** A new random reference code (8 random characters + 1 check character, ~36.7 bits). */
export function newReferenceCode(): string {
  let body = '';
  while (body.length < 8) {
    // Uniform over the alphabet by rejection sampling: bytes of 240 and above are drawn again.
    for (const byte of randomView(16)) {
      if (byte < 240) body += REFERENCE_ALPHABET[byte % N];
      if (body.length === 8) break;
    }
  }
  const code = body + checkCharacter(body);
  return `${code.slice(0, 3)}-${code.slice(3, 6)}-${code.slice(6)}`;
}

/**
 * The canonical form of a typed reference (case, spaces and dashes ignored), or undefined when it
 * cannot be one of ours (wrong length, foreign character, bad check character).
 */
export function normaliseReferenceCode(input: string): string | undefined {
  const raw = input.toUpperCase().replace(/[\s-]/g, '');
  if (raw.length !== 9) return undefined;
  for (const ch of raw) if (!REFERENCE_ALPHABET.includes(ch)) return undefined;
  if (checkCharacter(raw.slice(0, 8)) !== raw[8]) return undefined;
  return `${raw.slice(0, 3)}-${raw.slice(3, 6)}-${raw.slice(6)}`;
}
