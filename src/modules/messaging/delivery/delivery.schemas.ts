import { z } from 'zod';

export const CHANNELS = ['email', 'sms', 'whatsapp'] as const;
export const PROVIDERS = ['smtp', 'webhook', 'twilio', 'console'] as const;
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

const id = z.string().min(1).max(100);
const secretEnv = z
  .string()
  .regex(
    /^MESSAGING_[A-Z0-9_]{1,60}$/,
    'Name a variable starting with MESSAGING_, e.g. MESSAGING_SMS_TOKEN.',
  );

export const crisisParams = z.strictObject({ crisisId: id });
export const channelParams = z.strictObject({ crisisId: id, channelId: id });
export const inboundParams = z.strictObject({ crisisId: id, inboundId: id });
export const publicChannelParams = z.strictObject({ channelId: id });

export const channelCreateSchema = z.strictObject({
  channel: z.enum(CHANNELS),
  provider: z.enum(PROVIDERS),
  settings: z.record(z.string(), z.unknown()).default({}),
  secretEnv: secretEnv.nullable().default(null),
  ratePerSecond: z.number().min(0.1).max(10_000).default(10),
  enabled: z.boolean().default(true),
});

export const channelUpdateSchema = z.strictObject({
  provider: z.enum(PROVIDERS).optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
  secretEnv: secretEnv.nullable().optional(),
  ratePerSecond: z.number().min(0.1).max(10_000).optional(),
  enabled: z.boolean().optional(),
});

export const channelSchema = z.object({
  id: z.string(),
  crisisId: z.string(),
  channel: z.enum(CHANNELS),
  provider: z.enum(PROVIDERS),
  settings: z.record(z.string(), z.unknown()),
  secretEnv: z.string().nullable(),
  /** Whether the variable is set on this server (the worker reads its own environment). */
  secretSet: z.boolean(),
  ratePerSecond: z.number(),
  enabled: z.boolean(),
  pausedUntil: z.string().nullable(),
  statusUrl: z.string(),
  inboundUrl: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const channelTestSchema = z.strictObject({
  to: z.string().trim().min(3).max(254),
});
export const channelTestResultSchema = z.object({
  ok: z.boolean(),
  providerMessageId: z.string().nullable(),
  error: z.string().nullable(),
  permanent: z.boolean().nullable(),
});

const countsSchema = z.record(z.string(), z.number());

export const dashboardSchema = z.object({
  campaigns: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      status: z.string(),
      counts: countsSchema,
      total: z.number(),
    }),
  ),
  replies: countsSchema,
  channels: z.array(
    z.object({
      id: z.string(),
      channel: z.enum(CHANNELS),
      provider: z.enum(PROVIDERS),
      enabled: z.boolean(),
      pausedUntil: z.string().nullable(),
      counts: countsSchema,
    }),
  ),
  failures: z.array(z.object({ status: z.string(), reason: z.string(), count: z.number() })),
});

export const messageListQuery = z.strictObject({
  status: z.enum(MESSAGE_STATUSES).optional(),
  channel: z.enum(CHANNELS).optional(),
  campaignId: id.optional(),
  provider: z.enum(PROVIDERS).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const messageSchema = z.object({
  id: z.string(),
  campaignId: z.string().nullable(),
  personId: z.string().nullable(),
  channel: z.enum(CHANNELS),
  provider: z.string().nullable(),
  address: z.string(),
  language: z.string(),
  subject: z.string().nullable(),
  body: z.string(),
  status: z.enum(MESSAGE_STATUSES),
  attempts: z.number(),
  lastError: z.string().nullable(),
  queuedAt: z.string(),
  sentAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  failedAt: z.string().nullable(),
});

export const retrySchema = z
  .strictObject({
    messageIds: z.array(id).min(1).max(1000).optional(),
    /** Every parked (and failed) message of this channel and/or campaign. */
    channel: z.enum(CHANNELS).optional(),
    campaignId: id.optional(),
  })
  .refine((b) => b.messageIds || b.channel || b.campaignId, {
    message: 'Choose messages, a channel or a campaign.',
    path: ['messageIds'],
  });

export const triageQuery = z.strictObject({
  status: z.enum(['open', 'resolved', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const triageItemSchema = z.object({
  id: z.string(),
  channel: z.enum(CHANNELS),
  from: z.string(),
  body: z.string(),
  receivedAt: z.string(),
  keyword: z.string().nullable(),
  outcome: z.string(),
  triageStatus: z.string(),
  person: z.object({ id: z.string(), name: z.string() }).nullable(),
  candidates: z.array(z.object({ id: z.string(), name: z.string() })),
  note: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  replyMessageId: z.string().nullable(),
});

export const resolveSchema = z.strictObject({ note: z.string().trim().min(1).max(1000) });
export const linkSchema = z.strictObject({ personId: id });
export const replySchema = z.strictObject({ text: z.string().trim().min(1).max(1000) });
