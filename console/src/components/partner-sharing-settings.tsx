import { Button, Group, NumberInput, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiRequest } from '../api/client';
import { type SharingSettings, sharingSettingsPath, sharingSettingsQuery } from '../api/partners';
import { ErrorSummary, useApiErrors } from './api-errors';
import { LoadError } from './status';

/**
 * How long download links live in this crisis: shown to everyone who reads partners, changed by
 * whoever may change the crisis (a crisis decision, not the liaison's).
 */
export function SharingSettingsPanel({ crisisId, canChange }: { crisisId: string; canChange: boolean }) {
  const { t } = useTranslation();
  const settings = useQuery(sharingSettingsQuery(crisisId));
  const headingId = useId();
  if (settings.isError) return <LoadError error={settings.error} />;
  if (!settings.data) return null;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Title order={2} size="h4" id={headingId}>
          {t('partners.settings.title')}
        </Title>
        <Text size="sm" data-testid="link-settings">
          {t('partners.settings.current', {
            defaultHours: String(settings.data.defaultLinkHours),
            maxHours: String(settings.data.maxLinkHours),
          })}
        </Text>
        {canChange && <SettingsForm crisisId={crisisId} current={settings.data} />}
      </Stack>
    </Paper>
  );
}

function SettingsForm({ crisisId, current }: { crisisId: string; current: SharingSettings }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useApiErrors(formRef);
  const [defaultHours, setDefaultHours] = useState<number | ''>(current.defaultLinkHours);
  const [maxHours, setMaxHours] = useState<number | ''>(current.maxLinkHours);
  const save = useMutation({
    mutationFn: () =>
      apiRequest<SharingSettings>('PUT', sharingSettingsPath(crisisId), {
        body: { defaultLinkHours: defaultHours, maxLinkHours: maxHours },
      }),
    onSuccess: (saved) => queryClient.setQueryData(sharingSettingsQuery(crisisId).queryKey, saved),
    onError: errors.setError,
  });
  return (
    <form
      ref={formRef}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        errors.clear();
        save.mutate();
      }}
    >
      <Stack gap="sm">
        <ErrorSummary
          error={errors.error}
          shownPaths={['defaultLinkHours', 'maxLinkHours']}
          fieldMessage={errors.fieldMessage}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NumberInput
            label={t('partners.settings.defaultHours')}
            min={1}
            max={720}
            value={defaultHours}
            onChange={(value) => setDefaultHours(typeof value === 'number' ? value : '')}
            error={errors.fieldError('defaultLinkHours')}
          />
          <NumberInput
            label={t('partners.settings.maxHours')}
            min={1}
            max={720}
            value={maxHours}
            onChange={(value) => setMaxHours(typeof value === 'number' ? value : '')}
            error={errors.fieldError('maxLinkHours')}
          />
        </SimpleGrid>
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>
            {t('partners.settings.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
