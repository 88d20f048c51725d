import { Alert, Button, Group, NativeSelect, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type Counts,
  dashboardQuery,
  deliveryKeys,
  MESSAGE_STATUSES,
  type MessageFilter,
  type MessageStatus,
  messagesQuery,
  retryMessages,
} from '../api/delivery';
import { useApiErrors } from '../components/api-errors';
import { PageTitle } from '../components/page-title';
import { ActionText, LoadError, Loading } from '../components/status';
import { formatDateTime } from '../format';
import { can, useMe, useSession } from '../session';
import { tones } from '../theme';

const SHOWN: MessageStatus[] = [
  'queued',
  'sending',
  'sent',
  'delivered',
  'failed',
  'bounced',
  'parked',
  'cancelled',
];

/** Delivery dashboard: per campaign and channel counts by status, failure reasons, parked messages. */
export default function MessagingDeliveryPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { selectedCrisis } = useSession();
  const title = t('delivery.dashboard.title');
  if (!selectedCrisis || !can(me, 'message.send', selectedCrisis.id)) {
    return (
      <>
        <PageTitle title={title}>{title}</PageTitle>
        <Text>{selectedCrisis ? t('delivery.notAllowed') : t('registry.noCrisis')}</Text>
      </>
    );
  }
  const crisisId = selectedCrisis.id;
  return (
    <Stack key={crisisId}>
      <PageTitle title={title}>{title}</PageTitle>
      <Overview crisisId={crisisId} />
      {can(me, 'person.read', crisisId) && <Messages crisisId={crisisId} />}
    </Stack>
  );
}

function CountCells({ counts }: { counts: Counts }) {
  const { i18n } = useTranslation();
  return (
    <>
      {SHOWN.map((s) => (
        <Table.Td key={s} data-status={s}>
          {(counts[s] ?? 0).toLocaleString(i18n.language)}
        </Table.Td>
      ))}
    </>
  );
}

function StatusHeads() {
  const { t } = useTranslation();
  return (
    <>
      {SHOWN.map((s) => (
        <Table.Th key={s} scope="col">
          {t(`delivery.status.${s}`)}
        </Table.Th>
      ))}
    </>
  );
}

