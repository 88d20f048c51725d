import {
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ALLOCATION_METHODS,
  type AllocationMethod,
  type AllocationRun,
  type Pin,
  runAllocation,
} from '../api/allocation';
import { legsQuery } from '../api/transport';
import {
  CommitForm,
  HouseholdControls,
  PlanDuplicates,
  PlanExplanations,
  PlanLegs,
  useAllocationLabel,
} from '../components/allocation-plan';
import { PageTitle } from '../components/page-title';
import { LoadError, Loading } from '../components/status';
import { TransportError } from '../components/transport-bits';
import { formatDateTime } from '../format';
import { can, useMe, useSession } from '../session';

/** Seat allocation: choose legs and a method, see the proposed plan, pin or exclude, commit into offers. */
export default function AllocationPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { selectedCrisis } = useSession();
  const title = t('allocation.title');
  if (!selectedCrisis || !can(me, 'movement.manage', selectedCrisis.id)) {
    return (
      <>
        <PageTitle title={title}>{title}</PageTitle>
        <Text>{selectedCrisis ? t('allocation.notAllowed') : t('registry.noCrisis')}</Text>
      </>
    );
  }
  return (
    <Stack key={selectedCrisis.id}>
      <PageTitle title={title}>{title}</PageTitle>
      <Allocation crisisId={selectedCrisis.id} />
    </Stack>
  );
}

