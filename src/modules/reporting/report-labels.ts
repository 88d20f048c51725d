import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPORT_LANGS, type ReportLang } from './reporting.schemas.js';

type Catalogue = { [key: string]: string | Catalogue };

function findLocales(): string {
  for (const candidate of [
    join(import.meta.dirname, '..', '..', '..', 'locales'),
    join(import.meta.dirname, '..', '..', '..', '..', 'locales'),
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

let loaded: Map<ReportLang, Catalogue> | undefined;

/** The report's words live with the console's situation-report page (`console.sitrep.report`). */
function catalogues(): Map<ReportLang, Catalogue> {
  if (!loaded) {
    const dir = findLocales();
    loaded = new Map(
      REPORT_LANGS.map((lang) => {
        const json = JSON.parse(readFileSync(join(dir, `${lang}.json`), 'utf8')) as {
          console: { sitrep?: { report?: Catalogue } };
        };
        return [lang, json.console.sitrep?.report ?? {}];
      }),
    );
  }
  return loaded;
}

function lookup(catalogue: Catalogue | undefined, key: string): string | undefined {
  let node: string | Catalogue | undefined = catalogue;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** A translator for one language: English when a word is missing, the key itself as a last resort. */
export function reportLabels(lang: ReportLang) {
  const all = catalogues();
  return (key: string, vars: Record<string, string | number> = {}): string => {
    const text = lookup(all.get(lang), key) ?? lookup(all.get('en'), key) ?? key;
    return text.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => String(vars[name] ?? ''));
  };
}
export type ReportLabels = ReturnType<typeof reportLabels>;

/** Numbers written the way the language does (Western digits: what the ministries use). */
export const formatCount = (lang: ReportLang, n: number) =>
  new Intl.NumberFormat(lang === 'ar' ? 'ar-u-nu-latn' : lang).format(n);

export const formatPercent = (lang: ReportLang, rate: number) =>
  new Intl.NumberFormat(lang === 'ar' ? 'ar-u-nu-latn' : lang, {
    style: 'percent',
    maximumFractionDigits: 0,
  }).format(rate);
