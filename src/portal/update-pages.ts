import { PUBLIC_HELP_TYPES as HELP_TYPES } from '../modules/cases/case-public.service.js';
import type { Zone } from '../modules/crises/crisis.schemas.js';
import { ELIGIBILITY_CATEGORIES } from '../modules/crises/crisis.schemas.js';
import type { ListCheckAnswer } from '../modules/crossings/list-check.service.js';
import type { HouseholdView } from '../modules/persons/household-link.service.js';
import { RELATIONSHIPS, SEXES } from '../modules/persons/person.schemas.js';
import type { PublicOffer } from '../modules/transport/transport.schemas.js';
import { html, SafeHtml } from './html.js';
import { type PortalLang, t } from './i18n.js';
import { checkbox, honeypot, layout, radios, select, textInput } from './layout.js';
import type { FormBody, StepErrors } from './steps.js';
import { field } from './steps.js';

export interface UpdateView {
  lang: PortalLang;
  view: HouseholdView;
  /** Approved lists the household is on (dated today or later). */
  lists?: ListCheckAnswer | undefined;
  /** Seats offered to the household, per leg. */
  seats?: readonly PublicOffer[] | undefined;
  /** QR codes (SVG) of confirmed seat codes, for scanning at check-in. */
  seatQr?: ReadonlyMap<string, string> | undefined;
  /** The household's help requests and where they stand. */
  requests?: readonly { number: string; type: string; state: string }[] | undefined;
  zones: readonly Zone[];
  path: string;
  csrf: string;
  errors: StepErrors;
  /** What was typed in the form that failed, so nothing is lost. */
  typed: FormBody;
  notice?: 'saved' | 'safe' | 'help' | 'confirmed' | 'declined' | 'expired' | 'closed' | undefined;
  /** The number of the help request just sent. */
  helpNumber?: string | undefined;
}

