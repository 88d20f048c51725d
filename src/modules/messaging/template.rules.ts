/**
 * Message templates (pure): `{{variables}}` in per-language bodies, which variables exist, and
 * rendering one recipient's text in their language.
 */
import type { FieldError } from '../../lib/errors.js';

export const LANGUAGES = ['en', 'fr', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Filled in for each recipient from the registry. */
export const PERSON_VARIABLES = ['name', 'reference', 'updateLink'] as const;
/** Given once per campaign (the same for every recipient, optionally per language). */
export const CAMPAIGN_VARIABLES = [
  'crossing',
  'leg',
  'reportTime',
  'listDate',
  'deadline',
  'place',
  'question',
] as const;
export const TEMPLATE_VARIABLES: readonly string[] = [...PERSON_VARIABLES, ...CAMPAIGN_VARIABLES];

export type CampaignVariable = (typeof CAMPAIGN_VARIABLES)[number];
/** A campaign variable's value: one text for every language, or one per language. */
export type VariableValue = string | Partial<Record<Language, string>>;

export interface TemplateBody {
  subject?: string | undefined;
  body: string;
}
export type TemplateBodies = Partial<Record<Language, TemplateBody>>;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Variable names used in a text, in order of first use. */
export function variablesIn(text: string): string[] {
  const seen: string[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) {
    const name = m[1] ?? '';
    if (!seen.includes(name)) seen.push(name);
  }
  return seen;
}

/** Every variable used by any body or subject of the template. */
export function templateVariables(bodies: TemplateBodies): string[] {
  const all: string[] = [];
  for (const lang of LANGUAGES) {
    const b = bodies[lang];
    if (!b) continue;
    for (const v of [...variablesIn(b.subject ?? ''), ...variablesIn(b.body)])
      if (!all.includes(v)) all.push(v);
  }
  return all;
}

/** Errors for unknown variables and unbalanced braces, each naming the field and the variable. */
export function checkTemplateBodies(bodies: TemplateBodies, path = 'bodies'): FieldError[] {
  const errors: FieldError[] = [];
  if (!LANGUAGES.some((l) => bodies[l]))
    errors.push({ path, message: 'Write the message in at least one language.' });
  for (const lang of LANGUAGES) {
    const b = bodies[lang];
    if (!b) continue;
    for (const [field, text] of [
      ['subject', b.subject ?? ''],
      ['body', b.body],
    ] as const) {
      for (const name of variablesIn(text)) {
        if (!TEMPLATE_VARIABLES.includes(name))
          errors.push({
            path: `${path}.${lang}.${field}`,
            code: 'unknown_variable',
            message: `Unknown variable {{${name}}}; use one of ${TEMPLATE_VARIABLES.join(', ')}.`,
          });
      }
      const stripped = text.replace(PLACEHOLDER, '');
      if (stripped.includes('{{') || stripped.includes('}}'))
        errors.push({
          path: `${path}.${lang}.${field}`,
          code: 'unbalanced_braces',
          message: 'A variable is written {{name}}; a brace pair is not closed.',
        });
    }
  }
  return errors;
}

/** Campaign variables the template needs that the campaign does not give. */
export function missingCampaignVariables(
  bodies: TemplateBodies,
  given: Partial<Record<string, VariableValue>>,
): CampaignVariable[] {
  return templateVariables(bodies).filter(
    (v): v is CampaignVariable =>
      (CAMPAIGN_VARIABLES as readonly string[]).includes(v) && given[v] === undefined,
  );
}

/** The language a person reads: their household's, when the template has it, else English, else any. */
export function chooseLanguage(bodies: TemplateBodies, preferred: string | null | undefined): Language {
  if (preferred && (LANGUAGES as readonly string[]).includes(preferred) && bodies[preferred as Language])
    return preferred as Language;
  if (bodies.en) return 'en';
  return LANGUAGES.find((l) => bodies[l]) ?? 'en';
}

/** A variable's text in one language (per-language values fall back to English, then any). */
export function valueIn(value: VariableValue | undefined, lang: Language): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return value[lang] ?? value.en ?? Object.values(value).find((v) => v !== undefined) ?? '';
}

/** Replaces each `{{variable}}` with its value; a value is inserted as is, never re-expanded. */
export function renderText(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (_m, name: string) => values[name] ?? '');
}

export interface Rendered {
  language: Language;
  subject: string | null;
  body: string;
}

/** One recipient's message: language chosen, then subject and body rendered. */
export function renderFor(
  bodies: TemplateBodies,
  preferredLanguage: string | null | undefined,
  person: { name: string; reference: string; updateLink: string },
  campaign: Partial<Record<string, VariableValue>>,
): Rendered {
  const language = chooseLanguage(bodies, preferredLanguage);
  const tpl = bodies[language] ?? { body: '' };
  const values: Record<string, string> = { ...person };
  for (const v of CAMPAIGN_VARIABLES) values[v] = valueIn(campaign[v], language);
  return {
    language,
    subject: tpl.subject ? renderText(tpl.subject, values) : null,
    body: renderText(tpl.body, values),
  };
}

/**
 * A text compiled once (literal parts and the variables between them) for rendering many
 * recipients; gives the same result as `renderText`.
 */
export function compileText(text: string): (values: Readonly<Record<string, string>>) => string {
  const parts: string[] = [];
  const names: string[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    parts.push(text.slice(last, m.index));
    names.push(m[1] ?? '');
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  return (values) => {
    let out = parts[0] ?? '';
    for (let i = 0; i < names.length; i += 1) out += (values[names[i] ?? ''] ?? '') + (parts[i + 1] ?? '');
    return out;
  };
}

/**
 * The renderer of one campaign: each language's subject and body compiled once, campaign variables
 * resolved once per language; per recipient only the person's values are filled in.
 */
export function campaignRenderer(
  bodies: TemplateBodies,
  campaign: Partial<Record<string, VariableValue>>,
): (
  preferredLanguage: string | null | undefined,
  person: { name: string; reference: string; updateLink: string },
) => Rendered {
  const compiled = new Map<
    Language,
    {
      subject: ((v: Readonly<Record<string, string>>) => string) | null;
      body: (v: Readonly<Record<string, string>>) => string;
      values: Record<string, string>;
    }
  >();
  for (const lang of LANGUAGES) {
    const b = bodies[lang];
    if (!b) continue;
    const values: Record<string, string> = {};
    for (const v of CAMPAIGN_VARIABLES) values[v] = valueIn(campaign[v], lang);
    compiled.set(lang, {
      subject: b.subject ? compileText(b.subject) : null,
      body: compileText(b.body),
      values,
    });
  }
  return (preferredLanguage, person) => {
    const language = chooseLanguage(bodies, preferredLanguage);
    const c = compiled.get(language);
    if (!c) return { language, subject: null, body: '' };
    const values = {
      ...c.values,
      name: person.name,
      reference: person.reference,
      updateLink: person.updateLink,
    };
    return { language, subject: c.subject ? c.subject(values) : null, body: c.body(values) };
  };
}
