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

/** `count` characters drawn uniformly from the alphabet (rejection sampling: bytes ≥ 240 are drawn again). */
function randomCharacters(count: number): string {
  let out = '';
  while (out.length < count) {
    for (const byte of randomView(16)) {
      if (byte < 240) out += REFERENCE_ALPHABET[byte % N];
      if (out.length === count) break;
    }
  }
  return out;
}

/** How many codes in a row share a prefix (see newReferenceCode). */
export const REFERENCE_RUN = 256;
let runPrefix = '';
let runLeft = 0;
/** The codes of the current run: a run never repeats one (so clashes stay as rare as with fully random codes). */
const runCodes = new Set<string>();

/**
 * A new reference code: 8 random characters + 1 check character (~36.7 bits). The first three
 * characters are drawn at random once for a run of REFERENCE_RUN codes of this process, the other
 * five for every code. Over time the codes are spread as evenly as fully random ones (the prefix
 * is random, so it tells nothing about when or in which order households registered), but the
 * codes of one surge batch sit next to each other in the unique index on `households.reference`:
 * a batch of 50 registrations writes a few index pages instead of 50 random ones, which is what
 * each durable commit pays for (ADR 0007). A reference is a name, not a secret: every private
 * page also needs the 128-bit update secret.
 */
export function newReferenceCode(): string {
  if (runLeft === 0) {
    runPrefix = randomCharacters(3);
    runLeft = REFERENCE_RUN;
    runCodes.clear();
  }
  runLeft -= 1;
  let body = runPrefix + randomCharacters(5);
  while (runCodes.has(body)) body = runPrefix + randomCharacters(5);
  runCodes.add(body);
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
