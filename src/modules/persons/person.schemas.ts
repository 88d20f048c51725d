import { z } from 'zod';
import { ELIGIBILITY_CATEGORIES } from '../crises/crisis.schemas.js';

export const RELATIONSHIPS = [
  'head',
  'spouse',
  'child',
  'parent',
  'sibling',
  'grandparent',
  'grandchild',
  'other_relative',
  'other',
] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

export const SEXES = ['female', 'male', 'unknown'] as const;
export const INTENTIONS = ['leave', 'stay', 'undecided'] as const;
export type Intention = (typeof INTENTIONS)[number];
export const VULNERABILITIES = [
  'medical',
  'mobility',
  'pregnancy',
  'unaccompanied_minor',
  'elderly',
] as const;
export const DOCUMENT_TYPES = [
  'passport',
  'national_id',
  'permanent_resident_card',
  'birth_certificate',
  'other',
] as const;
export const PERSON_STATUSES = [
  'registered',
  'verified',
  'safe',
  'awaiting_departure',
  'departed',
  'arrived',
  'missing',
  'deceased',
  'withdrawn',
] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];
export const ELIGIBILITIES = ['eligible', 'not_eligible', 'to_verify'] as const;
export type Eligibility = (typeof ELIGIBILITIES)[number];
export const CHANNELS = ['portal_self', 'portal_on_behalf', 'api', 'call_centre', 'import', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];
export const LOCALES = ['en', 'fr', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];

const text = (max: number) => z.string().trim().min(1).max(max);
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use YYYY-MM-DD.')
  .refine(
    (v) =>
      !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    'Not a real date.',
  );
const countryCode = z.string().regex(/^[A-Z]{2,3}$/, 'Use an ISO country code such as PS or USA.');

export const namePartsSchema = z.strictObject({
  given: text(100).optional(),
  father: text(100).optional(),
  grandfather: text(100).optional(),
  family: text(100).optional(),
  full: text(300).optional(),
});
export type NameParts = z.infer<typeof namePartsSchema>;

/** A document typed field by field, or a passport machine-readable zone pasted whole. */
export const documentInputSchema = z.strictObject({
  type: z.enum(DOCUMENT_TYPES).optional(),
  number: text(40).optional(),
  issuingCountry: countryCode.optional(),
  expiryDate: isoDate.optional(),
  mrz: z.string().max(200).optional(),
});
export type DocumentInput = z.infer<typeof documentInputSchema>;

export const memberInputSchema = z.strictObject({
  relationship: z.enum(RELATIONSHIPS),
  nameLatin: namePartsSchema.optional(),
  nameArabic: namePartsSchema.optional(),
  sex: z.enum(SEXES).optional(),
  /** A full date, or only the year when that is all the person knows. */
  birthDate: z
    .string()
    .regex(/^\d{4}(-\d{2}-\d{2})?$/, 'Use YYYY-MM-DD, or YYYY when only the year is known.')
    .optional(),
  birthPlace: text(200).optional(),
  nationalities: z.array(countryCode).max(5).optional(),
  eligibilityCategory: z.enum(ELIGIBILITY_CATEGORIES).optional(),
  documents: z.array(documentInputSchema).max(5).optional(),
  phone: z.string().max(40).optional(),
  email: z.string().max(200).optional(),
  whatsapp: z.boolean().optional(),
  vulnerabilities: z.array(z.enum(VULNERABILITIES)).max(VULNERABILITIES.length).optional(),
  needs: text(1000).optional(),
});
export type MemberInput = z.infer<typeof memberInputSchema>;

export const contactInputSchema = z.strictObject({
  phone: z.string().max(40).optional(),
  email: z.string().max(200).optional(),
  whatsapp: z.boolean().optional(),
});

export const locationInputSchema = z.strictObject({
  /** Zone code of the crisis (e.g. KHAN-YOUNIS). */
  zone: z.string().max(40).optional(),
  place: text(200).optional(),
  latitude: z.number().min(-90).max(90).optional(),
  longitude: z.number().min(-180).max(180).optional(),
});
export type LocationInput = z.infer<typeof locationInputSchema>;

/** Shared by the public API, the portal, the call-centre form and the importer. */
export const registrationBodySchema = z.strictObject({
  /** Crisis id or short name (slug); may be left out when exactly one crisis is active. */
  crisis: z.string().min(1).max(100).optional(),
  registeredBy: z.enum(['self', 'relative']),
  registrant: z
    .strictObject({
      name: text(200),
      relationship: text(60),
      phone: z.string().max(40).optional(),
      email: z.string().max(200).optional(),
    })
    .optional(),
  locale: z.enum(LOCALES).optional(),
  members: z.array(memberInputSchema).min(1).max(20),
  contacts: z.array(contactInputSchema).max(10).optional(),
  location: locationInputSchema.optional(),
  intention: z.enum(INTENTIONS),
});
export type RegistrationBody = z.infer<typeof registrationBodySchema>;

export const registrationReplySchema = z.object({
  reference: z.string(),
  /** 128-bit secret for the private update link; shown once, stored only hashed. */
  updateSecret: z.string(),
  updateUrl: z.string(),
  receivedAt: z.string(),
  members: z.number(),
});
export type RegistrationReply = z.infer<typeof registrationReplySchema>;

