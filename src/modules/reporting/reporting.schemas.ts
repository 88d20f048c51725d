import { z } from 'zod';

export const REPORT_LANGS = ['en', 'fr', 'ar'] as const;
export type ReportLang = (typeof REPORT_LANGS)[number];

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use YYYY-MM-DD.')
  .refine((v) => {
    // Runs even when the pattern failed: an unparseable value must not throw here.
    const at = Date.parse(`${v}T00:00:00Z`);
    return !Number.isNaN(at) && new Date(at).toISOString().startsWith(v);
  }, 'Not a real date.');

export const crisisParams = z.strictObject({ crisisId: z.uuid() });
export const dayParams = z.strictObject({ crisisId: z.uuid(), day: isoDay });

export const dashboardQuerySchema = z
  .strictObject({
    from: isoDay.optional(),
    to: isoDay.optional(),
    zoneId: z.uuid().optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['from'], message: 'Must not be after "to".' });
export type DashboardQuery = z.infer<typeof dashboardQuerySchema>;

export const langQuerySchema = z.strictObject({ lang: z.enum(REPORT_LANGS).default('en') });

/** A count and where the console can list the records behind it (null: no list page for it). */
export const figureSchema = z.object({ key: z.string(), count: z.number(), link: z.string().nullable() });
export type Figure = z.infer<typeof figureSchema>;

export const figuresSchema = z.object({
  crisisId: z.string(),
  day: z.string(),
  zoneId: z.string().nullable(),
  from: z.string(),
  to: z.string(),
  generatedAt: z.string(),
  registry: z.object({
    total: figureSchema,
    verified: figureSchema,
    byZoneIntention: z.array(
      z.object({
        zoneId: z.string().nullable(),
        zoneName: z.string().nullable(),
        intention: z.string(),
        count: z.number(),
        link: z.string().nullable(),
      }),
    ),
    byZone: z.array(figureSchema.extend({ zoneName: z.string().nullable() })),
    byIntention: z.array(figureSchema),
    byStatus: z.array(figureSchema),
    byEligibility: z.array(figureSchema),
  }),
  onList: figureSchema,
  movement: z.object({
    allocated: figureSchema,
    offered: figureSchema,
    confirmed: figureSchema,
    checkedIn: figureSchema,
    boarded: figureSchema,
    departed: figureSchema,
  }),
  crossings: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      link: z.string(),
      sides: z.array(z.object({ name: z.string(), status: z.string(), changedAt: z.string() })),
    }),
  ),
  legs: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      kind: z.string(),
      status: z.string(),
      departureAt: z.string(),
      capacity: z.number(),
      held: z.number(),
      fillRate: z.number().nullable(),
      link: z.string(),
    }),
  ),
  cases: z.object({ open: figureSchema, overdue: figureSchema, byState: z.array(figureSchema) }),
  messages: z.object({ total: z.number(), byStatus: z.array(figureSchema) }),
});
export type Figures = z.infer<typeof figuresSchema>;

/** One day of the time series; null where the day has no snapshot (or, with a zone, no zone split). */
export const seriesPointSchema = z.object({
  day: z.string(),
  source: z.enum(['snapshot', 'live', 'none']),
  registered: z.number().nullable(),
  leave: z.number().nullable(),
  stay: z.number().nullable(),
  undecided: z.number().nullable(),
  verified: z.number().nullable(),
  departed: z.number().nullable(),
  onList: z.number().nullable(),
  allocated: z.number().nullable(),
  openCases: z.number().nullable(),
  overdueCases: z.number().nullable(),
});
export type SeriesPoint = z.infer<typeof seriesPointSchema>;

export const dashboardSchema = z.object({
  figures: figuresSchema,
  series: z.array(seriesPointSchema),
  zones: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type Dashboard = z.infer<typeof dashboardSchema>;

export const snapshotResultSchema = z.object({
  day: z.string(),
  taken: z.boolean(),
  takenAt: z.string(),
  rows: z.number(),
});

export const snapshotListSchema = z.object({
  items: z.array(z.object({ day: z.string(), takenAt: z.string(), rows: z.number() })),
});

/** What a situation report is built from, frozen when it is archived. */
export const reportContentSchema = z.object({
  figures: figuresSchema,
  trend: z.array(seriesPointSchema),
  crisisName: z.string(),
});
export type ReportContent = z.infer<typeof reportContentSchema>;

export const situationReportSchema = z.object({
  crisisId: z.string(),
  day: z.string(),
  archived: z.boolean(),
  narrative: z.string(),
  version: z.number(),
  content: reportContentSchema,
  pdfDigests: z.record(z.string(), z.object({ sha256: z.string(), at: z.string() })),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
  canEdit: z.boolean(),
});
export type SituationReport = z.infer<typeof situationReportSchema>;

export const narrativeSchema = z.strictObject({
  narrative: z.string().trim().max(4000),
  /** The version read (0 when the day has no archived report yet). */
  version: z.number().int().min(0),
  /** Today's report only: take the figures again now instead of keeping the archived ones. */
  refreshFigures: z.boolean().default(false),
});

export const archiveListSchema = z.object({
  items: z.array(
    z.object({
      day: z.string(),
      version: z.number(),
      narrativeExcerpt: z.string(),
      updatedAt: z.string(),
      pdfLanguages: z.array(z.string()),
    }),
  ),
});
