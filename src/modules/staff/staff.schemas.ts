import { z } from 'zod';
import { ROLE_IDS } from '../../access/roles.js';

const email = z.string().trim().toLowerCase().pipe(z.email().max(254));
const displayName = z.string().trim().min(1).max(120);
/** Long passphrases beat complexity rules (NIST SP 800-63B). */
const password = z.string().min(12, 'Use at least 12 characters.').max(256);

export const grantSchema = z.strictObject({
  role: z.enum(ROLE_IDS),
  crisisId: z.string().min(1).max(100).nullable(),
});

export const tokenInfoBody = z.strictObject({ token: z.string().min(10).max(200) });
export const tokenInfoReply = z.object({
  purpose: z.enum(['setup', 'invitation', 'reset']),
  email: z.string().nullable(),
  displayName: z.string().nullable(),
});

export const acceptBody = z.strictObject({
  token: z.string().min(10).max(200),
  displayName,
  password,
  email: email.optional(),
});
export const acceptReply = z.object({
  enrollment: z.object({ secret: z.string(), otpauthUrl: z.string(), qrDataUrl: z.string() }),
  csrfToken: z.string(),
});

export const totpConfirmBody = z.strictObject({
  code: z.string().regex(/^\d{6}$/, 'Enter the 6-digit code.'),
});

export const loginBody = z.strictObject({ email, password: z.string().min(1).max(256) });
export const loginReply = z.object({ mfaRequired: z.literal(true), csrfToken: z.string() });

export const mfaBody = z
  .strictObject({
    code: z
      .string()
      .regex(/^\d{6}$/, 'Enter the 6-digit code.')
      .optional(),
    recoveryCode: z.string().min(8).max(40).optional(),
  })
  .refine((b) => (b.code ? 1 : 0) + (b.recoveryCode ? 1 : 0) === 1, {
    message: 'Give either a code or a recovery code.',
    path: ['code'],
  });

export const meSchema = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  locale: z.enum(['en', 'fr', 'ar']),
  csrfToken: z.string(),
  grants: z.array(z.object({ role: z.string(), crisisId: z.string().nullable() })),
  crises: z.array(z.object({ id: z.string(), name: z.string(), status: z.enum(['active', 'closed']) })),
  abilities: z.object({ global: z.array(z.string()), byCrisis: z.record(z.string(), z.array(z.string())) }),
});

export const mePatchBody = z.strictObject({
  locale: z.enum(['en', 'fr', 'ar']).optional(),
  displayName: displayName.optional(),
});

export const staffSchema = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  status: z.enum(['invited', 'active', 'disabled']),
  mfaEnabled: z.boolean(),
  lockedUntil: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  grants: z.array(z.object({ role: z.string(), crisisId: z.string().nullable() })),
});

export const inviteBody = z.strictObject({
  email,
  displayName,
  grants: z.array(grantSchema).min(1, 'Give at least one role.').max(50),
});
export const staffPatchBody = z.strictObject({
  displayName: displayName.optional(),
  status: z.enum(['active', 'disabled']).optional(),
  grants: z.array(grantSchema).min(1, 'Give at least one role.').max(50).optional(),
});
export const staffParams = z.strictObject({ staffId: z.string().min(1).max(100) });

export const roleSchema = z.object({
  id: z.string(),
  name: z.string(),
  permissions: z.array(z.string()),
  requiresMfa: z.boolean(),
});
