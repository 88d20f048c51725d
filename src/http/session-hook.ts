import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Actor, publicActor } from '../access/actor.js';
import { holdsAnywhere } from '../access/policy.js';
import type { AppContext } from '../app-context.js';
import { AppError, forbidden, unauthenticated } from '../lib/errors.js';
import { type ResolvedSession, resolveSession } from '../modules/staff/auth.service.js';
import type { RouteAccess } from './route-access.js';

export const SESSION_COOKIE = 'corridor_session';

declare module 'fastify' {
  interface FastifyRequest {
    session?: ResolvedSession;
    actor: Actor;
  }
  interface FastifyInstance {
    /** Declared access of every /api/v1 route, keyed "METHOD /url" (for the route-walk test and docs). */
    routeAccess: Map<string, RouteAccess>;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Routes reached before a session exists or while it is being completed carry their own proof. */
const CSRF_EXEMPT = new Set<RouteAccess>(['public', 'enrolment', 'second-factor']);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The signed-in staff session of a request, or 401. */
export function requireSession(request: FastifyRequest): ResolvedSession {
  if (!request.session) throw unauthenticated();
  return request.session;
}

/**
 * Resolves the session cookie and enforces each route's declared access before the body is
 * parsed, so an anonymous caller learns nothing about a route's input.
 */
export function installSessionHook(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('session', undefined);
  app.decorateRequest('actor', null as never);

  const table = new Map<string, RouteAccess>();
  app.decorate('routeAccess', table);
  app.addHook('onRoute', (route) => {
    const url = route.url ?? route.path;
    if (!url.startsWith('/api/v1')) return;
    const access = route.config?.access;
    if (!access) throw new Error(`Route ${route.method} ${url} does not declare its access (config.access).`);
    for (const method of [route.method].flat()) table.set(`${method} ${url}`, access);
  });

  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    request.actor = publicActor;
    const access = request.routeOptions.config.access;
    if (!access) return;
    const cookie = request.cookies[SESSION_COOKIE];
    const session = cookie ? await resolveSession(ctx, cookie) : undefined;
    if (session) {
      request.session = session;
      request.actor = session.actor;
    }
    if (access === 'public') return;
    if (!session) throw unauthenticated();
    if (access === 'enrolment') {
      if (session.stage !== 'enrol') throw unauthenticated('Open your invitation link again.');
      return;
    }
    if (access === 'second-factor') {
      if (session.stage !== 'password') throw unauthenticated('Sign in with your password first.');
      return;
    }
    if (session.stage !== 'full')
      throw new AppError(401, 'second_factor_required', 'Enter your second-factor code.');
    if (!SAFE_METHODS.has(request.method) && !CSRF_EXEMPT.has(access)) {
      const header = request.headers['x-csrf-token'];
      if (typeof header !== 'string' || !sameToken(header, session.csrfToken)) {
        throw new AppError(
          403,
          'csrf_failed',
          'The request is missing its anti-forgery token; reload the page.',
        );
      }
    }
    if (access !== 'signed-in' && !holdsAnywhere(session.actor, access)) throw forbidden();
  });
}
