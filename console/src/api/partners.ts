/** Partners, engagements, requests, sharing profiles and data packages (`docs/reporting.md`). */
import { queryOptions } from '@tanstack/react-query';
import { api } from './client';
import { crisisPath } from './registry';

const e = encodeURIComponent;

export const PARTNER_KINDS = [
  'government',
  'un_agency',
  'icrc',
  'ngo',
  'airline',
  'crossing_authority',
  'other',
] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];
export const ENGAGEMENT_CHANNELS = ['meeting', 'call', 'email', 'visit'] as const;
export type EngagementChannel = (typeof ENGAGEMENT_CHANNELS)[number];
export const REQUEST_KINDS = [
  'crossing_list_submission',
  'landing_permission',
  'transit_visa',
  'information',
  'other',
] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export const REQUEST_STATES = [
  'draft',
  'submitted',
  'acknowledged',
  'answered',
  'closed',
  'rejected',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];
export const CONTACT_LANGUAGES = ['en', 'fr', 'ar', 'he', 'es', 'de', 'other'] as const;
export const SHARE_FIELDS = [
  'householdReference',
  'nameLatin',
  'nameArabic',
  'sex',
  'birthDate',
  'nationality',
  'documentType',
  'documentNumber',
  'documentExpiry',
  'documentCountry',
  'phone',
  'zone',
  'relationship',
  'eligibility',
  'intention',
  'status',
  'listStatus',
  'leg',
] as const;
export type ShareField = (typeof SHARE_FIELDS)[number];
export const AGGREGATE_TABLES = [
  'total',
  'zone',
  'intention',
  'zone_intention',
  'status',
  'eligibility',
  'departed',
  'on_list',
  'overall',
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
export const INTENTIONS = ['leave', 'stay', 'undecided'] as const;
export const ELIGIBILITIES = ['eligible', 'not_eligible', 'to_verify'] as const;
export type LinkState = 'live' | 'expired' | 'revoked' | 'exhausted';

export interface Contact {
  id: string;
  name: string;
  role: string;
  email: string | null;
  phone: string | null;
  language: string | null;
}

export interface PartnerSummary {
  id: string;
  crisisId: string;
  name: string;
  kind: PartnerKind;
  country: string | null;
  notes: string;
  contactCount: number;
  openRequests: number;
  lastEngagementAt: string | null;
  createdAt: string;
  updatedAt: string;
}
export interface PartnerDetail extends PartnerSummary {
  contacts: Contact[];
}

export interface FollowUp {
  id: string;
  engagementId: string;
  engagementSubject: string;
  text: string;
  owner: { id: string; displayName: string };
  dueDate: string;
  state: 'open' | 'done';
  overdue: boolean;
  doneAt: string | null;
}

export interface Engagement {
  id: string;
  crisisId: string;
  occurredAt: string;
  channel: EngagementChannel;
  subject: string;
  outcome: string;
  partners: { id: string; name: string }[];
  participants: { id: string; displayName: string }[];
  followUps: FollowUp[];
  createdAt: string;
}

export interface PartnerRequest {
  id: string;
  crisisId: string;
  partner: { id: string; name: string };
  kind: RequestKind;
  subject: string;
  details: string;
  state: RequestState;
  allowedNext: RequestState[];
  submittedAt: string | null;
  version: number;
  packageCount: number;
  linkedPersons: number;
  createdAt: string;
  updatedAt: string;
}
export interface RequestEvent {
  id: string;
  at: string;
  fromState: string | null;
  toState: string;
  note: string;
  actorLabel: string;
}

export interface Selection {
  zone?: string;
  status?: string[];
  intention?: string[];
  eligibility?: string[];
  onList?: boolean;
  listDate?: string;
  allocated?: boolean;
  legId?: string;
  personIds?: string[];
}

export interface SharingProfile {
  id: string;
  partnerId: string;
  name: string;
  kind: 'persons' | 'aggregates';
  fields: string[];
  selection: Selection;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export type PackageFormat = 'csv' | 'xlsx' | 'hxl';

export interface DataPackage {
  id: string;
  crisisId: string;
  partner: { id: string; name: string };
  request: { id: string; subject: string } | null;
  profileId: string | null;
  profileName: string;
  kind: 'persons' | 'aggregates';
  format: PackageFormat;
  fields: string[];
  rowCount: number;
  personCount: number;
  byteSize: number;
  sha256: string;
  fileName: string;
  expiresAt: string;
  maxDownloads: number | null;
  downloads: number;
  revokedAt: string | null;
  purgedAt: string | null;
  linkState: LinkState;
  createdBy: string;
  createdAt: string;
}

export interface PackagePreview {
  kind: 'persons' | 'aggregates';
  fields: string[];
  rowCount: number;
  personCount: number;
  formats: PackageFormat[];
}

export interface PersonShare {
  packageId: string;
  partner: { id: string; name: string };
  request: { id: string; subject: string } | null;
  createdAt: string;
  createdBy: string;
  fields: string[];
  format: PackageFormat;
  downloads: number;
  linkState: LinkState;
}

export interface Colleague {
  id: string;
  displayName: string;
  roles: string[];
}

export const partnerKeys = {
  all: (crisisId: string) => ['partners', crisisId] as const,
  list: (crisisId: string) => ['partners', crisisId, 'list'] as const,
  one: (crisisId: string, partnerId: string) => ['partners', crisisId, 'one', partnerId] as const,
  engagements: (crisisId: string, partnerId?: string) =>
    ['partners', crisisId, 'engagements', partnerId ?? ''] as const,
  followUps: (crisisId: string, filter: object) => ['partners', crisisId, 'follow-ups', filter] as const,
  requests: (crisisId: string, partnerId?: string) =>
    ['partners', crisisId, 'requests', partnerId ?? ''] as const,
  request: (crisisId: string, requestId: string) => ['partners', crisisId, 'request', requestId] as const,
  profiles: (crisisId: string, partnerId: string) => ['partners', crisisId, 'profiles', partnerId] as const,
  packages: (crisisId: string, partnerId?: string) =>
    ['partners', crisisId, 'packages', partnerId ?? ''] as const,
  personShares: (crisisId: string, personId: string) => ['partners', crisisId, 'person', personId] as const,
  colleagues: (crisisId: string) => ['colleagues', crisisId] as const,
};

export const partnersPath = (crisisId: string) => `${crisisPath(crisisId)}/partners`;
export const partnerPath = (crisisId: string, partnerId: string) =>
  `${partnersPath(crisisId)}/${e(partnerId)}`;

export const partnersQuery = (crisisId: string) =>
  queryOptions({
    queryKey: partnerKeys.list(crisisId),
    queryFn: async ({ signal }) =>
      (await api.get<{ items: PartnerSummary[] }>(partnersPath(crisisId), undefined, signal)).items,
  });

export const partnerQuery = (crisisId: string, partnerId: string) =>
  queryOptions({
    queryKey: partnerKeys.one(crisisId, partnerId),
    queryFn: ({ signal }) => api.get<PartnerDetail>(partnerPath(crisisId, partnerId), undefined, signal),
  });

export const engagementsQuery = (crisisId: string, partnerId?: string) =>
  queryOptions({
    queryKey: partnerKeys.engagements(crisisId, partnerId),
    queryFn: async ({ signal }) =>
      (
        await api.get<{ items: Engagement[] }>(
          `${crisisPath(crisisId)}/engagements`,
          { partnerId: partnerId ?? undefined },
          signal,
        )
      ).items,
  });

export const followUpsQuery = (crisisId: string, filter: { mine: boolean; overdue: boolean }) =>
  queryOptions({
    queryKey: partnerKeys.followUps(crisisId, filter),
    queryFn: async ({ signal }) =>
      (
        await api.get<{ items: FollowUp[] }>(
          `${crisisPath(crisisId)}/follow-ups`,
          {
            mine: filter.mine ? 'true' : undefined,
            overdue: filter.overdue ? 'true' : undefined,
            state: filter.overdue ? undefined : 'open',
          },
          signal,
        )
      ).items,
  });

export const requestsQuery = (crisisId: string, partnerId?: string) =>
  queryOptions({
    queryKey: partnerKeys.requests(crisisId, partnerId),
    queryFn: async ({ signal }) =>
      (
        await api.get<{ items: PartnerRequest[] }>(
          `${crisisPath(crisisId)}/partner-requests`,
          { partnerId: partnerId ?? undefined },
          signal,
        )
      ).items,
  });

export const requestQuery = (crisisId: string, requestId: string) =>
  queryOptions({
    queryKey: partnerKeys.request(crisisId, requestId),
    queryFn: ({ signal }) =>
      api.get<PartnerRequest & { history: RequestEvent[] }>(
        `${crisisPath(crisisId)}/partner-requests/${e(requestId)}`,
        undefined,
        signal,
      ),
  });

export const profilesQuery = (crisisId: string, partnerId: string) =>
  queryOptions({
    queryKey: partnerKeys.profiles(crisisId, partnerId),
    queryFn: async ({ signal }) =>
      (
        await api.get<{ items: SharingProfile[] }>(
          `${partnerPath(crisisId, partnerId)}/sharing-profiles`,
          undefined,
          signal,
        )
      ).items,
  });

export const packagesQuery = (crisisId: string, partnerId?: string) =>
  queryOptions({
    queryKey: partnerKeys.packages(crisisId, partnerId),
    queryFn: async ({ signal }) =>
      (
        await api.get<{ items: DataPackage[] }>(
          `${crisisPath(crisisId)}/data-packages`,
          { partnerId: partnerId ?? undefined },
          signal,
        )
      ).items,
  });

export const personSharesQuery = (crisisId: string, personId: string) =>
  queryOptions({
    queryKey: partnerKeys.personShares(crisisId, personId),
    queryFn: async ({ signal }) =>
      (
        await api.get<{ items: PersonShare[] }>(
          `${crisisPath(crisisId)}/persons/${e(personId)}/shares`,
          undefined,
          signal,
        )
      ).items,
  });

export const colleaguesQuery = (crisisId: string) =>
  queryOptions({
    queryKey: partnerKeys.colleagues(crisisId),
    queryFn: async ({ signal }) =>
      (await api.get<{ items: Colleague[] }>(`${crisisPath(crisisId)}/colleagues`, undefined, signal)).items,
    staleTime: 60_000,
  });

export interface SharingSettings {
  defaultLinkHours: number;
  maxLinkHours: number;
}

export const sharingSettingsPath = (crisisId: string) => `${crisisPath(crisisId)}/sharing-settings`;

export const sharingSettingsQuery = (crisisId: string) =>
  queryOptions({
    queryKey: ['partners', crisisId, 'settings'] as const,
    queryFn: ({ signal }) => api.get<SharingSettings>(sharingSettingsPath(crisisId), undefined, signal),
  });
