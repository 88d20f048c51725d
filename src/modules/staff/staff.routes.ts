import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { requireSession, SESSION_COOKIE } from '../../http/session-hook.js';
import {
  acceptAccountToken,
  confirmTotpEnrolment,
  describeAccountToken,
  loginWithPassword,
  logout,
  logoutEverywhere,
  verifySecondFactor,
} from './auth.service.js';
import { countStaff } from './staff.repository.js';
import {
  acceptBody,
  acceptReply,
  inviteBody,
  loginBody,
  loginReply,
  mePatchBody,
  meSchema,
  mfaBody,
  roleSchema,
  staffParams,
  staffPatchBody,
  staffSchema,
  tokenInfoBody,
  tokenInfoReply,
  totpConfirmBody,
} from './staff.schemas.js';
import {
  getMe,
  inviteStaff,
  issuePasswordReset,
  listColleagues,
  listStaffFor,
  updateMe,
  updateStaffMember,
} from './staff.service.js';

/** Sign-in, enrolment and staff administration under /api/v1. */
export async function staffRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const secure = ctx.config.publicUrl.startsWith('https://');
  const authLimit = { max: ctx.config.rateLimits.authPerMinute, timeWindow: '1 minute' };
  const setCookie = (reply: FastifyReply, secret: string) =>
    reply.setCookie(SESSION_COOKIE, secret, {
      httpOnly: true,
      sameSite: 'strict',
      secure,
      path: '/',
      maxAge: ctx.config.session.ttlHours * 3600,
    });

  r.get(
    '/setup',
    {
      config: { access: 'public' },
      schema: {
        tags: ['public', 'auth'],
        summary: 'Whether the first administrator is still to be created',
        response: { 200: z.object({ needsSetup: z.boolean() }) },
      },
    },
    async () => ({ needsSetup: (await countStaff(ctx.db.db)) === 0 }),
  );

  r.post(
    '/auth/token-info',
    {
      config: { access: 'public', rateLimit: authLimit },
      schema: {
        tags: ['public', 'auth'],
        summary: 'What a setup, invitation or reset link is for',
        body: tokenInfoBody,
        response: { 200: tokenInfoReply },
      },
    },
    async (req) => describeAccountToken(ctx, req.body.token),
  );

  r.post(
    '/auth/invitations/accept',
    {
      config: { access: 'public', rateLimit: authLimit },
      schema: {
        tags: ['public', 'auth'],
        summary: 'Use a setup, invitation or reset link: set a password, start TOTP enrolment',
        body: acceptBody,
        response: { 200: acceptReply },
      },
    },
    async (req, reply) => {
      const result = await acceptAccountToken(ctx, req.body);
      setCookie(reply, result.session.secret);
      return { enrollment: result.enrollment, csrfToken: result.session.csrfToken };
    },
  );

  r.post(
    '/auth/totp/confirm',
    {
      config: { access: 'enrolment', rateLimit: authLimit },
      schema: {
        tags: ['auth'],
        summary: 'Confirm the second factor; returns single-use recovery codes',
        body: totpConfirmBody,
        response: { 200: z.object({ recoveryCodes: z.array(z.string()), me: meSchema }) },
      },
    },
    async (req) => {
      const session = requireSession(req);
      const recoveryCodes = await confirmTotpEnrolment(ctx, session, req.body.code);
      return { recoveryCodes, me: await getMe(ctx, session.actor, session.csrfToken) };
    },
  );

  r.post(
    '/auth/login',
    {
      config: { access: 'public', rateLimit: authLimit },
      schema: {
        tags: ['public', 'auth'],
        summary: 'Sign in with email and password (a second factor follows)',
        body: loginBody,
        response: { 200: loginReply },
      },
    },
    async (req, reply) => {
      const session = await loginWithPassword(ctx, req.body.email, req.body.password);
      setCookie(reply, session.secret);
      return { mfaRequired: true as const, csrfToken: session.csrfToken };
    },
  );

  r.post(
    '/auth/mfa',
    {
      config: { access: 'second-factor', rateLimit: authLimit },
      schema: {
        tags: ['auth'],
        summary: 'Second factor: TOTP code or a recovery code',
        body: mfaBody,
        response: { 200: z.object({ me: meSchema }) },
      },
    },
    async (req) => {
      const session = requireSession(req);
      await verifySecondFactor(ctx, session, req.body);
      return { me: await getMe(ctx, session.actor, session.csrfToken) };
    },
  );

  r.post(
    '/auth/logout',
    { config: { access: 'signed-in' }, schema: { tags: ['auth'], summary: 'End this session' } },
    async (req, reply) => {
      await logout(ctx, requireSession(req));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  r.post(
    '/auth/logout-everywhere',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['auth'], summary: 'End every session of this account' },
    },
    async (req, reply) => {
      await logoutEverywhere(ctx, requireSession(req));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  r.get(
    '/me',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user, grants and abilities',
        response: { 200: meSchema },
      },
    },
    async (req) => {
      const session = requireSession(req);
      return getMe(ctx, session.actor, session.csrfToken);
    },
  );

  r.patch(
    '/me',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['auth'],
        summary: 'Change own language or display name',
        body: mePatchBody,
        response: { 200: meSchema },
      },
    },
    async (req) => {
      const session = requireSession(req);
      await updateMe(ctx, session.actor, req.body);
      return getMe(ctx, session.actor, session.csrfToken);
    },
  );

  r.get(
    '/roles',
    {
      config: { access: 'staff.read' },
      schema: {
        tags: ['staff'],
        summary: 'Roles and their permissions',
        response: { 200: z.object({ items: z.array(roleSchema) }) },
      },
    },
    async () => ({ items: ctx.roles.map((role) => ({ ...role, permissions: [...role.permissions] })) }),
  );

  r.get(
    '/staff',
    {
      config: { access: 'staff.read' },
      schema: {
        tags: ['staff'],
        summary: 'Staff accounts in the caller’s scope',
        response: { 200: z.object({ items: z.array(staffSchema) }) },
      },
    },
    async (req) => ({ items: await listStaffFor(ctx, req.actor) }),
  );

  r.post(
    '/staff/invitations',
    {
      config: { access: 'staff.manage' },
      schema: {
        tags: ['staff'],
        summary: 'Invite a staff member with roles',
        body: inviteBody,
        response: { 201: z.object({ staff: staffSchema, invitationUrl: z.string(), expiresAt: z.string() }) },
      },
    },
    async (req, reply) => reply.status(201).send(await inviteStaff(ctx, req.actor, req.body)),
  );

  r.patch(
    '/staff/:staffId',
    {
      config: { access: 'staff.manage' },
      schema: {
        tags: ['staff'],
        summary: 'Change name, status or roles',
        params: staffParams,
        body: staffPatchBody,
        response: { 200: staffSchema },
      },
    },
    async (req) => updateStaffMember(ctx, req.actor, req.params.staffId, req.body),
  );

  r.post(
    '/staff/:staffId/password-reset',
    {
      config: { access: 'staff.manage' },
      schema: {
        tags: ['staff'],
        summary: 'Issue a password-reset link (ends the person’s sessions)',
        params: staffParams,
        body: z.strictObject({}).optional(),
        response: { 200: z.object({ resetUrl: z.string(), expiresAt: z.string() }) },
      },
    },
    async (req) => issuePasswordReset(ctx, req.actor, req.params.staffId),
  );

  r.get(
    '/crises/:crisisId/colleagues',
    {
      config: { access: 'crisis.read' },
      schema: {
        tags: ['staff'],
        summary: 'Active colleagues on a crisis (id, name, roles — no email), to assign work by name',
        params: z.strictObject({ crisisId: z.string().min(1).max(100) }),
        response: {
          200: z.object({
            items: z.array(z.object({ id: z.string(), displayName: z.string(), roles: z.array(z.string()) })),
          }),
        },
      },
    },
    async (req) => ({ items: await listColleagues(ctx, req.actor, req.params.crisisId) }),
  );
}
