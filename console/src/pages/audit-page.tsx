import {
  Alert,
  Button,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { auditFacetsQuery, queryKeys, verifyAuditChain } from '../api/queries';
import type { AuditPage as AuditPageAnswer } from '../api/types';
import { ErrorSummary, useApiErrors } from '../components/api-errors';
import { PageTitle } from '../components/page-title';
import { LoadError, Loading } from '../components/status';
import { formatDateTime } from '../format';
import { useMe, useSession } from '../session';
import { tones } from '../theme';

const PAGE_SIZE = 50;
const ALL_CRISES = '*';

interface Filters {
  action: string;
  entityType: string;
  crisisId: string;
}

export default function AuditPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const { selectedCrisis } = useSession();
  const global = me.abilities.global.includes('audit.read');
  const readableCrises = me.crises.filter(
    (crisis) => global || me.abilities.byCrisis[crisis.id]?.includes('audit.read'),
  );
  const defaultCrisis = global
    ? ALL_CRISES
    : ((readableCrises.find((crisis) => crisis.id === selectedCrisis?.id) ?? readableCrises[0])?.id ?? '');
  const [draft, setDraft] = useState<Filters>({ action: '', entityType: '', crisisId: defaultCrisis });
  const [filters, setFilters] = useState<Filters>(draft);
  // Suggestions for the filters: the action names and record types present in the trail.
  const facets = useQuery(auditFacetsQuery);

  const entries = useInfiniteQuery({
    queryKey: queryKeys.audit(filters),
    initialPageParam: null as number | null,
    queryFn: ({ pageParam, signal }) =>
      api.get<AuditPageAnswer>(
        '/audit',
        {
          action: filters.action.trim() || undefined,
          entityType: filters.entityType.trim() || undefined,
          crisisId: filters.crisisId === ALL_CRISES ? undefined : filters.crisisId,
          before: pageParam,
          limit: PAGE_SIZE,
        },
        signal,
      ),
    getNextPageParam: (last) => last.nextBefore,
  });

  const crisisName = (id: string | null) =>
    id ? (me.crises.find((crisis) => crisis.id === id)?.name ?? id) : t('audit.noCrisis');

  function apply(event: FormEvent) {
    event.preventDefault();
    setFilters(draft);
  }

  const rows = entries.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Stack>
      <PageTitle title={t('audit.title')}>{t('audit.title')}</PageTitle>
      {global && <VerifyChain />}
      <Paper withBorder p="md">
        <form onSubmit={apply} aria-labelledby="audit-filters-heading">
          <Title order={2} size="h4" id="audit-filters-heading" mb="sm">
            {t('audit.filters')}
          </Title>
          <Group align="flex-end">
            <TextInput
              label={t('audit.action')}
              placeholder="zone.created"
              name="action"
              list="audit-actions"
              autoComplete="off"
              value={draft.action}
              onChange={(event) => setDraft({ ...draft, action: event.currentTarget.value })}
              classNames={{ input: 'mono' }}
            />
            <datalist id="audit-actions">
              {(facets.data?.actions ?? []).map((action) => (
                <option key={action} value={action} />
              ))}
            </datalist>
            <TextInput
              label={t('audit.entityType')}
              placeholder="zone"
              name="entityType"
              list="audit-entity-types"
              autoComplete="off"
              value={draft.entityType}
              onChange={(event) => setDraft({ ...draft, entityType: event.currentTarget.value })}
              classNames={{ input: 'mono' }}
            />
            <datalist id="audit-entity-types">
              {(facets.data?.entityTypes ?? []).map((type) => (
                <option key={type} value={type} />
              ))}
            </datalist>
            <NativeSelect
              label={t('audit.crisis')}
              value={draft.crisisId}
              onChange={(event) => setDraft({ ...draft, crisisId: event.currentTarget.value })}
              data={[
                ...(global ? [{ value: ALL_CRISES, label: t('audit.allCrises') }] : []),
                ...readableCrises.map((crisis) => ({ value: crisis.id, label: crisis.name })),
              ]}
            />
            <Button type="submit">{t('audit.apply')}</Button>
            <Button
              variant="default"
              onClick={() => {
                const cleared = { action: '', entityType: '', crisisId: defaultCrisis };
                setDraft(cleared);
                setFilters(cleared);
              }}
            >
              {t('audit.reset')}
            </Button>
          </Group>
        </form>
      </Paper>
      {entries.isPending && <Loading />}
      {entries.isError && <LoadError error={entries.error} />}
      {entries.isSuccess && rows.length === 0 && <Text>{t('audit.empty')}</Text>}
      {rows.length > 0 && (
        <div className="table-scroll">
          <Table striped withTableBorder data-testid="audit-table">
            <Table.Caption>{t('audit.caption', { count: rows.length })}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('audit.seq')}</Table.Th>
                <Table.Th scope="col">{t('audit.at')}</Table.Th>
                <Table.Th scope="col">{t('audit.actor')}</Table.Th>
                <Table.Th scope="col">{t('audit.action')}</Table.Th>
                <Table.Th scope="col">{t('audit.entity')}</Table.Th>
                <Table.Th scope="col">{t('audit.crisis')}</Table.Th>
                <Table.Th scope="col">{t('audit.hash')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((entry) => (
                <Table.Tr key={entry.seq} data-action={entry.action}>
                  <Table.Th scope="row">{entry.seq}</Table.Th>
                  <Table.Td>{formatDateTime(entry.at, i18n.language)}</Table.Td>
                  <Table.Td>{entry.actorLabel ?? entry.actorId ?? t('audit.system')}</Table.Td>
                  <Table.Td className="mono">{entry.action}</Table.Td>
                  <Table.Td>
                    <span className="mono">{entry.entityType}</span>
                    {entry.entityId && (
                      <Text size="xs" className="mono">
                        {entry.entityId}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{crisisName(entry.crisisId)}</Table.Td>
                  <Table.Td className="mono" title={entry.hash}>
                    {entry.hash.slice(0, 12)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
      {entries.hasNextPage && (
        <Group>
          <Button
            variant="default"
            loading={entries.isFetchingNextPage}
            onClick={() => void entries.fetchNextPage()}
          >
            {t('audit.loadMore')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function VerifyChain() {
  const { t } = useTranslation();
  const errors = useApiErrors();
  const verification = useMutation({ mutationFn: verifyAuditChain, onError: errors.setError });
  const result = verification.data;
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Group>
          <Button
            variant="default"
            loading={verification.isPending}
            onClick={() => {
              errors.clear();
              verification.mutate();
            }}
          >
            {t('audit.verify')}
          </Button>
          <Text size="sm">{t('audit.verifyHelp')}</Text>
        </Group>
        <div role="status" data-testid="verify-result">
          {result && (
            <Alert
              color={result.ok ? tones.success : tones.danger}
              variant="outline"
              title={result.ok ? t('audit.chainIntact') : t('audit.chainBroken')}
            >
              {result.ok
                ? t('audit.checked', { count: result.checked })
                : t('audit.brokenAt', { count: result.checked, seq: result.firstBrokenSeq ?? '?' })}
            </Alert>
          )}
        </div>
        <ErrorSummary error={errors.error} shownPaths={[]} fieldMessage={errors.fieldMessage} />
      </Stack>
    </Paper>
  );
}
