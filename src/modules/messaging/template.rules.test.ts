import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CAMPAIGN_VARIABLES,
  campaignRenderer,
  checkTemplateBodies,
  chooseLanguage,
  compileText,
  missingCampaignVariables,
  renderFor,
  renderText,
  TEMPLATE_VARIABLES,
  templateVariables,
} from './template.rules.js';

const person = { name: 'Samir Testawi', reference: 'K7M-4PX-9QR', updateLink: 'https://corridor.test/ar/' };

describe('template rules', () => {
  it('refuses unknown variables naming the language, field and variable', () => {
    const errors = checkTemplateBodies({
      en: { subject: 'Hello {{nmae}}', body: 'Go to {{crossing}} at {{reportTime}}' },
      ar: { body: 'مرحبا {{ name }} {{colour}}' },
    });
    expect(errors.map((e) => [e.path, e.code])).toEqual([
      ['bodies.en.subject', 'unknown_variable'],
      ['bodies.ar.body', 'unknown_variable'],
    ]);
    expect(errors[0]?.message).toContain('{{nmae}}');
    expect(errors[1]?.message).toContain('{{colour}}');
    expect(checkTemplateBodies({})).toHaveLength(1);
    expect(checkTemplateBodies({ fr: { body: 'Bonjour {{name' } })[0]?.code).toBe('unbalanced_braces');
  });

  it('renders in the household language, falling back to English', () => {
    const bodies = {
      en: {
        subject: 'Crossing {{crossing}}',
        body: 'Dear {{name}}, ref {{reference}}: {{crossing}} opens. {{updateLink}}',
      },
      ar: { body: 'عزيزي {{name}}، معبر {{crossing}} يفتح' },
    };
    const vars = { crossing: { en: 'Rafah', ar: 'رفح' } };
    const ar = renderFor(bodies, 'ar', person, vars);
    expect(ar).toEqual({ language: 'ar', subject: null, body: 'عزيزي Samir Testawi، معبر رفح يفتح' });
    const fr = renderFor(bodies, 'fr', person, vars);
    expect(fr.language).toBe('en');
    expect(fr.subject).toBe('Crossing Rafah');
    expect(fr.body).toBe(`Dear Samir Testawi, ref K7M-4PX-9QR: Rafah opens. ${person.updateLink}`);
    expect(chooseLanguage({ fr: { body: 'x' } }, 'ar')).toBe('fr');
    expect(missingCampaignVariables(bodies, {})).toEqual(['crossing']);
    expect(missingCampaignVariables(bodies, { crossing: 'Rafah' })).toEqual([]);
  });

  it('inserts values literally (a value that looks like a variable is not expanded again)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TEMPLATE_VARIABLES),
        fc.string(),
        fc.string().filter((s) => !s.includes('{') && !s.includes('}')),
        (name, value, around) => {
          const text = `${around}{{${name}}}${around}`;
          const out = renderText(text, { [name]: value });
          expect(out).toBe(`${around}${value}${around}`);
          expect(templateVariables({ en: { body: text } })).toEqual([name]);
          expect(checkTemplateBodies({ en: { body: text } })).toEqual([]);
        },
      ),
    );
  });

  it('every known variable is accepted and every other identifier refused', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9]{0,12}$/), (name) => {
        const errors = checkTemplateBodies({ en: { body: `{{${name}}}` } });
        expect(errors.length === 0).toBe(TEMPLATE_VARIABLES.includes(name));
      }),
    );
    expect(CAMPAIGN_VARIABLES).toContain('leg');
  });

  it('the compiled renderer of a campaign gives exactly what rendering each text does', () => {
    const piece = fc.oneof(
      fc.string({ maxLength: 8 }).filter((x) => !x.includes('{') && !x.includes('}')),
      fc.constantFrom(...TEMPLATE_VARIABLES).map((v) => `{{${v}}}`),
      fc.constantFrom(...TEMPLATE_VARIABLES).map((v) => `{{ ${v} }}`),
    );
    const text = fc.array(piece, { maxLength: 8 }).map((a) => a.join(''));
    fc.assert(
      fc.property(
        text,
        text,
        fc.constantFrom('en', 'fr', 'ar', 'de', null),
        fc.record({ name: fc.string(), reference: fc.string(), updateLink: fc.string() }),
        fc.dictionary(fc.constantFrom(...CAMPAIGN_VARIABLES), fc.string()),
        (subject, body, lang, who, vars) => {
          const bodies = { en: { subject, body }, ar: { body: `${body}!` } };
          expect(campaignRenderer(bodies, vars)(lang, who)).toEqual(renderFor(bodies, lang, who, vars));
          expect(compileText(body)({ ...who, ...vars })).toBe(renderText(body, { ...who, ...vars }));
        },
      ),
    );
  });
});