function Overview({ crisisId }: { crisisId: string }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const dashboard = useQuery(dashboardQuery(crisisId));
  const errors = useApiErrors();
  const [done, setDone] = useState<number | null>(null);
  const retry = useMutation({
    mutationFn: (input: { channel?: 'sms' | 'whatsapp' | 'email'; campaignId?: string }) =>
      retryMessages(crisisId, input),
    onSuccess: async (r) => {
      errors.clear();
      setDone(r.requeued);
      await queryClient.invalidateQueries({ queryKey: deliveryKeys.all(crisisId) });
    },
    onError: errors.setError,
  });
  if (dashboard.isPending) return <Loading />;
  if (dashboard.isError) return <LoadError error={dashboard.error} />;
  const d = dashboard.data;
  return (
    <Stack>
      {done !== null && (
        <Alert color={tones.success} variant="outline" role="status">
          {t('delivery.dashboard.requeued', { count: done })}
        </Alert>
      )}
      <Title order={2} size="h3">
        {t('delivery.dashboard.campaigns')}
      </Title>
      {d.campaigns.length === 0 ? (
        <Text>{t('delivery.dashboard.noCampaigns')}</Text>
      ) : (
        <div className="table-scroll">
          <Table withTableBorder data-testid="delivery-campaigns">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('delivery.dashboard.campaign')}</Table.Th>
                <StatusHeads />
                <Table.Th scope="col">{t('delivery.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {d.campaigns.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Th scope="row" dir="auto">
                    {c.name}
                  </Table.Th>
                  <CountCells counts={c.counts} />
                  <Table.Td>
                    {(c.counts.parked ?? 0) + (c.counts.failed ?? 0) > 0 && (
                      <Button size="xs" variant="default" onClick={() => retry.mutate({ campaignId: c.id })}>
                        <ActionText text={t('delivery.dashboard.retryParked')} target={c.name} />
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
              <Table.Tr>
                <Table.Th scope="row">{t('delivery.dashboard.replies')}</Table.Th>
                <CountCells counts={d.replies} />
                <Table.Td />
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </div>
      )}
      <Title order={2} size="h3">
        {t('delivery.dashboard.channels')}
      </Title>
      {d.channels.length === 0 ? (
        <Text>{t('delivery.channels.empty')}</Text>
      ) : (
        <div className="table-scroll">
          <Table withTableBorder data-testid="delivery-channels">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('delivery.channels.channel')}</Table.Th>
                <StatusHeads />
                <Table.Th scope="col">{t('delivery.channels.state')}</Table.Th>
                <Table.Th scope="col">{t('delivery.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {d.channels.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Th scope="row">
                    {t(`delivery.channelKinds.${c.channel}`)} · {t(`delivery.providers.${c.provider}`)}
                  </Table.Th>
                  <CountCells counts={c.counts} />
                  <Table.Td>
                    {!c.enabled
                      ? t('delivery.channels.disabled')
                      : c.pausedUntil
                        ? t('delivery.channels.pausedUntil', {
                            time: formatDateTime(c.pausedUntil, i18n.language),
                          })
                        : t('delivery.channels.enabled')}
                  </Table.Td>
                  <Table.Td>
                    {(c.counts.parked ?? 0) + (c.counts.failed ?? 0) > 0 && (
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() => retry.mutate({ channel: c.channel })}
                      >
                        <ActionText
                          text={t('delivery.dashboard.retryParked')}
                          target={t(`delivery.channelKinds.${c.channel}`)}
                        />
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
      <Title order={2} size="h3">
        {t('delivery.dashboard.failures')}
      </Title>
      {d.failures.length === 0 ? (
        <Text>{t('delivery.dashboard.noFailures')}</Text>
      ) : (
        <Table withTableBorder data-testid="delivery-failures">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('delivery.dashboard.reason')}</Table.Th>
              <Table.Th scope="col">{t('delivery.dashboard.statusColumn')}</Table.Th>
              <Table.Th scope="col">{t('delivery.dashboard.count')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {d.failures.map((f) => (
              <Table.Tr key={`${f.status}|${f.reason}`}>
                <Table.Td dir="ltr">{f.reason || '—'}</Table.Td>
                <Table.Td>{t(`delivery.status.${f.status as MessageStatus}`)}</Table.Td>
                <Table.Td>{f.count.toLocaleString(i18n.language)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

/** Outbox rows by status or provider: parked ones to retry, or the console outbox of a development channel. */
function Messages({ crisisId }: { crisisId: string }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<MessageFilter>({ status: 'parked' });
  const messages = useQuery(messagesQuery(crisisId, filter));
  const errors = useApiErrors();
  const retry = useMutation({
    mutationFn: (id: string) => retryMessages(crisisId, { messageIds: [id] }),
    onSuccess: async () => {
      errors.clear();
      await queryClient.invalidateQueries({ queryKey: deliveryKeys.all(crisisId) });
    },
    onError: errors.setError,
  });
  const view = filter.provider === 'console' ? 'console' : (filter.status ?? '');
  return (
    <Paper withBorder p="md">
      <Stack>
        <Group justify="space-between" align="end">
          <Title order={2} size="h3">
            {t('delivery.messages.title')}
          </Title>
          <NativeSelect
            label={t('delivery.messages.show')}
            value={view}
            data={[
              ...MESSAGE_STATUSES.map((s) => ({ value: s, label: t(`delivery.status.${s}`) })),
              { value: 'console', label: t('delivery.messages.consoleOutbox') },
            ]}
            onChange={(e) => {
              const v = e.currentTarget.value;
              setFilter(v === 'console' ? { provider: 'console' } : { status: v as MessageStatus });
            }}
          />
        </Group>
        {messages.isPending ? (
          <Loading />
        ) : messages.isError ? (
          <LoadError error={messages.error} />
        ) : messages.data.length === 0 ? (
          <Text>{t('delivery.messages.empty')}</Text>
        ) : (
          <div className="table-scroll">
            <Table withTableBorder data-testid="delivery-messages">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('delivery.messages.to')}</Table.Th>
                  <Table.Th scope="col">{t('delivery.messages.text')}</Table.Th>
                  <Table.Th scope="col">{t('delivery.dashboard.statusColumn')}</Table.Th>
                  <Table.Th scope="col">{t('delivery.messages.attempts')}</Table.Th>
                  <Table.Th scope="col">{t('delivery.messages.updated')}</Table.Th>
                  <Table.Th scope="col">{t('delivery.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {messages.data.map((m) => (
                  <Table.Tr key={m.id}>
                    <Table.Td dir="ltr">
                      {t(`delivery.channelKinds.${m.channel}`)}: {m.address}
                    </Table.Td>
                    <Table.Td>
                      {m.subject && (
                        <Text fw={600} size="sm" dir="auto">
                          {m.subject}
                        </Text>
                      )}
                      <Text size="sm" dir="auto" lang={m.language} style={{ whiteSpace: 'pre-wrap' }}>
                        {m.body}
                      </Text>
                      {m.lastError && (
                        <Text size="xs" c={tones.danger} dir="ltr">
                          {m.lastError}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{t(`delivery.status.${m.status}`)}</Table.Td>
                    <Table.Td>{m.attempts}</Table.Td>
                    <Table.Td>
                      {formatDateTime(m.deliveredAt ?? m.sentAt ?? m.failedAt ?? m.queuedAt, i18n.language)}
                    </Table.Td>
                    <Table.Td>
                      {(m.status === 'parked' || m.status === 'failed') && (
                        <Button size="xs" variant="default" onClick={() => retry.mutate(m.id)}>
                          <ActionText text={t('delivery.messages.retry')} target={m.address} />
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        )}
      </Stack>
    </Paper>
  );
}