function Allocation({ crisisId }: { crisisId: string }) {
  const { t, i18n } = useTranslation();
  const legs = useQuery(legsQuery(crisisId));
  const [legIds, setLegIds] = useState<string[]>([]);
  const [method, setMethod] = useState<AllocationMethod>('auto');
  const [pins, setPins] = useState<Pin[]>([]);
  const [exclusions, setExclusions] = useState<string[]>([]);
  const mutation = useMutation({
    mutationFn: () =>
      runAllocation(crisisId, {
        legIds,
        method,
        pins: pins.filter((pin) => legIds.includes(pin.legId)),
        exclusions,
      }),
  });
  if (legs.isPending) return <Loading />;
  if (legs.isError) return <LoadError error={legs.error} />;
  const open = legs.data.filter((leg) => leg.status === 'planned' || leg.status === 'confirmed');
  function submit(event: FormEvent) {
    event.preventDefault();
    mutation.mutate();
  }
  const pin = (householdId: string, legId: string | null) =>
    setPins((current) => [
      ...current.filter((item) => item.householdId !== householdId),
      ...(legId ? [{ householdId, legId }] : []),
    ]);
  const exclude = (householdId: string, excluded: boolean) => {
    setExclusions((current) => [
      ...current.filter((id) => id !== householdId),
      ...(excluded ? [householdId] : []),
    ]);
    if (excluded) pin(householdId, null);
  };
  const run = mutation.data;
  return (
    <Stack>
      <Paper withBorder p="md">
        <form onSubmit={submit} noValidate aria-labelledby="run-heading">
          <Stack gap="sm">
            <Title order={2} size="h3" id="run-heading">
              {t('allocation.runTitle')}
            </Title>
            <TransportError error={mutation.error} />
            {open.length === 0 ? (
              <Text>{t('allocation.noLegs')}</Text>
            ) : (
              <Checkbox.Group label={t('allocation.legsLabel')} value={legIds} onChange={setLegIds} required>
                <Stack gap={4} mt={4}>
                  {open.map((leg) => (
                    <Checkbox
                      key={leg.id}
                      value={leg.id}
                      label={t('allocation.legOption', {
                        name: leg.name,
                        time: formatDateTime(leg.departureAt, i18n.language),
                        seats: String(leg.capacity.seats),
                      })}
                    />
                  ))}
                </Stack>
              </Checkbox.Group>
            )}
            <NativeSelect
              label={t('allocation.method')}
              value={method}
              onChange={(event) => setMethod(event.currentTarget.value as AllocationMethod)}
              data={ALLOCATION_METHODS.map((value) => ({ value, label: t(`allocation.methods.${value}`) }))}
              maw={320}
            />
            {(pins.length > 0 || exclusions.length > 0) && (
              <Text size="sm" data-testid="carried-over">
                {t('allocation.carriedOver', {
                  pins: String(pins.length),
                  exclusions: String(exclusions.length),
                })}
              </Text>
            )}
            <Group>
              <Button type="submit" loading={mutation.isPending} disabled={legIds.length === 0}>
                {run ? t('allocation.rerun') : t('allocation.run')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
      {run && (
        <Plan
          key={run.id}
          crisisId={crisisId}
          run={run}
          pins={pins}
          exclusions={exclusions}
          onPin={pin}
          onExclude={exclude}
        />
      )}
    </Stack>
  );
}

function Plan(props: {
  crisisId: string;
  run: AllocationRun;
  pins: Pin[];
  exclusions: string[];
  onPin: (householdId: string, legId: string | null) => void;
  onExclude: (householdId: string, excluded: boolean) => void;
}) {
  const { t } = useTranslation();
  const label = useAllocationLabel();
  const { run } = props;
  const legName = new Map(run.legs.map((leg) => [leg.legId, leg.name]));
  const households = new Map<string, { reference: string; legs: Set<string>; names: string[] }>();
  for (const row of run.assignments) {
    const entry = households.get(row.householdId) ?? {
      reference: row.householdReference,
      legs: new Set(),
      names: [],
    };
    entry.legs.add(row.legId);
    entry.names.push(row.name);
    households.set(row.householdId, entry);
  }
  const behind = new Map<string, { reason: string; message: string; people: number }>();
  for (const row of run.unassigned) {
    const entry = behind.get(row.householdId) ?? { reason: row.reason, message: row.message, people: 0 };
    entry.people += 1;
    behind.set(row.householdId, entry);
  }
  const figures: [string, string][] = [
    [
      'peopleMoved',
      t('allocation.peopleMoved', {
        moved: String(run.figures.peopleMoved),
        total: String(run.figures.peopleConsidered),
      }),
    ],
    ['priorityMoved', t('allocation.priorityMoved', { value: String(run.figures.priorityMoved) })],
    ['splitHouseholds', t('allocation.splitHouseholds', { value: String(run.figures.splitHouseholds) })],
    ['leftBehind', t('allocation.leftBehindCount', { value: String(run.unassigned.length) })],
  ];
  if (run.duplicates.length > 0)
    figures.push(['duplicates', t('allocation.duplicatesCount', { value: String(run.duplicates.length) })]);
  const controls = (householdId: string, name: string) => (
    <HouseholdControls
      run={run}
      householdId={householdId}
      name={name}
      pins={props.pins}
      exclusions={props.exclusions}
      onPin={props.onPin}
      onExclude={props.onExclude}
    />
  );
  return (
    <Stack data-testid="plan" data-run-id={run.id}>
      <Title order={2} size="h3">
        {t('allocation.planTitle')}
      </Title>
      <Text data-plan-status={run.planStatus}>
        {label('planStatus', run.planStatus)} · {label('methods', run.method)} ·{' '}
        {t('allocation.seconds', { value: run.figures.seconds.toFixed(2) })}
      </Text>
      <SimpleGrid cols={{ base: 1, xs: 2, md: figures.length }} spacing="xs">
        {figures.map(([key, text]) => (
          <Paper key={key} withBorder p="xs" data-figure={key}>
            <Text fw={600}>{text}</Text>
          </Paper>
        ))}
      </SimpleGrid>
      <PlanExplanations run={run} />
      <PlanLegs run={run} />
      <Table.ScrollContainer minWidth={560}>
        <Table data-testid="plan-households">
          <Table.Caption>{t('allocation.placedTitle')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('allocation.household')}</Table.Th>
              <Table.Th scope="col">{t('allocation.members')}</Table.Th>
              <Table.Th scope="col">{t('allocation.leg')}</Table.Th>
              <Table.Th scope="col">{t('allocation.nextRun')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {[...households].map(([id, entry]) => (
              <Table.Tr key={id} data-household={entry.reference}>
                <Table.Th scope="row" dir="ltr">
                  {entry.reference}
                </Table.Th>
                <Table.Td>
                  <bdi>{entry.names.join(', ')}</bdi>
                  {run.figures.splitHouseholdIds.includes(id) && ` · ${t('allocation.split')}`}
                </Table.Td>
                <Table.Td>
                  <bdi>{[...entry.legs].map((leg) => legName.get(leg) ?? leg).join(', ')}</bdi>
                </Table.Td>
                <Table.Td>{controls(id, entry.reference)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <PlanDuplicates run={run} />
      {behind.size === 0 ? (
        <Text>{t('allocation.nobodyBehind')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table data-testid="plan-behind">
            <Table.Caption>{t('allocation.behindTitle')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('allocation.household')}</Table.Th>
                <Table.Th scope="col">{t('allocation.reason')}</Table.Th>
                <Table.Th scope="col">{t('allocation.nextRun')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {[...behind].map(([id, entry], index) => {
                const name = t('allocation.behindHousehold', {
                  number: String(index + 1),
                  people: String(entry.people),
                });
                return (
                  <Table.Tr key={id} data-reason={entry.reason}>
                    <Table.Th scope="row">{name}</Table.Th>
                    <Table.Td>
                      {label('reasons', entry.reason)}{' '}
                      <Text span size="sm">
                        (<bdi>{entry.message}</bdi>)
                      </Text>
                    </Table.Td>
                    <Table.Td>{controls(id, name)}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {run.assignments.length > 0 && <CommitForm crisisId={props.crisisId} run={run} />}
    </Stack>
  );
}
