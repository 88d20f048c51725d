import { Alert, Button, Group, NativeSelect, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { type DashboardFilter, dashboardQuery, reportingKeys, takeSnapshot } from '../api/reporting';
import { useErrorMessage } from '../components/api-errors';
import { LegFillChart, SeriesChart, ZoneIntentionChart } from '../components/dashboard-charts';
import { Breakdown, CrossingStatus, HeadlineFigures } from '../components/dashboard-figures';
import { PageTitle } from '../components/page-title';
import { LoadError, Loading } from '../components/status';
import { can, useMe, useSession } from '../session';
import { tones } from '../theme';

/** The situation picture of the crisis chosen in the header: today's figures and their history. */
export default function DashboardPage() {
  const { t } = useTranslation();
  const { selectedCrisis } = useSession();
  if (!selectedCrisis) {
    return (
      <>
        <PageTitle title={t('dashboard.title')}>{t('dashboard.title')}</PageTitle>
        <Text>{t('dashboard.noCrisis')}</Text>
      </>
    );
  }
  return <Picture key={selectedCrisis.id} crisisId={selectedCrisis.id} />;
}

function Picture({ crisisId }: { crisisId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const filter: DashboardFilter = {
    from: params.get('from') ?? undefined,
    to: params.get('to') ?? undefined,
    zoneId: params.get('zone') ?? undefined,
  };
  const dashboard = useQuery(dashboardQuery(crisisId, filter));
  const [draft, setDraft] = useState({
    from: filter.from ?? '',
    to: filter.to ?? '',
    zone: filter.zoneId ?? '',
  });
  const queryClient = useQueryClient();
  const describe = useErrorMessage();
  const snapshot = useMutation({
    mutationFn: () => takeSnapshot(crisisId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: reportingKeys.all(crisisId) }),
  });

  function apply(event: FormEvent) {
    event.preventDefault();
    setParams((previous) => {
      const next = new URLSearchParams(previous);
      for (const [key, value] of Object.entries(draft)) {
        if (value) next.set(key, value);
        else next.delete(key);
      }
      return next;
    });
  }

  const label = (prefix: string) => (key: string) =>
    t(`sitrep.report.${prefix}.${key}`, { defaultValue: key });
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <PageTitle title={t('dashboard.title')}>{t('dashboard.title')}</PageTitle>
        <Group>
          <Button component={Link} to="/sitrep" variant="default">
            {t('sitrep.title')}
          </Button>
          {can(me, 'report.publish', crisisId) && (
            <Button variant="default" loading={snapshot.isPending} onClick={() => snapshot.mutate()}>
              {t('dashboard.snapshotNow')}
            </Button>
          )}
        </Group>
      </Group>
      {snapshot.data && (
        <Alert color={tones.success} variant="outline" role="status">
          {snapshot.data.taken
            ? t('dashboard.snapshotTaken', { day: snapshot.data.day })
            : t('dashboard.snapshotExisting', {
                day: snapshot.data.day,
                at: snapshot.data.takenAt.slice(11, 16),
              })}
        </Alert>
      )}
      {snapshot.isError && (
        <Alert color={tones.danger} variant="outline" role="alert">
          {describe(snapshot.error)}
        </Alert>
      )}
      <form onSubmit={apply} aria-label={t('dashboard.apply')}>
        <Group align="flex-end">
          <TextInput
            type="date"
            label={t('dashboard.from')}
            value={draft.from}
            onChange={(e) => setDraft({ ...draft, from: e.currentTarget.value })}
          />
          <TextInput
            type="date"
            label={t('dashboard.to')}
            value={draft.to}
            onChange={(e) => setDraft({ ...draft, to: e.currentTarget.value })}
          />
          <NativeSelect
            label={t('dashboard.zone')}
            value={draft.zone}
            onChange={(e) => setDraft({ ...draft, zone: e.currentTarget.value })}
            data={[
              { value: '', label: t('dashboard.allZones') },
              ...(dashboard.data?.zones ?? []).map((z) => ({ value: z.id, label: z.name })),
            ]}
          />
          <Button type="submit">{t('dashboard.apply')}</Button>
        </Group>
      </form>
      {dashboard.isPending && <Loading />}
      {dashboard.isError && <LoadError error={dashboard.error} />}
      {dashboard.data && (
        <>
          <HeadlineFigures figures={dashboard.data.figures} />
          <Text size="sm" c="dimmed">
            {t('dashboard.excluded')}
          </Text>
          <SeriesChart series={dashboard.data.series} zoned={Boolean(dashboard.data.figures.zoneId)} />
          <ZoneIntentionChart figures={dashboard.data.figures} />
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Breakdown
              title={t('dashboard.byStatus')}
              items={dashboard.data.figures.registry.byStatus}
              labelOf={label('personStatus')}
              testId="by-status"
            />
            <Breakdown
              title={t('dashboard.byEligibility')}
              items={dashboard.data.figures.registry.byEligibility}
              labelOf={label('eligibility')}
              testId="by-eligibility"
            />
            <Breakdown
              title={t('dashboard.movement')}
              items={[
                dashboard.data.figures.movement.offered,
                dashboard.data.figures.movement.confirmed,
                dashboard.data.figures.movement.checkedIn,
                dashboard.data.figures.movement.boarded,
                dashboard.data.figures.movement.departed,
              ]}
              labelOf={(key) =>
                t(`dashboard.${key === 'checked_in' ? 'checkedIn' : key}`, { defaultValue: key })
              }
              testId="movement"
            />
            <CrossingStatus figures={dashboard.data.figures} />
            <Breakdown
              title={t('dashboard.cases')}
              items={dashboard.data.figures.cases.byState}
              labelOf={label('caseState')}
              testId="cases"
            />
            <Breakdown
              title={t('dashboard.messages')}
              items={dashboard.data.figures.messages.byStatus}
              labelOf={label('messageStatus')}
              testId="messages"
            />
          </SimpleGrid>
          <LegFillChart figures={dashboard.data.figures} />
        </>
      )}
    </Stack>
  );
}
