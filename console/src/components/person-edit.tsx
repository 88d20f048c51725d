import { Button, Group, NativeSelect, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { personPath, registryKeys } from '../api/registry';
import {
  INTENTIONS,
  PERSON_STATUSES,
  type PersonDetail,
  type PersonPage,
  SEXES,
} from '../api/registry-types';
import { ELIGIBILITY_CATEGORIES, type Zone } from '../api/types';
import { ErrorSummary, useApiErrors } from './api-errors';
import { Dialog } from './dialog';
import { useLabel } from './labels';

const EDITABLE = [
  'status',
  'intention',
  'eligibilityCategory',
  'sex',
  'birthDate',
  'latinGiven',
  'latinFamily',
  'arabicGiven',
  'arabicFamily',
  'place',
  'zone',
  'needs',
] as const;
type Editable = (typeof EDITABLE)[number];
type Draft = Record<Editable, string> & { reason: string };

function draftOf(person: PersonDetail, zones: Zone[]): Draft {
  return {
    status: person.status,
    intention: person.intention,
    eligibilityCategory: person.eligibilityCategory ?? '',
    sex: person.sex,
    birthDate: person.birthDate ?? '',
    latinGiven: person.nameLatin.given ?? '',
    latinFamily: person.nameLatin.family ?? '',
    arabicGiven: person.nameArabic.given ?? '',
    arabicFamily: person.nameArabic.family ?? '',
    place: person.place ?? '',
    zone: zones.find((zone) => zone.id === person.zoneId)?.code ?? '',
    needs: person.needs ?? '',
    reason: '',
  };
}

/** Only what changed is sent, with the reason the server keeps in the person's history. */
function patchOf(before: Draft, after: Draft, person: PersonDetail): Record<string, unknown> {
  const changed = (key: Editable) => before[key] !== after[key];
  const body: Record<string, unknown> = { reason: after.reason.trim() };
  if (changed('status')) body.status = after.status;
  if (changed('intention')) body.intention = after.intention;
  if (changed('eligibilityCategory')) body.eligibilityCategory = after.eligibilityCategory || null;
  if (changed('sex')) body.sex = after.sex;
  if (changed('birthDate')) body.birthDate = after.birthDate.trim() || null;
  if (changed('needs')) body.needs = after.needs.trim() || null;
  if (changed('latinGiven') || changed('latinFamily')) {
    body.nameLatin = compact({
      ...person.nameLatin,
      given: after.latinGiven.trim(),
      family: after.latinFamily.trim(),
    });
  }
  if (changed('arabicGiven') || changed('arabicFamily')) {
    body.nameArabic = compact({
      ...person.nameArabic,
      given: after.arabicGiven.trim(),
      family: after.arabicFamily.trim(),
    });
  }
  if (changed('zone') || changed('place')) {
    body.location = compact({ zone: after.zone, place: after.place.trim() });
  }
  return body;
}

function compact(record: Record<string, string | null>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record).filter((entry): entry is [string, string] => Boolean(entry[1])),
  );
}

export function PersonEditDialog({
  crisisId,
  person,
  zones,
  onClose,
}: {
  crisisId: string;
  person: PersonDetail;
  zones: Zone[];
  onClose(): void;
}) {
  const { t } = useTranslation();
  const label = useLabel();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [initial] = useState(() => draftOf(person, zones));
  const [draft, setDraft] = useState<Draft>(initial);
  const errors = useApiErrors(formRef);
  const mutation = useMutation({
    mutationFn: () => api.patch<PersonPage>(personPath(crisisId, person.id), patchOf(initial, draft, person)),
    onSuccess: async (page) => {
      queryClient.setQueryData(registryKeys.person(crisisId, person.id), page);
      await queryClient.invalidateQueries({ queryKey: registryKeys.persons(crisisId) });
      onClose();
    },
    onError: errors.setError,
  });
  const set = (key: keyof Draft) => (event: { currentTarget: { value: string } }) =>
    setDraft({ ...draft, [key]: event.currentTarget.value });

  function submit(event: FormEvent) {
    event.preventDefault();
    errors.clear();
    mutation.mutate();
  }

  const options = (group: Parameters<typeof label>[0], values: readonly string[], empty = false) => [
    ...(empty ? [{ value: '', label: t('person.notSet') }] : []),
    ...values.map((value) => ({ value, label: label(group, value) })),
  ];

  return (
    <Dialog opened onClose={onClose} title={t('person.editTitle')} size="xl">
      <form ref={formRef} onSubmit={submit} noValidate>
        <Stack>
          <ErrorSummary
            error={errors.error}
            shownPaths={[
              'reason',
              'status',
              'intention',
              'eligibilityCategory',
              'sex',
              'birthDate',
              'nameLatin',
              'nameArabic',
              'location',
              'needs',
            ]}
            fieldMessage={errors.fieldMessage}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NativeSelect
              label={t('person.status')}
              value={draft.status}
              onChange={set('status')}
              data={options('status', PERSON_STATUSES)}
              error={errors.fieldError('status')}
            />
            <NativeSelect
              label={t('person.intention')}
              value={draft.intention}
              onChange={set('intention')}
              data={options('intention', INTENTIONS)}
              error={errors.fieldError('intention')}
            />
            <NativeSelect
              label={t('person.category')}
              value={draft.eligibilityCategory}
              onChange={set('eligibilityCategory')}
              data={options('category', ELIGIBILITY_CATEGORIES, true)}
              error={errors.fieldError('eligibilityCategory')}
            />
            <NativeSelect
              label={t('person.sex')}
              value={draft.sex}
              onChange={set('sex')}
              data={options('sex', SEXES)}
              error={errors.fieldError('sex')}
            />
            <TextInput
              label={t('person.birthDate')}
              description={t('person.birthDateHelp')}
              value={draft.birthDate}
              onChange={set('birthDate')}
              error={errors.fieldError('birthDate')}
            />
            <NativeSelect
              label={t('person.zone')}
              value={draft.zone}
              onChange={set('zone')}
              data={[
                { value: '', label: t('person.notSet') },
                ...zones.map((zone) => ({ value: zone.code, label: zone.name })),
              ]}
              error={errors.fieldError('location')}
            />
            <TextInput label={t('person.place')} value={draft.place} onChange={set('place')} />
            <TextInput
              label={t('person.latinGiven')}
              value={draft.latinGiven}
              onChange={set('latinGiven')}
              error={errors.fieldError('nameLatin')}
            />
            <TextInput
              label={t('person.latinFamily')}
              value={draft.latinFamily}
              onChange={set('latinFamily')}
            />
            <TextInput
              label={t('person.arabicGiven')}
              lang="ar"
              dir="rtl"
              value={draft.arabicGiven}
              onChange={set('arabicGiven')}
              error={errors.fieldError('nameArabic')}
            />
            <TextInput
              label={t('person.arabicFamily')}
              lang="ar"
              dir="rtl"
              value={draft.arabicFamily}
              onChange={set('arabicFamily')}
            />
          </SimpleGrid>
          <Textarea
            label={t('person.needs')}
            value={draft.needs}
            onChange={set('needs')}
            error={errors.fieldError('needs')}
            autosize
            minRows={2}
          />
          <Textarea
            label={t('person.reason')}
            description={t('person.reasonHelp')}
            required
            value={draft.reason}
            onChange={set('reason')}
            error={errors.fieldError('reason')}
            autosize
            minRows={2}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Dialog>
  );
}
