import { z } from 'zod';
import { CASE_STATES, CASE_TYPES } from '../cases/case.rules.js';
import { ELIGIBILITIES, INTENTIONS, PERSON_STATUSES, VULNERABILITIES } from '../persons/person.schemas.js';
import { CAMPAIGN_VARIABLES, LANGUAGES } from './template.rules.js';

const id = z.string().min(1).max(100);
const isoTime = z.iso.datetime({ offset: true, message: 'Use an ISO-8601 date and time.' });
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use YYYY-MM-DD.');

export const MESSAGE_CHANNELS = ['sms', 'email', 'whatsapp'] as const;
export const MESSAGE_PURPOSES = ['general', 'welfare_check', 'list_notice', 'offer', 'reply'] as const;
export const CAMPAIGN_STATUSES = [
  'draft',
  'awaiting_approval',
  'approved',
  'queued',
  'sending',
  'done',
  'cancelled',
] as const;
export const MESSAGE_STATUSES = [
  'queued',
  'sending',
  'sent',
  'delivered',
  'failed',
  'bounced',
  'parked',
  'cancelled',
] as const;
export const CAMPAIGN_SOURCES = ['staff', 'welfare_run', 'list_notice', 'offer'] as const;

export const crisisParams = z.strictObject({ crisisId: id });
export const templateParams = z.strictObject({ crisisId: id, templateId: id });
export const campaignParams = z.strictObject({ crisisId: id, campaignId: id });
export const personParams = z.strictObject({ crisisId: id, personId: id });

const templateBody = z.strictObject({
  subject: z.string().trim().max(200).optional(),
  body: z.string().trim().min(1, 'Write the message.').max(2000),
});
export const templateBodiesSchema = z.strictObject({
  en: templateBody.optional(),
  fr: templateBody.optional(),
  ar: templateBody.optional(),
});

export const templateInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(120),
  purpose: z.enum(MESSAGE_PURPOSES).exclude(['reply']).default('general'),
  bodies: templateBodiesSchema,
});
export const templatePatchSchema = z.strictObject({
  name: templateInputSchema.shape.name.optional(),
  purpose: z.enum(MESSAGE_PURPOSES).exclude(['reply']).optional(),
  bodies: templateBodiesSchema.optional(),
});

export const templateSchema = z.object({
  id: z.string(),
  crisisId: z.string(),
  name: z.string(),
  purpose: z.enum(MESSAGE_PURPOSES),
  bodies: templateBodiesSchema,
  /** Variables the template uses. */
  variables: z.array(z.string()),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  archivedAt: z.string().nullable(),
});
export type Template = z.infer<typeof templateSchema>;

const variableValue = z.union([
  z.string().trim().max(300),
  z.strictObject({
    en: z.string().trim().max(300).optional(),
    fr: z.string().trim().max(300).optional(),
    ar: z.string().trim().max(300).optional(),
  }),
]);
export const campaignVariablesSchema = z.partialRecord(z.enum(CAMPAIGN_VARIABLES), variableValue);

/** Registry filters choosing a campaign's audience; every given filter must hold. */
export const audienceSchema = z.strictObject({
  zoneId: id.optional(),
  status: z.array(z.enum(PERSON_STATUSES)).max(PERSON_STATUSES.length).optional(),
  intention: z.array(z.enum(INTENTIONS)).max(INTENTIONS.length).optional(),
  eligibility: z.array(z.enum(ELIGIBILITIES)).max(ELIGIBILITIES.length).optional(),
  vulnerability: z.array(z.enum(VULNERABILITIES)).max(VULNERABILITIES.length).optional(),
  /** On an approved crossing list (auto-linked or confirmed match): one list, or a day's lists. */
  onList: z
    .strictObject({ listId: id.optional(), listDate: day.optional(), crossingPointId: id.optional() })
    .refine((l) => l.listId || l.listDate, { message: 'Give a list id or a list date.', path: ['listId'] })
    .optional(),
  /** Holding a place (offered, confirmed, checked in) on this transport leg. */
  legId: id.optional(),
  /** With a seat offer waiting for an answer. */
  pendingOffer: z.boolean().optional(),
  /** With a case of this type and/or in one of these states. */
  caseType: z.enum(CASE_TYPES).optional(),
  caseState: z.array(z.enum(CASE_STATES)).max(CASE_STATES.length).optional(),
  /** Exactly these people (hooks of other modules; still filtered for restriction and anonymisation). */
  personIds: z.array(id).max(20_000).optional(),
});
export type AudienceFilter = z.infer<typeof audienceSchema>;

const channelList = z
  .array(z.enum(MESSAGE_CHANNELS))
  .min(1, 'Choose at least one channel.')
  .max(3)
  .refine((l) => new Set(l).size === l.length, 'Name each channel once.');

