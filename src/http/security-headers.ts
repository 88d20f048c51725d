import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * Security headers (helmet's set, with a strict Content-Security-Policy: no inline scripts, no
 * other origins). The headers are the same for every response, so they are computed once at
 * start — helmet's middleware would parse the policy again on every request (see ADR 0004).
 */
export function securityHeaders(https: boolean): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: https,
  })({} as IncomingMessage, res as unknown as ServerResponse, () => undefined);
  return headers;
}

/**
 * The headers of a JSON API answer (OWASP REST Security): nothing in it is ever rendered, so the
 * page policies (script sources, cross-origin isolation, legacy browser switches) have nothing to
 * act on; what matters is that it is never framed, sniffed or cached. `no-store` keeps answers
 * that carry a secret (a registration's update link) out of shared and browser caches. Eight
 * headers fewer on every answer is also less for a surge's clients to parse. HSTS, when the page set
 * has it (https), is the same.
 */
export function apiSecurityHeaders(page: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = {
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'cross-origin-resource-policy': 'same-origin',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  };
  const hsts = page['strict-transport-security'];
  if (hsts) headers['strict-transport-security'] = hsts;
  return headers;
}

/** An API answer, not a page: under /api/ except the API docs UI (an HTML page). */
const isApi = (url: string) => url.startsWith('/api/') && !url.startsWith('/api/docs');

/**
 * Sets the precomputed headers on every response: the API set on JSON API answers, the page set
 * on everything else (routes may still override one, e.g. the docs UI or a download's caching).
 */
export function installSecurityHeaders(app: FastifyInstance, https: boolean): void {
  const page = securityHeaders(https);
  const api = apiSecurityHeaders(page);
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(isApi(request.url) ? api : page);
  });
}
