import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.js';
import { AppError } from '../lib/errors.js';
import { publicCrossingStatus } from '../modules/crossings/crossing.service.js';
import { categoryLabel, cellText } from '../modules/disclosure/disclosure.sentences.js';
import { type PublicFigures, publicFigures } from '../modules/disclosure/disclosure.service.js';
import type { PublishedTable } from '../modules/disclosure/types.js';
import { html, paragraphs, type SafeHtml } from './html.js';
import { isPortalLang, type PortalLang, t } from './i18n.js';
import { layout } from './layout.js';
import { messagePage, sendPage } from './portal.routes.js';

type Crossings = Awaited<ReturnType<typeof publicCrossingStatus>>;

function crossingList(lang: PortalLang, crossings: Crossings): SafeHtml {
  const tr = (key: string, vars?: Record<string, string>) => t(lang, key, vars);
  return html`<section><h2>${tr('crossings.title')}</h2>${
    crossings.length === 0
      ? html`<p>${tr('crossings.none')}</p>`
      : crossings.map(
          (c) =>
            html`<div class="summary"><p><b><bdi>${c.name}</bdi></b>: ${tr(`crossings.status.${c.overallStatus}`)}</p><ul>${c.sides.map(
              (s) =>
                html`<li><bdi>${tr('crossings.side', { side: s.name, status: tr(`crossings.status.${s.status}`) })}</bdi> <span class="k">${tr('crossings.since', { time: s.statusChangedAt.slice(0, 16).replace('T', ' ') })}</span>${s.openingWindows.length ? html`<br>${tr('crossings.hours')}: <span dir="ltr">${s.openingWindows.map((w) => `${w.opens}–${w.closes}`).join(', ')}</span>` : ''}${s.publicNotice[lang] ? html`<br>${s.publicNotice[lang]}` : ''}</li>`,
            )}</ul></div>`,
        )
  }</section>`;
}

/** One published table as short lists (readable on a 320-px screen, no table layout needed). */
function tableBlock(lang: PortalLang, table: PublishedTable, base: number): SafeHtml {
  const value = (cell: PublishedTable['grandTotal']) =>
    html`<bdi${cell.status === 'published' ? '' : html` class="k"`}>${cellText(lang, cell, base)}</bdi>`;
  const title = html`<h3>${t(lang, `status.tables.${table.id}`)}</h3>`;
  if (!table.rowDimension) return html`<div class="summary">${title}<p>${value(table.grandTotal)}</p></div>`;
  if (!table.columnDimension) {
    return html`<div class="summary">${title}<ul>${table.rows.map(
      (r, i) =>
        html`<li><bdi>${categoryLabel(lang, table.rowDimension, r)}</bdi>: ${value(table.cells[i]![0]!)}</li>`,
    )}</ul><p>${t(lang, 'status.tables.total')}: ${value(table.grandTotal)}</p></div>`;
  }
  return html`<div class="summary">${title}${table.rows.map(
    (r, i) =>
      html`<p><b><bdi>${categoryLabel(lang, table.rowDimension, r)}</bdi></b>: ${value(table.rowTotals![i]!)}</p><ul>${table.columns.map(
        (c, j) =>
          html`<li><bdi>${categoryLabel(lang, table.columnDimension, c)}</bdi>: ${value(table.cells[i]![j]!)}</li>`,
      )}</ul>`,
  )}<p><b>${t(lang, 'status.tables.total')}</b>: ${value(table.grandTotal)}</p></div>`;
}

export function renderStatusPage(
  lang: PortalLang,
  slug: string,
  figures: PublicFigures,
  crossings: Crossings,
): string {
  const tr = (key: string, vars?: Record<string, string>) => t(lang, key, vars);
  const base = figures.rules.roundingBase;
  const body = html`<h1>${tr('status.title')}</h1><p class="k"><bdi>${figures.crisisName}</bdi></p>
${crossingList(lang, crossings)}
${figures.advice ? html`<section><h2>${tr('status.advice')}</h2>${paragraphs(figures.advice)}</section>` : ''}
<section><h2>${tr('status.figures')}</h2><p class="k">${tr('status.computedAt', { time: figures.computedAt.slice(0, 16).replace('T', ' ') })}</p>${
    figures.tables.length === 0
      ? html`<p>${tr('status.noFigures')}</p>`
      : html`${figures.sentences.length ? html`<h3>${tr('status.keyFigures')}</h3><ul>${figures.sentences.map((s) => html`<li>${s.text}</li>`)}</ul>` : ''}${figures.tables.map((table) => tableBlock(lang, table, base))}`
  }<p class="k">${tr('status.note')}</p></section>
<p><a href="/${lang}/c/${slug}/">${tr('status.back')}</a></p>`;
  return layout(lang, `${tr('status.title')} — ${figures.crisisName}`, body, (l) => `/${l}/c/${slug}/status`);
}

/**
 * The public status page of a crisis: crossing status, the crisis's general advice and the
 * figures its disclosure rules allow. Server-rendered, no script; it holds nothing personal, so
 * it may be cached for a minute like the public figures API.
 */
export async function registerStatusRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  limit: { rateLimit: { max: number; timeWindow: string; allowList: () => boolean } },
): Promise<void> {
  app.get<{ Params: { lang: string; slug: string } }>(
    '/:lang/c/:slug/status',
    { schema: { hide: true }, config: limit },
    async (req, reply) => {
      const lang = req.params.lang;
      if (!isPortalLang(lang)) return reply.redirect('/');
      let figures: PublicFigures;
      try {
        figures = await publicFigures(ctx, req.params.slug, lang);
      } catch (error) {
        if (error instanceof AppError && error.status === 404)
          return sendPage(reply, 404, messagePage(lang, 'noCrisis', `/${lang}/`));
        throw error;
      }
      const page = renderStatusPage(lang, req.params.slug, figures, await publicCrossingStatus(ctx));
      return reply.header('cache-control', 'public, max-age=60').type('text/html; charset=utf-8').send(page);
    },
  );
}
