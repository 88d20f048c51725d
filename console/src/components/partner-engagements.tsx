import { Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import {
  type Engagement,
  engagementsQuery,
  type FollowUp,
  partnerKeys,
  partnersQuery,
} from '../api/partners';
import { crisisPath } from '../api/registry';
import { formatDateTime, formatDay } from '../format';
import { useMe } from '../session';
import { tones } from '../theme';
import { useErrorMessage } from './api-errors';
import { OverdueBadge, usePartnerLabel } from './partner-bits';
import { EngagementForm } from './partner-engagement-form';
import { ActionText, LoadError, Loading } from './status';

/** A follow-up line with its owner, due day, overdue flag and a done / reopen button. */
export function FollowUpLine({
  crisisId,
  item,
  canChange,
}: {
  crisisId: string;
  item: FollowUp;
  canChange: boolean;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const describe = useErrorMessage();
  const change = useMutation({
    mutationFn: (state: 'open' | 'done') =>
      api.patch<FollowUp>(`${crisisPath(crisisId)}/follow-ups/${encodeURIComponent(item.id)}`, { state }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: partnerKeys.all(crisisId) }),
  });
  return (
    <Group justify="space-between" wrap="wrap" data-follow-up={item.text}>
      <Stack gap={0}>
        <Text size="sm" td={item.state === 'done' ? 'line-through' : undefined} dir="auto">
          {item.text}
        </Text>
        <Text size="xs">
          {t('partners.followUps.line', {
            owner: item.owner.displayName,
            due: formatDay(item.dueDate, i18n.language),
          })}
        </Text>
        {change.isError && (
          <Text size="xs" c={tones.danger} role="alert">
            {describe(change.error)}
          </Text>
        )}
      </Stack>
      <Group gap="xs">
        {item.overdue && <OverdueBadge />}
        {canChange && (
          <Button
            size="xs"
            variant="default"
            loading={change.isPending}
            onClick={() => change.mutate(item.state === 'open' ? 'done' : 'open')}
          >
            <ActionText
              text={item.state === 'open' ? t('partners.followUps.markDone') : t('partners.followUps.reopen')}
              target={item.text}
            />
          </Button>
        )}
      </Group>
    </Group>
  );
}

function EngagementCard({
  crisisId,
  engagement,
  myId,
  canManage,
}: {
  crisisId: string;
  engagement: Engagement;
  myId: string;
  canManage: boolean;
}) {
  const { t, i18n } = useTranslation();
  const label = usePartnerLabel();
  return (
    <Paper
      withBorder
      p="md"
      component="article"
      aria-labelledby={`engagement-${engagement.id}`}
      data-engagement={engagement.subject}
    >
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={2} size="h4" id={`engagement-${engagement.id}`} dir="auto">
            {engagement.subject}
          </Title>
          <Badge variant="light" color="dark" radius="sm">
            {label('channel', engagement.channel)}
          </Badge>
        </Group>
        <Text size="sm">
          {formatDateTime(engagement.occurredAt, i18n.language)} ·{' '}
          {engagement.partners.map((p) => p.name).join(', ')}
        </Text>
        {engagement.participants.length > 0 && (
          <Text size="sm">
            {t('partners.participants', {
              names: engagement.participants.map((p) => p.displayName).join(', '),
            })}
          </Text>
        )}
        {engagement.outcome && (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} dir="auto">
            {engagement.outcome}
          </Text>
        )}
        {engagement.followUps.length > 0 && (
          <Stack gap="xs">
            <Title order={3} size="h5">
              {t('partners.followUps.title')}
            </Title>
            {engagement.followUps.map((f) => (
              <FollowUpLine
                key={f.id}
                crisisId={crisisId}
                item={f}
                canChange={canManage || f.owner.id === myId}
              />
            ))}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}

/** The engagements with one partner, and the form to log a new one. */
export function PartnerEngagements({
  crisisId,
  partnerId,
  canManage,
}: {
  crisisId: string;
  partnerId: string;
  canManage: boolean;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const engagements = useQuery(engagementsQuery(crisisId, partnerId));
  const partners = useQuery(partnersQuery(crisisId));
  return (
    <Stack>
      {engagements.isPending && <Loading />}
      {engagements.isError && <LoadError error={engagements.error} />}
      {engagements.data?.length === 0 && <Text>{t('partners.noEngagements')}</Text>}
      {(engagements.data ?? []).map((e) => (
        <EngagementCard key={e.id} crisisId={crisisId} engagement={e} myId={me.id} canManage={canManage} />
      ))}
      {canManage && partners.data && (
        <EngagementForm
          crisisId={crisisId}
          partners={partners.data}
          defaultPartnerId={partnerId}
          myId={me.id}
        />
      )}
    </Stack>
  );
}
