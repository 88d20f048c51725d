/**
 * Synthetic registry with known truth for the matching benchmark: households (parents share the
 * father's chain with their children, siblings share father and grandfather), several
 * registrations per person through different channels, transliteration variants and unseen
 * spellings, typos, missing or year-only dates, partial and reordered name chains, shared
 * family phones, and a published list drawn from the same population. Every person is invented.
 */
import type { NameRecord } from '../../src/modules/matching/index.js';
import { createRandom, familyNames, givenNames, type NamePart } from './synthetic-names.js';

interface Person {
  sex: 1 | 2;
  given: NamePart;
  father: NamePart;
  grandfather: NamePart;
  family: NamePart;
  dob: [number, number, number];
  passport: string | undefined;
  phone: string;
}

/** A generated data set: records with the person (entity) behind each. */
export interface SyntheticData {
  registry: NameRecord[];
  /** Entity of each registry record. */
  registryEntity: Int32Array;
  list: NameRecord[];
  /** Entity of each list row; entities without registrations are not in the registry. */
  listEntity: Int32Array;
  persons: number;
}

/** Picks an index with a Zipf-like skew (a few very common names, a long tail). */
function zipf(random: () => number, size: number, exponent: number): number {
  return Math.min(size - 1, Math.floor(size * random() ** exponent));
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** Unseen spellings: what a clerk may write that no table lists. */
function mutateSpelling(random: () => number, word: string): string {
  const rules: Array<[RegExp, string]> = [
    [/e/, 'i'],
    [/ou/, 'u'],
    [/u/, 'ou'],
    [/a/, 'aa'],
    [/([bdfklmnrst])\1/, '$1'],
    [/(?<=[aeiou])([bdfklmnrst])(?=[aeiou])/, '$1$1'],
    [/i/, 'ee'],
    [/a$/, 'ah'],
  ];
  for (let attempt = 0; attempt < 4; attempt++) {
    const [pattern, replacement] = pick(random, rules);
    const mutated = word.replace(pattern, replacement);
    if (mutated !== word) return mutated;
  }
  return word;
}

/** One keyboard typo: substitution, deletion or transposition. */
function typo(random: () => number, word: string): string {
  if (word.length < 4) return word;
  const at = 1 + Math.floor(random() * (word.length - 2));
  const kind = random();
  if (kind < 0.4) return word.slice(0, at) + pick(random, [...'aeioulnrsmdh']) + word.slice(at + 1);
  if (kind < 0.7) return word.slice(0, at) + word.slice(at + 1);
  return word.slice(0, at - 1) + word[at] + word[at - 1] + word.slice(at + 1);
}

function capitalise(word: string): string {
  return word.replace(
    /(^|[\s-])([a-z])/g,
    (_, space: string, letter: string) => space + letter.toUpperCase(),
  );
}

function spellLatin(random: () => number, part: NamePart, isFamily: boolean): string {
  const variants = part.latin;
  let word = variants[zipf(random, variants.length, 2)] ?? '';
  if (random() < 0.08) word = mutateSpelling(random, word);
  if (isFamily && part.article) word = pick(random, ['al-', 'el-', 'al ', 'el ', 'al', '']) + word;
  return capitalise(word);
}

function spellArabic(part: NamePart, isFamily: boolean): string {
  return isFamily && part.article ? `ال${part.arabic}` : part.arabic;
}

function pad(value: number): string {
  return value < 10 ? `0${value}` : `${value}`;
}

/** Renders one registration (or list row) of a person. */
function render(
  random: () => number,
  person: Person,
  id: string,
  style: 'registration' | 'list',
): NameRecord {
  const arabic = style === 'registration' && random() < 0.3;
  const shape = random();
  // Chains: full four parts, three (no grandfather), two (given + family). Lists published by a
  // crossing authority are typed from identity documents: mostly full chains.
  const [fourParts, threeParts] = style === 'list' ? [0.65, 0.95] : [0.55, 0.85];
  const chain =
    shape < fourParts
      ? [person.given, person.father, person.grandfather, person.family]
      : shape < threeParts
        ? [person.given, person.father, person.family]
        : [person.given, person.family];
  const words = chain.map((part, k) => {
    const isFamily = k === chain.length - 1;
    return arabic ? spellArabic(part, isFamily) : spellLatin(random, part, isFamily);
  });
  if (!arabic && random() < 0.05) {
    const k = Math.floor(random() * words.length);
    words[k] = typo(random, words[k] ?? '');
  }
  let fullName = words.join(' ');
  const order = random();
  if (!arabic && order < 0.1) fullName = `${words.at(-1)?.toUpperCase()}, ${words.slice(0, -1).join(' ')}`;
  else if (!arabic && order < 0.15) fullName = [words.at(-1), ...words.slice(0, -1)].join(' ');
  if (!arabic && (style === 'list' || random() < 0.2)) fullName = fullName.toUpperCase();
  const record: NameRecord = { id, fullName };
  const [year, month, day] = person.dob;
  const dateDraw = random();
  // Intake forms ask for the date of birth; relatives registering someone do not always know it.
  const dateShare = style === 'list' ? 0.88 : 0.75;
  if (dateDraw < dateShare) {
    let [m, d] = [month, day];
    if (random() < 0.02 && day <= 12) [m, d] = [day, month];
    record.dateOfBirth = `${year}-${pad(m)}-${pad(d)}`;
  } else if (dateDraw < dateShare + 0.13) record.dateOfBirth = `${year}`;
  if (person.passport !== undefined && random() < (style === 'list' ? 0.5 : 0.6)) {
    record.passportNumber = random() < 0.01 ? typo(random, person.passport) : person.passport;
  }
  if (random() < 0.8) record.sex = person.sex === 1 ? 'M' : 'F';
  if (style === 'registration' && random() < 0.7) record.phone = person.phone;
  return record;
}

/** Options of {@link generateSyntheticData}. */
export interface SyntheticOptions {
  records: number;
  listSize: number;
  seed?: number;
}

/** Generates a registry of about `records` registrations and a list of `listSize` rows. */
export function generateSyntheticData(options: SyntheticOptions): SyntheticData {
  const random = createRandom(options.seed ?? 20231101);
  const { male, female } = givenNames();
  const families = familyNames(random, 1600);
  const persons: Person[] = [];
  // Registrations per person: 1 (55%), 2 (30%), 3 (12%), 4 (3%); mean 1.63.
  const targetPersons = Math.ceil(options.records / 1.5) + Math.ceil(options.listSize * 0.06);
  let serial = 0;
  const passport = (): string | undefined =>
    random() < 0.5
      ? `${pick(random, ['A', 'B', 'P'])}${String(10_000_000 + serial++ * 7919).slice(-8)}`
      : undefined;
  const givenOf = (sex: 1 | 2): NamePart =>
    sex === 1
      ? (male[zipf(random, male.length, 2.2)] as NamePart)
      : (female[zipf(random, female.length, 1.8)] as NamePart);
  while (persons.length < targetPersons) {
    const family = families[zipf(random, families.length, 1.6)] as NamePart;
    const grandfather = givenOf(1);
    const fatherFather = givenOf(1);
    const fatherGiven = givenOf(1);
    const phone = `59${String(Math.floor(random() * 1e7)).padStart(7, '0')}`;
    const fatherYear = 1950 + Math.floor(random() * 40);
    const dob = (year: number): [number, number, number] => [
      year,
      1 + Math.floor(random() * 12),
      1 + Math.floor(random() * 28),
    ];
    persons.push({
      sex: 1,
      given: fatherGiven,
      father: fatherFather,
      grandfather,
      family,
      dob: dob(fatherYear),
      passport: passport(),
      phone,
    });
    const motherFamily = families[zipf(random, families.length, 1.6)] as NamePart;
    persons.push({
      sex: 2,
      given: givenOf(2),
      father: givenOf(1),
      grandfather: givenOf(1),
      family: motherFamily,
      dob: dob(fatherYear + Math.floor(random() * 8)),
      passport: passport(),
      phone,
    });
    const children = Math.floor(random() * 6);
    const used = new Set<NamePart>();
    for (let c = 0; c < children; c++) {
      const sex: 1 | 2 = random() < 0.5 ? 1 : 2;
      let given = givenOf(sex);
      for (let retry = 0; used.has(given) && retry < 5; retry++) given = givenOf(sex); // parents do not name two children alike
      used.add(given);
      persons.push({
        sex,
        given,
        father: fatherGiven,
        grandfather: fatherFather,
        family,
        dob: dob(fatherYear + 20 + Math.floor(random() * 25)),
        passport: passport(),
        phone,
      });
    }
  }
  const registry: NameRecord[] = [];
  const entities: number[] = [];
  const registered = new Uint8Array(persons.length);
  for (let p = 0; p < persons.length && registry.length < options.records; p++) {
    const draw = random();
    const copies = draw < 0.55 ? 1 : draw < 0.85 ? 2 : draw < 0.97 ? 3 : 4;
    // A few persons never register: they can still appear on a published list.
    if (random() < 0.04) continue;
    registered[p] = 1;
    for (let c = 0; c < copies && registry.length < options.records; c++) {
      registry.push(render(random, persons[p] as Person, `R${registry.length + 1}`, 'registration'));
      entities.push(p);
    }
  }
  const list: NameRecord[] = [];
  const listEntity: number[] = [];
  const chosen = new Set<number>();
  while (list.length < options.listSize && chosen.size < persons.length) {
    const p = Math.floor(random() * persons.length);
    if (chosen.has(p)) continue;
    chosen.add(p);
    list.push(render(random, persons[p] as Person, `L${list.length + 1}`, 'list'));
    listEntity.push(p);
  }
  // Shuffle the registry so that records of one person are not adjacent (as after real intake).
  for (let i = registry.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [registry[i], registry[j]] = [registry[j] as NameRecord, registry[i] as NameRecord];
    [entities[i], entities[j]] = [entities[j] as number, entities[i] as number];
  }
  return {
    registry,
    registryEntity: Int32Array.from(entities),
    list,
    listEntity: Int32Array.from(listEntity),
    persons: persons.length,
  };
}
