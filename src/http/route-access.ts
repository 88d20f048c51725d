import type { Permission } from '../access/permissions.js';

/**
 * What a route needs, declared on every route as `config: { access }`. A route under /api/v1
 * without a declaration makes the app refuse to start (deny by default).
 * - `public`: anyone (tagged `public` in the OpenAPI document);
 * - `enrolment`: a session created by a setup / invitation / reset link (TOTP not yet confirmed);
 * - `second-factor`: a session that passed the password but not yet the second factor;
 * - `signed-in`: any fully signed-in staff member;
 * - a permission: signed in and holding it in at least one crisis (services then check scope).
 */
export type RouteAccess = 'public' | 'enrolment' | 'second-factor' | 'signed-in' | Permission;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}