export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(8)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'Printable ASCII only.')
    .optional(),
});

// ---- staff side ----

export const personDocumentSchema = z.object({
  id: z.string(),
  type: z.string(),
  number: z.string(),
  numberNormalised: z.string(),
  issuingCountry: z.string().nullable(),
  expiryDate: z.string().nullable(),
});

export const personContactSchema = z.object({
  id: z.string(),
  personId: z.string().nullable(),
  kind: z.enum(['phone', 'email']),
  value: z.string(),
  whatsapp: z.boolean(),
});

const nameOut = z.object({
  given: z.string().nullable(),
  father: z.string().nullable(),
  grandfather: z.string().nullable(),
  family: z.string().nullable(),
  full: z.string().nullable(),
});

export const personSummarySchema = z.object({
  id: z.string(),
  crisisId: z.string(),
  householdId: z.string(),
  reference: z.string(),
  relationship: z.string(),
  nameLatin: nameOut,
  nameArabic: nameOut,
  displayName: z.string(),
  sex: z.string(),
  birthDate: z.string().nullable(),
  birthPrecision: z.enum(['day', 'year', 'unknown']),
  zoneId: z.string().nullable(),
  place: z.string().nullable(),
  intention: z.string(),
  status: z.string(),
  eligibility: z.string(),
  eligibilityReason: z.string(),
  eligibilityCategory: z.string().nullable(),
  vulnerabilities: z.array(z.string()),
  channel: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PersonSummary = z.infer<typeof personSummarySchema>;

export const personDetailSchema = personSummarySchema.extend({
  birthPlace: z.string().nullable(),
  nationalities: z.array(z.string()),
  citizenPersonId: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  locationConfirmedAt: z.string().nullable(),
  needs: z.string().nullable(),
  documents: z.array(personDocumentSchema),
  contacts: z.array(personContactSchema),
});
export type PersonDetail = z.infer<typeof personDetailSchema>;

export const householdSchema = z.object({
  id: z.string(),
  reference: z.string(),
  channel: z.string(),
  registeredBy: z.string(),
  registrant: z.object({
    name: z.string().nullable(),
    relationship: z.string().nullable(),
    contact: z.string().nullable(),
  }),
  headPersonId: z.string().nullable(),
  safeReportedAt: z.string().nullable(),
  createdAt: z.string(),
  members: z.array(personSummarySchema),
  contacts: z.array(personContactSchema),
});

export const historyEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  kind: z.string(),
  status: z.string().nullable(),
  reason: z.string().nullable(),
  changes: z.record(z.string(), z.unknown()).nullable(),
  actorLabel: z.string(),
});

export const auditEntrySchema = z.object({
  seq: z.number(),
  at: z.string(),
  actorLabel: z.string(),
  action: z.string(),
});

export const personPageSchema = z.object({
  person: personDetailSchema,
  household: householdSchema,
  history: z.array(historyEntrySchema),
  audit: z.array(auditEntrySchema),
});

const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .max(400)
    .transform((v) => v.split(',').filter(Boolean))
    .pipe(z.array(z.enum(values)));

export const personListQuerySchema = z.strictObject({
  q: z.string().trim().max(200).optional(),
  zone: z.string().max(100).optional(),
  status: csv(PERSON_STATUSES).optional(),
  intention: csv(INTENTIONS).optional(),
  eligibility: csv(ELIGIBILITIES).optional(),
  vulnerability: csv(VULNERABILITIES).optional(),
  channel: csv(CHANNELS).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000).optional(),
});
export type PersonListQuery = z.infer<typeof personListQuerySchema>;

export const personListReplySchema = z.object({
  items: z.array(personSummarySchema),
  total: z.number(),
  limit: z.number(),
  offset: z.number(),
});

export const personPatchSchema = z.strictObject({
  /** Why the change is made: kept in the person's history. */
  reason: text(500),
  nameLatin: namePartsSchema.optional(),
  nameArabic: namePartsSchema.optional(),
  sex: z.enum(SEXES).optional(),
  birthDate: z
    .string()
    .regex(/^\d{4}(-\d{2}-\d{2})?$/, 'Use YYYY-MM-DD, or YYYY when only the year is known.')
    .nullable()
    .optional(),
  birthPlace: text(200).nullable().optional(),
  nationalities: z.array(countryCode).max(5).optional(),
  eligibilityCategory: z.enum(ELIGIBILITY_CATEGORIES).nullable().optional(),
  relationship: z.enum(RELATIONSHIPS).optional(),
  location: locationInputSchema.optional(),
  intention: z.enum(INTENTIONS).optional(),
  vulnerabilities: z.array(z.enum(VULNERABILITIES)).max(VULNERABILITIES.length).optional(),
  needs: text(1000).nullable().optional(),
  status: z.enum(PERSON_STATUSES).optional(),
  addDocuments: z.array(documentInputSchema).max(5).optional(),
});
export type PersonPatch = z.infer<typeof personPatchSchema>;

export const personParams = z.strictObject({
  crisisId: z.string().min(1).max(100),
  personId: z.string().min(1).max(100),
});
export const crisisOnlyParams = z.strictObject({ crisisId: z.string().min(1).max(100) });
