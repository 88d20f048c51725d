import { Alert, Badge, Paper, SimpleGrid, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import type { LegCounts } from '../api/transport';
import { tones } from '../theme';
import { useErrorMessage } from './api-errors';
import { useRefusalDetail } from './refusal-detail';

const LEG_COLOURS: Record<string, string> = {
  planned: '#343a40',
  confirmed: '#0b4f8a',
  boarding: '#8a4b00',
  departed: '#1b5e20',
  arrived: '#1b5e20',
  cancelled: '#a51d1d',
};

const SEAT_COLOURS: Record<string, string> = {
  offered: '#0b4f8a',
  confirmed: '#1b5e20',
  checked_in: '#1b5e20',
  boarded: '#1b5e20',
  declined: '#343a40',
  expired: '#8a4b00',
  cancelled: '#a51d1d',
  no_show: '#8a4b00',
  refused: '#a51d1d',
};

/** Words for the transport codes the API sends; an unknown code is shown as it is. */
export function useTransportLabel() {
  const { t } = useTranslation();
  return (group: 'kinds' | 'legStatus' | 'seatStatus' | 'placeKind' | 'profiles', value: string): string =>
    t(`transport.${group}.${value}` as 'transport.kind', { defaultValue: value });
}

export function LegStatusBadge({ status }: { status: string }) {
  const label = useTransportLabel();
  return (
    <Badge variant="outline" radius="sm" color={LEG_COLOURS[status] ?? '#343a40'} data-leg-status={status}>
      {label('legStatus', status)}
    </Badge>
  );
}

export function SeatStatusBadge({ status }: { status: string }) {
  const label = useTransportLabel();
  return (
    <Badge variant="outline" radius="sm" color={SEAT_COLOURS[status] ?? '#343a40'} data-seat-status={status}>
      {label('seatStatus', status)}
    </Badge>
  );
}

/**
 * A refusal from the transport API: a sentence for its code in the language on screen, then the
 * server's own words, which name what binds (the right leg, the allowed statuses, the deadline…).
 */
export function TransportError({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation();
  const describe = useErrorMessage();
  const particulars = useRefusalDetail();
  if (!error) return null;
  const code = error instanceof ApiError ? error.code : 'internal';
  const headline = t(`transport.refusals.${code}` as 'transport.kind', { defaultValue: describe(error) });
  const detail = error instanceof ApiError && error.status === 409 ? particulars(error) : null;
  return (
    <Alert
      color={tones.danger}
      variant="outline"
      title={title ?? t('errors.title')}
      role="alert"
      data-error-code={code}
    >
      <Text>{headline}</Text>
      {detail && detail !== headline && (
        <Text size="sm" mt={4} data-testid="refusal-detail">
          <bdi>{detail}</bdi>
        </Text>
      )}
    </Alert>
  );
}

/** The live counts of a leg, as figures big enough to read from a distance. */
export function CountsPanel({ counts }: { counts: LegCounts | undefined }) {
  const { t } = useTranslation();
  if (!counts) return null;
  const cells: [string, number, string][] = [
    ['offered', counts.offered, t('transport.counts.offered')],
    ['confirmed', counts.confirmed, t('transport.counts.confirmed')],
    ['checkedIn', counts.checkedIn, t('transport.counts.checkedIn')],
    ['boarded', counts.boarded, t('transport.counts.boarded')],
    ['noShow', counts.noShow, t('transport.counts.noShow')],
    ['refused', counts.refused, t('transport.counts.refused')],
    ['emptySeats', counts.emptySeats, t('transport.counts.emptySeats')],
  ];
  return (
    <section aria-label={t('transport.counts.title')} aria-live="polite">
      <SimpleGrid cols={{ base: 2, xs: 4, md: 7 }} spacing="xs">
        {cells.map(([key, value, label]) => (
          <Paper key={key} withBorder p="xs">
            <Text size="xl" fw={700} data-count={key}>
              {value}
            </Text>
            <Text size="xs">{label}</Text>
          </Paper>
        ))}
      </SimpleGrid>
    </section>
  );
}

/** A share as a percentage in the language on screen ("62 %"). */
export function formatRate(rate: number | null | undefined, locale: string): string {
  if (rate === null || rate === undefined) return '–';
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(rate);
}
