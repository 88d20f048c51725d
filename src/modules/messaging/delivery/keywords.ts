/**
 * Keyword replies in English, French and Arabic, matched case- and diacritic-insensitively with
 * the variants people actually type (alef forms, taa marbuta, Arabic-Indic digits). Pure.
 */
import { foldLetters } from '../../persons/person-normalise.js';

export type ReplyKeyword = 'safe' | 'leave' | 'stay' | 'help' | 'yes';

/** Folds a reply: folded letters (as the registry search), Western digits, single spaces. */
export function foldReply(text: string): string {
  return foldLetters(text)
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Whole-message phrases per keyword (already folded). */
const PHRASES: Record<ReplyKeyword, string[]> = {
  safe: [
    'safe',
    'i am safe',
    'im safe',
    'sur',
    'en securite',
    'je suis en securite',
    'امن',
    'انا امن',
    'بخير',
    'انا بخير',
    'نحن بخير',
  ],
  leave: [
    'leave',
    'i want to leave',
    'partir',
    'je veux partir',
    'مغادره',
    'المغادره',
    'اريد المغادره',
    'نريد المغادره',
  ],
  stay: ['stay', 'i will stay', 'rester', 'je reste', 'البقاء', 'بقاء', 'اريد البقاء', 'سابقي'],
  help: ['help', 'sos', 'aide', 'au secours', 'مساعده', 'المساعده', 'اريد مساعده', 'النجده'],
  yes: ['yes', 'y', 'oui', 'نعم', 'ايوه'],
};
/** A help request may carry its reason after the keyword ("HELP my father is injured"). */
const PREFIX_OK: ReadonlySet<ReplyKeyword> = new Set(['help']);

const lookup = new Map<string, ReplyKeyword>();
for (const [keyword, phrases] of Object.entries(PHRASES) as [ReplyKeyword, string[]][])
  for (const p of phrases) lookup.set(p, keyword);

/** The keyword a reply carries, or null for free text. */
export function parseKeyword(text: string): ReplyKeyword | null {
  const folded = foldReply(text);
  const exact = lookup.get(folded);
  if (exact) return exact;
  for (const keyword of PREFIX_OK)
    for (const p of PHRASES[keyword]) if (folded.startsWith(`${p} `)) return keyword;
  return null;
}

/** A numbered answer ("2", "٢") to "which member?", or null. */
export function parseMemberNumber(text: string): number | null {
  const folded = foldReply(text);
  return /^\d{1,2}$/.test(folded) ? Number(folded) : null;
}
