import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import type { AppContext } from '../app-context.js';
import { AppError, BusyError } from '../lib/errors.js';
import { newSecret } from '../lib/ids.js';
import { activeCrises, resolveActiveCrisis } from '../modules/persons/crisis-directory.js';
import { registerPublic } from '../modules/persons/registration.service.js';
import { registerCheckRoutes } from './check.routes.js';
import { type Draft, DraftSigner, newDraft, STEPS } from './draft.js';
import { html } from './html.js';
import { isPortalLang, PORTAL_LANGS, type PortalLang, t } from './i18n.js';
import { layout } from './layout.js';
import { PORTAL_CSS } from './portal.styles.js';
import { renderDone, renderStep } from './register-pages.js';
import { registerStatusRoutes } from './status-page.js';
import {
  applyMembersAction,
  type FormBody,
  field,
  openErrored,
  placeApiError,
  readStep,
  type StepErrors,
  toRegistrationBody,
  validateStep,
} from './steps.js';
import { registerUpdateRoutes } from './update.routes.js';

export const PORTAL_COOKIE = 'corridor_portal';
const css = PORTAL_CSS;

/** Sends an HTML page (pages are small and never cached: they may hold what the person typed). */
export const sendPage = (reply: FastifyReply, status: number, page: string) =>
  reply.status(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page);

export const messagePage = (lang: PortalLang, key: string, link?: string) =>
  layout(
    lang,
    t(lang, 'title'),
    html`<div class="alert" role="alert">${t(lang, key)}</div>${link ? html`<p><a href="${link}">${t(lang, 'startAgain')}</a></p>` : ''}`,
  );

/** The per-browser anti-forgery value: a cookie that cross-site pages can neither read nor send. */
export function portalCsrf(ctx: AppContext, request: FastifyRequest, reply: FastifyReply): string {
  const existing = request.cookies[PORTAL_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{22}$/.test(existing)) return existing;
  const value = newSecret(16);
  reply.setCookie(PORTAL_COOKIE, value, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: ctx.config.publicUrl.startsWith('https://'),
    maxAge: 86_400,
  });
  return value;
}

