import { Anchor, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { countsQuery, figuresQuery, legQuery } from '../api/transport';
import { AssignmentsTable, Manifests, OfferForm } from '../components/leg-offers';
import { PageTitle } from '../components/page-title';
import { LoadError, Loading } from '../components/status';
import { CountsPanel, formatRate, LegStatusBadge, useTransportLabel } from '../components/transport-bits';
import { formatDateTime } from '../format';
import { can, useMe, useSession } from '../session';
import { LegStatusActions } from './legs-page';

/** One leg: live counts, figures, seats by household, offers, cancellations and manifests. */
export default function LegPage() {
  const { t } = useTranslation();
  const { selectedCrisis } = useSession();
  const { legId = '' } = useParams();
  if (!selectedCrisis) {
    return (
      <>
        <PageTitle title={t('transport.title')}>{t('transport.title')}</PageTitle>
        <Text>{t('registry.noCrisis')}</Text>
      </>
    );
  }
  return <LegView key={`${selectedCrisis.id}:${legId}`} crisisId={selectedCrisis.id} legId={legId} />;
}

function LegView({ crisisId, legId }: { crisisId: string; legId: string }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const label = useTransportLabel();
  const canManage = can(me, 'movement.manage', crisisId);
  const leg = useQuery(legQuery(crisisId, legId));
  const counts = useQuery(countsQuery(crisisId, legId));
  const figures = useQuery(figuresQuery(crisisId));
  if (leg.isPending) return <Loading />;
  if (leg.isError) return <LoadError error={leg.error} />;
  const figure = figures.data?.find((item) => item.legId === legId);
  const title = leg.data.name;
  return (
    <Stack>
      <Anchor component={Link} to="/legs" size="sm">
        {t('transport.backToLegs')}
      </Anchor>
      <PageTitle title={title}>{title}</PageTitle>
      <Group gap="sm">
        <Text>{label('kinds', leg.data.kind)}</Text>
        <LegStatusBadge status={leg.data.status} />
        <Text>{t('transport.route', { origin: leg.data.origin, destination: leg.data.destination })}</Text>
      </Group>
      <Text size="sm">
        {t('transport.departsAt', { time: formatDateTime(leg.data.departureAt, i18n.language) })} ·{' '}
        {leg.data.reportAt
          ? t('transport.assemblyAt', {
              place: leg.data.assemblyPoint,
              time: formatDateTime(leg.data.reportAt, i18n.language),
            })
          : t('transport.assembly', { place: leg.data.assemblyPoint })}
      </Text>
      {canManage && (
        <Group>
          {['confirmed', 'boarding'].includes(leg.data.status) && (
            <Button component={Link} to={`/check-in/${legId}`}>
              {t('transport.openCheckIn')}
            </Button>
          )}
        </Group>
      )}
      {canManage && <LegStatusActions crisisId={crisisId} leg={leg.data} />}
      <Title order={2} size="h3">
        {t('transport.counts.title')}
      </Title>
      <CountsPanel counts={counts.data} />
      {figure && (
        <Text data-testid="leg-figures">
          {t('transport.fill', {
            allocated: String(figure.allocated),
            confirmed: String(figure.confirmed),
            capacity: String(figure.capacity),
            rate: formatRate(figure.fillRate, i18n.language),
          })}{' '}
          · {t('transport.noShowRate', { rate: formatRate(figure.noShowRate, i18n.language) })}
        </Text>
      )}
      {canManage && ['planned', 'confirmed'].includes(leg.data.status) && (
        <OfferForm crisisId={crisisId} legId={legId} />
      )}
      <Title order={2} size="h3">
        {t('transport.seatsTitle')}
      </Title>
      <AssignmentsTable crisisId={crisisId} legId={legId} canManage={canManage} />
      <Manifests crisisId={crisisId} legId={legId} canManage={canManage} />
    </Stack>
  );
}
