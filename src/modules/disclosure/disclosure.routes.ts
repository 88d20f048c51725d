import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import {
  analystFiguresSchema,
  analystQuery,
  crisisParams,
  figuresSchema,
  langQuery,
  rulesUpdateSchema,
  rulesViewSchema,
  slugParams,
} from './disclosure.schemas.js';
import { analystFigures, getRules, publicFigures, updateRules } from './disclosure.service.js';

/**
 * Disclosure control under /api/v1: the rules of a crisis, the analyst's view of the publishable
 * figures (with what was hidden and why), and the public figures.
 *
 * The staff routes are declared `signed-in` because two permissions give the view (report.read or
 * person.aggregate); the service checks them in the crisis and answers 404 to anyone else.
 */
export async function disclosureRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['disclosure'];

  r.get(
    '/crises/:crisisId/disclosure/rules',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Disclosure rules of a crisis (report.read, person.aggregate or report.publish)',
        params: crisisParams,
        response: { 200: rulesViewSchema },
      },
    },
    async (req) => getRules(ctx, req.actor, req.params.crisisId),
  );

  r.put(
    '/crises/:crisisId/disclosure/rules',
    {
      config: { access: 'report.publish' },
      schema: {
        tags,
        summary: 'Change the disclosure rules of a crisis (audited)',
        params: crisisParams,
        body: rulesUpdateSchema,
        response: { 200: rulesViewSchema },
      },
    },
    async (req) => updateRules(ctx, req.actor, req.params.crisisId, req.body),
  );

  r.get(
    '/crises/:crisisId/disclosure/figures',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Publishable figures with the reason of every hidden cell (report.read or person.aggregate)',
        description:
          '`source=published` (default): what the public sees today, from the counts frozen for the day. `source=live`: the rules applied to the registry as it is now (a preview; not published).',
        params: crisisParams,
        querystring: analystQuery,
        response: { 200: analystFiguresSchema },
      },
    },
    async (req) =>
      analystFigures(ctx, req.actor, req.params.crisisId, { source: req.query.source, lang: req.query.lang }),
  );

  r.get(
    '/public/crises/:slug/figures',
    {
      config: {
        access: 'public',
        rateLimit: { max: ctx.config.rateLimits.portalPerMinute, timeWindow: '1 minute' },
      },
      schema: {
        tags: ['public', ...tags],
        summary: 'Public figures of an active crisis: only what its disclosure rules allow',
        params: slugParams,
        querystring: langQuery,
        response: {
          200: figuresSchema.extend({ crisisName: z.string(), advice: z.string() }),
        },
      },
    },
    async (req, reply) => {
      const figures = await publicFigures(ctx, req.params.slug, req.query.lang);
      reply.header('cache-control', 'public, max-age=60');
      return figures;
    },
  );
}
