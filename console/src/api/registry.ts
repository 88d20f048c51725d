import { queryOptions } from '@tanstack/react-query';
import { api } from './client';
import type {
  Crossing,
  CrossingEvent,
  DuplicatePair,
  ListEntry,
  ListMatch,
  ListSummary,
  PersonList,
  PersonPage,
  Registrations,
} from './registry-types';

const e = encodeURIComponent;
export const crisisPath = (crisisId: string) => `/crises/${e(crisisId)}`;
export const personPath = (crisisId: string, personId: string) =>
  `${crisisPath(crisisId)}/persons/${e(personId)}`;
export const crossingPath = (crisisId: string, crossingId: string) =>
  `${crisisPath(crisisId)}/crossings/${e(crossingId)}`;
export const listPath = (crisisId: string, listId: string) => `${crisisPath(crisisId)}/lists/${e(listId)}`;

export interface RegistryFilters {
  q: string;
  zone: string;
  status: string[];
  intention: string[];
  eligibility: string[];
  vulnerability: string[];
  channel: string[];
}

export const EMPTY_FILTERS: RegistryFilters = {
  q: '',
  zone: '',
  status: [],
  intention: [],
  eligibility: [],
  vulnerability: [],
  channel: [],
};

/** The list query the registry, its export and its URL share (lists comma-separated). */
export function registryQuery(filters: RegistryFilters): Record<string, string | undefined> {
  const join = (values: string[]) => (values.length ? values.join(',') : undefined);
  return {
    q: filters.q.trim() || undefined,
    zone: filters.zone || undefined,
    status: join(filters.status),
    intention: join(filters.intention),
    eligibility: join(filters.eligibility),
    vulnerability: join(filters.vulnerability),
    channel: join(filters.channel),
  };
}

export const registryKeys = {
  persons: (crisisId: string) => ['crises', crisisId, 'persons'] as const,
  person: (crisisId: string, personId: string) => ['crises', crisisId, 'persons', personId] as const,
  registrations: (crisisId: string, personId: string) =>
    ['crises', crisisId, 'persons', personId, 'registrations'] as const,
  duplicates: (crisisId: string) => ['crises', crisisId, 'duplicates'] as const,
  crossings: (crisisId: string) => ['crises', crisisId, 'crossings'] as const,
  lists: (crisisId: string) => ['crises', crisisId, 'lists'] as const,
};

export const personsQuery = (crisisId: string, filters: RegistryFilters, offset: number, limit: number) =>
  queryOptions({
    queryKey: [...registryKeys.persons(crisisId), filters, offset, limit],
    queryFn: ({ signal }) =>
      api.get<PersonList>(
        `${crisisPath(crisisId)}/persons`,
        { ...registryQuery(filters), offset, limit },
        signal,
      ),
    placeholderData: (previous) => previous,
  });

export const personQuery = (crisisId: string, personId: string) =>
  queryOptions({
    queryKey: registryKeys.person(crisisId, personId),
    queryFn: ({ signal }) => api.get<PersonPage>(personPath(crisisId, personId), undefined, signal),
  });

export const registrationsQuery = (crisisId: string, personId: string) =>
  queryOptions({
    queryKey: registryKeys.registrations(crisisId, personId),
    queryFn: ({ signal }) =>
      api.get<Registrations>(`${personPath(crisisId, personId)}/registrations`, undefined, signal),
  });

export const duplicatesQuery = (crisisId: string, status: string, band: string) =>
  queryOptions({
    queryKey: [...registryKeys.duplicates(crisisId), status, band],
    queryFn: async ({ signal }) =>
      (
        await api.get<{ items: DuplicatePair[] }>(
          `${crisisPath(crisisId)}/duplicates`,
          { status, band: band || undefined, limit: 200 },
          signal,
        )
      ).items,
  });

export const crossingsQuery = (crisisId: string) =>
  queryOptions({
    queryKey: registryKeys.crossings(crisisId),
    queryFn: async ({ signal }) =>
      (await api.get<{ items: Crossing[] }>(`${crisisPath(crisisId)}/crossings`, undefined, signal)).items,
  });

export const crossingHistoryQuery = (crisisId: string, crossingId: string) =>
  queryOptions({
    queryKey: [...registryKeys.crossings(crisisId), crossingId, 'history'],
    queryFn: async ({ signal }) =>
      (
        await api.get<{ items: CrossingEvent[] }>(
          `${crossingPath(crisisId, crossingId)}/history`,
          undefined,
          signal,
        )
      ).items,
  });

export const listsQuery = (crisisId: string) =>
  queryOptions({
    queryKey: registryKeys.lists(crisisId),
    queryFn: async ({ signal }) =>
      (await api.get<{ items: ListSummary[] }>(`${crisisPath(crisisId)}/lists`, undefined, signal)).items,
  });

export const listQuery = (crisisId: string, listId: string) =>
  queryOptions({
    queryKey: [...registryKeys.lists(crisisId), listId],
    queryFn: ({ signal }) =>
      api.get<{ list: ListSummary; entries: ListEntry[] }>(
        listPath(crisisId, listId),
        { limit: 1000 },
        signal,
      ),
  });

export const listMatchesQuery = (crisisId: string, listId: string, status: string) =>
  queryOptions({
    queryKey: [...registryKeys.lists(crisisId), listId, 'matches', status],
    queryFn: async ({ signal }) =>
      (
        await api.get<{ items: ListMatch[] }>(
          `${listPath(crisisId, listId)}/matches`,
          { status: status || undefined, limit: 500 },
          signal,
        )
      ).items,
  });
