import { type QueryClient, queryOptions } from '@tanstack/react-query';
import { ApiError, api } from './client';
import type { AuditVerification, Crisis, Me, Role, Staff, Zone } from './types';

export const queryKeys = {
  me: ['me'] as const,
  setup: ['setup'] as const,
  crises: ['crises'] as const,
  crisis: (id: string) => ['crises', id] as const,
  zones: (crisisId: string) => ['crises', crisisId, 'zones'] as const,
  staff: ['staff'] as const,
  roles: ['roles'] as const,
  audit: (filters: object) => ['audit', filters] as const,
  auditVerify: ['audit', 'verify'] as const,
  auditFacets: ['audit', 'facets'] as const,
};

/** The signed-in member of staff, or null when there is no (complete) session. */
export const meQuery = queryOptions({
  queryKey: queryKeys.me,
  queryFn: async ({ signal }): Promise<Me | null> => {
    try {
      return await api.get<Me>('/me', undefined, signal);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },
  staleTime: 60_000,
});

export const setupQuery = queryOptions({
  queryKey: queryKeys.setup,
  queryFn: ({ signal }) => api.get<{ needsSetup: boolean }>('/setup', undefined, signal),
  staleTime: 60_000,
});

export const crisesQuery = queryOptions({
  queryKey: queryKeys.crises,
  queryFn: async ({ signal }) => (await api.get<{ items: Crisis[] }>('/crises', undefined, signal)).items,
});

export const crisisQuery = (crisisId: string) =>
  queryOptions({
    queryKey: queryKeys.crisis(crisisId),
    queryFn: ({ signal }) => api.get<Crisis>(`/crises/${encodeURIComponent(crisisId)}`, undefined, signal),
  });

export const zonesQuery = (crisisId: string) =>
  queryOptions({
    queryKey: queryKeys.zones(crisisId),
    queryFn: async ({ signal }) =>
      (await api.get<{ items: Zone[] }>(`/crises/${encodeURIComponent(crisisId)}/zones`, undefined, signal))
        .items,
  });

export const staffQuery = queryOptions({
  queryKey: queryKeys.staff,
  queryFn: async ({ signal }) => (await api.get<{ items: Staff[] }>('/staff', undefined, signal)).items,
});

export const rolesQuery = queryOptions({
  queryKey: queryKeys.roles,
  queryFn: async ({ signal }) => (await api.get<{ items: Role[] }>('/roles', undefined, signal)).items,
  staleTime: 10 * 60_000,
});

export const auditFacetsQuery = queryOptions({
  queryKey: queryKeys.auditFacets,
  queryFn: ({ signal }) =>
    api.get<{ actions: string[]; entityTypes: string[] }>('/audit/facets', undefined, signal),
  staleTime: 60_000,
});

export function verifyAuditChain(): Promise<AuditVerification> {
  return api.get<AuditVerification>('/audit/verify');
}

/** After a crisis changes, the header's crisis list (from `me`) and the crisis lists are stale. */
export async function refreshCrises(queryClient: QueryClient): Promise<void> {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: queryKeys.crises }),
    queryClient.invalidateQueries({ queryKey: queryKeys.me }),
  ]);
}
