import { Checkbox, Group, Paper, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { followUpsQuery } from '../api/partners';
import { PageTitle } from '../components/page-title';
import { FollowUpLine } from '../components/partner-engagements';
import { LoadError, Loading } from '../components/status';
import { can, useMe, useSession } from '../session';

/** Follow-ups of the crisis's engagements: by default the caller's own open ones, soonest first. */
export default function PartnerFollowUpsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { selectedCrisis } = useSession();
  const [mine, setMine] = useState(true);
  const [overdue, setOverdue] = useState(false);
  const crisisId = selectedCrisis?.id ?? '';
  const items = useQuery({
    ...followUpsQuery(crisisId, { mine, overdue }),
    enabled: Boolean(selectedCrisis),
  });
  if (!selectedCrisis) {
    return (
      <>
        <PageTitle title={t('partners.followUps.page')}>{t('partners.followUps.page')}</PageTitle>
        <Text>{t('registry.noCrisis')}</Text>
      </>
    );
  }
  const canManage = can(me, 'partner.manage', crisisId);
  return (
    <Stack>
      <PageTitle title={t('partners.followUps.page')}>{t('partners.followUps.page')}</PageTitle>
      <Group>
        <Checkbox
          label={t('partners.followUps.onlyMine')}
          checked={mine}
          onChange={(event) => setMine(event.currentTarget.checked)}
        />
        <Checkbox
          label={t('partners.followUps.onlyOverdue')}
          checked={overdue}
          onChange={(event) => setOverdue(event.currentTarget.checked)}
        />
      </Group>
      {items.isPending && <Loading />}
      {items.isError && <LoadError error={items.error} />}
      {items.data?.length === 0 && <Text>{t('partners.followUps.none')}</Text>}
      <Stack gap="xs" data-testid="follow-ups">
        {(items.data ?? []).map((f) => (
          <Paper key={f.id} withBorder p="sm">
            <Text size="xs" c="dimmed" dir="auto">
              {f.engagementSubject}
            </Text>
            <FollowUpLine crisisId={crisisId} item={f} canChange={canManage || f.owner.id === me.id} />
          </Paper>
        ))}
      </Stack>
    </Stack>
  );
}
