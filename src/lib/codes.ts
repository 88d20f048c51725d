import { newId } from './ids.js';

/**
 * A short upper-case code from a name ("Khan Younis" → "KHAN-YOUNIS"), accents dropped. A name
 * with no Latin letters or digits (e.g. only Arabic) gets `<prefix>-` and six random characters.
 */
export function codeFromName(name: string, prefix: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || `${prefix}-${newId().slice(0, 6).toUpperCase()}`
  );
}
