import { z } from 'zod';
import { BAND_KEYS, BREAKDOWNS, type DisclosureRules } from './types.js';

const id = z.string().min(1).max(100);
const advice = z.string().trim().max(2000);

/** The rules of a crisis as the API reads and writes them. */
export const rulesSchema = z
  .strictObject({
    minCount: z.number().int().min(2).max(1000),
    roundingBase: z.number().int().min(1).max(1000),
    bands: z
      .array(z.strictObject({ key: z.enum(BAND_KEYS), from: z.number().int().min(1).max(100_000_000) }))
      .min(1)
      .max(BAND_KEYS.length),
    breakdowns: z
      .array(z.strictObject({ key: z.enum(BREAKDOWNS), style: z.enum(['rounded', 'band']) }))
      .max(BREAKDOWNS.length),
    restricted: z.enum(['exclude', 'total_only']),
    publicAdvice: z.strictObject({ en: advice, fr: advice, ar: advice }),
  })
  .superRefine((rules, issue) => {
    if (rules.roundingBase > 2 * rules.minCount)
      issue.addIssue({
        code: 'custom',
        path: ['roundingBase'],
        message:
          'The rounding base may be at most twice the minimum count (a publishable count must never round to 0).',
      });
    rules.bands.forEach((band, i) => {
      if (i > 0 && band.from <= rules.bands[i - 1]!.from)
        issue.addIssue({
          code: 'custom',
          path: ['bands', i, 'from'],
          message: 'Bands must start at increasing counts.',
        });
    });
    if (new Set(rules.bands.map((b) => b.key)).size !== rules.bands.length)
      issue.addIssue({ code: 'custom', path: ['bands'], message: 'Each band may appear once.' });
    if (new Set(rules.breakdowns.map((b) => b.key)).size !== rules.breakdowns.length)
      issue.addIssue({ code: 'custom', path: ['breakdowns'], message: 'Each breakdown may appear once.' });
  });

export const rulesViewSchema = z.object({
  crisisId: z.string(),
  rules: rulesSchema,
  version: z.number().int(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
  /** True while the crisis still runs on the default rules (nothing saved yet). */
  isDefault: z.boolean(),
});

export const rulesUpdateSchema = z.strictObject({
  rules: rulesSchema,
  /** The version read; a concurrent change answers 409. 0 when nothing was saved yet. */
  version: z.number().int().min(0),
});

export const DEFAULT_RULES: DisclosureRules = {
  minCount: 10,
  roundingBase: 10,
  bands: [
    { key: 'few', from: 1 },
    { key: 'dozens', from: 10 },
    { key: 'hundreds', from: 100 },
    { key: 'thousands', from: 1000 },
    { key: 'tensOfThousands', from: 10_000 },
    { key: 'hundredsOfThousands', from: 100_000 },
  ],
  breakdowns: [
    { key: 'total', style: 'rounded' },
    { key: 'zone', style: 'rounded' },
    { key: 'intention', style: 'rounded' },
    { key: 'departed', style: 'rounded' },
  ],
  restricted: 'exclude',
  publicAdvice: { en: '', fr: '', ar: '' },
};

const bandKey = z.enum(BAND_KEYS);
export const cellSchema = z.union([
  z.object({
    status: z.literal('published'),
    value: z.number().nullable(),
    band: bandKey.nullable(),
    style: z.enum(['rounded', 'band']),
    low: z.number(),
    high: z.number().nullable(),
  }),
  z.object({
    status: z.literal('suppressed'),
    reason: z.enum(['small', 'complement', 'restricted']).optional(),
  }),
]);

const categorySchema = z.object({
  key: z.string(),
  label: z.string(),
  members: z.array(z.string()).optional(),
});

export const tableSchema = z.object({
  id: z.string(),
  rowDimension: z.string().nullable(),
  columnDimension: z.string().nullable(),
  style: z.enum(['rounded', 'band']),
  rows: z.array(categorySchema),
  columns: z.array(categorySchema),
  cells: z.array(z.array(cellSchema)),
  rowTotals: z.array(cellSchema).nullable(),
  columnTotals: z.array(cellSchema).nullable(),
  grandTotal: cellSchema,
});

export const sentenceSchema = z.object({
  tableId: z.string(),
  /** The row (and column) keys of the figure; empty for a total. */
  row: z.string().nullable(),
  column: z.string().nullable(),
  text: z.string(),
});

export const figuresSchema = z.object({
  crisisId: z.string(),
  computedAt: z.string(),
  day: z.string(),
  rules: z.object({
    minCount: z.number(),
    roundingBase: z.number(),
    bands: z.array(z.object({ key: bandKey, from: z.number() })),
    restricted: z.enum(['exclude', 'total_only']),
  }),
  tables: z.array(tableSchema),
  sentences: z.array(sentenceSchema),
});

export const analystFiguresSchema = figuresSchema.extend({
  source: z.enum(['published', 'live']),
  /** The saved rules differ from those of today's publication: they apply from tomorrow. */
  pendingChange: z.boolean(),
  /** The attacker's narrowest interval for each hidden small count (never the count itself). */
  protection: z.array(z.object({ figure: z.string(), low: z.number(), high: z.number().nullable() })),
});

export const crisisParams = z.strictObject({ crisisId: id });
export const slugParams = z.strictObject({ slug: z.string().min(1).max(100) });
export const langQuery = z.strictObject({ lang: z.enum(['en', 'fr', 'ar']).default('en') });
export const analystQuery = langQuery.extend({ source: z.enum(['published', 'live']).default('published') });
