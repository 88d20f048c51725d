import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type en from '../../../locales/en.json';
import type { Locale } from '../api/types';

export const LOCALES: readonly Locale[] = ['en', 'fr', 'ar'];
const STORAGE_KEY = 'corridor.console.locale';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'console';
    resources: { console: (typeof en)['console'] };
  }
}

// Each catalogue also holds the portal's messages under `portal`; the console keeps only its own
// namespace. Catalogues other than the first one are fetched when someone switches language.
const catalogues = import.meta.glob<{ console: Record<string, unknown> }>('../../../locales/*.json', {
  import: 'default',
});

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export function directionOf(locale: Locale): 'ltr' | 'rtl' {
  return locale === 'ar' ? 'rtl' : 'ltr';
}

/** The language chosen on this device, else the browser's preferred one we support, else English. */
export function initialLocale(): Locale {
  const stored = readStoredLocale();
  if (stored) return stored;
  for (const language of navigator.languages ?? []) {
    const base = language.slice(0, 2).toLowerCase();
    if (isLocale(base)) return base;
  }
  return 'en';
}

export function readStoredLocale(): Locale | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLocale(value) ? value : null;
  } catch {
    return null;
  }
}

export function storeLocale(locale: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Private browsing without storage: the choice lasts for this page only.
  }
}

async function ensureCatalogue(locale: Locale): Promise<void> {
  if (i18next.hasResourceBundle(locale, 'console')) return;
  const load = catalogues[`../../../locales/${locale}.json`];
  if (!load) throw new Error(`No message catalogue for ${locale}`);
  const catalogue = await load();
  i18next.addResourceBundle(locale, 'console', catalogue.console, true, true);
}

/** Sets `<html lang dir>` so screen readers, fonts and the layout follow the language. */
export function applyDocumentLocale(locale: Locale): void {
  document.documentElement.lang = locale;
  document.documentElement.dir = directionOf(locale);
}

export async function initI18n(locale: Locale): Promise<typeof i18next> {
  await i18next.use(initReactI18next).init({
    lng: locale,
    fallbackLng: 'en',
    supportedLngs: [...LOCALES],
    ns: ['console'],
    defaultNS: 'console',
    resources: {},
    interpolation: { escapeValue: false },
    react: { useSuspense: false },
  });
  await Promise.all([ensureCatalogue('en'), ensureCatalogue(locale)]);
  await i18next.changeLanguage(locale);
  applyDocumentLocale(locale);
  return i18next;
}

export async function switchLanguage(locale: Locale): Promise<void> {
  await ensureCatalogue(locale);
  await i18next.changeLanguage(locale);
  applyDocumentLocale(locale);
}
