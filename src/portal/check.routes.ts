import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.js';
import { publicCrossingStatus } from '../modules/crossings/crossing.service.js';
import { checkApprovedLists } from '../modules/crossings/list-check.service.js';
import { html } from './html.js';
import { isPortalLang, type PortalLang, t } from './i18n.js';
import { honeypot, layout, textInput } from './layout.js';
import { messagePage, PORTAL_COOKIE, portalCsrf, sendPage } from './portal.routes.js';
import { type FormBody, field, type StepErrors } from './steps.js';

type CrossingStatus = Awaited<ReturnType<typeof publicCrossingStatus>>;

function crossingsSection(lang: PortalLang, crossings: CrossingStatus) {
  const tr = (key: string) => t(lang, key);
  return html`<section><h2>${tr('crossings.title')}</h2>${
    crossings.length === 0
      ? html`<p>${tr('crossings.none')}</p>`
      : crossings.map(
          (c) =>
            html`<div class="card"><h3><bdi>${c.name}</bdi>: ${tr(`crossings.status.${c.overallStatus}`)}</h3><ul>${c.sides.map(
              (s) =>
                html`<li><bdi>${t(lang, 'crossings.side', { side: s.name, status: tr(`crossings.status.${s.status}`) })}</bdi> <span class="k">${t(lang, 'crossings.since', { time: s.statusChangedAt.slice(0, 16).replace('T', ' ') })}</span>${s.openingWindows.length ? html`<br>${tr('crossings.hours')}: <span dir="ltr">${s.openingWindows.map((w) => `${w.opens}–${w.closes}`).join(', ')}</span>` : ''}${s.publicNotice[lang] ? html`<p>${s.publicNotice[lang]}</p>` : ''}</li>`,
            )}</ul></div>`,
        )
  }</section>`;
}

function page(
  lang: PortalLang,
  csrf: string,
  errors: StepErrors,
  typed: FormBody,
  answer?: string,
  crossings: CrossingStatus = [],
) {
  const tr = (key: string) => t(lang, key);
  return layout(
    lang,
    tr('check.title'),
    html`<h1>${tr('check.title')}</h1><p>${tr('check.hint')}</p>${answer ? html`<div class="ok" role="status">${answer}</div>` : ''}${Object.keys(errors).length ? html`<div class="alert" role="alert">${tr('fixErrors')}</div>` : ''}<form method="post" action="/${lang}/check" novalidate><input type="hidden" name="csrf" value="${csrf}">${honeypot(lang)}${textInput(lang, errors, 'document', tr('check.document'), field(typed, 'document', 40), { dir: 'ltr', autocomplete: 'off' })}${textInput(lang, errors, 'birthDate', tr('check.birthDate'), field(typed, 'birthDate', 10), { dir: 'ltr', inputmode: 'numeric' })}<div class="nav"><button>${tr('check.submit')}</button></div></form>${crossingsSection(lang, crossings)}`,
    (l) => `/${l}/check`,
  );
}

/**
 * "Am I on the list to cross?" without the private link: a document number with its date of
 * birth, never a name, so the lists cannot be browsed. Rate-limited more tightly than the other
 * portal pages; an unknown document answers exactly like "not on a list".
 */
export async function registerCheckRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const options = {
    schema: { hide: true },
    config: {
      rateLimit: {
        max: Math.max(10, Math.floor(ctx.config.rateLimits.portalPerMinute / 10)),
        timeWindow: '1 minute',
      },
    },
  };

  app.get<{ Params: { lang: string } }>('/:lang/check', options, async (req, reply) => {
    const lang = req.params.lang;
    if (!isPortalLang(lang)) return reply.redirect('/');
    return sendPage(
      reply,
      200,
      page(lang, portalCsrf(ctx, req, reply), {}, {}, undefined, await publicCrossingStatus(ctx)),
    );
  });

  app.post<{ Params: { lang: string }; Body: FormBody }>('/:lang/check', options, async (req, reply) => {
    const lang = req.params.lang;
    if (!isPortalLang(lang)) return reply.redirect('/');
    const body: FormBody = req.body && typeof req.body === 'object' ? req.body : {};
    const cookie = req.cookies[PORTAL_COOKIE];
    if (!cookie || field(body, 'csrf') !== cookie)
      return sendPage(reply, 403, messagePage(lang, cookie ? 'expired' : 'cookies', `/${lang}/check`));
    if (field(body, 'website')) return sendPage(reply, 400, messagePage(lang, 'expired', `/${lang}/check`));
    const documentNumber = field(body, 'document', 40);
    const birthDate = field(body, 'birthDate', 10);
    const errors: StepErrors = {};
    if (documentNumber.replace(/[^0-9A-Za-z]/g, '').length < 5)
      errors.document = documentNumber ? 'invalid' : 'required';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(birthDate) || Number.isNaN(Date.parse(`${birthDate}T00:00:00Z`)))
      errors.birthDate = birthDate ? 'invalid' : 'required';
    if (Object.keys(errors).length) return sendPage(reply, 400, page(lang, cookie, errors, body));
    const result = await checkApprovedLists(ctx, { documentNumber, dateOfBirth: birthDate });
    const first = result.lists[0];
    const answer = first
      ? t(lang, 'check.yes', { date: first.listDate, crossing: first.crossing })
      : t(lang, 'check.no');
    return sendPage(
      reply,
      200,
      page(lang, cookie, {}, { document: '', birthDate: '' }, answer, await publicCrossingStatus(ctx)),
    );
  });
}
