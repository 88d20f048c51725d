import { Button, Group, NativeSelect, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { crisisPath } from '../api/registry';
import type { PersonList } from '../api/registry-types';
import {
  type Assignment,
  assignmentsQuery,
  downloadManifest,
  legPath,
  MANIFEST_PROFILES,
  type ManifestProfile,
  manifestsQuery,
  transportKeys,
} from '../api/transport';
import { formatDateTime } from '../format';
import { fromLocalInput } from './leg-form';
import { LoadError, Loading } from './status';
import { SeatStatusBadge, TransportError, useTransportLabel } from './transport-bits';

/** Offers seats on the leg to a household found by its reference, with a deadline to answer. */
export function OfferForm({ crisisId, legId }: { crisisId: string; legId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [reference, setReference] = useState('');
  const [deadline, setDeadline] = useState('');
  const [offered, setOffered] = useState<number | null>(null);
  const mutation = useMutation({
    mutationFn: async () => {
      const found = await api.get<PersonList>(`${crisisPath(crisisId)}/persons`, {
        q: reference.trim(),
        limit: 1,
      });
      const person = found.items[0];
      if (!person) throw new Error('not_found');
      return api.post<{ items: Assignment[] }>(`${legPath(crisisId, legId)}/assignments`, {
        householdId: person.householdId,
        offerDeadline: fromLocalInput(deadline),
      });
    },
    onMutate: () => setOffered(null),
    onSuccess: async (answer) => {
      setOffered(answer.items.length);
      setReference('');
      await queryClient.invalidateQueries({ queryKey: transportKeys.leg(crisisId, legId) });
      await queryClient.invalidateQueries({ queryKey: transportKeys.legs(crisisId) });
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    mutation.mutate();
  }
  const notFound = mutation.error instanceof Error && mutation.error.message === 'not_found';
  return (
    <Paper withBorder p="md">
      <form onSubmit={submit} noValidate aria-labelledby="offer-heading">
        <Stack gap="sm">
          <Title order={2} size="h3" id="offer-heading">
            {t('transport.offerTitle')}
          </Title>
          {notFound ? (
            <Text role="alert">{t('transport.householdNotFound')}</Text>
          ) : (
            <TransportError error={mutation.error} />
          )}
          {offered !== null && <Text role="status">{t('transport.offered', { count: offered })}</Text>}
          <Group align="flex-end" wrap="wrap">
            <TextInput
              label={t('transport.householdReference')}
              required
              value={reference}
              onChange={(e) => setReference(e.currentTarget.value)}
              autoCapitalize="characters"
            />
            <TextInput
              label={t('transport.offerDeadline')}
              type="datetime-local"
              required
              value={deadline}
              onChange={(e) => setDeadline(e.currentTarget.value)}
            />
            <Button type="submit" loading={mutation.isPending}>
              {t('transport.offerButton')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** The seats of the leg by household, with their status; open seats can be cancelled with a reason. */
export function AssignmentsTable({
  crisisId,
  legId,
  canManage,
}: {
  crisisId: string;
  legId: string;
  canManage: boolean;
}) {
  const { t, i18n } = useTranslation();
  const label = useTransportLabel();
  const assignments = useQuery(assignmentsQuery(crisisId, legId));
  if (assignments.isPending) return <Loading />;
  if (assignments.isError) return <LoadError error={assignments.error} />;
  if (assignments.data.length === 0) return <Text>{t('transport.noSeats')}</Text>;
  return (
    <div className="table-scroll">
      <Table withTableBorder data-testid="assignments">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('transport.household')}</Table.Th>
            <Table.Th scope="col">{t('transport.person')}</Table.Th>
            <Table.Th scope="col">{t('transport.place')}</Table.Th>
            <Table.Th scope="col">{t('transport.seatCode')}</Table.Th>
            <Table.Th scope="col">{t('transport.status')}</Table.Th>
            <Table.Th scope="col">{t('transport.offerDeadline')}</Table.Th>
            {canManage && <Table.Th scope="col">{t('common.actions')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {assignments.data.map((assignment) => (
            <Table.Tr key={assignment.id} data-assignment={assignment.code}>
              <Table.Td className="mono">{assignment.householdReference}</Table.Td>
              <Table.Th scope="row">{assignment.name}</Table.Th>
              <Table.Td>{label('placeKind', assignment.placeKind)}</Table.Td>
              <Table.Td className="mono">{assignment.code}</Table.Td>
              <Table.Td>
                <SeatStatusBadge status={assignment.status} />
                {assignment.reason && <Text size="xs">{assignment.reason}</Text>}
              </Table.Td>
              <Table.Td>{formatDateTime(assignment.offerDeadline, i18n.language)}</Table.Td>
              {canManage && (
                <Table.Td>
                  {['offered', 'confirmed', 'checked_in'].includes(assignment.status) && (
                    <CancelSeat crisisId={crisisId} assignment={assignment} />
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}

function CancelSeat({ crisisId, assignment }: { crisisId: string; assignment: Assignment }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const mutation = useMutation({
    mutationFn: () =>
      api.post<Assignment>(
        `${legPath(crisisId, assignment.legId)}/assignments/${encodeURIComponent(assignment.id)}/cancel`,
        { reason: reason.trim() },
      ),
    onSuccess: () =>
      queryClient.invalidateQueries({ queryKey: transportKeys.leg(crisisId, assignment.legId) }),
  });
  if (!open) {
    return (
      <Button size="xs" variant="default" onClick={() => setOpen(true)}>
        {t('transport.cancelSeat', { name: assignment.name })}
      </Button>
    );
  }
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        mutation.mutate();
      }}
    >
      <Stack gap={4}>
        <TransportError error={mutation.error} />
        <TextInput
          size="xs"
          label={t('transport.cancelReason', { name: assignment.name })}
          required
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
        />
        <Button size="xs" type="submit" color="#a51d1d" loading={mutation.isPending}>
          {t('transport.cancelConfirm')}
        </Button>
      </Stack>
    </form>
  );
}

/** Manifests for a recipient (least data each needs) as CSV or PDF, and the ones handed out so far. */
export function Manifests({
  crisisId,
  legId,
  canManage,
}: {
  crisisId: string;
  legId: string;
  canManage: boolean;
}) {
  const { t, i18n } = useTranslation();
  const label = useTransportLabel();
  const queryClient = useQueryClient();
  const issued = useQuery(manifestsQuery(crisisId, legId));
  const [profile, setProfile] = useState<ManifestProfile>('airline');
  const [recipient, setRecipient] = useState('');
  const mutation = useMutation({
    mutationFn: (format: 'csv' | 'pdf') =>
      downloadManifest(crisisId, legId, { profile, format, recipient: recipient.trim() }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: manifestsQuery(crisisId, legId).queryKey }),
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="manifests-heading">
      <Stack gap="sm">
        <Title order={2} size="h3" id="manifests-heading">
          {t('transport.manifests')}
        </Title>
        {canManage && (
          <>
            <TransportError error={mutation.error} />
            <Group align="flex-end" wrap="wrap">
              <NativeSelect
                label={t('transport.profile')}
                value={profile}
                onChange={(e) => setProfile(e.currentTarget.value as ManifestProfile)}
                data={MANIFEST_PROFILES.map((value) => ({ value, label: label('profiles', value) }))}
              />
              <TextInput
                label={t('transport.recipient')}
                required
                value={recipient}
                onChange={(e) => setRecipient(e.currentTarget.value)}
              />
              <Button
                onClick={() => mutation.mutate('pdf')}
                loading={mutation.isPending && mutation.variables === 'pdf'}
              >
                {t('transport.downloadPdf')}
              </Button>
              <Button
                variant="default"
                onClick={() => mutation.mutate('csv')}
                loading={mutation.isPending && mutation.variables === 'csv'}
              >
                {t('transport.downloadCsv')}
              </Button>
            </Group>
          </>
        )}
        {(issued.data ?? []).length > 0 && (
          <div className="table-scroll">
            <Table withTableBorder data-testid="manifests">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('transport.issuedAt')}</Table.Th>
                  <Table.Th scope="col">{t('transport.profile')}</Table.Th>
                  <Table.Th scope="col">{t('transport.recipient')}</Table.Th>
                  <Table.Th scope="col">{t('transport.format')}</Table.Th>
                  <Table.Th scope="col">{t('transport.rows')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(issued.data ?? []).map((manifest) => (
                  <Table.Tr key={manifest.id}>
                    <Table.Td>{formatDateTime(manifest.issuedAt, i18n.language)}</Table.Td>
                    <Table.Td>{label('profiles', manifest.profile)}</Table.Td>
                    <Table.Td>{manifest.recipient}</Table.Td>
                    <Table.Td>{manifest.format.toUpperCase()}</Table.Td>
                    <Table.Td>{manifest.rowCount}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        )}
      </Stack>
    </Paper>
  );
}
