import { html, type SafeHtml } from './html.js';
import { PORTAL_LANGS, type PortalLang, t } from './i18n.js';
import type { StepErrors } from './steps.js';

/** The page frame: language, direction, one stylesheet, no script. */
export function layout(
  lang: PortalLang,
  title: string,
  body: SafeHtml,
  langLinks: ((l: PortalLang) => string) | null = (l) => `/${l}/`,
): string {
  return html`<!doctype html>
<html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title><link rel="stylesheet" href="/portal.css"></head>
<body><header><span class="brand">${t(lang, 'title')}</span>${langLinks ? html`<nav>${PORTAL_LANGS.filter((l) => l !== lang).map((l) => html` <a href="${langLinks(l)}" lang="${l}">${t(l, `lang.${l}`)}</a>`)}</nav>` : ''}</header>
<main>${body}</main><footer><a href="/${lang}/check">${t(lang, 'lists.check')}</a></footer></body></html>`
    .value;
}

/** An error message under a field, linked to it for screen readers. */
export const fieldError = (lang: PortalLang, errors: StepErrors, name: string) =>
  errors[name] ? html`<p class="err" id="e-${name}">${t(lang, errors[name]!)}</p>` : '';

const invalid = (errors: StepErrors, name: string) =>
  errors[name] ? html` aria-invalid="true" aria-describedby="e-${name}"` : '';

export function textInput(
  lang: PortalLang,
  errors: StepErrors,
  name: string,
  label: string,
  value: string,
  extra: { type?: string; dir?: string; autocomplete?: string; inputmode?: string } = {},
): SafeHtml {
  return html`<div class="f"><label for="${name}">${label}</label><input id="${name}" name="${name}" type="${extra.type ?? 'text'}" value="${value}"${extra.dir ? html` dir="${extra.dir}"` : ''}${extra.autocomplete ? html` autocomplete="${extra.autocomplete}"` : ''}${extra.inputmode ? html` inputmode="${extra.inputmode}"` : ''}${invalid(errors, name)}>${fieldError(lang, errors, name)}</div>`;
}

export function select(
  lang: PortalLang,
  errors: StepErrors,
  name: string,
  label: string,
  value: string,
  options: readonly { value: string; label: string }[],
): SafeHtml {
  return html`<div class="f"><label for="${name}">${label}</label><select id="${name}" name="${name}"${invalid(errors, name)}>${options.map((o) => html`<option value="${o.value}"${o.value === value ? html` selected` : ''}>${o.label}</option>`)}</select>${fieldError(lang, errors, name)}</div>`;
}

export function radios(
  lang: PortalLang,
  errors: StepErrors,
  name: string,
  legend: string,
  value: string,
  options: readonly { value: string; label: string }[],
): SafeHtml {
  return html`<fieldset${invalid(errors, name)}><legend>${legend}</legend>${options.map((o, i) => html`<label class="c"><input type="radio" name="${name}" value="${o.value}" id="${name}-${i}"${o.value === value ? html` checked` : ''}> ${o.label}</label>`)}${fieldError(lang, errors, name)}</fieldset>`;
}

export const checkbox = (name: string, value: string, label: string, checked: boolean) =>
  html`<label class="c"><input type="checkbox" name="${name}" value="${value}"${checked ? html` checked` : ''}> ${label}</label>`;

/** Invisible to people, tempting to bots: a filled honeypot means the form was not sent by a person. */
export const honeypot = (lang: PortalLang) =>
  html`<div class="hp" aria-hidden="true"><label for="website">${t(lang, 'honeypot')}</label><input id="website" name="website" tabindex="-1" autocomplete="off"></div>`;
