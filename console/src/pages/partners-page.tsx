import { Anchor, Badge, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { partnersQuery } from '../api/partners';
import { PageTitle } from '../components/page-title';
import { usePartnerLabel } from '../components/partner-bits';
import { PartnerForm } from '../components/partner-forms';
import { SharingSettingsPanel } from '../components/partner-sharing-settings';
import { LoadError, Loading } from '../components/status';
import { formatDateTime } from '../format';
import { can, useMe, useSession } from '../session';

/** Partners of the crisis: kind, country, contacts, open requests, last engagement; adding one. */
export default function PartnersPage() {
  const { t, i18n } = useTranslation();
  const label = usePartnerLabel();
  const me = useMe();
  const { selectedCrisis } = useSession();
  const crisisId = selectedCrisis?.id ?? '';
  const partners = useQuery({ ...partnersQuery(crisisId), enabled: Boolean(selectedCrisis) });
  if (!selectedCrisis) {
    return (
      <>
        <PageTitle title={t('partners.title')}>{t('partners.title')}</PageTitle>
        <Text>{t('registry.noCrisis')}</Text>
      </>
    );
  }
  return (
    <Stack key={crisisId}>
      <PageTitle title={t('partners.title')}>{t('partners.title')}</PageTitle>
      <Group>
        <Button component={Link} to="/partners/follow-ups" variant="default">
          {t('partners.followUps.mine')}
        </Button>
      </Group>
      {partners.isPending && <Loading />}
      {partners.isError && <LoadError error={partners.error} />}
      {partners.data && partners.data.length === 0 && <Text>{t('partners.empty')}</Text>}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {(partners.data ?? []).map((p) => (
          <Paper
            key={p.id}
            withBorder
            p="md"
            component="section"
            aria-labelledby={`partner-${p.id}`}
            data-partner={p.name}
          >
            <Stack gap={4}>
              <Group justify="space-between">
                <Title order={2} size="h3" id={`partner-${p.id}`}>
                  <Anchor component={Link} to={`/partners/${encodeURIComponent(p.id)}`}>
                    {p.name}
                  </Anchor>
                </Title>
                <Badge variant="light" color="dark" radius="sm">
                  {label('kind', p.kind)}
                </Badge>
              </Group>
              {p.country && <Text size="sm">{t('partners.countryIs', { country: p.country })}</Text>}
              <Text size="sm">
                {t('partners.counts', {
                  contacts: String(p.contactCount),
                  requests: String(p.openRequests),
                })}
              </Text>
              <Text size="sm">
                {p.lastEngagementAt
                  ? t('partners.lastEngagement', { time: formatDateTime(p.lastEngagementAt, i18n.language) })
                  : t('partners.noEngagement')}
              </Text>
            </Stack>
          </Paper>
        ))}
      </SimpleGrid>
      {can(me, 'partner.manage', crisisId) && <PartnerForm crisisId={crisisId} />}
      <SharingSettingsPanel crisisId={crisisId} canChange={can(me, 'crisis.update', crisisId)} />
    </Stack>
  );
}
