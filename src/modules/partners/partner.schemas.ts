import { z } from 'zod';
import { ELIGIBILITIES, INTENTIONS, PERSON_STATUSES } from '../persons/person.schemas.js';

export const PARTNER_KINDS = [
  'government',
  'un_agency',
  'icrc',
  'ngo',
  'airline',
  'crossing_authority',
  'other',
] as const;
export const ENGAGEMENT_CHANNELS = ['meeting', 'call', 'email', 'visit'] as const;
export const FOLLOW_UP_STATES = ['open', 'done'] as const;
export const REQUEST_KINDS = [
  'crossing_list_submission',
  'landing_permission',
  'transit_visa',
  'information',
  'other',
] as const;
export const REQUEST_STATES = [
  'draft',
  'submitted',
  'acknowledged',
  'answered',
  'closed',
  'rejected',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];
export const CONTACT_LANGUAGES = ['en', 'fr', 'ar', 'he', 'es', 'de', 'other'] as const;

/**
 * The fixed catalogue of person fields a sharing profile can send. Anything not listed here
 * (vulnerabilities, needs, free-text notes, locations, case data) can never leave through a package.
 */
export const SHARE_FIELDS = [
  'householdReference',
  'nameLatin',
  'nameArabic',
  'sex',
  'birthDate',
  'nationality',
  'documentType',
  'documentNumber',
  'documentExpiry',
  'documentCountry',
  'phone',
  'zone',
  'relationship',
  'eligibility',
  'intention',
  'status',
  'listStatus',
  'leg',
] as const;
export type ShareField = (typeof SHARE_FIELDS)[number];
export const PROFILE_KINDS = ['persons', 'aggregates'] as const;
export const PACKAGE_FORMATS = ['csv', 'xlsx', 'hxl'] as const;
export type PackageFormat = (typeof PACKAGE_FORMATS)[number];

const id = z.string().min(1).max(100);
const text = (max: number) => z.string().trim().max(max);
const required = (max: number) => z.string().trim().min(1).max(max);
const isoTime = z.iso.datetime({ offset: true, message: 'Use an ISO-8601 date and time.' });
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use YYYY-MM-DD.');
const countryCode = z.string().regex(/^[A-Z]{2}$/, 'Use an ISO 3166 two-letter country code such as EG.');

export const crisisParams = z.strictObject({ crisisId: id });
export const partnerParams = z.strictObject({ crisisId: id, partnerId: id });
export const contactParams = z.strictObject({ crisisId: id, partnerId: id, contactId: id });
export const engagementParams = z.strictObject({ crisisId: id, engagementId: id });
export const followUpParams = z.strictObject({ crisisId: id, followUpId: id });
export const requestParams = z.strictObject({ crisisId: id, requestId: id });
export const profileParams = z.strictObject({ crisisId: id, profileId: id });
export const packageParams = z.strictObject({ crisisId: id, packageId: id });
export const personParams = z.strictObject({ crisisId: id, personId: id });
/** Any malformed token gets the same 404 as an unknown one, so the route takes any short string. */
export const shareTokenParams = z.strictObject({ token: z.string().min(1).max(200) });

// ---- partners and contacts ----

export const partnerInputSchema = z.strictObject({
  name: required(200),
  kind: z.enum(PARTNER_KINDS),
  country: countryCode.nullable().default(null),
  notes: text(4000).default(''),
});
export const partnerPatchSchema = z.strictObject({
  name: required(200).optional(),
  kind: z.enum(PARTNER_KINDS).optional(),
  country: countryCode.nullable().optional(),
  notes: text(4000).optional(),
});

const email = z.email({ message: 'Use an email address such as name@example.org.' }).max(254);
const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ().-]{5,30}$/, 'Use a phone number with its country code, such as +20 2 1234 5678.');

export const contactInputSchema = z.strictObject({
  name: required(200),
  role: text(200).default(''),
  email: email.nullable().default(null),
  phone: phone.nullable().default(null),
  language: z.enum(CONTACT_LANGUAGES).nullable().default(null),
});
export const contactPatchSchema = z.strictObject({
  name: required(200).optional(),
  role: text(200).optional(),
  email: email.nullable().optional(),
  phone: phone.nullable().optional(),
  language: z.enum(CONTACT_LANGUAGES).nullable().optional(),
});

export const contactSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  language: z.string().nullable(),
});

