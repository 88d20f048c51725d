import {
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../api/client';
import { zonesQuery } from '../api/queries';
import { crossingsQuery } from '../api/registry';
import {
  LEG_KINDS,
  type Leg,
  type LegInput,
  type LegKind,
  legPath,
  legsPath,
  transportKeys,
} from '../api/transport';
import { ErrorSummary, useApiErrors } from './api-errors';

/** "2023-11-01T09:30" in the reader's time zone, as `datetime-local` inputs want it. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The instant a `datetime-local` value names; what cannot be read is sent as typed, for the server to refuse. */
export function fromLocalInput(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

type Draft = Record<
  | 'kind'
  | 'name'
  | 'origin'
  | 'destination'
  | 'assemblyPoint'
  | 'reportAt'
  | 'departureAt'
  | 'seats'
  | 'lapPlaces'
  | 'stretcherPlaces'
  | 'operator'
  | 'costPerSeat'
  | 'currency'
  | 'nextLegId'
  | 'crossingPointId'
  | 'crossingListDate',
  string
> & { reachableZoneIds: string[] };

function draftOf(leg: Leg | undefined): Draft {
  return {
    kind: leg?.kind ?? 'bus',
    name: leg?.name ?? '',
    origin: leg?.origin ?? '',
    destination: leg?.destination ?? '',
    assemblyPoint: leg?.assemblyPoint ?? '',
    reportAt: toLocalInput(leg?.reportAt),
    departureAt: toLocalInput(leg?.departureAt),
    seats: String(leg?.capacity.seats ?? ''),
    lapPlaces: String(leg?.capacity.lapPlaces ?? 0),
    stretcherPlaces: String(leg?.capacity.stretcherPlaces ?? 0),
    operator: leg?.operator ?? '',
    costPerSeat: String(leg?.costPerSeat ?? 0),
    currency: leg?.currency ?? 'USD',
    nextLegId: leg?.nextLegId ?? '',
    crossingPointId: leg?.crossingPointId ?? '',
    crossingListDate: leg?.crossingListDate ?? '',
    reachableZoneIds: leg?.reachableZoneIds ?? [],
  };
}

const numberOf = (value: string) => (value.trim() === '' ? Number.NaN : Number(value));

function inputOf(draft: Draft): LegInput {
  return {
    kind: draft.kind as LegKind,
    name: draft.name.trim(),
    origin: draft.origin.trim(),
    destination: draft.destination.trim(),
    assemblyPoint: draft.assemblyPoint.trim(),
    reportAt: draft.reportAt ? fromLocalInput(draft.reportAt) : null,
    departureAt: fromLocalInput(draft.departureAt),
    seats: numberOf(draft.seats),
    lapPlaces: numberOf(draft.lapPlaces),
    stretcherPlaces: numberOf(draft.stretcherPlaces),
    operator: draft.operator.trim(),
    costPerSeat: numberOf(draft.costPerSeat),
    currency: draft.currency.trim().toUpperCase(),
    nextLegId: draft.nextLegId || null,
    crossingPointId: draft.crossingPointId || null,
    crossingListDate: draft.crossingPointId ? draft.crossingListDate || null : null,
    reachableZoneIds: draft.reachableZoneIds,
  };
}

/** Plans a new leg, or edits one (sending the version read, so a concurrent change is not overwritten). */
export function LegForm({
  crisisId,
  leg,
  legs,
  onDone,
}: {
  crisisId: string;
  leg?: Leg;
  legs: Leg[];
  onDone?(): void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const headingId = useId();
  const [draft, setDraft] = useState<Draft>(() => draftOf(leg));
  const errors = useApiErrors(formRef);
  const zones = useQuery(zonesQuery(crisisId));
  const crossings = useQuery(crossingsQuery(crisisId));
  const set = (key: keyof Draft, value: string) => setDraft({ ...draft, [key]: value });
  const mutation = useMutation({
    mutationFn: () =>
      leg
        ? api.patch<Leg>(legPath(crisisId, leg.id), { version: leg.version, ...inputOf(draft) })
        : api.post<Leg>(legsPath(crisisId), inputOf(draft)),
    onSuccess: async () => {
      if (!leg) setDraft(draftOf(undefined));
      await queryClient.invalidateQueries({ queryKey: transportKeys.legs(crisisId) });
      onDone?.();
    },
    onError: async (error) => {
      errors.setError(error);
      if (isApiError(error, 'version_conflict')) {
        await queryClient.invalidateQueries({ queryKey: transportKeys.legs(crisisId) });
      }
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    errors.clear();
    mutation.mutate();
  }
  const text = (key: keyof Draft, label: string, props: Record<string, unknown> = {}) => (
    <TextInput
      label={label}
      value={draft[key] as string}
      onChange={(e) => set(key, e.currentTarget.value)}
      error={errors.fieldError(key)}
      {...props}
    />
  );
  const title = leg ? t('transport.editTitle', { name: leg.name }) : t('transport.create');
  return (
    <Paper withBorder p="md">
      <form ref={formRef} onSubmit={submit} noValidate aria-labelledby={headingId}>
        <Stack gap="sm">
          <Title order={2} size="h3" id={headingId}>
            {title}
          </Title>
          <ErrorSummary
            error={errors.error}
            shownPaths={Object.keys(draft).concat(['version'])}
            fieldMessage={errors.fieldMessage}
          />
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
            <NativeSelect
              label={t('transport.kind')}
              value={draft.kind}
              onChange={(e) => set('kind', e.currentTarget.value)}
              data={LEG_KINDS.map((value) => ({ value, label: t(`transport.kinds.${value}`) }))}
            />
            {text('name', t('transport.name'), { required: true })}
            {text('operator', t('transport.operator'))}
            {text('origin', t('transport.origin'), { required: true })}
            {text('destination', t('transport.destination'), { required: true })}
            {text('assemblyPoint', t('transport.assemblyPoint'), { required: true })}
            {text('reportAt', t('transport.reportAt'), { type: 'datetime-local' })}
            {text('departureAt', t('transport.departureAt'), { type: 'datetime-local', required: true })}
            {text('seats', t('transport.seats'), {
              type: 'number',
              min: 0,
              inputMode: 'numeric',
              required: true,
            })}
            {text('lapPlaces', t('transport.lapPlaces'), { type: 'number', min: 0, inputMode: 'numeric' })}
            {text('stretcherPlaces', t('transport.stretcherPlaces'), {
              type: 'number',
              min: 0,
              inputMode: 'numeric',
            })}
            {text('costPerSeat', t('transport.costPerSeat'), {
              type: 'number',
              min: 0,
              inputMode: 'decimal',
            })}
            {text('currency', t('transport.currency'), { maxLength: 3 })}
            <NativeSelect
              label={t('transport.nextLeg')}
              value={draft.nextLegId}
              onChange={(e) => set('nextLegId', e.currentTarget.value)}
              error={errors.fieldError('nextLegId')}
              data={[
                { value: '', label: t('transport.none') },
                ...legs
                  .filter((other) => other.id !== leg?.id)
                  .map((other) => ({ value: other.id, label: other.name })),
              ]}
            />
            <NativeSelect
              label={t('transport.crossingPoint')}
              value={draft.crossingPointId}
              onChange={(e) => set('crossingPointId', e.currentTarget.value)}
              error={errors.fieldError('crossingPointId')}
              data={[
                { value: '', label: t('transport.none') },
                ...(crossings.data ?? []).map((crossing) => ({ value: crossing.id, label: crossing.name })),
              ]}
            />
            {draft.crossingPointId &&
              text('crossingListDate', t('transport.crossingListDate'), { type: 'date' })}
          </SimpleGrid>
          {(zones.data ?? []).length > 0 && (
            <Checkbox.Group
              label={t('transport.reachableZones')}
              description={t('transport.reachableZonesHint')}
              value={draft.reachableZoneIds}
              onChange={(value) => setDraft({ ...draft, reachableZoneIds: value })}
              error={errors.fieldError('reachableZoneIds')}
            >
              <Group mt="xs">
                {(zones.data ?? []).map((zone) => (
                  <Checkbox key={zone.id} value={zone.id} label={zone.name} />
                ))}
              </Group>
            </Checkbox.Group>
          )}
          <Group>
            <Button type="submit" loading={mutation.isPending}>
              {leg ? t('transport.save') : t('transport.createButton')}
            </Button>
            {onDone && (
              <Button variant="default" onClick={onDone}>
                {t('common.cancel')}
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
