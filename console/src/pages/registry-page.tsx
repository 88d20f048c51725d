import { Anchor, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { apiUrl } from '../api/client';
import { zonesQuery } from '../api/queries';
import {
  crisisPath,
  EMPTY_FILTERS,
  personsQuery,
  type RegistryFilters,
  registryQuery,
} from '../api/registry';
import type { PersonSummary } from '../api/registry-types';
import { ArabicName, joinName, useLabel } from '../components/labels';
import { PageTitle } from '../components/page-title';
import { RegistryFilterForm } from '../components/registry-filters';
import { LoadError, Loading, StatusBadge } from '../components/status';
import { formatDateTime } from '../format';
import { can, useMe, useSession } from '../session';

const PAGE_SIZE = 50;
const LIST_KEYS = ['status', 'intention', 'eligibility', 'vulnerability', 'channel'] as const;

function filtersFrom(params: URLSearchParams): RegistryFilters {
  const filters: RegistryFilters = {
    ...EMPTY_FILTERS,
    q: params.get('q') ?? '',
    zone: params.get('zone') ?? '',
  };
  for (const key of LIST_KEYS) filters[key] = (params.get(key) ?? '').split(',').filter(Boolean);
  return filters;
}

/** The people registered in the crisis chosen in the header: search, filters, pages, export. */
export default function RegistryPage() {
  const { t } = useTranslation();
  const { selectedCrisis } = useSession();
  if (!selectedCrisis) {
    return (
      <>
        <PageTitle title={t('registry.title')}>{t('registry.title')}</PageTitle>
        <Text>{t('registry.noCrisis')}</Text>
      </>
    );
  }
  return <Registry key={selectedCrisis.id} crisisId={selectedCrisis.id} crisisName={selectedCrisis.name} />;
}

function Registry({ crisisId, crisisName }: { crisisId: string; crisisName: string }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const label = useLabel();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFrom(params), [params]);
  const offset = Number(params.get('offset') ?? 0) || 0;
  const zones = useQuery(zonesQuery(crisisId));
  const persons = useQuery(personsQuery(crisisId, filters, offset, PAGE_SIZE));
  const zoneName = (id: string | null) =>
    id ? (zones.data?.find((zone) => zone.id === id)?.name ?? '') : '';
  const title = t('registry.titleFor', { crisis: crisisName });

  function apply(next: RegistryFilters, nextOffset = 0) {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(registryQuery(next))) if (value) search.set(key, value);
    if (nextOffset) search.set('offset', String(nextOffset));
    setParams(search);
  }

  const total = persons.data?.total ?? 0;
  const rows = persons.data?.items ?? [];
  const exportQuery = registryQuery(filters);

  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <PageTitle title={title}>{title}</PageTitle>
        <Group gap="xs">
          {can(me, 'person.create', crisisId) && (
            <Button component={Link} to="/registry/new">
              {t('nav.callCentre')}
            </Button>
          )}
          {can(me, 'person.import', crisisId) && (
            <Button component={Link} to="/registry/import" variant="default">
              {t('nav.import')}
            </Button>
          )}
        </Group>
      </Group>
      <RegistryFilterForm initial={filters} zones={zones.data ?? []} onApply={(next) => apply(next)} />
      <Group justify="space-between">
        <Text role="status" data-testid="registry-total" fw={600}>
          {persons.data ? t('registry.total', { total: String(total) }) : ''}
        </Text>
        {can(me, 'case.update', crisisId) && total > 0 && (
          <Button
            component={Link}
            variant="default"
            size="xs"
            to={`/welfare?${new URLSearchParams([
              ['selection', '1'],
              ...Object.entries(exportQuery).filter((entry): entry is [string, string] => Boolean(entry[1])),
            ]).toString()}`}
          >
            {t('welfare.fromRegistry')}
          </Button>
        )}
        {can(me, 'person.export', crisisId) && (
          <Group gap="xs">
            {(['csv', 'xlsx'] as const).map((format) => (
              <Button
                key={format}
                component="a"
                variant="default"
                size="xs"
                href={apiUrl(`${crisisPath(crisisId)}/persons/export`, { ...exportQuery, format })}
                download
              >
                {t(`registry.export.${format}`)}
              </Button>
            ))}
          </Group>
        )}
      </Group>
      {persons.isPending && <Loading />}
      {persons.isError && <LoadError error={persons.error} />}
      {persons.data && rows.length === 0 && <Text>{t('registry.empty')}</Text>}
      {rows.length > 0 && (
        <div className="table-scroll">
          <Table striped withTableBorder data-testid="registry-table">
            <Table.Caption>{t('registry.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('registry.columns.name')}</Table.Th>
                <Table.Th scope="col">{t('registry.columns.reference')}</Table.Th>
                <Table.Th scope="col">{t('registry.columns.birth')}</Table.Th>
                <Table.Th scope="col">{t('registry.columns.zone')}</Table.Th>
                <Table.Th scope="col">{t('registry.columns.status')}</Table.Th>
                <Table.Th scope="col">{t('registry.columns.eligibility')}</Table.Th>
                <Table.Th scope="col">{t('registry.columns.intention')}</Table.Th>
                <Table.Th scope="col">{t('registry.columns.channel')}</Table.Th>
                <Table.Th scope="col">{t('registry.columns.registered')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((person) => (
                <PersonRow
                  key={person.id}
                  person={person}
                  zone={zoneName(person.zoneId)}
                  label={label}
                  locale={i18n.language}
                />
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
      {total > PAGE_SIZE && (
        <nav aria-label={t('registry.pages')}>
          <Group gap="sm">
            <Button
              variant="default"
              size="xs"
              disabled={offset === 0}
              onClick={() => apply(filters, Math.max(0, offset - PAGE_SIZE))}
            >
              {t('registry.previous')}
            </Button>
            <Text size="sm">
              {t('registry.range', {
                from: String(offset + 1),
                to: String(Math.min(offset + PAGE_SIZE, total)),
                total: String(total),
              })}
            </Text>
            <Button
              variant="default"
              size="xs"
              disabled={offset + PAGE_SIZE >= total}
              onClick={() => apply(filters, offset + PAGE_SIZE)}
            >
              {t('registry.next')}
            </Button>
          </Group>
        </nav>
      )}
    </Stack>
  );
}

function PersonRow({
  person,
  zone,
  label,
  locale,
}: {
  person: PersonSummary;
  zone: string;
  label: ReturnType<typeof useLabel>;
  locale: string;
}) {
  const latin = joinName(person.nameLatin);
  const arabic = joinName(person.nameArabic);
  return (
    <Table.Tr data-person={person.id}>
      <Table.Th scope="row" fw={500}>
        <Anchor component={Link} to={`/registry/${encodeURIComponent(person.id)}`}>
          {latin || <ArabicName>{arabic || person.displayName}</ArabicName>}
        </Anchor>
        {latin && arabic && (
          <Text size="sm">
            <ArabicName>{arabic}</ArabicName>
          </Text>
        )}
        <Text size="xs">{label('relationship', person.relationship)}</Text>
      </Table.Th>
      <Table.Td className="mono nowrap">{person.reference}</Table.Td>
      <Table.Td className="nowrap">{person.birthDate ?? ''}</Table.Td>
      <Table.Td>{zone || person.place || ''}</Table.Td>
      <Table.Td className="nowrap">
        <StatusBadge status={person.status} label={label('status', person.status)} />
      </Table.Td>
      <Table.Td>{label('eligibility', person.eligibility)}</Table.Td>
      <Table.Td>{label('intention', person.intention)}</Table.Td>
      <Table.Td>{label('channel', person.channel)}</Table.Td>
      <Table.Td>{formatDateTime(person.createdAt, locale)}</Table.Td>
    </Table.Tr>
  );
}
