import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PORTAL_LANGS = ['en', 'fr', 'ar'] as const;
export type PortalLang = (typeof PORTAL_LANGS)[number];
export const isPortalLang = (value: string): value is PortalLang =>
  (PORTAL_LANGS as readonly string[]).includes(value);

type Catalogue = { [key: string]: string | Catalogue };

function findLocales(): string {
  for (const candidate of [
    join(import.meta.dirname, '..', '..', 'locales'),
    join(import.meta.dirname, '..', '..', '..', 'locales'),
  ]) {
    try {
      readFileSync(join(candidate, 'en.json'));
      return candidate;
    } catch {
      // try the next
    }
  }
  throw new Error('locales/ not found');
}

const dir = findLocales();
const catalogues = new Map<PortalLang, Catalogue>(
  PORTAL_LANGS.map((lang) => [
    lang,
    (JSON.parse(readFileSync(join(dir, `${lang}.json`), 'utf8')) as { portal: Catalogue }).portal,
  ]),
);

function lookup(catalogue: Catalogue | undefined, key: string): string | undefined {
  let node: string | Catalogue | undefined = catalogue;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** The portal message `key` in `lang` (English when missing), with {{name}} placeholders filled. */
export function t(lang: PortalLang, key: string, vars: Record<string, string | number> = {}): string {
  const text = lookup(catalogues.get(lang), key) ?? lookup(catalogues.get('en'), key) ?? key;
  return text.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => String(vars[name] ?? ''));
}

/** Every key path of a catalogue (for the completeness test). */
export function keysOf(lang: PortalLang): string[] {
  const out: string[] = [];
  const walk = (node: Catalogue, prefix: string) => {
    for (const [k, v] of Object.entries(node)) {
      if (typeof v === 'string') out.push(prefix + k);
      else walk(v, `${prefix + k}.`);
    }
  };
  walk(catalogues.get(lang) ?? {}, '');
  return out.sort();
}
