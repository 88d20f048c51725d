import { z } from 'zod';

const id = z.string().min(1).max(100);
const text = (max: number) => z.string().trim().min(1).max(max);
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use YYYY-MM-DD.')
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), 'Not a real date.');

export const RESTRICTED_KINDS = ['hostage', 'missing'] as const;
export const RESTRICTED_STATUSES = ['missing', 'confirmed_held', 'released', 'found', 'deceased'] as const;
export const CITIZENSHIP = ['confirmed', 'unconfirmed', 'not_citizen'] as const;

export const restrictedPersonSchema = z.strictObject({
  fullName: text(300).optional(),
  fullNameAr: text(300).optional(),
  dateOfBirth: z
    .string()
    .regex(/^\d{4}(-\d{2}-\d{2})?$/, 'Use YYYY-MM-DD or YYYY.')
    .optional(),
  sex: z.enum(['female', 'male', 'unknown']).optional(),
  nationalities: z
    .array(z.string().regex(/^[A-Z]{2,3}$/))
    .max(5)
    .optional(),
  documents: z
    .array(z.strictObject({ type: text(40), number: text(40) }))
    .max(5)
    .optional(),
});

export const locationSchema = z.strictObject({
  place: text(300),
  asOf: day.optional(),
  coordinates: z.tuple([z.number().min(-90).max(90), z.number().min(-180).max(180)]).optional(),
});

export const restrictedCreateSchema = z
  .strictObject({
    kind: z.enum(RESTRICTED_KINDS),
    status: z.enum(RESTRICTED_STATUSES),
    citizenship: z.enum(CITIZENSHIP),
    person: restrictedPersonSchema,
    circumstances: z.string().trim().max(10_000).default(''),
    lastKnownLocation: locationSchema.optional(),
    personId: id.optional(),
    eventDate: day.optional(),
  })
  .refine((b) => b.person.fullName || b.person.fullNameAr, {
    message: 'Give a name in Latin or Arabic script.',
    path: ['person', 'fullName'],
  });

export const restrictedUpdateSchema = z.strictObject({
  version: z.number().int().min(1),
  status: z.enum(RESTRICTED_STATUSES).optional(),
  citizenship: z.enum(CITIZENSHIP).optional(),
  person: restrictedPersonSchema.optional(),
  circumstances: z.string().trim().max(10_000).optional(),
  lastKnownLocation: locationSchema.optional(),
  personId: id.nullable().optional(),
  /** When the change happened (e.g. the day of a release); defaults to today. */
  eventDate: day.optional(),
  note: z.string().trim().max(5000).optional(),
});

export const restrictedNoteSchema = z.strictObject({ text: text(5000), eventDate: day.optional() });
export const liaisonSchema = z.strictObject({
  name: text(200),
  relationship: text(100),
  phone: z.string().trim().max(40).optional(),
  email: z.string().trim().max(200).optional(),
  language: z.enum(['en', 'fr', 'ar']).optional(),
  note: z.string().trim().max(2000).optional(),
});
export const restrictedTaskSchema = z.strictObject({
  title: text(300),
  dueAt: z.iso.datetime({ offset: true }).optional(),
});

export const restrictedParams = z.strictObject({ crisisId: id, caseId: id });

export const restrictedSummarySchema = z.object({
  id: z.string(),
  number: z.string(),
  kind: z.enum(RESTRICTED_KINDS),
  status: z.enum(RESTRICTED_STATUSES),
  citizenship: z.enum(CITIZENSHIP),
  personId: z.string().nullable(),
  person: restrictedPersonSchema,
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
