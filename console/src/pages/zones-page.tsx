import { Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { queryKeys, zonesQuery } from '../api/queries';
import type { Zone } from '../api/types';
import { ErrorSummary, useApiErrors } from '../components/api-errors';
import { PageTitle } from '../components/page-title';
import { ActionText, LoadError, Loading, StatusBadge } from '../components/status';
import { can, useMe, useSession } from '../session';

function zonePath(crisisId: string, zoneId?: string): string {
  const base = `/crises/${encodeURIComponent(crisisId)}/zones`;
  return zoneId ? `${base}/${encodeURIComponent(zoneId)}` : base;
}

/** Zones of the crisis chosen in the header. */
export default function ZonesPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { selectedCrisis } = useSession();
  const title = selectedCrisis ? t('zones.titleFor', { crisis: selectedCrisis.name }) : t('zones.title');

  if (!selectedCrisis) {
    return (
      <>
        <PageTitle title={t('zones.title')}>{t('zones.title')}</PageTitle>
        <Text>{t('zones.noCrisis')}</Text>
      </>
    );
  }
  const canManage = can(me, 'zone.manage', selectedCrisis.id);
  return (
    <Stack>
      <PageTitle title={title}>{title}</PageTitle>
      {canManage && <CreateZoneForm key={selectedCrisis.id} crisisId={selectedCrisis.id} />}
      <ZoneList crisisId={selectedCrisis.id} canManage={canManage} />
    </Stack>
  );
}

function CreateZoneForm({ crisisId }: { crisisId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [name, setName] = useState('');
  const [code, setCode] = useState('');
  const [description, setDescription] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const errors = useApiErrors(formRef);
  const mutation = useMutation({
    mutationFn: () => {
      const body: { name: string; code?: string; description?: string } = { name: name.trim() };
      if (code.trim()) body.code = code.trim();
      if (description.trim()) body.description = description.trim();
      return api.post<Zone>(zonePath(crisisId), body);
    },
    onSuccess: async (zone) => {
      setCreated(zone.name);
      setName('');
      setCode('');
      setDescription('');
      await queryClient.invalidateQueries({ queryKey: queryKeys.zones(crisisId) });
    },
    onError: errors.setError,
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    errors.clear();
    setCreated(null);
    mutation.mutate();
  }

  return (
    <Paper withBorder p="md">
      <form ref={formRef} onSubmit={submit} noValidate aria-labelledby="create-zone-heading">
        <Stack gap="sm">
          <Title order={2} size="h3" id="create-zone-heading">
            {t('zones.create')}
          </Title>
          <ErrorSummary
            error={errors.error}
            shownPaths={['name', 'code', 'description']}
            fieldMessage={errors.fieldMessage}
          />
          <Group align="flex-start" grow>
            <TextInput
              label={t('zones.name')}
              name="zone-name"
              required
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              error={errors.fieldError('name')}
            />
            <TextInput
              label={t('zones.code')}
              description={t('zones.codeHelp')}
              name="zone-code"
              value={code}
              onChange={(event) => setCode(event.currentTarget.value)}
              error={errors.fieldError('code')}
            />
          </Group>
          <TextInput
            label={t('zones.description')}
            name="zone-description"
            value={description}
            onChange={(event) => setDescription(event.currentTarget.value)}
            error={errors.fieldError('description')}
          />
          <Group>
            <Button type="submit" loading={mutation.isPending}>
              {t('zones.createButton')}
            </Button>
            <span role="status">{created && t('zones.created', { name: created })}</span>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function ZoneList({ crisisId, canManage }: { crisisId: string; canManage: boolean }) {
  const { t } = useTranslation();
  const zones = useQuery(zonesQuery(crisisId));
  const [editing, setEditing] = useState<string | null>(null);

  return (
    <section aria-labelledby="zone-list-heading">
      <Title order={2} size="h3" id="zone-list-heading" mb="sm">
        {t('zones.list')}
      </Title>
      {zones.isPending && <Loading />}
      {zones.isError && <LoadError error={zones.error} />}
      {zones.data && zones.data.length === 0 && <Text>{t('zones.empty')}</Text>}
      {zones.data && zones.data.length > 0 && (
        <div className="table-scroll">
          <Table striped withTableBorder data-testid="zones-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('zones.name')}</Table.Th>
                <Table.Th scope="col">{t('zones.code')}</Table.Th>
                <Table.Th scope="col">{t('zones.status')}</Table.Th>
                {canManage && <Table.Th scope="col">{t('common.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {zones.data.map((zone) =>
                editing === zone.id ? (
                  <RenameZoneRow key={zone.id} zone={zone} onDone={() => setEditing(null)} />
                ) : (
                  <Table.Tr key={zone.id}>
                    <Table.Th scope="row" fw={500}>
                      {zone.name}
                    </Table.Th>
                    <Table.Td className="mono">{zone.code}</Table.Td>
                    <Table.Td>
                      <StatusBadge status={zone.status} label={t(`zones.statuses.${zone.status}`)} />
                    </Table.Td>
                    {canManage && (
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap">
                          <Button size="xs" variant="default" onClick={() => setEditing(zone.id)}>
                            <ActionText text={t('zones.rename')} target={zone.name} />
                          </Button>
                          <ArchiveZoneButton zone={zone} />
                        </Group>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ),
              )}
            </Table.Tbody>
          </Table>
        </div>
      )}
    </section>
  );
}

function ArchiveZoneButton({ zone }: { zone: Zone }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const errors = useApiErrors();
  const archiving = zone.status === 'active';
  const mutation = useMutation({
    mutationFn: () =>
      api.patch<Zone>(zonePath(zone.crisisId, zone.id), { status: archiving ? 'archived' : 'active' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.zones(zone.crisisId) }),
    onError: errors.setError,
  });
  return (
    <>
      <Button size="xs" variant="default" loading={mutation.isPending} onClick={() => mutation.mutate()}>
        <ActionText text={archiving ? t('zones.archive') : t('zones.restore')} target={zone.name} />
      </Button>
      {errors.error ? (
        <ErrorSummary error={errors.error} shownPaths={[]} fieldMessage={errors.fieldMessage} />
      ) : null}
    </>
  );
}

function RenameZoneRow({ zone, onDone }: { zone: Zone; onDone(): void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [name, setName] = useState(zone.name);
  const errors = useApiErrors(formRef);
  const mutation = useMutation({
    mutationFn: () => api.patch<Zone>(zonePath(zone.crisisId, zone.id), { name: name.trim() }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.zones(zone.crisisId) });
      onDone();
    },
    onError: errors.setError,
  });
  return (
    <Table.Tr>
      <Table.Td colSpan={4}>
        <form
          ref={formRef}
          onSubmit={(event) => {
            event.preventDefault();
            errors.clear();
            mutation.mutate();
          }}
          noValidate
          aria-label={t('zones.renameNamed', { name: zone.name })}
        >
          <Stack gap="xs">
            <ErrorSummary error={errors.error} shownPaths={['name']} fieldMessage={errors.fieldMessage} />
            <Group align="flex-end">
              <TextInput
                label={t('zones.newName', { name: zone.name })}
                value={name}
                autoFocus
                onChange={(event) => setName(event.currentTarget.value)}
                error={errors.fieldError('name')}
              />
              <Button type="submit" size="sm" loading={mutation.isPending}>
                {t('common.save')}
              </Button>
              <Button size="sm" variant="default" onClick={onDone}>
                {t('common.cancel')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Table.Td>
    </Table.Tr>
  );
}
