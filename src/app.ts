import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { AppContext } from './app-context.js';
import { auditRoutes } from './audit/audit.routes.js';
import { installErrorHandler } from './http/error-handler.js';
import { opsRoutes } from './http/ops.routes.js';
import { installSecurityHeaders } from './http/security-headers.js';
import './http/route-access.js';
import { installSessionHook } from './http/session-hook.js';
import { caseRoutes } from './modules/cases/case.routes.js';
import { welfareRoutes } from './modules/cases/welfare.routes.js';
import { crisisRoutes } from './modules/crises/crisis.routes.js';
import { crossingRoutes } from './modules/crossings/crossing.routes.js';
import { disclosureRoutes } from './modules/disclosure/disclosure.routes.js';
import { duplicateRoutes } from './modules/duplicates/duplicate.routes.js';
import { importRoutes } from './modules/imports/imports.routes.js';
import { deliveryRoutes } from './modules/messaging/delivery/delivery.routes.js';
import { messagingRoutes } from './modules/messaging/messaging.routes.js';
import { partnerRoutes } from './modules/partners/partner.routes.js';
import { personRoutes } from './modules/persons/person.routes.js';
import { registrationRoutes } from './modules/persons/registration.routes.js';
import { reportingRoutes } from './modules/reporting/reporting.routes.js';
import { restrictedRoutes } from './modules/restricted/restricted.routes.js';
import { staffRoutes } from './modules/staff/staff.routes.js';
import { allocationRunRoutes } from './modules/transport/allocation-run.routes.js';
import { transportRoutes } from './modules/transport/transport.routes.js';
import { portalRoutes } from './portal/portal.routes.js';

/**
 * Finds the built console: `dist/console` next to the sources, or `../console` next to the
 * compiled server. A folder counts only with its `assets/` (the source folder has none).
 */
function consoleDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [resolve(here, '../dist/console'), resolve(here, '../console')]) {
    if (existsSync(join(candidate, 'index.html')) && existsSync(join(candidate, 'assets'))) return candidate;
  }
  return undefined;
}

/**
 * Builds the HTTP application: security plugins → session and access → module routes.
 * The order is fixed so that every route is covered by the hooks registered before it.
 */
export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    bodyLimit: ctx.config.bodyLimitBytes,
    trustProxy: ctx.config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true },
    ajv: { customOptions: { removeAdditional: false } },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);

  installSecurityHeaders(app, ctx.config.publicUrl.startsWith('https://'));
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  await app.register(rateLimit, {
    global: true,
    max: ctx.config.rateLimits.apiPerMinute,
    timeWindow: '1 minute',
    allowList: (req) => !req.url.startsWith('/api/'),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Corridor API', version: '1' },
      tags: [{ name: 'public', description: 'Reachable without a session' }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  installSessionHook(app, ctx);
  await app.register(opsRoutes, ctx);

  await app.register(
    async (api) => {
      api.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
        app.swagger(),
      );
      await api.register(staffRoutes, ctx);
      await api.register(crisisRoutes, ctx);
      await api.register(auditRoutes, ctx);
      await api.register(crossingRoutes, ctx);
      await api.register(transportRoutes, ctx);
      await api.register(allocationRunRoutes, ctx);
      await api.register(duplicateRoutes, ctx);
      await api.register(caseRoutes, ctx);
      await api.register(welfareRoutes, ctx);
      await api.register(restrictedRoutes, ctx);
      await api.register(registrationRoutes, ctx);
      await api.register(personRoutes, ctx);
      await api.register(importRoutes, ctx);
      await api.register(deliveryRoutes, ctx);
      await api.register(disclosureRoutes, ctx);
      await api.register(partnerRoutes, ctx);
      await api.register(messagingRoutes, ctx);
      await api.register(reportingRoutes, ctx);
    },
    { prefix: '/api/v1' },
  );

  const built = consoleDir();
  if (built) {
    await app.register(fastifyStatic, {
      root: built,
      prefix: '/console/',
      wildcard: false,
      index: ['index.html'],
    });
    // Client-side routes under /console/ get the single-page app; a missing asset is a 404, not the page.
    app.get('/console/*', { schema: { hide: true } }, (req, reply) =>
      req.url.startsWith('/console/assets/')
        ? reply.status(404).type('text/plain').send('Not found')
        : reply.sendFile('index.html', built),
    );
  } else {
    app.get('/console*', { schema: { hide: true } }, (_req, reply) =>
      reply
        .status(503)
        .type('text/plain')
        .send('The staff console is not built yet: run `npm run build:console`.'),
    );
  }
  // The public portal: served at / (server-rendered, no script).
  await app.register(portalRoutes, ctx);

  return app;
}
