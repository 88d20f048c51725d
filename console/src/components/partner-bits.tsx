import { Badge } from '@mantine/core';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { LinkState, RequestState } from '../api/partners';

export type PartnerLabelGroup =
  | 'kind'
  | 'channel'
  | 'requestKind'
  | 'requestState'
  | 'field'
  | 'table'
  | 'linkState'
  | 'language'
  | 'format';

/** Words for the partner module's codes in the language on screen; an unknown code shows as it is. */
export function usePartnerLabel() {
  const { t } = useTranslation();
  return useCallback(
    (group: PartnerLabelGroup, value: string | null | undefined): string =>
      value ? t(`partners.labels.${group}.${value}` as 'common.loading', { defaultValue: value }) : '',
    [t],
  );
}

const REQUEST_COLOURS: Record<RequestState, string> = {
  draft: '#343a40',
  submitted: '#0b4f8a',
  acknowledged: '#5c3c92',
  answered: '#1b5e20',
  closed: '#343a40',
  rejected: '#a51d1d',
};

export function RequestStateBadge({ state }: { state: RequestState }) {
  const label = usePartnerLabel();
  return (
    <Badge color={REQUEST_COLOURS[state]} variant="outline" radius="sm" data-state={state}>
      {label('requestState', state)}
    </Badge>
  );
}

const LINK_COLOURS: Record<LinkState, string> = {
  live: '#1b5e20',
  expired: '#343a40',
  revoked: '#a51d1d',
  exhausted: '#343a40',
};

export function LinkStateBadge({ state }: { state: LinkState }) {
  const label = usePartnerLabel();
  return (
    <Badge color={LINK_COLOURS[state]} variant="outline" radius="sm" data-link-state={state}>
      {label('linkState', state)}
    </Badge>
  );
}

/** "Overdue" in the danger colour, for follow-ups past their due day. */
export function OverdueBadge() {
  const { t } = useTranslation();
  return (
    <Badge color="#a51d1d" variant="filled" radius="sm" data-testid="overdue">
      {t('partners.followUps.overdue')}
    </Badge>
  );
}
