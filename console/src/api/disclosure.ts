/** Disclosure control: rules of a crisis and its publishable figures (`docs/reporting.md`). */
import { queryOptions } from '@tanstack/react-query';
import { api, apiRequest } from './client';

const e = encodeURIComponent;

export const BAND_KEYS = [
  'few',
  'dozens',
  'hundreds',
  'thousands',
  'tensOfThousands',
  'hundredsOfThousands',
] as const;
export type BandKey = (typeof BAND_KEYS)[number];
export const BREAKDOWNS = [
  'total',
  'zone',
  'intention',
  'zone_intention',
  'status',
  'eligibility',
  'departed',
  'on_list',
] as const;
export type BreakdownKey = (typeof BREAKDOWNS)[number];
export type FigureStyle = 'rounded' | 'band';
export type RestrictedTreatment = 'exclude' | 'total_only';

export interface DisclosureRules {
  minCount: number;
  roundingBase: number;
  bands: { key: BandKey; from: number }[];
  breakdowns: { key: BreakdownKey; style: FigureStyle }[];
  restricted: RestrictedTreatment;
  publicAdvice: { en: string; fr: string; ar: string };
}

export interface RulesView {
  crisisId: string;
  rules: DisclosureRules;
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
  isDefault: boolean;
}

export type PublishedCell =
  | {
      status: 'published';
      value: number | null;
      band: BandKey | null;
      style: FigureStyle;
      low: number;
      high: number | null;
    }
  | { status: 'suppressed'; reason?: 'small' | 'complement' | 'restricted' };

export interface PublishedCategory {
  key: string;
  label: string;
  members?: string[];
}

export interface PublishedTable {
  id: string;
  rowDimension: string | null;
  columnDimension: string | null;
  style: FigureStyle;
  rows: PublishedCategory[];
  columns: PublishedCategory[];
  cells: PublishedCell[][];
  rowTotals: PublishedCell[] | null;
  columnTotals: PublishedCell[] | null;
  grandTotal: PublishedCell;
}

export interface AnalystFigures {
  crisisId: string;
  computedAt: string;
  day: string;
  source: 'published' | 'live';
  pendingChange: boolean;
  rules: {
    minCount: number;
    roundingBase: number;
    bands: { key: BandKey; from: number }[];
    restricted: RestrictedTreatment;
  };
  tables: PublishedTable[];
  sentences: { tableId: string; row: string | null; column: string | null; text: string }[];
  protection: { figure: string; low: number; high: number | null }[];
}

const base = (crisisId: string) => `/crises/${e(crisisId)}/disclosure`;

export const disclosureKeys = {
  rules: (crisisId: string) => ['crises', crisisId, 'disclosure', 'rules'] as const,
  figures: (crisisId: string, source: string, lang: string) =>
    ['crises', crisisId, 'disclosure', 'figures', source, lang] as const,
};

export const rulesQuery = (crisisId: string) =>
  queryOptions({
    queryKey: disclosureKeys.rules(crisisId),
    queryFn: ({ signal }) => api.get<RulesView>(`${base(crisisId)}/rules`, undefined, signal),
  });

export const figuresQuery = (crisisId: string, source: 'published' | 'live', lang: string) =>
  queryOptions({
    queryKey: disclosureKeys.figures(crisisId, source, lang),
    queryFn: ({ signal }) =>
      api.get<AnalystFigures>(
        `${base(crisisId)}/figures`,
        { source, lang: ['en', 'fr', 'ar'].includes(lang) ? lang : 'en' },
        signal,
      ),
  });

export const saveRules = (crisisId: string, rules: DisclosureRules, version: number) =>
  apiRequest<RulesView>('PUT', `${base(crisisId)}/rules`, { body: { rules, version } });
