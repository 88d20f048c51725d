import { Anchor, Badge, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { historyQuery } from '../api/messaging';
import { formatDateTime } from '../format';
import { can, useMe } from '../session';
import { useChannelLabel } from './messaging-bits';
import { Section } from './person-sections';
import { LoadError } from './status';

const STATUS_COLOURS: Record<string, string> = {
  delivered: '#1b5e20',
  sent: '#0b4f8a',
  queued: '#343a40',
  sending: '#343a40',
  failed: '#a51d1d',
  bounced: '#a51d1d',
  parked: '#8a4b00',
  cancelled: '#343a40',
};

/** Every message sent to the person and every reply from them, with delivery status and times. */
export function MessagingHistory({ crisisId, personId }: { crisisId: string; personId: string }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const channelLabel = useChannelLabel();
  const history = useQuery(historyQuery(crisisId, personId));
  const items = history.data ?? [];
  const time = (value: string | null) => formatDateTime(value, i18n.language);
  return (
    <Section id="person-messages" title={t('messaging.history.title')}>
      {history.isError && <LoadError error={history.error} />}
      {history.data && items.length === 0 && <Text size="sm">{t('messaging.history.empty')}</Text>}
      {items.length > 0 && (
        <div className="table-scroll">
          <Table withTableBorder data-testid="person-messages">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('messaging.history.when')}</Table.Th>
                <Table.Th scope="col">{t('messaging.history.channel')}</Table.Th>
                <Table.Th scope="col">{t('messaging.history.text')}</Table.Th>
                <Table.Th scope="col">{t('messaging.history.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((item) => (
                <Table.Tr key={`${item.direction}:${item.id}`} data-direction={item.direction}>
                  <Table.Td>
                    <Text size="sm">{time(item.at)}</Text>
                    <Text size="xs">
                      {item.direction === 'out'
                        ? t('messaging.history.sentTo')
                        : t('messaging.history.receivedFrom')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {channelLabel(item.channel)}
                    <Text size="xs" className="mono" dir="ltr">
                      {item.address}
                    </Text>
                    {item.viaHousehold && <Text size="xs">{t('messaging.history.viaHousehold')}</Text>}
                  </Table.Td>
                  <Table.Td>
                    {item.campaignName && item.campaignId && (
                      <Text size="xs">
                        {can(me, 'message.send', crisisId) ? (
                          <Anchor
                            component={Link}
                            to={`/messaging/campaigns/${encodeURIComponent(item.campaignId)}`}
                          >
                            <span dir="auto">{item.campaignName}</span>
                          </Anchor>
                        ) : (
                          <span dir="auto">{item.campaignName}</span>
                        )}
                      </Text>
                    )}
                    <Text
                      size="sm"
                      dir={item.language === 'ar' ? 'rtl' : 'auto'}
                      lang={item.language ?? undefined}
                    >
                      {item.subject && <strong>{item.subject} — </strong>}
                      {item.body}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge
                      variant="outline"
                      radius="sm"
                      color={STATUS_COLOURS[item.status] ?? '#343a40'}
                      data-testid="message-status"
                    >
                      {item.direction === 'out'
                        ? t(`messaging.messageStatus.${item.status}` as 'messaging.messageStatus.queued', {
                            defaultValue: item.status,
                          })
                        : t(`messaging.inboundOutcome.${item.status}` as 'messaging.inboundOutcome.applied', {
                            defaultValue: item.status,
                          })}
                    </Badge>
                    {item.deliveredAt && (
                      <Text size="xs">
                        {t('messaging.history.deliveredAt', { time: time(item.deliveredAt) })}
                      </Text>
                    )}
                    {!item.deliveredAt && item.sentAt && (
                      <Text size="xs">{t('messaging.history.sentAt', { time: time(item.sentAt) })}</Text>
                    )}
                    {item.failedAt && (
                      <Text size="xs">{t('messaging.history.failedAt', { time: time(item.failedAt) })}</Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
    </Section>
  );
}
