import {
  Button,
  Group,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../api/client';
import {
  CITIZENSHIP,
  RESTRICTED_KINDS,
  RESTRICTED_STATUSES,
  type RestrictedSummary,
  restrictedKeys,
  restrictedPath,
} from '../api/restricted';
import { ErrorSummary, useApiErrors } from './api-errors';
import { useLabel } from './labels';

const SHOWN = ['kind', 'status', 'citizenship', 'person', 'circumstances', 'lastKnownLocation', 'eventDate'];

/** Opens a hostage or missing-person case; the names and circumstances are sealed by the server. */
export function RestrictedCreateForm({ crisisId }: { crisisId: string }) {
  const { t } = useTranslation();
  const label = useLabel();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useApiErrors(formRef);
  const [form, setForm] = useState({
    kind: 'hostage',
    status: 'confirmed_held',
    citizenship: 'unconfirmed',
    fullName: '',
    fullNameAr: '',
    dateOfBirth: '',
    sex: '',
    nationalities: '',
    circumstances: '',
    place: '',
    asOf: '',
    eventDate: '',
  });
  const set = (key: keyof typeof form) => (event: { currentTarget: { value: string } }) => {
    const value = event.currentTarget.value;
    setForm((current) => ({ ...current, [key]: value }));
  };
  const create = useMutation({
    mutationFn: () => {
      const nationalities = form.nationalities
        .split(/[,\s]+/)
        .map((value) => value.trim().toUpperCase())
        .filter(Boolean);
      return api.post<RestrictedSummary>(restrictedPath(crisisId), {
        kind: form.kind,
        status: form.status,
        citizenship: form.citizenship,
        person: {
          ...(form.fullName.trim() && { fullName: form.fullName.trim() }),
          ...(form.fullNameAr.trim() && { fullNameAr: form.fullNameAr.trim() }),
          ...(form.dateOfBirth.trim() && { dateOfBirth: form.dateOfBirth.trim() }),
          ...(form.sex && { sex: form.sex }),
          ...(nationalities.length > 0 && { nationalities }),
        },
        circumstances: form.circumstances,
        ...(form.place.trim() && {
          lastKnownLocation: { place: form.place.trim(), ...(form.asOf && { asOf: form.asOf }) },
        }),
        ...(form.eventDate && { eventDate: form.eventDate }),
      });
    },
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: restrictedKeys.all(crisisId) });
      navigate(`/restricted/${encodeURIComponent(created.id)}`);
    },
    onError: errors.setError,
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="restricted-create-heading">
      <Title order={2} size="h3" id="restricted-create-heading" mb="sm">
        {t('restricted.create')}
      </Title>
      <form
        ref={formRef}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          errors.clear();
          create.mutate();
        }}
      >
        <Stack gap="sm">
          <ErrorSummary error={errors.error} shownPaths={SHOWN} fieldMessage={errors.fieldMessage} />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <NativeSelect
              label={t('restricted.kind')}
              value={form.kind}
              onChange={set('kind')}
              error={errors.fieldError('kind')}
              data={RESTRICTED_KINDS.map((value) => ({ value, label: label('restrictedKind', value) }))}
            />
            <NativeSelect
              label={t('restricted.status')}
              value={form.status}
              onChange={set('status')}
              error={errors.fieldError('status')}
              data={RESTRICTED_STATUSES.map((value) => ({ value, label: label('restrictedStatus', value) }))}
            />
            <NativeSelect
              label={t('restricted.citizenship')}
              value={form.citizenship}
              onChange={set('citizenship')}
              error={errors.fieldError('citizenship')}
              data={CITIZENSHIP.map((value) => ({ value, label: label('citizenship', value) }))}
            />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('restricted.fullName')}
              value={form.fullName}
              onChange={set('fullName')}
              error={errors.fieldError('person.fullName')}
            />
            <TextInput
              label={t('restricted.fullNameAr')}
              value={form.fullNameAr}
              onChange={set('fullNameAr')}
              error={errors.fieldError('person.fullNameAr')}
              dir="rtl"
              lang="ar"
            />
            <TextInput
              label={t('restricted.dateOfBirth')}
              description={t('restricted.dateHint')}
              value={form.dateOfBirth}
              onChange={set('dateOfBirth')}
              error={errors.fieldError('person.dateOfBirth')}
            />
            <NativeSelect
              label={t('person.sex')}
              value={form.sex}
              onChange={set('sex')}
              error={errors.fieldError('person.sex')}
              data={[
                { value: '', label: '—' },
                ...['female', 'male', 'unknown'].map((value) => ({ value, label: label('sex', value) })),
              ]}
            />
            <TextInput
              label={t('restricted.nationalities')}
              description={t('restricted.nationalitiesHint')}
              value={form.nationalities}
              onChange={set('nationalities')}
              error={errors.fieldError('person.nationalities')}
            />
            <TextInput
              type="date"
              label={t('restricted.eventDate')}
              value={form.eventDate}
              onChange={set('eventDate')}
              error={errors.fieldError('eventDate')}
            />
          </SimpleGrid>
          <Textarea
            label={t('restricted.circumstances')}
            autosize
            minRows={2}
            value={form.circumstances}
            onChange={set('circumstances')}
            error={errors.fieldError('circumstances')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('restricted.lastPlace')}
              value={form.place}
              onChange={set('place')}
              error={errors.fieldError('lastKnownLocation.place')}
            />
            <TextInput
              type="date"
              label={t('restricted.lastSeen')}
              value={form.asOf}
              onChange={set('asOf')}
              error={errors.fieldError('lastKnownLocation.asOf')}
            />
          </SimpleGrid>
          <Group>
            <Button type="submit" loading={create.isPending}>
              {t('restricted.createButton')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
