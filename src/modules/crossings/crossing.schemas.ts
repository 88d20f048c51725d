import { z } from 'zod';

export const SIDE_STATUSES = ['open', 'restricted', 'closed'] as const;
export type SideStatus = (typeof SIDE_STATUSES)[number];

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use HH:MM (24-hour).');
export const openingWindowSchema = z
  .strictObject({
    days: z.array(z.number().int().min(1).max(7)).min(1).max(7),
    opens: time,
    closes: time,
  })
  .refine((w) => w.opens < w.closes, { message: 'A window must close after it opens.', path: ['closes'] });
export type OpeningWindow = z.infer<typeof openingWindowSchema>;

const notice = z.string().max(2000);
export const publicNoticeSchema = z.strictObject({ en: notice, fr: notice, ar: notice });

export const sideInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(120),
  operator: z.string().trim().max(200).default(''),
  status: z.enum(SIDE_STATUSES).default('closed'),
  openingWindows: z.array(openingWindowSchema).max(14).default([]),
  publicNotice: publicNoticeSchema.optional(),
});

export const crossingCreateSchema = z.strictObject({
  name: z.string().trim().min(2).max(120),
  code: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .regex(/^[A-Za-z0-9_-]+$/, 'Use letters, digits, hyphens and underscores.')
    .optional(),
  description: z.string().max(2000).optional(),
  requiresApprovedList: z.boolean().default(false),
  sides: z.array(sideInputSchema).min(1, 'A crossing has at least one side.').max(4),
});

export const crossingUpdateSchema = z.strictObject({
  name: z.string().trim().min(2).max(120).optional(),
  description: z.string().max(2000).optional(),
  requiresApprovedList: z.boolean().optional(),
  status: z.enum(['active', 'archived']).optional(),
});

export const sideUpdateSchema = z.strictObject({
  name: z.string().trim().min(1).max(120).optional(),
  operator: z.string().trim().max(200).optional(),
  openingWindows: z.array(openingWindowSchema).max(14).optional(),
  publicNotice: publicNoticeSchema.optional(),
});

export const statusChangeSchema = z.strictObject({
  status: z.enum(SIDE_STATUSES),
  note: z.string().max(1000).default(''),
  source: z.string().trim().min(1, 'Say where the news came from.').max(300),
});

export const sideSchema = z.object({
  id: z.string(),
  name: z.string(),
  operator: z.string(),
  status: z.enum(SIDE_STATUSES),
  statusNote: z.string(),
  statusSource: z.string(),
  statusChangedAt: z.string(),
  openingWindows: z.array(z.object({ days: z.array(z.number()), opens: z.string(), closes: z.string() })),
  publicNotice: z.object({ en: z.string(), fr: z.string(), ar: z.string() }),
});

export const crossingSchema = z.object({
  id: z.string(),
  crisisId: z.string(),
  name: z.string(),
  code: z.string(),
  description: z.string(),
  requiresApprovedList: z.boolean(),
  status: z.enum(['active', 'archived']),
  /** open only when every side is open; closed when any side is closed; else restricted. */
  overallStatus: z.enum(SIDE_STATUSES),
  sides: z.array(sideSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Crossing = z.infer<typeof crossingSchema>;

export const statusEventSchema = z.object({
  id: z.string(),
  sideId: z.string(),
  sideName: z.string(),
  status: z.enum(SIDE_STATUSES),
  note: z.string(),
  source: z.string(),
  at: z.string(),
  recordedBy: z.string().nullable(),
});

export const crossingParams = z.strictObject({
  crisisId: z.string().min(1).max(100),
  crossingId: z.string().min(1).max(100),
});
export const sideParams = crossingParams.extend({ sideId: z.string().min(1).max(100) });
