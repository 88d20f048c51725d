import { Button, Group, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../api/client';
import { crisesQuery, refreshCrises } from '../api/queries';
import type { Crisis } from '../api/types';
import { ErrorSummary, useApiErrors } from '../components/api-errors';
import { Dialog } from '../components/dialog';
import { PageTitle } from '../components/page-title';
import { ActionText, LoadError, Loading, StatusBadge } from '../components/status';
import { formatDateTime } from '../format';
import { can, canSomewhere, useMe, useSession } from '../session';
import { tones } from '../theme';

export default function CrisesPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const { selectCrisis, selectedCrisis } = useSession();
  const crises = useQuery(crisesQuery);
  const [pending, setPending] = useState<{ crisis: Crisis; action: 'close' | 'reopen' } | null>(null);

  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <PageTitle title={t('crises.title')}>{t('crises.title')}</PageTitle>
        {canSomewhere(me, 'crisis.create') && (
          <Button component={Link} to="/crises/new">
            {t('crises.create')}
          </Button>
        )}
      </Group>
      {crises.isPending && <Loading />}
      {crises.isError && <LoadError error={crises.error} />}
      {crises.data && crises.data.length === 0 && <Text>{t('crises.empty')}</Text>}
      {crises.data && crises.data.length > 0 && (
        <div className="table-scroll">
          <Table striped highlightOnHover withTableBorder data-testid="crises-table">
            <Table.Caption>{t('crises.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('crises.name')}</Table.Th>
                <Table.Th scope="col">{t('crises.status')}</Table.Th>
                <Table.Th scope="col">{t('crises.retentionDays')}</Table.Th>
                <Table.Th scope="col">{t('crises.createdAt')}</Table.Th>
                <Table.Th scope="col">{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {crises.data.map((crisis) => (
                <Table.Tr key={crisis.id}>
                  <Table.Th scope="row" fw={500}>
                    {crisis.name}
                    {crisis.id === selectedCrisis?.id && (
                      <Text span size="sm" ms="xs">
                        {t('crises.selected')}
                      </Text>
                    )}
                  </Table.Th>
                  <Table.Td>
                    <StatusBadge status={crisis.status} label={t(`crises.statuses.${crisis.status}`)} />
                  </Table.Td>
                  <Table.Td>{crisis.retentionDays}</Table.Td>
                  <Table.Td>{formatDateTime(crisis.createdAt, i18n.language)}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      {can(me, 'crisis.update', crisis.id) && (
                        <Button size="xs" variant="default" component={Link} to={`/crises/${crisis.id}`}>
                          <ActionText text={t('common.edit')} target={crisis.name} />
                        </Button>
                      )}
                      {crisis.id !== selectedCrisis?.id && (
                        <Button size="xs" variant="default" onClick={() => selectCrisis(crisis.id)}>
                          <ActionText text={t('crises.select')} target={crisis.name} />
                        </Button>
                      )}
                      {can(me, 'crisis.close', crisis.id) && (
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() =>
                            setPending({ crisis, action: crisis.status === 'active' ? 'close' : 'reopen' })
                          }
                        >
                          <ActionText
                            text={crisis.status === 'active' ? t('crises.close') : t('crises.reopen')}
                            target={crisis.name}
                          />
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
      {pending && <CloseReopenDialog pending={pending} onDone={() => setPending(null)} />}
    </Stack>
  );
}

function CloseReopenDialog({
  pending,
  onDone,
}: {
  pending: { crisis: Crisis; action: 'close' | 'reopen' };
  onDone(): void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const errors = useApiErrors();
  const mutation = useMutation({
    mutationFn: () =>
      api.post<Crisis>(`/crises/${encodeURIComponent(pending.crisis.id)}/${pending.action}`, {}),
    onSuccess: async () => {
      await refreshCrises(queryClient);
      onDone();
    },
    onError: errors.setError,
  });
  const closing = pending.action === 'close';
  return (
    <Dialog
      opened
      onClose={onDone}
      title={closing ? t('crises.closeTitle') : t('crises.reopenTitle')}
      centered
    >
      <Stack>
        <Text>
          {closing
            ? t('crises.closeConfirm', { name: pending.crisis.name })
            : t('crises.reopenConfirm', { name: pending.crisis.name })}
        </Text>
        <ErrorSummary error={errors.error} shownPaths={[]} fieldMessage={errors.fieldMessage} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button
            color={closing ? tones.danger : undefined}
            loading={mutation.isPending}
            onClick={() => mutation.mutate()}
          >
            {closing ? t('crises.close') : t('crises.reopen')}
          </Button>
        </Group>
      </Stack>
    </Dialog>
  );
}
