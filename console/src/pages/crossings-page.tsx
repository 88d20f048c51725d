import { Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { crossingHistoryQuery, crossingsQuery, listsQuery } from '../api/registry';
import type { Crossing, ListSummary, OpeningWindow } from '../api/registry-types';
import { CreateCrossingForm, SideStatusForm } from '../components/crossing-forms';
import { useLabel } from '../components/labels';
import { ListsTable, ListUploadForm } from '../components/list-upload';
import { PageTitle } from '../components/page-title';
import { LoadError, Loading } from '../components/status';
import { formatDateTime } from '../format';
import { can, useMe, useSession } from '../session';

export const SIDE_COLOURS: Record<string, string> = {
  open: '#1b5e20',
  restricted: '#8a4b00',
  closed: '#a51d1d',
};

export function SideBadge({ status }: { status: string }) {
  const label = useLabel();
  return (
    <Badge variant="outline" radius="sm" color={SIDE_COLOURS[status] ?? '#343a40'} data-status={status}>
      {label('sideStatus', status)}
    </Badge>
  );
}

/** Crossing points of the crisis: each side's status, opening hours, history, and approved lists. */
export default function CrossingsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { selectedCrisis } = useSession();
  if (!selectedCrisis) {
    return (
      <>
        <PageTitle title={t('crossings.title')}>{t('crossings.title')}</PageTitle>
        <Text>{t('registry.noCrisis')}</Text>
      </>
    );
  }
  const crisisId = selectedCrisis.id;
  const canManage = can(me, 'movement.manage', crisisId);
  return (
    <Stack key={crisisId}>
      <PageTitle title={t('crossings.title')}>{t('crossings.title')}</PageTitle>
      <CrossingList crisisId={crisisId} canManage={canManage} />
      {canManage && <CreateCrossingForm crisisId={crisisId} />}
    </Stack>
  );
}

function CrossingList({ crisisId, canManage }: { crisisId: string; canManage: boolean }) {
  const { t } = useTranslation();
  const crossings = useQuery(crossingsQuery(crisisId));
  const lists = useQuery(listsQuery(crisisId));
  if (crossings.isPending) return <Loading />;
  if (crossings.isError) return <LoadError error={crossings.error} />;
  if (crossings.data.length === 0) return <Text>{t('crossings.empty')}</Text>;
  return (
    <Stack>
      {crossings.data.map((crossing) => (
        <CrossingCard
          key={crossing.id}
          crisisId={crisisId}
          crossing={crossing}
          canManage={canManage}
          lists={(lists.data ?? []).filter((list) => list.crossingPointId === crossing.id)}
        />
      ))}
    </Stack>
  );
}

function windowsText(windows: OpeningWindow[], dayName: (day: number) => string): string {
  return windows
    .map(
      (window) =>
        `${window.days.length === 7 ? '' : `${window.days.map(dayName).join(' ')} `}${window.opens}–${window.closes}`,
    )
    .join(', ');
}

function CrossingCard({
  crisisId,
  crossing,
  canManage,
  lists,
}: {
  crisisId: string;
  crossing: Crossing;
  canManage: boolean;
  lists: ListSummary[];
}) {
  const { t, i18n } = useTranslation();
  const [showHistory, setShowHistory] = useState(false);
  const dayName = (day: number) =>
    new Intl.DateTimeFormat(i18n.language, { weekday: 'short' }).format(new Date(Date.UTC(2024, 0, day, 12)));
  const headingId = `crossing-${crossing.id}`;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId} data-crossing={crossing.code}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Group gap="sm">
            <Title order={2} size="h3" id={headingId}>
              {crossing.name}
            </Title>
            <Text className="mono" size="sm">
              {crossing.code}
            </Text>
          </Group>
          <Group gap="xs">
            <Text size="sm">{t('crossings.overall')}</Text>
            <SideBadge status={crossing.overallStatus} />
          </Group>
        </Group>
        {crossing.requiresApprovedList && <Text size="sm">{t('crossings.listRequired')}</Text>}
        <div className="table-scroll">
          <Table withTableBorder data-testid="sides-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('crossings.sideName')}</Table.Th>
                <Table.Th scope="col">{t('crossings.status')}</Table.Th>
                <Table.Th scope="col">{t('crossings.windows')}</Table.Th>
                <Table.Th scope="col">{t('crossings.lastChange')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {crossing.sides.map((side) => (
                <Table.Tr key={side.id}>
                  <Table.Th scope="row">
                    {side.name}
                    {side.operator && <Text size="xs">{side.operator}</Text>}
                  </Table.Th>
                  <Table.Td>
                    <SideBadge status={side.status} />
                  </Table.Td>
                  <Table.Td>{windowsText(side.openingWindows, dayName) || t('crossings.noWindows')}</Table.Td>
                  <Table.Td>
                    {side.statusChangedAt && (
                      <Text size="sm">
                        {formatDateTime(side.statusChangedAt, i18n.language)}
                        {side.statusSource && ` · ${t('crossings.sourceWas', { source: side.statusSource })}`}
                      </Text>
                    )}
                    {side.statusNote && <Text size="xs">{side.statusNote}</Text>}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
        {canManage &&
          crossing.sides.map((side) => (
            <SideStatusForm
              key={`${side.id}:${side.status}:${side.statusChangedAt}`}
              crisisId={crisisId}
              crossing={crossing}
              side={side}
            />
          ))}
        <Group>
          <Button
            variant="default"
            size="xs"
            onClick={() => setShowHistory(!showHistory)}
            aria-expanded={showHistory}
          >
            {showHistory ? t('crossings.hideHistory') : t('crossings.showHistory')}
          </Button>
        </Group>
        {showHistory && <History crisisId={crisisId} crossingId={crossing.id} />}
        <Title order={3} size="h4">
          {t('lists.title')}
        </Title>
        {canManage && (
          <ListUploadForm crisisId={crisisId} crossingId={crossing.id} crossingName={crossing.name} />
        )}
        <ListsTable lists={lists} locale={i18n.language} />
      </Stack>
    </Paper>
  );
}

function History({ crisisId, crossingId }: { crisisId: string; crossingId: string }) {
  const { t, i18n } = useTranslation();
  const history = useQuery(crossingHistoryQuery(crisisId, crossingId));
  if (history.isPending) return <Loading />;
  if (history.isError) return <LoadError error={history.error} />;
  if (history.data.length === 0) return <Text size="sm">{t('crossings.noHistory')}</Text>;
  return (
    <Table withTableBorder data-testid="crossing-history">
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t('audit.at')}</Table.Th>
          <Table.Th scope="col">{t('crossings.sideName')}</Table.Th>
          <Table.Th scope="col">{t('crossings.status')}</Table.Th>
          <Table.Th scope="col">{t('crossings.source')}</Table.Th>
          <Table.Th scope="col">{t('crossings.note')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {history.data.map((event) => (
          <Table.Tr key={event.id}>
            <Table.Td>{formatDateTime(event.at, i18n.language)}</Table.Td>
            <Table.Td>{event.sideName}</Table.Td>
            <Table.Td>
              <SideBadge status={event.status} />
            </Table.Td>
            <Table.Td>{event.source}</Table.Td>
            <Table.Td>{event.note}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