export const audienceCountRequestSchema = z.strictObject({
  audience: audienceSchema,
  channels: channelList,
});
export const audienceCountSchema = z.object({
  people: z.number(),
  byChannel: z.object({ sms: z.number(), email: z.number(), whatsapp: z.number() }),
  unreachable: z.number(),
});

export const campaignInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(160),
  templateId: id,
  audience: audienceSchema,
  channels: channelList,
  variables: campaignVariablesSchema.default({}),
  scheduledAt: isoTime.nullable().default(null),
});
export const campaignPatchSchema = z.strictObject({
  name: campaignInputSchema.shape.name.optional(),
  templateId: id.optional(),
  audience: audienceSchema.optional(),
  channels: channelList.optional(),
  variables: campaignVariablesSchema.optional(),
  scheduledAt: isoTime.nullable().optional(),
});
export const sendSchema = z.strictObject({
  /** Later than now to schedule; null or absent to send now. */
  scheduledAt: isoTime.nullable().optional(),
});

export const progressSchema = z.object({
  queued: z.number(),
  sending: z.number(),
  sent: z.number(),
  delivered: z.number(),
  failed: z.number(),
  bounced: z.number(),
  parked: z.number(),
  cancelled: z.number(),
  total: z.number(),
});

export const campaignSchema = z.object({
  id: z.string(),
  crisisId: z.string(),
  name: z.string(),
  templateId: z.string(),
  templateName: z.string(),
  purpose: z.enum(MESSAGE_PURPOSES),
  audience: audienceSchema,
  channels: z.array(z.enum(MESSAGE_CHANNELS)),
  variables: campaignVariablesSchema,
  status: z.enum(CAMPAIGN_STATUSES),
  recipientCount: z.number(),
  source: z.enum(CAMPAIGN_SOURCES),
  sourceId: z.string().nullable(),
  createdBy: z.string().nullable(),
  submittedBy: z.string().nullable(),
  approvedBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
  scheduledAt: z.string().nullable(),
  queuedAt: z.string().nullable(),
  cancelledBy: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  progress: progressSchema,
});
export type Campaign = z.infer<typeof campaignSchema>;

export const campaignListQuerySchema = z.strictObject({
  status: z.enum(CAMPAIGN_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

const smsInfoSchema = z.object({
  encoding: z.enum(['GSM-7', 'UCS-2']),
  units: z.number(),
  segments: z.number(),
  perSegment: z.number(),
  remaining: z.number(),
});
export const renderedSchema = z.object({
  language: z.enum(LANGUAGES),
  subject: z.string().nullable(),
  body: z.string(),
  sms: smsInfoSchema,
});

export const renderRequestSchema = z.strictObject({
  bodies: templateBodiesSchema,
  variables: campaignVariablesSchema.default({}),
  /** Render for this person (their language, name, reference); sample values otherwise. */
  personId: id.optional(),
});
export const renderReplySchema = z.object({
  variables: z.array(z.string()),
  languages: z.partialRecord(z.enum(LANGUAGES), renderedSchema),
  person: renderedSchema.nullable(),
});

export const recipientPreviewSchema = z.object({
  personId: z.string(),
  name: z.string(),
  reference: z.string(),
  channel: z.enum(MESSAGE_CHANNELS),
  address: z.string(),
  rendered: renderedSchema,
});
export const campaignPreviewQuerySchema = z.strictObject({
  personId: id.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(5),
});

export const settingsSchema = z.object({
  crisisId: z.string(),
  approvalThreshold: z.number(),
  updatedAt: z.string().nullable(),
});
export const settingsInputSchema = z.strictObject({
  approvalThreshold: z.number().int().min(0).max(10_000_000),
});

export const historyItemSchema = z.object({
  direction: z.enum(['out', 'in']),
  id: z.string(),
  at: z.string(),
  channel: z.enum(MESSAGE_CHANNELS),
  address: z.string(),
  body: z.string(),
  subject: z.string().nullable(),
  language: z.string().nullable(),
  status: z.string(),
  campaignId: z.string().nullable(),
  campaignName: z.string().nullable(),
  /** Sent to the household's shared phone or email rather than to this person's own. */
  viaHousehold: z.boolean(),
  sentAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  failedAt: z.string().nullable(),
  lastError: z.string().nullable(),
  keyword: z.string().nullable(),
});

export const listNoticeInputSchema = z.strictObject({
  listId: id,
  channels: channelList.default(['sms', 'whatsapp', 'email']),
  /** A template of the crisis; a standard "you are on the list" text in en/fr/ar when absent. */
  templateId: id.optional(),
});
