import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Group,
  List,
  NativeSelect,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { type AllocationRun, commitRun, type KindPlaces, type Pin } from '../api/allocation';
import { ApiError } from '../api/client';
import { transportKeys } from '../api/transport';
import { tones } from '../theme';
import { useApiErrors, useErrorMessage } from './api-errors';
import { useRefusalDetail } from './refusal-detail';

type Label = (group: string, value: string) => string;

/** Words for the allocator's codes; an unknown code is shown as it is. */
export function useAllocationLabel(): Label {
  const { t } = useTranslation();
  return (group, value) => t(`allocation.${group}.${value}` as 'allocation.title', { defaultValue: value });
}

const KINDS: (keyof KindPlaces)[] = ['seats', 'lapInfants', 'stretchers'];

/** Per leg, by kind of place: capacity, already held, planned by this run and left empty. */
export function PlanLegs({ run }: { run: AllocationRun }) {
  const { t } = useTranslation();
  const label = useAllocationLabel();
  return (
    <Table.ScrollContainer minWidth={520}>
      <Table data-testid="plan-legs">
        <Table.Caption>{t('allocation.legsTitle')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('allocation.leg')}</Table.Th>
            <Table.Th scope="col">{t('allocation.place')}</Table.Th>
            <Table.Th scope="col">{t('allocation.capacity')}</Table.Th>
            <Table.Th scope="col">{t('allocation.held')}</Table.Th>
            <Table.Th scope="col">{t('allocation.planned')}</Table.Th>
            <Table.Th scope="col">{t('allocation.empty')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {run.legs.flatMap((leg) =>
            KINDS.filter((kind) => kind === 'seats' || leg.capacity[kind] > 0).map((kind) => (
              <Table.Tr key={`${leg.legId}:${kind}`} data-plan-leg={leg.name} data-kind={kind}>
                <Table.Th scope="row">
                  <bdi>{leg.name}</bdi>
                </Table.Th>
                <Table.Td>{label('kinds', kind)}</Table.Td>
                <Table.Td>{leg.capacity[kind]}</Table.Td>
                <Table.Td>{leg.alreadyHeld[kind]}</Table.Td>
                <Table.Td data-planned>{leg.planned[kind]}</Table.Td>
                <Table.Td data-empty>{leg.empty[kind]}</Table.Td>
              </Table.Tr>
            )),
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** What binds: the allocator's explanation for each code, then its own words naming leg, zone or kind. */
export function PlanExplanations({ run }: { run: AllocationRun }) {
  const { t } = useTranslation();
  const label = useAllocationLabel();
  return (
    <section aria-labelledby="plan-explanations">
      <Title order={3} size="h4" id="plan-explanations">
        {t('allocation.explanationsTitle')}
      </Title>
      {run.explanations.length === 0 ? (
        <Text>{t('allocation.nothingBinds')}</Text>
      ) : (
        <List data-testid="plan-explanations">
          {run.explanations.map((item) => (
            <List.Item
              key={[item.code, item.legId, item.householdId, item.zone, item.kind, item.message].join(':')}
              data-code={item.code}
            >
              <Text span fw={600}>
                {label('codes', item.code)}
              </Text>{' '}
              <Text span size="sm">
                (<bdi>{item.message}</bdi>)
              </Text>
            </List.Item>
          ))}
        </List>
      )}
    </section>
  );
}

/**
 * Registrations of the same person (confirmed duplicates) that this plan does not place again: the
 * household left out, the household the person is planned or seated with, and why. The coordinator
 * can open either person; undoing a wrong merge (duplicates page) brings the registration back.
 */
export function PlanDuplicates({ run }: { run: AllocationRun }) {
  const { t } = useTranslation();
  const label = useAllocationLabel();
  if (run.duplicates.length === 0) return null;
  const personLink = (personId: string, household: string) => (
    <Anchor
      component={Link}
      to={`/registry/${personId}`}
      dir="ltr"
      aria-label={t('allocation.openPerson', { household })}
    >
      {household}
    </Anchor>
  );
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table data-testid="plan-duplicates">
        <Table.Caption>
          {t('allocation.duplicatesTitle')}. {t('allocation.duplicatesIntro')}
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('allocation.leftOut')}</Table.Th>
            <Table.Th scope="col">{t('allocation.keptWith')}</Table.Th>
            <Table.Th scope="col">{t('allocation.reason')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {run.duplicates.map((row) => (
            <Table.Tr
              key={row.personId}
              data-duplicate={row.householdReference}
              data-kept={row.keptHouseholdReference}
              data-reason={row.reason}
            >
              <Table.Th scope="row">{personLink(row.personId, row.householdReference)}</Table.Th>
              <Table.Td>{personLink(row.keptPersonId, row.keptHouseholdReference)}</Table.Td>
              <Table.Td>{label('duplicateReasons', row.reason)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The controls that change the next run for one household: pin it to a leg, or leave it out. */
export function HouseholdControls({
  run,
  householdId,
  name,
  pins,
  exclusions,
  onPin,
  onExclude,
}: {
  run: AllocationRun;
  householdId: string;
  name: string;
  pins: Pin[];
  exclusions: string[];
  onPin: (householdId: string, legId: string | null) => void;
  onExclude: (householdId: string, excluded: boolean) => void;
}) {
  const { t } = useTranslation();
  const pinned = pins.find((pin) => pin.householdId === householdId)?.legId ?? '';
  const excluded = exclusions.includes(householdId);
  return (
    <Group gap="xs" wrap="wrap">
      <NativeSelect
        size="xs"
        aria-label={t('allocation.pinTo', { household: name })}
        value={pinned}
        disabled={excluded}
        onChange={(event) => onPin(householdId, event.currentTarget.value || null)}
        data={[
          { value: '', label: t('allocation.noPin') },
          ...run.legs.map((leg) => ({ value: leg.legId, label: t('allocation.pinOn', { leg: leg.name }) })),
        ]}
      />
      <Checkbox
        size="xs"
        label={t('allocation.exclude')}
        aria-label={t('allocation.excludeHousehold', { household: name })}
        checked={excluded}
        onChange={(event) => onExclude(householdId, event.currentTarget.checked)}
      />
    </Group>
  );
}

/** Commits the proposed plan: every household gets its offer, answerable for `deadlineHours`. */
export function CommitForm({ crisisId, run }: { crisisId: string; run: AllocationRun }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useApiErrors(formRef);
  const describe = useErrorMessage();
  const particulars = useRefusalDetail();
  const [hours, setHours] = useState('48');
  const mutation = useMutation({
    mutationFn: () => commitRun(crisisId, run.id, Number(hours)),
    onMutate: () => errors.clear(),
    onError: (error) => errors.setError(error),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: transportKeys.legs(crisisId) });
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    mutation.mutate();
  }
  if (mutation.data) {
    const offers = mutation.data.offers;
    const legs = run.legs.filter((leg) => offers.some((offer) => offer.legId === leg.legId));
    return (
      <Alert
        color={tones.success}
        variant="outline"
        title={t('allocation.committedTitle')}
        role="status"
        data-testid="committed"
      >
        <Text>
          {t('allocation.committed', {
            people: String(offers.length),
            households: String(new Set(offers.map((o) => o.householdId)).size),
          })}
        </Text>
        <List>
          {legs.map((leg) => (
            <List.Item key={leg.legId}>
              <Anchor component={Link} to={`/legs/${leg.legId}`}>
                {t('allocation.openLeg', { name: leg.name })}
              </Anchor>
            </List.Item>
          ))}
        </List>
      </Alert>
    );
  }
  const code = errors.error instanceof ApiError ? errors.error.code : null;
  const known = code === 'plan_stale' || code === 'run_committed';
  return (
    <Paper withBorder p="md">
      <form ref={formRef} onSubmit={submit} noValidate aria-labelledby="commit-heading">
        <Stack gap="sm">
          <Title order={2} size="h3" id="commit-heading">
            {t('allocation.commitTitle')}
          </Title>
          {errors.error instanceof Error && !errors.fieldError('deadlineHours') ? (
            <Alert
              color={tones.danger}
              variant="outline"
              title={t('errors.title')}
              role="alert"
              data-error-code={code ?? 'internal'}
            >
              <Text>
                {known ? t(`allocation.refusals.${code}` as 'allocation.title') : describe(errors.error)}
              </Text>
              {known && particulars(errors.error) && (
                <Text size="sm" mt={4} data-testid="refusal-detail">
                  <bdi>{particulars(errors.error)}</bdi>
                </Text>
              )}
            </Alert>
          ) : null}
          <Group align="flex-end" wrap="wrap">
            <TextInput
              label={t('allocation.deadlineHours')}
              type="number"
              min={1}
              required
              value={hours}
              onChange={(event) => setHours(event.currentTarget.value)}
              error={errors.fieldError('deadlineHours')}
            />
            <Button type="submit" loading={mutation.isPending}>
              {t('allocation.commit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
