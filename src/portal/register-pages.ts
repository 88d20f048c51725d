import type { Crisis, Zone } from '../modules/crises/crisis.schemas.js';
import { ELIGIBILITY_CATEGORIES } from '../modules/crises/crisis.schemas.js';
import { RELATIONSHIPS, SEXES, VULNERABILITIES } from '../modules/persons/person.schemas.js';
import { type Draft, STEPS } from './draft.js';
import { html, paragraphs, SafeHtml } from './html.js';
import { PORTAL_LANGS, type PortalLang, t } from './i18n.js';
import { checkbox, fieldError, honeypot, layout, radios, select, textInput } from './layout.js';
import { MAX_MEMBERS, openMembers, type StepErrors } from './steps.js';

export interface StepView {
  lang: PortalLang;
  crisis: Crisis;
  zones: readonly Zone[];
  draft: Draft;
  sealed: string;
  errors: StepErrors;
}

const formPath = (v: StepView) => `/${v.lang}/c/${v.crisis.slug}/register`;

function stepBody(v: StepView): SafeHtml {
  const { lang, draft, errors } = v;
  const tr = (key: string) => t(lang, key);
  switch (draft.step) {
    case 'notice': {
      const notice = v.crisis.privacyNotice[lang] || tr('notice.default');
      return html`<p><a href="/${lang}/c/${v.crisis.slug}/status">${tr('status.link')}</a></p><h1>${tr('notice.title')}</h1><div class="notice">${paragraphs(notice)}</div>
<div class="f"><label class="c"><input type="checkbox" name="accept" value="yes" id="accept"${draft.accepted ? html` checked` : ''}${errors.accept ? html` aria-invalid="true" aria-describedby="e-accept"` : ''}> ${tr('notice.accept')}</label>${fieldError(lang, errors, 'accept')}</div>`;
    }
    case 'who': {
      const r = draft.registrant;
      return html`<h1>${tr('who.title')}</h1>${radios(
        lang,
        errors,
        'registeredBy',
        tr('who.title'),
        draft.registeredBy,
        [
          { value: 'self', label: tr('who.self') },
          { value: 'relative', label: tr('who.relative') },
        ],
      )}
<fieldset><legend>${tr('who.relative')}</legend>${textInput(lang, errors, 'r_name', tr('who.yourName'), r.name, { autocomplete: 'name' })}${textInput(lang, errors, 'r_relationship', tr('who.yourRelationship'), r.relationship)}${textInput(lang, errors, 'r_phone', tr('who.yourPhone'), r.phone, { type: 'tel', dir: 'ltr', autocomplete: 'tel' })}${textInput(lang, errors, 'r_email', tr('who.yourEmail'), r.email, { type: 'email', dir: 'ltr', autocomplete: 'email' })}</fieldset>`;
    }
    case 'members': {
      const open = openMembers(draft);
      return html`<h1>${tr('members.title')}</h1><p>${tr('members.hint')}</p>${draft.members.map((m, i) => {
        const p = `m${i}_`;
        if (!open.includes(i)) return memberSummary(lang, m, i);
        return html`<fieldset class="person"><legend>${t(lang, 'members.person', { n: i + 1 })}</legend>
${
  i === 0
    ? html`<p class="k">${tr('members.rel.head')}</p>`
    : select(
        lang,
        errors,
        `${p}relationship`,
        tr('members.relationship'),
        m.relationship,
        RELATIONSHIPS.filter((r) => r !== 'head').map((r) => ({ value: r, label: tr(`members.rel.${r}`) })),
      )
}
${textInput(lang, errors, `${p}given`, tr('members.given'), m.given, { dir: 'ltr' })}${textInput(lang, errors, `${p}father`, tr('members.father'), m.father, { dir: 'ltr' })}${textInput(lang, errors, `${p}grandfather`, tr('members.grandfather'), m.grandfather, { dir: 'ltr' })}${textInput(lang, errors, `${p}family`, tr('members.family'), m.family, { dir: 'ltr' })}
${textInput(lang, errors, `${p}nameArabic`, tr('members.nameArabic'), m.nameArabic, { dir: 'rtl' })}
${select(lang, errors, `${p}sex`, tr('members.sex'), m.sex, [{ value: '', label: '—' }, ...SEXES.map((s) => ({ value: s, label: tr(`members.sexes.${s}`) }))])}
${textInput(lang, errors, `${p}birthDate`, tr('members.birthDate'), m.birthDate, { dir: 'ltr', inputmode: 'numeric' })}
${select(lang, errors, `${p}category`, tr('members.category'), m.category, [{ value: '', label: tr('members.categories.unknown') }, ...ELIGIBILITY_CATEGORIES.map((c) => ({ value: c, label: tr(`members.categories.${c}`) }))])}
${textInput(lang, errors, `${p}passport`, tr('members.passport'), m.passport, { dir: 'ltr' })}
<fieldset><legend>${tr('members.vulnerabilities')}</legend>${VULNERABILITIES.map((x) => checkbox(`${p}vuln`, x, tr(`members.vuln.${x}`), m.vulnerabilities.includes(x)))}</fieldset>
${i > 0 ? html`<button class="link" name="action" value="remove:${i}">${tr('members.remove')}</button>` : ''}</fieldset>`;
      })}${draft.members.length < MAX_MEMBERS ? html`<button class="second" name="action" value="add">${tr('members.add')}</button>` : html`<p>${tr('members.max')}</p>`}`;
    }
    case 'contacts':
      return html`<h1>${tr('contacts.title')}</h1>${textInput(lang, errors, 'c_phone', tr('contacts.phone'), draft.contacts.phone, { type: 'tel', dir: 'ltr', autocomplete: 'tel' })}
<div class="f">${checkbox('c_whatsapp', 'yes', tr('contacts.whatsapp'), draft.contacts.whatsapp)}</div>${textInput(lang, errors, 'c_email', tr('contacts.email'), draft.contacts.email, { type: 'email', dir: 'ltr', autocomplete: 'email' })}`;
    case 'location':
      return html`<h1>${tr('location.title')}</h1>${
        v.zones.length > 0
          ? select(lang, errors, 'l_zone', tr('location.zone'), draft.location.zone, [
              { value: '', label: tr('location.chooseZone') },
              ...v.zones.map((z) => ({ value: z.code, label: z.name })),
            ])
          : ''
      }${textInput(lang, errors, 'l_place', tr('location.place'), draft.location.place)}${radios(
        lang,
        errors,
        'intention',
        tr('location.intention'),
        draft.intention,
        (['leave', 'stay', 'undecided'] as const).map((x) => ({
          value: x,
          label: tr(`location.intentions.${x}`),
        })),
      )}`;
    case 'review': {
      const zone = v.zones.find((z) => z.code === draft.location.zone);
      return html`<h1>${tr('review.title')}</h1><p>${tr('review.hint')}</p>${fieldError(lang, errors, '_form')}
${draft.registeredBy === 'relative' ? html`<h2>${tr('review.registrant')}</h2><p>${draft.registrant.name} (${draft.registrant.relationship})</p>` : ''}
<h2>${tr('review.people')}</h2><ol>${draft.members.map((m) => html`<li><bdi>${[m.given, m.father, m.grandfather, m.family].filter(Boolean).join(' ')}</bdi>${m.nameArabic ? html` — <bdi dir="rtl">${m.nameArabic}</bdi>` : ''}${m.birthDate ? html` · <bdi dir="ltr">${m.birthDate}</bdi>` : ''} · ${tr(`members.rel.${m.relationship}`)}</li>`)}</ol>
<h2>${tr('review.contacts')}</h2><p><bdi dir="ltr">${draft.contacts.phone}</bdi> <bdi dir="ltr">${draft.contacts.email}</bdi></p>
<h2>${tr('review.where')}</h2><p>${zone?.name ?? ''} ${draft.location.place} · ${draft.intention ? tr(`location.intentions.${draft.intention}`) : ''}</p>`;
    }
  }
}

