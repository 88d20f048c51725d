import {
  Button,
  Checkbox,
  Fieldset,
  Group,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { crisisPath, crossingPath, registryKeys } from '../api/registry';
import { type Crossing, type CrossingSide, SIDE_STATUSES } from '../api/registry-types';
import { ErrorSummary, useApiErrors } from './api-errors';
import { useLabel } from './labels';

interface SideDraft {
  name: string;
  operator: string;
  status: string;
  opens: string;
  closes: string;
}

const emptySide = (): SideDraft => ({ name: '', operator: '', status: 'closed', opens: '', closes: '' });

/** A new crossing point with its sides (each with its own status and daily opening hours). */
export function CreateCrossingForm({ crisisId }: { crisisId: string }) {
  const { t } = useTranslation();
  const label = useLabel();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [name, setName] = useState('');
  const [code, setCode] = useState('');
  const [requiresList, setRequiresList] = useState(true);
  const [sides, setSides] = useState<SideDraft[]>([emptySide(), emptySide()]);
  const errors = useApiErrors(formRef);
  const mutation = useMutation({
    mutationFn: () =>
      api.post<Crossing>(`${crisisPath(crisisId)}/crossings`, {
        name: name.trim(),
        ...(code.trim() && { code: code.trim() }),
        requiresApprovedList: requiresList,
        sides: sides
          .filter((side, index) => index === 0 || side.name.trim())
          .map((side) => ({
            name: side.name.trim(),
            ...(side.operator.trim() && { operator: side.operator.trim() }),
            status: side.status,
            ...((side.opens || side.closes) && {
              openingWindows: [{ days: [1, 2, 3, 4, 5, 6, 7], opens: side.opens, closes: side.closes }],
            }),
          })),
      }),
    onSuccess: async () => {
      setName('');
      setCode('');
      setSides([emptySide(), emptySide()]);
      await queryClient.invalidateQueries({ queryKey: registryKeys.crossings(crisisId) });
    },
    onError: errors.setError,
  });
  const setSide = (index: number, key: keyof SideDraft, value: string) =>
    setSides(sides.map((side, i) => (i === index ? { ...side, [key]: value } : side)));

  function submit(event: FormEvent) {
    event.preventDefault();
    errors.clear();
    mutation.mutate();
  }

  return (
    <Paper withBorder p="md">
      <form ref={formRef} onSubmit={submit} noValidate aria-labelledby="create-crossing-heading">
        <Stack gap="sm">
          <Title order={2} size="h3" id="create-crossing-heading">
            {t('crossings.create')}
          </Title>
          <ErrorSummary
            error={errors.error}
            shownPaths={['name', 'code', 'sides']}
            fieldMessage={errors.fieldMessage}
          />
          <Group align="flex-start" grow>
            <TextInput
              label={t('crossings.name')}
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={errors.fieldError('name')}
            />
            <TextInput
              label={t('crossings.code')}
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
              error={errors.fieldError('code')}
            />
          </Group>
          <Checkbox
            label={t('crossings.requiresList')}
            checked={requiresList}
            onChange={(e) => setRequiresList(e.currentTarget.checked)}
          />
          {sides.map((side, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the form always has two sides, never reordered.
            <Fieldset key={index} legend={t('crossings.sideNumber', { number: String(index + 1) })}>
              <SimpleGrid cols={{ base: 1, sm: 2, md: 5 }}>
                <TextInput
                  label={t('crossings.sideName')}
                  required={index === 0}
                  value={side.name}
                  onChange={(e) => setSide(index, 'name', e.currentTarget.value)}
                  error={errors.fieldError(`sides.${index}.name`)}
                />
                <TextInput
                  label={t('crossings.operator')}
                  value={side.operator}
                  onChange={(e) => setSide(index, 'operator', e.currentTarget.value)}
                />
                <NativeSelect
                  label={t('crossings.status')}
                  value={side.status}
                  onChange={(e) => setSide(index, 'status', e.currentTarget.value)}
                  data={SIDE_STATUSES.map((value) => ({ value, label: label('sideStatus', value) }))}
                />
                <TextInput
                  label={t('crossings.opens')}
                  placeholder="08:00"
                  value={side.opens}
                  onChange={(e) => setSide(index, 'opens', e.currentTarget.value)}
                  error={errors.fieldError(`sides.${index}.openingWindows`)}
                />
                <TextInput
                  label={t('crossings.closes')}
                  placeholder="16:00"
                  value={side.closes}
                  onChange={(e) => setSide(index, 'closes', e.currentTarget.value)}
                />
              </SimpleGrid>
            </Fieldset>
          ))}
          <Group>
            <Button type="submit" loading={mutation.isPending}>
              {t('crossings.createButton')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** Records a side's new status with where the news came from (required). */
export function SideStatusForm({
  crisisId,
  crossing,
  side,
}: {
  crisisId: string;
  crossing: Crossing;
  side: CrossingSide;
}) {
  const { t } = useTranslation();
  const label = useLabel();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [status, setStatus] = useState<string>(side.status);
  const [source, setSource] = useState('');
  const [note, setNote] = useState('');
  const errors = useApiErrors(formRef);
  const mutation = useMutation({
    mutationFn: () =>
      api.post<Crossing>(
        `${crossingPath(crisisId, crossing.id)}/sides/${encodeURIComponent(side.id)}/status`,
        {
          status,
          source: source.trim(),
          ...(note.trim() && { note: note.trim() }),
        },
      ),
    onSuccess: async () => {
      setSource('');
      setNote('');
      await queryClient.invalidateQueries({ queryKey: registryKeys.crossings(crisisId) });
    },
    onError: errors.setError,
  });
  return (
    <form
      ref={formRef}
      noValidate
      aria-label={t('crossings.changeStatusOf', { side: side.name })}
      onSubmit={(event) => {
        event.preventDefault();
        errors.clear();
        mutation.mutate();
      }}
    >
      <Stack gap="xs">
        <ErrorSummary
          error={errors.error}
          shownPaths={['status', 'source', 'note']}
          fieldMessage={errors.fieldMessage}
        />
        <Group align="flex-start" wrap="wrap">
          <NativeSelect
            label={t('crossings.newStatus', { side: side.name })}
            value={status}
            onChange={(e) => setStatus(e.currentTarget.value)}
            data={SIDE_STATUSES.map((value) => ({ value, label: label('sideStatus', value) }))}
          />
          <TextInput
            label={t('crossings.source')}
            required
            value={source}
            onChange={(e) => setSource(e.currentTarget.value)}
            error={errors.fieldError('source')}
          />
          <TextInput
            label={t('crossings.note')}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            error={errors.fieldError('note')}
          />
          <Button type="submit" mt={25} loading={mutation.isPending}>
            {t('crossings.record')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