export const partnerSummarySchema = z.object({
  id: z.string(),
  crisisId: z.string(),
  name: z.string(),
  kind: z.enum(PARTNER_KINDS),
  country: z.string().nullable(),
  notes: z.string(),
  contactCount: z.number(),
  openRequests: z.number(),
  lastEngagementAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PartnerSummary = z.infer<typeof partnerSummarySchema>;

export const partnerDetailSchema = partnerSummarySchema.extend({ contacts: z.array(contactSchema) });

// ---- engagements and follow-ups ----

export const followUpInputSchema = z.strictObject({
  text: required(1000),
  ownerId: id,
  dueDate: day,
});

export const engagementInputSchema = z.strictObject({
  occurredAt: isoTime,
  channel: z.enum(ENGAGEMENT_CHANNELS),
  partnerIds: z.array(id).min(1, 'Name at least one partner.').max(20),
  participantIds: z.array(id).max(30).default([]),
  subject: required(300),
  outcome: text(4000).default(''),
  followUps: z.array(followUpInputSchema).max(30).default([]),
});
export const engagementPatchSchema = z.strictObject({
  occurredAt: isoTime.optional(),
  channel: z.enum(ENGAGEMENT_CHANNELS).optional(),
  subject: required(300).optional(),
  outcome: text(4000).optional(),
});

export const followUpSchema = z.object({
  id: z.string(),
  engagementId: z.string(),
  engagementSubject: z.string(),
  text: z.string(),
  owner: z.object({ id: z.string(), displayName: z.string() }),
  dueDate: z.string(),
  state: z.enum(FOLLOW_UP_STATES),
  overdue: z.boolean(),
  doneAt: z.string().nullable(),
});
export type FollowUp = z.infer<typeof followUpSchema>;

export const engagementSchema = z.object({
  id: z.string(),
  crisisId: z.string(),
  occurredAt: z.string(),
  channel: z.enum(ENGAGEMENT_CHANNELS),
  subject: z.string(),
  outcome: z.string(),
  partners: z.array(z.object({ id: z.string(), name: z.string() })),
  participants: z.array(z.object({ id: z.string(), displayName: z.string() })),
  followUps: z.array(followUpSchema),
  createdAt: z.string(),
});
export type Engagement = z.infer<typeof engagementSchema>;

export const engagementListQuery = z.strictObject({ partnerId: id.optional() });
export const followUpListQuery = z.strictObject({
  mine: z.enum(['true', 'false']).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  state: z.enum(FOLLOW_UP_STATES).optional(),
});
export const followUpPatchSchema = z.strictObject({
  state: z.enum(FOLLOW_UP_STATES).optional(),
  dueDate: day.optional(),
  ownerId: id.optional(),
  text: required(1000).optional(),
});

// ---- requests ----

export const requestInputSchema = z.strictObject({
  partnerId: id,
  kind: z.enum(REQUEST_KINDS),
  subject: required(300),
  details: text(4000).default(''),
});
export const requestPatchSchema = z.strictObject({
  version: z.number().int().min(1),
  kind: z.enum(REQUEST_KINDS).optional(),
  subject: required(300).optional(),
  details: text(4000).optional(),
});
export const requestStateChangeSchema = z.strictObject({
  version: z.number().int().min(1),
  to: z.enum(REQUEST_STATES),
  note: text(1000).default(''),
});
export const requestListQuery = z.strictObject({ partnerId: id.optional() });

export const requestEventSchema = z.object({
  id: z.string(),
  at: z.string(),
  fromState: z.string().nullable(),
  toState: z.string(),
  note: z.string(),
  actorLabel: z.string(),
});

export const requestSchema = z.object({
  id: z.string(),
  crisisId: z.string(),
  partner: z.object({ id: z.string(), name: z.string() }),
  kind: z.enum(REQUEST_KINDS),
  subject: z.string(),
  details: z.string(),
  state: z.enum(REQUEST_STATES),
  allowedNext: z.array(z.enum(REQUEST_STATES)),
  submittedAt: z.string().nullable(),
  version: z.number(),
  packageCount: z.number(),
  /** Distinct persons whose data went to the partner in packages linked to this request. */
  linkedPersons: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PartnerRequest = z.infer<typeof requestSchema>;

// ---- sharing profiles ----

export const selectionSchema = z.strictObject({
  zone: id.optional(),
  status: z.array(z.enum(PERSON_STATUSES)).max(PERSON_STATUSES.length).optional(),
  intention: z.array(z.enum(INTENTIONS)).max(INTENTIONS.length).optional(),
  eligibility: z.array(z.enum(ELIGIBILITIES)).max(ELIGIBILITIES.length).optional(),
  /** Only persons on an approved crossing list (of `listDate` when given). */
  onList: z.boolean().optional(),
  listDate: day.optional(),
  /** Only persons holding a place on a leg (on `legId` when given). */
  allocated: z.boolean().optional(),
  legId: id.optional(),
  /** Only these persons (still subject to every other condition). */
  personIds: z.array(id).min(1).max(5000).optional(),
});
export type Selection = z.infer<typeof selectionSchema>;

const profileFields = {
  name: required(200),
  kind: z.enum(PROFILE_KINDS).default('persons'),
  fields: z.array(z.string().min(1).max(100)).min(1, 'Choose at least one field.').max(40),
  selection: selectionSchema.default({}),
};

/** Person profiles choose from the fixed catalogue; aggregate profiles name publishable tables. */
function checkFields(p: { kind: (typeof PROFILE_KINDS)[number]; fields: string[] }, ctx: z.RefinementCtx) {
  if (p.kind !== 'persons') return;
  p.fields.forEach((f, i) => {
    if (!(SHARE_FIELDS as readonly string[]).includes(f))
      ctx.addIssue({
        code: 'custom',
        path: ['fields', i],
        message: `Unknown field "${f}"; choose from: ${SHARE_FIELDS.join(', ')}.`,
      });
  });
}

export const profileInputSchema = z.strictObject(profileFields).superRefine(checkFields);
export const profileUpdateSchema = z
  .strictObject({ ...profileFields, version: z.number().int().min(1) })
  .superRefine(checkFields);

export const profileSchema = z.object({
  id: z.string(),
  partnerId: z.string(),
  name: z.string(),
  kind: z.enum(PROFILE_KINDS),
  fields: z.array(z.string()),
  selection: selectionSchema,
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SharingProfile = z.infer<typeof profileSchema>;

// ---- packages ----

export const packagePreviewSchema = z.strictObject({ profileId: id });
export const packageCreateSchema = z.strictObject({
  profileId: id,
  requestId: id.nullable().default(null),
  format: z.enum(PACKAGE_FORMATS),
  /** Hours the link stays valid; the crisis's default when left out. */
  expiresInHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .optional(),
  maxDownloads: z.number().int().min(1).max(100).nullable().default(null),
});
export const packageListQuery = z.strictObject({ partnerId: id.optional(), requestId: id.optional() });

export const previewSchema = z.object({
  kind: z.enum(PROFILE_KINDS),
  fields: z.array(z.string()),
  rowCount: z.number(),
  personCount: z.number(),
  formats: z.array(z.enum(PACKAGE_FORMATS)),
});

export const packageSchema = z.object({
  id: z.string(),
  crisisId: z.string(),
  partner: z.object({ id: z.string(), name: z.string() }),
  request: z.object({ id: z.string(), subject: z.string() }).nullable(),
  profileId: z.string().nullable(),
  profileName: z.string(),
  kind: z.enum(PROFILE_KINDS),
  format: z.enum(PACKAGE_FORMATS),
  fields: z.array(z.string()),
  rowCount: z.number(),
  personCount: z.number(),
  byteSize: z.number(),
  sha256: z.string(),
  fileName: z.string(),
  expiresAt: z.string(),
  maxDownloads: z.number().nullable(),
  downloads: z.number(),
  revokedAt: z.string().nullable(),
  purgedAt: z.string().nullable(),
  /** live | expired | revoked | exhausted */
  linkState: z.enum(['live', 'expired', 'revoked', 'exhausted']),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type DataPackage = z.infer<typeof packageSchema>;

export const packageDetailSchema = packageSchema.extend({
  downloadLog: z.array(z.object({ at: z.string(), addressHash: z.string() })),
});

export const packageCreatedSchema = z.object({
  package: packageSchema,
  /** Shown once: only the hash of its secret is kept. */
  downloadUrl: z.string(),
});

export const personShareSchema = z.object({
  packageId: z.string(),
  partner: z.object({ id: z.string(), name: z.string() }),
  request: z.object({ id: z.string(), subject: z.string() }).nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  fields: z.array(z.string()),
  format: z.enum(PACKAGE_FORMATS),
  downloads: z.number(),
  linkState: z.enum(['live', 'expired', 'revoked', 'exhausted']),
});

export const sharingSettingsSchema = z
  .strictObject({
    defaultLinkHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 30),
    maxLinkHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 30),
  })
  .refine((s) => s.defaultLinkHours <= s.maxLinkHours, {
    message: 'The default cannot be longer than the maximum.',
    path: ['defaultLinkHours'],
  });
