import { queryOptions } from '@tanstack/react-query';
import { api } from './client';
import { crisisPath } from './registry';

export const RESTRICTED_KINDS = ['hostage', 'missing'] as const;
export const RESTRICTED_STATUSES = ['missing', 'confirmed_held', 'released', 'found', 'deceased'] as const;
export const CITIZENSHIP = ['confirmed', 'unconfirmed', 'not_citizen'] as const;

export interface RestrictedPerson {
  fullName?: string;
  fullNameAr?: string;
  dateOfBirth?: string;
  sex?: 'female' | 'male' | 'unknown';
  nationalities?: string[];
  documents?: { type: string; number: string }[];
}

export interface RestrictedSummary {
  id: string;
  number: string;
  kind: (typeof RESTRICTED_KINDS)[number];
  status: (typeof RESTRICTED_STATUSES)[number];
  citizenship: (typeof CITIZENSHIP)[number];
  personId: string | null;
  person: RestrictedPerson;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface RestrictedEvent {
  id: string;
  kind: string;
  eventDate: string;
  at: string;
  data: Record<string, unknown>;
}

export interface Liaison {
  id: string;
  name: string;
  relationship: string;
  phone?: string;
  email?: string;
  language?: string;
  note?: string;
}

export interface RestrictedFile extends RestrictedSummary {
  circumstances: string;
  lastKnownLocation: { place: string; asOf?: string } | null;
  events: RestrictedEvent[];
  liaisons: Liaison[];
  tasks: {
    id: string;
    title: string;
    dueAt: string | null;
    assigneeId: string | null;
    doneAt: string | null;
  }[];
}

const e = encodeURIComponent;
export const restrictedPath = (crisisId: string, caseId?: string) =>
  `${crisisPath(crisisId)}/restricted-cases${caseId ? `/${e(caseId)}` : ''}`;

export const restrictedKeys = {
  all: (crisisId: string) => ['crises', crisisId, 'restricted'] as const,
  one: (crisisId: string, caseId: string) => ['crises', crisisId, 'restricted', caseId] as const,
};

export const restrictedListQuery = (crisisId: string, status: string, kind: string) =>
  queryOptions({
    queryKey: [...restrictedKeys.all(crisisId), 'list', status, kind],
    queryFn: async ({ signal }) =>
      (
        await api.get<{ items: RestrictedSummary[] }>(
          restrictedPath(crisisId),
          { status: status || undefined, kind: kind || undefined },
          signal,
        )
      ).items,
  });

export const restrictedCaseQuery = (crisisId: string, caseId: string) =>
  queryOptions({
    queryKey: restrictedKeys.one(crisisId, caseId),
    queryFn: ({ signal }) => api.get<RestrictedFile>(restrictedPath(crisisId, caseId), undefined, signal),
  });
