/** Transport legs, seat offers, boarding and manifests (`docs/transport.md`). */
import { queryOptions } from '@tanstack/react-query';
import { ApiError, api, apiRequestRaw } from './client';
import { crisisPath } from './registry';

const e = encodeURIComponent;

export const LEG_KINDS = ['flight', 'bus', 'ship'] as const;
export type LegKind = (typeof LEG_KINDS)[number];
export const MANIFEST_PROFILES = ['airline', 'crossing_authority', 'receiving_country'] as const;
export type ManifestProfile = (typeof MANIFEST_PROFILES)[number];

export interface Capacity {
  seats: number;
  lapPlaces: number;
  stretcherPlaces: number;
}

export interface Leg {
  id: string;
  crisisId: string;
  kind: LegKind;
  name: string;
  origin: string;
  destination: string;
  assemblyPoint: string;
  reportAt: string | null;
  departureAt: string;
  capacity: Capacity;
  operator: string;
  costPerSeat: number;
  currency: string;
  status: string;
  allowedTransitions: string[];
  nextLegId: string | null;
  crossingPointId: string | null;
  crossingListDate: string | null;
  reachableZoneIds: string[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface LegInput {
  kind: LegKind;
  name: string;
  origin: string;
  destination: string;
  assemblyPoint: string;
  reportAt: string | null;
  departureAt: string;
  seats: number;
  lapPlaces: number;
  stretcherPlaces: number;
  operator: string;
  costPerSeat: number;
  currency: string;
  nextLegId: string | null;
  crossingPointId: string | null;
  crossingListDate: string | null;
  reachableZoneIds: string[];
}

export interface LegCounts {
  legId: string;
  capacity: Capacity;
  offered: number;
  confirmed: number;
  checkedIn: number;
  boarded: number;
  noShow: number;
  refused: number;
  emptySeats: number;
  emptyLapPlaces: number;
  emptyStretcherPlaces: number;
}

export interface LegFigures {
  legId: string;
  name: string;
  kind: LegKind;
  status: string;
  departureAt: string;
  capacity: number;
  allocated: number;
  confirmed: number;
  boarded: number;
  noShow: number;
  fillRate: number;
  noShowRate: number | null;
}

export interface Assignment {
  id: string;
  legId: string;
  personId: string;
  householdId: string;
  householdReference: string;
  name: string;
  placeKind: 'seat' | 'lap' | 'stretcher';
  status: string;
  code: string;
  offerDeadline: string;
  reason: string | null;
  respondedAt: string | null;
  checkedInAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ManifestRecord {
  id: string;
  legId: string;
  profile: ManifestProfile;
  recipient: string;
  format: 'csv' | 'pdf';
  rowCount: number;
  sha256: string;
  issuedBy: string;
  issuedAt: string;
}

export const legsPath = (crisisId: string) => `${crisisPath(crisisId)}/legs`;
export const legPath = (crisisId: string, legId: string) => `${legsPath(crisisId)}/${e(legId)}`;

export const transportKeys = {
  legs: (crisisId: string) => ['crises', crisisId, 'legs'] as const,
  leg: (crisisId: string, legId: string) => ['crises', crisisId, 'legs', legId] as const,
};

export const legsQuery = (crisisId: string) =>
  queryOptions({
    queryKey: [...transportKeys.legs(crisisId), 'list'],
    queryFn: async ({ signal }) =>
      (await api.get<{ items: Leg[] }>(legsPath(crisisId), undefined, signal)).items,
  });

export const figuresQuery = (crisisId: string) =>
  queryOptions({
    queryKey: [...transportKeys.legs(crisisId), 'figures'],
    queryFn: async ({ signal }) =>
      (await api.get<{ items: LegFigures[] }>(`${legsPath(crisisId)}/figures`, undefined, signal)).items,
  });

export const legQuery = (crisisId: string, legId: string) =>
  queryOptions({
    queryKey: [...transportKeys.leg(crisisId, legId), 'leg'],
    queryFn: ({ signal }) => api.get<Leg>(legPath(crisisId, legId), undefined, signal),
  });

/** Live counts: asked again every 15 seconds while the page is open. */
export const countsQuery = (crisisId: string, legId: string) =>
  queryOptions({
    queryKey: [...transportKeys.leg(crisisId, legId), 'counts'],
    queryFn: ({ signal }) => api.get<LegCounts>(`${legPath(crisisId, legId)}/counts`, undefined, signal),
    refetchInterval: 15_000,
  });

export const assignmentsQuery = (crisisId: string, legId: string) =>
  queryOptions({
    queryKey: [...transportKeys.leg(crisisId, legId), 'assignments'],
    queryFn: async ({ signal }) =>
      (await api.get<{ items: Assignment[] }>(`${legPath(crisisId, legId)}/assignments`, undefined, signal))
        .items,
  });

export const manifestsQuery = (crisisId: string, legId: string) =>
  queryOptions({
    queryKey: [...transportKeys.leg(crisisId, legId), 'manifests'],
    queryFn: async ({ signal }) =>
      (await api.get<{ items: ManifestRecord[] }>(`${legPath(crisisId, legId)}/manifests`, undefined, signal))
        .items,
  });

/** Issues a manifest (POST, so it carries the CSRF token) and hands the file to the browser. */
export async function downloadManifest(
  crisisId: string,
  legId: string,
  body: { profile: ManifestProfile; format: 'csv' | 'pdf'; recipient: string },
): Promise<void> {
  const response = await apiRequestRaw('POST', `${legPath(crisisId, legId)}/manifests`, body);
  const blob = await response.blob();
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? `manifest-${body.profile}.${body.format}`;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export { ApiError };