/** A member whose answers are checked: one line, with buttons to change or remove. */
function memberSummary(lang: PortalLang, m: Draft['members'][number], i: number) {
  const name = [m.given, m.father, m.grandfather, m.family].filter(Boolean).join(' ');
  return html`<div class="summary"><p><b>${t(lang, 'members.person', { n: i + 1 })}</b> · <bdi>${name || m.nameArabic}</bdi>${name && m.nameArabic ? html` · <bdi dir="rtl">${m.nameArabic}</bdi>` : ''}${m.birthDate ? html` · <bdi dir="ltr">${m.birthDate}</bdi>` : ''} · ${t(lang, `members.rel.${m.relationship}`)}</p><button class="link edit" name="action" value="edit:${i}">${t(lang, 'members.edit')}</button>${i > 0 ? html` <button class="link" name="action" value="remove:${i}">${t(lang, 'members.remove')}</button>` : ''}</div>`;
}

/** One page of the registration flow, with the draft in a signed hidden field. */
export function renderStep(v: StepView): string {
  const { lang, draft } = v;
  const index = STEPS.indexOf(draft.step);
  const hasErrors = Object.keys(v.errors).length > 0;
  const body = html`<p class="k">${t(lang, 'step', { n: index + 1, total: STEPS.length })}</p>
${hasErrors ? html`<div class="alert" role="alert">${t(lang, 'fixErrors')}</div>` : ''}
<form method="post" action="${formPath(v)}" novalidate>
<button class="hp" name="action" value="next" tabindex="-1" aria-hidden="true">${t(lang, 'next')}</button>
<input type="hidden" name="draft" value="${v.sealed}"><input type="hidden" name="csrf" value="${draft.csrf}">${honeypot(lang)}
<div class="langs-in-form">${PORTAL_LANGS.filter((l) => l !== lang).map((l) => html`<button class="link" name="action" value="lang:${l}" lang="${l}">${t(l, `lang.${l}`)}</button> `)}</div>
${stepBody(v)}
<div class="nav">${draft.step === 'review' ? html`<button name="action" value="send">${t(lang, 'send')}</button>` : html`<button name="action" value="next">${t(lang, 'next')}</button>`}${index > 0 ? html` <button class="second" name="action" value="back">${t(lang, 'back')}</button>` : ''}</div>
</form>`;
  // The language is switched by buttons inside the form, so what was typed comes along.
  return layout(lang, `${t(lang, 'title')} — ${v.crisis.name}`, body, null);
}

export function renderDone(lang: PortalLang, reference: string, updateUrl: string, qrSvg: string): string {
  return layout(
    lang,
    t(lang, 'done.title'),
    html`<h1>${t(lang, 'done.title')}</h1><p>${t(lang, 'done.reference')}</p><p class="ref" dir="ltr">${reference}</p><p>${t(lang, 'done.keep')}</p>
<h2>${t(lang, 'done.link')}</h2><p class="link-box" dir="ltr"><a href="${updateUrl}">${updateUrl}</a></p>${qrSvg ? html`<div class="qr">${new SafeHtml(qrSvg)}</div>` : ''}<p>${t(lang, 'done.linkHint')}</p><p class="k">${t(lang, 'done.once')}</p>`,
  );
}
