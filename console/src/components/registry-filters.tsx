import { Button, Group, NativeSelect, Paper, TextInput, Title } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RegistryFilters } from '../api/registry';
import { CHANNELS, ELIGIBILITIES, INTENTIONS, PERSON_STATUSES, VULNERABILITIES } from '../api/registry-types';
import type { Zone } from '../api/types';
import { type LabelGroup, useLabel } from './labels';

type ListFilter = 'status' | 'intention' | 'eligibility' | 'vulnerability' | 'channel';

const CHOICES: { key: ListFilter; group: LabelGroup; values: readonly string[] }[] = [
  { key: 'status', group: 'status', values: PERSON_STATUSES },
  { key: 'intention', group: 'intention', values: INTENTIONS },
  { key: 'eligibility', group: 'eligibility', values: ELIGIBILITIES },
  { key: 'vulnerability', group: 'vulnerability', values: VULNERABILITIES },
  { key: 'channel', group: 'channel', values: CHANNELS },
];

/** Search box and filters of the registry; applied together when the form is sent. */
export function RegistryFilterForm({
  initial,
  zones,
  onApply,
}: {
  initial: RegistryFilters;
  zones: Zone[];
  onApply(filters: RegistryFilters): void;
}) {
  const { t } = useTranslation();
  const label = useLabel();
  const [draft, setDraft] = useState<RegistryFilters>(initial);
  // Back and forward in the browser change the filters in the address: follow them.
  useEffect(() => setDraft(initial), [initial]);

  function submit(event: FormEvent) {
    event.preventDefault();
    onApply(draft);
  }

  return (
    <Paper withBorder p="md">
      <form onSubmit={submit} aria-labelledby="registry-filters-heading">
        <Title order={2} size="h4" id="registry-filters-heading" mb="sm">
          {t('registry.searchTitle')}
        </Title>
        <Group align="flex-end" wrap="wrap">
          <TextInput
            label={t('registry.search')}
            description={t('registry.searchHelp')}
            name="q"
            type="search"
            autoComplete="off"
            dir="auto"
            style={{ flex: '1 1 20rem' }}
            value={draft.q}
            onChange={(event) => setDraft({ ...draft, q: event.currentTarget.value })}
          />
          <Button type="submit">{t('registry.searchButton')}</Button>
        </Group>
        <Group align="flex-end" wrap="wrap" mt="sm">
          <NativeSelect
            label={t('registry.filters.zone')}
            name="zone"
            value={draft.zone}
            onChange={(event) => setDraft({ ...draft, zone: event.currentTarget.value })}
            data={[
              { value: '', label: t('registry.any') },
              ...zones.map((zone) => ({ value: zone.id, label: zone.name })),
            ]}
          />
          {CHOICES.map((choice) => (
            <NativeSelect
              key={choice.key}
              label={t(`registry.filters.${choice.key}`)}
              name={choice.key}
              value={draft[choice.key][0] ?? ''}
              onChange={(event) => {
                const value = event.currentTarget.value;
                setDraft({ ...draft, [choice.key]: value ? [value] : [] });
              }}
              data={[
                { value: '', label: t('registry.any') },
                ...choice.values.map((value) => ({ value, label: label(choice.group, value) })),
              ]}
            />
          ))}
          <Button type="submit" variant="default">
            {t('registry.apply')}
          </Button>
        </Group>
      </form>
    </Paper>
  );
}