export function renderUpdate(u: UpdateView): string {
  const { lang, view, errors } = u;
  const tr = (key: string) => t(lang, key);
  const first = view.members[0];
  const typed = (name: string, fallback = '') =>
    u.typed[name] === undefined ? fallback : field(u.typed, name);
  const zoneCode = u.zones.find((z) => z.id === first?.zone_id)?.code ?? '';
  const form = (action: string, body: ReturnType<typeof html>, button: string) =>
    html`<form method="post" action="${u.path}" novalidate><input type="hidden" name="csrf" value="${u.csrf}"><input type="hidden" name="lang" value="${lang}">${honeypot(lang)}${body}<div class="nav"><button name="action" value="${action}">${button}</button></div></form>`;
  const body = html`<h1>${tr('update.title')}</h1><p class="ref" dir="ltr">${view.household.reference}</p>
${u.notice && ['confirmed', 'declined', 'expired', 'closed'].includes(u.notice) ? html`<div class="${u.notice === 'expired' || u.notice === 'closed' ? 'alert' : 'ok'}" role="status">${tr(`seats.${u.notice}`)}</div>` : ''}
${u.notice === 'help' ? html`<div class="ok" role="status">${t(lang, 'help.sent', { number: u.helpNumber ?? '' })}</div>` : u.notice === 'safe' || u.notice === 'saved' ? html`<div class="ok" role="status">${tr(u.notice === 'safe' ? 'update.safeDone' : 'update.saved')}</div>` : ''}
${Object.keys(errors).length ? html`<div class="alert" role="alert">${tr('fixErrors')}</div>` : ''}
<h2>${tr('update.household')}</h2><ul>${view.members.map((m) => html`<li><bdi>${m.full_name ?? m.full_name_ar ?? ''}</bdi></li>`)}</ul>
<section><h2>${tr('seats.title')}</h2>${
    u.seats?.length
      ? u.seats.map(
          (o) =>
            html`<div class="card"><h3><bdi>${t(lang, 'seats.leg', { name: o.name, origin: o.origin, destination: o.destination })}</bdi></h3><p>${tr('seats.departure')}: <span dir="ltr">${o.departureAt.slice(0, 16).replace('T', ' ')}</span></p>${o.reportAt ? html`<p><bdi>${t(lang, 'seats.report', { place: o.assemblyPoint, time: o.reportAt.slice(0, 16).replace('T', ' ') })}</bdi></p>` : ''}<ul>${o.people.map((p) => html`<li><bdi>${p.givenName}</bdi>: ${tr(`seats.states.${p.status}`)}${p.status === 'confirmed' || p.status === 'checked_in' ? html` — ${tr('seats.code')} <strong class="ref" dir="ltr">${p.code}</strong>${u.seatQr?.get(p.code) ? html`<span class="qr">${new SafeHtml(u.seatQr.get(p.code)!)}</span>` : ''}` : ''}</li>`)}</ul>${
              o.status === 'offered'
                ? html`<p>${t(lang, 'seats.deadline', { time: (o.offerDeadline ?? '').slice(0, 16).replace('T', ' ') })}</p>${form('seat_confirm', html`<input type="hidden" name="legId" value="${o.legId}">`, tr('seats.confirm'))}${form('seat_decline', html`<input type="hidden" name="legId" value="${o.legId}">`, tr('seats.decline'))}`
                : ''
            }</div>`,
        )
      : html`<p>${tr('seats.none')}</p>`
  }</section>
<section><h2>${tr('lists.title')}</h2>${
    u.lists?.onList
      ? html`<ul>${u.lists.lists.map((l) => html`<li class="ok"><bdi>${t(lang, 'lists.yes', { date: l.listDate, crossing: l.crossing, people: l.people.join(', ') })}</bdi></li>`)}</ul>`
      : html`<p>${tr('lists.no')}</p>`
  }</section>
<section><h2>${tr('update.safe')}</h2><p>${tr('update.safeHint')}</p>${form('safe', html``, tr('update.safe'))}</section>
<section><h2>${tr('update.whereNow')}</h2>${form(
    'location',
    html`${select(lang, errors, 'l_zone', tr('location.zone'), typed('l_zone', zoneCode), [{ value: '', label: tr('location.chooseZone') }, ...u.zones.map((z) => ({ value: z.code, label: z.name }))])}${textInput(lang, errors, 'l_place', tr('location.place'), typed('l_place', first?.place ?? ''))}${radios(
      lang,
      errors,
      'intention',
      tr('location.intention'),
      typed('intention', first?.intention ?? ''),
      (['leave', 'stay', 'undecided'] as const).map((x) => ({
        value: x,
        label: tr(`location.intentions.${x}`),
      })),
    )}`,
    tr('save'),
  )}</section>
<section><h2>${tr('update.contacts')}</h2><p dir="ltr">${view.contacts.map((c) => html`<bdi>${c.value}</bdi> `)}</p>${form(
    'contacts',
    html`${textInput(lang, errors, 'c_phone', tr('contacts.phone'), typed('c_phone'), { type: 'tel', dir: 'ltr' })}<div class="f">${checkbox('c_whatsapp', 'yes', tr('contacts.whatsapp'), typed('c_whatsapp') === 'yes')}</div>${textInput(lang, errors, 'c_email', tr('contacts.email'), typed('c_email'), { type: 'email', dir: 'ltr' })}`,
    tr('save'),
  )}</section>
<section><h2>${tr('update.addMember')}</h2>${form(
    'add_member',
    html`${select(
      lang,
      errors,
      'm_relationship',
      tr('members.relationship'),
      typed('m_relationship', 'child'),
      RELATIONSHIPS.filter((r) => r !== 'head').map((r) => ({ value: r, label: tr(`members.rel.${r}`) })),
    )}${textInput(lang, errors, 'm_given', tr('members.given'), typed('m_given'), { dir: 'ltr' })}${textInput(lang, errors, 'm_family', tr('members.family'), typed('m_family'), { dir: 'ltr' })}${textInput(lang, errors, 'm_nameArabic', tr('members.nameArabic'), typed('m_nameArabic'), { dir: 'rtl' })}${select(lang, errors, 'm_sex', tr('members.sex'), typed('m_sex'), [{ value: '', label: '—' }, ...SEXES.map((s) => ({ value: s, label: tr(`members.sexes.${s}`) }))])}${textInput(lang, errors, 'm_birthDate', tr('members.birthDate'), typed('m_birthDate'), { dir: 'ltr', inputmode: 'numeric' })}${select(lang, errors, 'm_category', tr('members.category'), typed('m_category'), [{ value: '', label: tr('members.categories.unknown') }, ...ELIGIBILITY_CATEGORIES.map((c) => ({ value: c, label: tr(`members.categories.${c}`) }))])}${textInput(lang, errors, 'm_passport', tr('members.passport'), typed('m_passport'), { dir: 'ltr' })}`,
    tr('members.add'),
  )}</section>
<section><h2>${tr('help.title')}</h2><p>${tr('help.hint')}</p>${form(
    'help',
    html`${select(
      lang,
      errors,
      'h_type',
      tr('help.type'),
      typed('h_type', 'departure_assistance'),
      HELP_TYPES.map((x) => ({ value: x, label: tr(`help.types.${x}`) })),
    )}<div class="f"><label for="h_message">${tr('help.message')}</label><textarea id="h_message" name="h_message" rows="4"${errors.h_message ? html` aria-invalid="true" aria-describedby="h_message-e"` : ''}>${typed('h_message')}</textarea>${errors.h_message ? html`<p class="err" id="h_message-e">${t(lang, errors.h_message)}</p>` : ''}</div>`,
    tr('help.send'),
  )}<h3>${tr('help.requests')}</h3>${
    u.requests?.length
      ? html`<ul>${u.requests.map((r) => html`<li><span dir="ltr">${r.number}</span> — ${tr(`help.types.${r.type}`)}: ${tr(`help.states.${r.state}`)}</li>`)}</ul>`
      : html`<p>${tr('help.none')}</p>`
  }</section>`;
  return layout(lang, tr('update.title'), body, (l) => `${u.path}?lang=${l}`);
}

export function renderInvalidLink(lang: PortalLang): string {
  return layout(
    lang,
    t(lang, 'update.title'),
    html`<h1>${t(lang, 'update.title')}</h1><div class="alert" role="alert">${t(lang, 'update.invalidLink')}</div><p><a href="/${lang}/">${t(lang, 'startAgain')}</a></p>`,
  );
}
