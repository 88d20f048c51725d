import { z } from 'zod';

export const ELIGIBILITY_CATEGORIES = [
  'citizen',
  'permanent_resident',
  'immediate_family',
  'other_person_of_interest',
] as const;
export type EligibilityCategory = (typeof ELIGIBILITY_CATEGORIES)[number];

export const eligibilityPolicySchema = z.strictObject({
  eligibleCategories: z.array(z.enum(ELIGIBILITY_CATEGORIES)).max(4),
  permanentResidentsOnlyWithCitizenFamily: z.boolean(),
});
export type EligibilityPolicy = z.infer<typeof eligibilityPolicySchema>;

const noticeText = z.string().max(20_000);
export const privacyNoticeSchema = z.strictObject({ en: noticeText, fr: noticeText, ar: noticeText });
export type PrivacyNotice = z.infer<typeof privacyNoticeSchema>;

export const DEFAULT_POLICY: EligibilityPolicy = {
  eligibleCategories: ['citizen', 'immediate_family', 'permanent_resident'],
  permanentResidentsOnlyWithCitizenFamily: true,
};

const name = z.string().trim().min(2).max(200);
const slug = z
  .string()
  .trim()
  .min(2)
  .max(80)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'Use lowercase letters, digits and hyphens.');

export const crisisCreateSchema = z.strictObject({
  name,
  slug: slug.optional(),
  description: z.string().max(5000).optional(),
  eligibilityPolicy: eligibilityPolicySchema.optional(),
  privacyNotice: privacyNoticeSchema.optional(),
  retentionDays: z.number().int().min(0).max(3650).optional(),
});
export type CrisisCreate = z.infer<typeof crisisCreateSchema>;

export const crisisUpdateSchema = crisisCreateSchema.partial();
export type CrisisUpdate = z.infer<typeof crisisUpdateSchema>;

export const crisisSchema = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  status: z.enum(['active', 'closed']),
  description: z.string(),
  eligibilityPolicy: eligibilityPolicySchema,
  privacyNotice: privacyNoticeSchema,
  retentionDays: z.number(),
  closedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Crisis = z.infer<typeof crisisSchema>;

export const zoneCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  code: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .regex(/^[A-Za-z0-9_-]+$/, 'Use letters, digits, hyphens and underscores.')
    .optional(),
  description: z.string().max(2000).optional(),
});
export const zoneUpdateSchema = zoneCreateSchema
  .partial()
  .extend({ status: z.enum(['active', 'archived']).optional() });

export const zoneSchema = z.object({
  id: z.string(),
  crisisId: z.string(),
  name: z.string(),
  code: z.string(),
  description: z.string(),
  status: z.enum(['active', 'archived']),
  createdAt: z.string(),
});
export type Zone = z.infer<typeof zoneSchema>;

export const crisisParams = z.strictObject({ crisisId: z.string().min(1).max(100) });
export const zoneParams = crisisParams.extend({ zoneId: z.string().min(1).max(100) });
