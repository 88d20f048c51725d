import { Badge, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SmsInfo } from '../api/messaging';

/** A value that follows `value` once it has stopped changing for `ms` (typing in an editor). */
export function useDebounced<T>(value: T, ms = 300): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

const CAMPAIGN_COLOURS: Record<string, string> = {
  draft: '#343a40',
  awaiting_approval: '#8a4b00',
  approved: '#0b4f8a',
  queued: '#0b4f8a',
  sending: '#0b4f8a',
  done: '#1b5e20',
  cancelled: '#a51d1d',
};

export function CampaignStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={CAMPAIGN_COLOURS[status] ?? '#343a40'}
      variant="outline"
      radius="sm"
      data-testid="campaign-status"
    >
      {t(`messaging.campaignStatus.${status}` as 'messaging.campaignStatus.draft', { defaultValue: status })}
    </Badge>
  );
}

/** "72 characters · Unicode (Arabic) · 2 SMS parts · 62 left in this part". */
export function SmsCounter({ info, testId }: { info: SmsInfo | undefined; testId?: string }) {
  const { t, i18n } = useTranslation();
  if (!info) return null;
  const n = (value: number) => value.toLocaleString(i18n.language);
  return (
    <Text size="sm" c="dimmed" role="status" aria-live="polite" data-testid={testId} dir="auto">
      {t('messaging.sms.counter', {
        units: n(info.units),
        encoding: info.encoding === 'GSM-7' ? t('messaging.sms.gsm') : t('messaging.sms.ucs2'),
        segments: n(info.segments),
        remaining: n(info.remaining),
      })}
    </Text>
  );
}

export function useChannelLabel() {
  const { t } = useTranslation();
  return (channel: string) =>
    t(`messaging.channels.${channel}` as 'messaging.channels.sms', { defaultValue: channel });
}