/** The public portal: language → crisis → the registration steps → confirmation; the update page. */
export async function portalRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const signer = new DraftSigner(ctx.config.secretKey);
  // Portal pages answer errors with a page in the person's language, never with JSON.
  app.setErrorHandler((error: { statusCode?: number; message?: string }, req, reply) => {
    const first = req.url.split('/')[1] ?? '';
    const lang: PortalLang = isPortalLang(first) ? first : 'en';
    if (error.statusCode === 429) return sendPage(reply, 429, messagePage(lang, 'rateLimited'));
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendPage(reply, error.statusCode, messagePage(lang, 'expired', `/${lang}/`));
    }
    req.log.error({ err: { message: error.message } }, 'portal page failed');
    return sendPage(reply, 500, messagePage(lang, 'serverError'));
  });
  const limit = {
    rateLimit: { max: ctx.config.rateLimits.portalPerMinute, timeWindow: '1 minute', allowList: () => false },
  };
  const hide = { schema: { hide: true } };

  app.get('/portal.css', hide, (_req, reply) =>
    reply.header('cache-control', 'public, max-age=86400').type('text/css; charset=utf-8').send(css),
  );

  app.get('/', { ...hide, config: limit }, async (_req, reply) =>
    sendPage(
      reply,
      200,
      layout(
        'en',
        t('en', 'title'),
        html`<h1>${PORTAL_LANGS.map((l) => html`<span lang="${l}">${t(l, 'chooseLanguage')}</span><br>`)}</h1><ul class="langs">${PORTAL_LANGS.map((l) => html`<li><a class="button" href="/${l}/" lang="${l}">${t(l, `lang.${l}`)}</a></li>`)}</ul>`,
      ),
    ),
  );

  app.get<{ Params: { lang: string } }>('/:lang/', { ...hide, config: limit }, async (req, reply) => {
    const lang = req.params.lang;
    if (!isPortalLang(lang)) return reply.redirect('/');
    const { crises } = await activeCrises(ctx);
    if (crises.length === 1) return reply.redirect(`/${lang}/c/${crises[0]!.slug}/`);
    const body =
      crises.length === 0
        ? html`<p>${t(lang, 'noCrisis')}</p>`
        : html`<h1>${t(lang, 'chooseCrisis')}</h1><ul class="langs">${crises.map((c) => html`<li><a class="button" href="/${lang}/c/${c.slug}/">${c.name}</a></li>`)}</ul>`;
    return sendPage(reply, 200, layout(lang, t(lang, 'title'), body));
  });

  const crisisFor = async (slug: string) => {
    try {
      return await resolveActiveCrisis(ctx, slug);
    } catch {
      return undefined;
    }
  };

  app.get<{ Params: { lang: string; slug: string } }>(
    '/:lang/c/:slug/',
    { ...hide, config: limit },
    async (req, reply) => {
      const lang = req.params.lang;
      if (!isPortalLang(lang)) return reply.redirect('/');
      const found = await crisisFor(req.params.slug);
      if (!found) return sendPage(reply, 404, messagePage(lang, 'noCrisis', `/${lang}/`));
      const draft = newDraft(found.crisis.id, lang, portalCsrf(ctx, req, reply));
      return sendPage(
        reply,
        200,
        renderStep({
          lang,
          crisis: found.crisis,
          zones: found.zones,
          draft,
          sealed: signer.seal(draft),
          errors: {},
        }),
      );
    },
  );

  app.post<{ Params: { lang: string; slug: string }; Body: FormBody }>(
    '/:lang/c/:slug/register',
    { ...hide, config: limit },
    async (req, reply) => {
      const pathLang = req.params.lang;
      if (!isPortalLang(pathLang)) return reply.redirect('/');
      const restart = `/${pathLang}/c/${encodeURIComponent(req.params.slug)}/`;
      const body: FormBody = req.body && typeof req.body === 'object' ? req.body : {};
      const found = await crisisFor(req.params.slug);
      if (!found) return sendPage(reply, 404, messagePage(pathLang, 'noCrisis', `/${pathLang}/`));
      const action = field(body, 'action') || 'next';
      const switchTo = action.startsWith('lang:') ? action.slice(5) : '';
      const lang: PortalLang = isPortalLang(switchTo) ? switchTo : pathLang;
      const cookie = req.cookies[PORTAL_COOKIE];
      if (!cookie) return sendPage(reply, 403, messagePage(lang, 'cookies', restart));
      const opened = signer.open(body.draft);
      if (
        !opened ||
        opened.crisis !== found.crisis.id ||
        opened.csrf !== cookie ||
        field(body, 'csrf') !== cookie ||
        !STEPS.includes(opened.step)
      ) {
        return sendPage(reply, 403, messagePage(lang, 'expired', restart));
      }
      if (field(body, 'website')) return sendPage(reply, 400, messagePage(lang, 'expired', restart));

      const zoneCodes = found.zones.filter((z) => z.status === 'active').map((z) => z.code);
      let draft: Draft = { ...readStep(opened, opened.step, body), lang };
      let errors: StepErrors = {};
      let notStored = false;
      const index = STEPS.indexOf(draft.step);
      if (switchTo) {
        // The same page in another language: what was typed comes along, nothing is checked yet.
      } else if (action === 'back') draft = { ...draft, step: STEPS[Math.max(0, index - 1)]! };
      else if (draft.step === 'members' && /^(add|edit:\d+|remove:\d+)$/.test(action)) {
        ({ draft, errors } = applyMembersAction(draft, action));
      } else if (action === 'send' && draft.step === 'review') {
        // Every page again (a draft is only as good as its weakest page), then the real registration.
        for (const step of STEPS) {
          const stepErrors = validateStep(draft, step, zoneCodes);
          if (Object.keys(stepErrors).length > 0) {
            draft = openErrored({ ...draft, step }, stepErrors);
            errors = stepErrors;
            break;
          }
        }
        if (Object.keys(errors).length === 0) {
          try {
            const result = await registerPublic(ctx, toRegistrationBody(draft), { idempotencyKey: draft.id });
            const qr = await QRCode.toString(result.updateUrl, {
              type: 'svg',
              margin: 1,
              errorCorrectionLevel: 'L',
            });
            return sendPage(reply, 200, renderDone(lang, result.reference, result.updateUrl, qr));
          } catch (error) {
            // Not stored just now (the database refused the write): the draft and its idempotency
            // key stay, so pressing Send again is safe and never registers the household twice.
            if (error instanceof AppError && error.code === 'registration_not_stored') {
              errors = { _form: 'notStored' };
              notStored = true;
            } else if (error instanceof BusyError) {
              // Too many registrations at once (load shedding): nothing stored, same draft and key.
              errors = { _form: 'busy' };
              notStored = true;
              reply.header('retry-after', String(error.retryAfterSeconds));
            } else if (!(error instanceof AppError) || error.code !== 'validation_failed') throw error;
            else {
              const placed = (error.fields ?? []).map(placeApiError);
              draft = {
                ...draft,
                step: placed[0]?.step ?? 'review',
                open: placed.flatMap((p) => /^m(\d+)_/.exec(p.field)?.[1] ?? []).map(Number),
              };
              errors = Object.fromEntries(
                placed.filter((p) => p.step === draft.step).map((p) => [p.field, 'invalid']),
              );
              if (Object.keys(errors).length === 0) errors = { _form: 'invalid' };
            }
          }
        }
      } else {
        errors = validateStep(draft, draft.step, zoneCodes);
        if (draft.step === 'members') draft = openErrored(draft, errors);
        if (Object.keys(errors).length === 0)
          draft = { ...draft, step: STEPS[Math.min(STEPS.length - 1, index + 1)]! };
      }
      const status = notStored ? 503 : Object.keys(errors).length > 0 ? 400 : 200;
      return sendPage(
        reply,
        status,
        renderStep({
          lang,
          crisis: found.crisis,
          zones: found.zones,
          draft,
          sealed: signer.seal(draft),
          errors,
        }),
      );
    },
  );

  await registerUpdateRoutes(app, ctx, limit);
  await registerCheckRoutes(app, ctx);
  await registerStatusRoutes(app, ctx, limit);
}
