import { Anchor, Badge, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, isApiError } from '../api/client';
import { figuresQuery, type Leg, type LegFigures, legPath, legsQuery, transportKeys } from '../api/transport';
import { LegForm } from '../components/leg-form';
import { PageTitle } from '../components/page-title';
import { ActionText, LoadError, Loading } from '../components/status';
import { formatRate, LegStatusBadge, TransportError, useTransportLabel } from '../components/transport-bits';
import { formatDateTime } from '../format';
import { can, useMe, useSession } from '../session';

/** Transport legs of the crisis: route, times, capacity and fill, status; planning and editing. */
export default function LegsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { selectedCrisis } = useSession();
  if (!selectedCrisis) {
    return (
      <>
        <PageTitle title={t('transport.title')}>{t('transport.title')}</PageTitle>
        <Text>{t('registry.noCrisis')}</Text>
      </>
    );
  }
  const crisisId = selectedCrisis.id;
  return (
    <Stack key={crisisId}>
      <PageTitle title={t('transport.title')}>{t('transport.title')}</PageTitle>
      <LegList crisisId={crisisId} canManage={can(me, 'movement.manage', crisisId)} />
    </Stack>
  );
}

function LegList({ crisisId, canManage }: { crisisId: string; canManage: boolean }) {
  const { t } = useTranslation();
  const legs = useQuery(legsQuery(crisisId));
  const figures = useQuery(figuresQuery(crisisId));
  if (legs.isPending) return <Loading />;
  if (legs.isError) return <LoadError error={legs.error} />;
  return (
    <Stack>
      {legs.data.length === 0 && <Text>{t('transport.empty')}</Text>}
      {legs.data.map((leg) => (
        <LegCard
          key={`${leg.id}:${leg.version}`}
          crisisId={crisisId}
          leg={leg}
          legs={legs.data}
          figures={figures.data?.find((item) => item.legId === leg.id)}
          canManage={canManage}
        />
      ))}
      {canManage && <LegForm crisisId={crisisId} legs={legs.data} />}
    </Stack>
  );
}

function LegCard({
  crisisId,
  leg,
  legs,
  figures,
  canManage,
}: {
  crisisId: string;
  leg: Leg;
  legs: Leg[];
  figures: LegFigures | undefined;
  canManage: boolean;
}) {
  const { t, i18n } = useTranslation();
  const label = useTransportLabel();
  const [editing, setEditing] = useState(false);
  const headingId = `leg-${leg.id}`;
  const capacity = [
    t('transport.capacitySeats', { count: leg.capacity.seats }),
    leg.capacity.lapPlaces > 0 && t('transport.capacityLap', { count: leg.capacity.lapPlaces }),
    leg.capacity.stretcherPlaces > 0 &&
      t('transport.capacityStretcher', { count: leg.capacity.stretcherPlaces }),
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId} data-leg={leg.name}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Group gap="sm">
            <Badge variant="light" color="dark" radius="sm">
              {label('kinds', leg.kind)}
            </Badge>
            <Title order={2} size="h3" id={headingId}>
              <Anchor component={Link} to={`/legs/${leg.id}`}>
                {leg.name}
              </Anchor>
            </Title>
          </Group>
          <LegStatusBadge status={leg.status} />
        </Group>
        <Text>{t('transport.route', { origin: leg.origin, destination: leg.destination })}</Text>
        <Text size="sm">
          {t('transport.departsAt', { time: formatDateTime(leg.departureAt, i18n.language) })}
          {leg.operator && ` · ${leg.operator}`}
        </Text>
        <Text size="sm">
          {leg.reportAt
            ? t('transport.assemblyAt', {
                place: leg.assemblyPoint,
                time: formatDateTime(leg.reportAt, i18n.language),
              })
            : t('transport.assembly', { place: leg.assemblyPoint })}
        </Text>
        <Text size="sm">{capacity}</Text>
        {figures && (
          <Text size="sm" data-testid="leg-fill">
            {t('transport.fill', {
              allocated: String(figures.allocated),
              confirmed: String(figures.confirmed),
              capacity: String(figures.capacity),
              rate: formatRate(figures.fillRate, i18n.language),
            })}
            {figures.noShowRate !== null &&
              ` · ${t('transport.noShowRate', { rate: formatRate(figures.noShowRate, i18n.language) })}`}
          </Text>
        )}
        <Group gap="xs">
          <Button component={Link} to={`/legs/${leg.id}`} variant="default" size="xs">
            {t('transport.openLeg')}
          </Button>
          {canManage && ['confirmed', 'boarding'].includes(leg.status) && (
            <Button component={Link} to={`/check-in/${leg.id}`} variant="default" size="xs">
              {t('transport.openCheckIn')}
            </Button>
          )}
          {canManage && !editing && leg.allowedTransitions.length > 0 && (
            <Button variant="default" size="xs" onClick={() => setEditing(true)}>
              {t('common.edit')}
            </Button>
          )}
        </Group>
        {canManage && <LegStatusActions crisisId={crisisId} leg={leg} />}
        {editing && <LegForm crisisId={crisisId} leg={leg} legs={legs} onDone={() => setEditing(false)} />}
      </Stack>
    </Paper>
  );
}

/** One button per status the leg may move to; a cancellation takes a reason. */
export function LegStatusActions({ crisisId, leg }: { crisisId: string; leg: Leg }) {
  const { t } = useTranslation();
  const label = useTransportLabel();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const mutation = useMutation({
    mutationFn: (to: string) =>
      api.post<Leg>(`${legPath(crisisId, leg.id)}/status`, {
        to,
        version: leg.version,
        ...(reason.trim() && { reason: reason.trim() }),
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: transportKeys.legs(crisisId) }),
    onError: async (error) => {
      if (isApiError(error, 'version_conflict') || isApiError(error, 'invalid_transition')) {
        await queryClient.invalidateQueries({ queryKey: transportKeys.legs(crisisId) });
      }
    },
  });
  if (leg.allowedTransitions.length === 0) return null;
  return (
    <Stack gap="xs">
      <TransportError error={mutation.error} />
      <Group gap="xs" align="flex-end" wrap="wrap">
        {leg.allowedTransitions.includes('cancelled') && (
          <TextInput
            size="xs"
            label={t('transport.statusReason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
        )}
        {leg.allowedTransitions.map((to) => (
          <Button
            key={to}
            size="xs"
            variant={to === 'cancelled' ? 'outline' : 'filled'}
            color={to === 'cancelled' ? '#a51d1d' : undefined}
            loading={mutation.isPending && mutation.variables === to}
            onClick={() => mutation.mutate(to)}
            data-transition={to}
          >
            <ActionText text={t('transport.moveTo', { status: label('legStatus', to) })} target={leg.name} />
          </Button>
        ))}
      </Group>
    </Stack>
  );
}
