/** Dashboard, daily snapshots and situation reports (`docs/reporting.md`). */
import { queryOptions } from '@tanstack/react-query';
import { ApiError, api, apiRequest, apiUrl } from './client';
import { crisisPath } from './registry';

const e = encodeURIComponent;

export const REPORT_LANGS = ['en', 'fr', 'ar'] as const;
export type ReportLang = (typeof REPORT_LANGS)[number];

/** A count and the console page listing the records behind it (null: no list page). */
export interface Figure {
  key: string;
  count: number;
  link: string | null;
}

export interface Figures {
  crisisId: string;
  day: string;
  zoneId: string | null;
  from: string;
  to: string;
  generatedAt: string;
  registry: {
    total: Figure;
    verified: Figure;
    byZoneIntention: Array<{
      zoneId: string | null;
      zoneName: string | null;
      intention: string;
      count: number;
      link: string | null;
    }>;
    byZone: Array<Figure & { zoneName: string | null }>;
    byIntention: Figure[];
    byStatus: Figure[];
    byEligibility: Figure[];
  };
  onList: Figure;
  movement: Record<'allocated' | 'offered' | 'confirmed' | 'checkedIn' | 'boarded' | 'departed', Figure>;
  crossings: Array<{
    id: string;
    name: string;
    link: string;
    sides: Array<{ name: string; status: string; changedAt: string }>;
  }>;
  legs: Array<{
    id: string;
    name: string;
    kind: string;
    status: string;
    departureAt: string;
    capacity: number;
    held: number;
    fillRate: number | null;
    link: string;
  }>;
  cases: { open: Figure; overdue: Figure; byState: Figure[] };
  messages: { total: number; byStatus: Figure[] };
}

export interface SeriesPoint {
  day: string;
  source: 'snapshot' | 'live' | 'none';
  registered: number | null;
  leave: number | null;
  stay: number | null;
  undecided: number | null;
  verified: number | null;
  departed: number | null;
  onList: number | null;
  allocated: number | null;
  openCases: number | null;
  overdueCases: number | null;
}

export interface Dashboard {
  figures: Figures;
  series: SeriesPoint[];
  zones: Array<{ id: string; name: string }>;
}

export interface DashboardFilter {
  from?: string;
  to?: string;
  zoneId?: string;
}

export const reportingKeys = {
  all: (crisisId: string) => ['reporting', crisisId] as const,
  dashboard: (crisisId: string, f: DashboardFilter) =>
    ['reporting', crisisId, 'dashboard', f.from ?? '', f.to ?? '', f.zoneId ?? ''] as const,
  sitrep: (crisisId: string, day: string) => ['reporting', crisisId, 'sitrep', day] as const,
  archive: (crisisId: string) => ['reporting', crisisId, 'archive'] as const,
};

export const dashboardQuery = (crisisId: string, f: DashboardFilter) =>
  queryOptions({
    queryKey: reportingKeys.dashboard(crisisId, f),
    queryFn: ({ signal }) =>
      api.get<Dashboard>(
        `${crisisPath(crisisId)}/dashboard`,
        { from: f.from, to: f.to, zoneId: f.zoneId },
        signal,
      ),
  });

export interface SnapshotResult {
  day: string;
  taken: boolean;
  takenAt: string;
  rows: number;
}

export const takeSnapshot = (crisisId: string) =>
  api.post<SnapshotResult>(`${crisisPath(crisisId)}/snapshots`);

export interface ReportContent {
  figures: Figures;
  trend: SeriesPoint[];
  crisisName: string;
}

export interface SituationReport {
  crisisId: string;
  day: string;
  archived: boolean;
  narrative: string;
  version: number;
  content: ReportContent;
  pdfDigests: Record<string, { sha256: string; at: string }>;
  updatedAt: string | null;
  updatedBy: string | null;
  canEdit: boolean;
}

export interface ArchivedReport {
  day: string;
  version: number;
  narrativeExcerpt: string;
  updatedAt: string;
  pdfLanguages: string[];
}

const sitrepPath = (crisisId: string, day: string) => `${crisisPath(crisisId)}/sitreps/${e(day)}`;

export const sitrepQuery = (crisisId: string, day: string) =>
  queryOptions({
    queryKey: reportingKeys.sitrep(crisisId, day),
    queryFn: ({ signal }) => api.get<SituationReport>(sitrepPath(crisisId, day), undefined, signal),
  });

export const archiveQuery = (crisisId: string) =>
  queryOptions({
    queryKey: reportingKeys.archive(crisisId),
    queryFn: async ({ signal }) =>
      (await api.get<{ items: ArchivedReport[] }>(`${crisisPath(crisisId)}/sitreps`, undefined, signal))
        .items,
  });

export const saveNarrative = (
  crisisId: string,
  day: string,
  body: { narrative: string; version: number; refreshFigures: boolean },
) => apiRequest<SituationReport>('PUT', sitrepPath(crisisId, day), { body });

/** The report's HTML page, for a preview in a sandboxed frame. */
export async function fetchReportHtml(crisisId: string, day: string, lang: ReportLang): Promise<string> {
  const response = await fetch(apiUrl(`${sitrepPath(crisisId, day)}/html`, { lang }), {
    credentials: 'same-origin',
    headers: { accept: 'text/html' },
  });
  if (!response.ok) throw new ApiError(response.status, 'preview_failed', response.statusText);
  return response.text();
}

/** Where the PDF of a language downloads from (GET with the session cookie; the server logs it). */
export const reportPdfUrl = (crisisId: string, day: string, lang: ReportLang) =>
  apiUrl(`${sitrepPath(crisisId, day)}/pdf`, { lang });

/** Today in UTC (YYYY-MM-DD): the day reports and snapshots are kept by. */
export const utcToday = () => new Date().toISOString().slice(0, 10);
export const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
