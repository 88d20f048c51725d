import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

// The console's catalogues must say the same things in every language, with every plural form the
// language needs (Arabic has six), and the same {{placeholders}}.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PLURAL = /_(zero|one|two|few|many|other)$/;

type Tree = { [key: string]: string | Tree };

function load(locale: string): Tree {
  return (JSON.parse(readFileSync(`${ROOT}locales/${locale}.json`, 'utf8')) as { console: Tree }).console;
}

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(`${prefix}${key}`, value);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*(\w+)/g)].map((match) => match[1]!).sort();
}

const english = flatten(load('en'));
const baseKeys = new Set([...english.keys()].map((key) => key.replace(PLURAL, '')));
const pluralKeys = new Set(
  [...english.keys()].filter((key) => PLURAL.test(key)).map((key) => key.replace(PLURAL, '')),
);

describe.each(['en', 'fr', 'ar'])('console messages in %s', (locale) => {
  const messages = flatten(load(locale));

  test('has every message and no stray one', () => {
    const keys = new Set([...messages.keys()].map((key) => key.replace(PLURAL, '')));
    expect([...baseKeys].filter((key) => !keys.has(key))).toEqual([]);
    expect([...keys].filter((key) => !baseKeys.has(key))).toEqual([]);
  });

  test('has each plural form the language uses', () => {
    const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
    const missing = [...pluralKeys].flatMap((key) =>
      categories
        .filter((category) => !messages.has(`${key}_${category}`))
        .map((category) => `${key}_${category}`),
    );
    expect(missing).toEqual([]);
  });

  test('keeps the placeholders of the English text', () => {
    const differing = [...messages].filter(([key, text]) => {
      const reference = english.get(key) ?? english.get(key.replace(PLURAL, '_other'));
      if (reference === undefined) return false;
      // Arabic may spell out "one" and "two" instead of showing {{count}}.
      const own = placeholders(text).filter((name) => name !== 'count');
      const expected = placeholders(reference).filter((name) => name !== 'count');
      return own.join() !== expected.join();
    });
    expect(differing.map(([key]) => key)).toEqual([]);
  });
});
