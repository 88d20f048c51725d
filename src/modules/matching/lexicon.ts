/**
 * Interning of name units. Every distinct unit key (normalised spelling) gets a small integer id
 * once, with its canonical name id(s), phonetic skeleton id and whether the curated table knows
 * it; records then hold only Int32 ids, which keeps a million registrations small in memory and
 * makes the hot comparison loop integer compares. Registry and list must share one lexicon so
 * that their ids mean the same thing.
 */

import { lookupNameCanons, namePrior } from './name-equivalents.js';
import { ARABIC_CHAR } from './normalise-arabic.js';
import { arabicSkeleton, phoneticSkeleton } from './phonetic.js';
import { romaniseArabic } from './romanise.js';

/** Interned name units and the value tables (passports, phones...) of one matching run. */
export class NameLexicon {
  private readonly unitIds = new Map<string, number>();
  /** Unit key (normalised spelling) by unit id. */
  readonly unitKey: string[] = [];
  /** Primary canonical id by unit id. */
  readonly canon: number[] = [];
  /** Second canonical id when the spelling is ambiguous, else -1. */
  readonly canonAlt: number[] = [];
  readonly skeletonId: number[] = [];
  /** 1 when the curated table lists the spelling (two different listed names never count as close). */
  readonly known: number[] = [];
  /** 1 for Arabic-script units (text similarity is only meaningful within one script). */
  readonly arabic: number[] = [];
  /** Set of characters of each unit key (32 buckets), for a cheap "cannot be close" test. */
  readonly textMask: number[] = [];

  private readonly canonIds = new Map<string, number>();
  /** Canonical name by canonical id ("mohammed", "abd:rahman", or "~spelling" for unlisted parts). */
  readonly canonName: string[] = [];
  /** Number of prepared records holding each canonical id (for frequency weights). */
  readonly canonRecordCount: number[] = [];

  private readonly skeletonIds = new Map<string, number>();
  readonly skeleton: string[] = [];
  /** Number of prepared records holding each skeleton (weights of the "close" level). */
  readonly skeletonRecordCount: number[] = [];
  /** Set of characters of each skeleton (32 buckets). */
  readonly skeletonMask: number[] = [];

  private readonly values = new Map<string, number>();
  /** Interned field values with few distinct values (nationalities) by value id. */
  readonly valueText: string[] = [];

  /** Number of prepared records holding each full date of birth (yyyymmdd), for its weight. */
  readonly dobRecordCount = new Map<number, number>();

  /** Records prepared with this lexicon (denominator of the frequency weights). */
  recordCount = 0;

  /** Id of a unit key, creating it on first sight. */
  internUnit(key: string): number {
    const existing = this.unitIds.get(key);
    if (existing !== undefined) return existing;
    const id = this.unitKey.length;
    this.unitIds.set(key, id);
    this.unitKey.push(key);
    const resolved = resolveUnit(key);
    this.canon.push(this.internCanon(resolved.canons[0] ?? `~${key}`));
    this.canonAlt.push(resolved.canons[1] === undefined ? -1 : this.internCanon(resolved.canons[1]));
    this.skeletonId.push(this.internSkeleton(resolved.skeleton));
    this.known.push(resolved.known ? 1 : 0);
    this.arabic.push(resolved.arabic ? 1 : 0);
    this.textMask.push(letterMask(key));
    return id;
  }

  /** Id of a canonical name, creating it on first sight. */
  internCanon(name: string): number {
    const existing = this.canonIds.get(name);
    if (existing !== undefined) return existing;
    const id = this.canonName.length;
    this.canonIds.set(name, id);
    this.canonName.push(name);
    this.canonRecordCount.push(0);
    return id;
  }

  private internSkeleton(skeleton: string): number {
    const existing = this.skeletonIds.get(skeleton);
    if (existing !== undefined) return existing;
    const id = this.skeleton.length;
    this.skeletonIds.set(skeleton, id);
    this.skeleton.push(skeleton);
    this.skeletonRecordCount.push(0);
    this.skeletonMask.push(letterMask(skeleton));
    return id;
  }

  /** Id of a field value (prefix the kind, e.g. "n:" for nationalities), or -1 for an empty value. */
  internValue(text: string): number {
    const existing = this.values.get(text);
    if (existing !== undefined) return existing;
    const id = this.valueText.length;
    this.values.set(text, id);
    this.valueText.push(text);
    return id;
  }

  /** Human-readable form of a unit (Arabic units also show their romanisation). */
  describeUnit(id: number): string {
    const key = this.unitKey[id] ?? '';
    return this.arabic[id] === 1 ? `${key} (${romaniseArabic(key.replace(/^ab[du]:/, ''))})` : key;
  }

  /** Prior share of records holding a canonical part, from the curated table or a default. */
  priorShare(canonId: number): number {
    const name = this.canonName[canonId] ?? '';
    const colon = name.indexOf(':');
    // Compounds are rarer than their rest: "abd:rahman" is one given name among many.
    if (colon > 0) return (namePrior(name.slice(colon + 1)) ?? UNLISTED_PRIOR) * 0.5;
    return namePrior(name) ?? UNLISTED_PRIOR;
  }
}

/** Characters of a string folded into 32 buckets (bit i set when some char code ≡ i mod 32). */
function letterMask(text: string): number {
  let mask = 0;
  for (let i = 0; i < text.length; i++) mask |= 1 << (text.charCodeAt(i) & 31);
  return mask;
}

/** Prior share of a part the curated table does not list: rare until the data says otherwise. */
const UNLISTED_PRIOR = 0.0005;

interface ResolvedUnit {
  canons: string[];
  skeleton: string;
  known: boolean;
  arabic: boolean;
}

function resolvePart(part: string): ResolvedUnit {
  const arabic = ARABIC_CHAR.test(part);
  const canons = lookupNameCanons(part);
  return {
    canons: canons === undefined ? [] : [...canons],
    skeleton: arabic ? arabicSkeleton(part) : phoneticSkeleton(part),
    known: canons !== undefined,
    arabic,
  };
}

/** Resolves a unit key, including "abd:rest" and "abu:rest" compounds. */
function resolveUnit(key: string): ResolvedUnit {
  const colon = key.indexOf(':');
  if (colon < 0) return resolvePart(key);
  const prefix = key.slice(0, colon);
  const rest = resolvePart(key.slice(colon + 1));
  return {
    canons: rest.canons.map((canon) => `${prefix}:${canon}`),
    skeleton: `${prefix === 'abd' ? 'Abd' : 'Ab'}|${rest.skeleton}`,
    known: rest.known,
    arabic: rest.arabic,
  };
}
