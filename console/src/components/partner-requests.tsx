import { Button, Group, Paper, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { type PartnerRequest, partnerKeys, requestQuery, requestsQuery } from '../api/partners';
import { crisisPath } from '../api/registry';
import { formatDateTime } from '../format';
import { tones } from '../theme';
import { useErrorMessage } from './api-errors';
import { RequestStateBadge, usePartnerLabel } from './partner-bits';
import { RequestForm } from './partner-forms';
import { ActionText, LoadError, Loading } from './status';

function RequestCard({
  crisisId,
  request,
  canManage,
}: {
  crisisId: string;
  request: PartnerRequest;
  canManage: boolean;
}) {
  const { t, i18n } = useTranslation();
  const label = usePartnerLabel();
  const queryClient = useQueryClient();
  const describe = useErrorMessage();
  const [showHistory, setShowHistory] = useState(false);
  const [editing, setEditing] = useState(false);
  const [note, setNote] = useState('');
  const history = useQuery({ ...requestQuery(crisisId, request.id), enabled: showHistory });
  const move = useMutation({
    mutationFn: (to: string) =>
      api.post<PartnerRequest>(
        `${crisisPath(crisisId)}/partner-requests/${encodeURIComponent(request.id)}/state`,
        {
          version: request.version,
          to,
          note,
        },
      ),
    onSuccess: async () => {
      setNote('');
      await queryClient.invalidateQueries({ queryKey: partnerKeys.all(crisisId) });
    },
  });
  return (
    <Paper
      withBorder
      p="md"
      component="article"
      aria-labelledby={`request-${request.id}`}
      data-request={request.subject}
    >
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={2} size="h4" id={`request-${request.id}`} dir="auto">
            {request.subject}
          </Title>
          <RequestStateBadge state={request.state} />
        </Group>
        <Text size="sm">
          {label('requestKind', request.kind)} ·{' '}
          {request.submittedAt
            ? t('partners.submittedAt', { time: formatDateTime(request.submittedAt, i18n.language) })
            : t('partners.notSubmitted')}
        </Text>
        <Text size="sm">
          {t('partners.requestLinked', {
            packages: String(request.packageCount),
            persons: String(request.linkedPersons),
          })}
        </Text>
        {editing && (
          <RequestForm
            crisisId={crisisId}
            partnerId={request.partner.id}
            request={request}
            onDone={() => setEditing(false)}
          />
        )}
        {!editing && request.details && (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} dir="auto">
            {request.details}
          </Text>
        )}
        {canManage && request.allowedNext.length > 0 && (
          <Stack gap="xs">
            <Textarea
              label={t('partners.stateNote')}
              autosize
              minRows={1}
              value={note}
              onChange={(event) => setNote(event.currentTarget.value)}
            />
            <Group gap="xs">
              {request.allowedNext.map((to) => (
                <Button
                  key={to}
                  size="xs"
                  variant="default"
                  loading={move.isPending && move.variables === to}
                  onClick={() => move.mutate(to)}
                >
                  {t('partners.moveTo', { state: label('requestState', to) })}
                </Button>
              ))}
            </Group>
            {move.isError && (
              <Text size="sm" c={tones.danger} role="alert">
                {describe(move.error)}
              </Text>
            )}
          </Stack>
        )}
        <Group>
          {canManage && request.state !== 'closed' && !editing && (
            <Button size="xs" variant="default" onClick={() => setEditing(true)}>
              <ActionText text={t('common.edit')} target={request.subject} />
            </Button>
          )}
          <Button
            size="xs"
            variant="subtle"
            onClick={() => setShowHistory((v) => !v)}
            aria-expanded={showHistory}
          >
            {showHistory ? t('partners.hideHistory') : t('partners.showHistory')}
          </Button>
        </Group>
        {showHistory && history.data && (
          <Table data-testid="request-history">
            <Table.Tbody>
              {history.data.history.map((h) => (
                <Table.Tr key={h.id}>
                  <Table.Td>{formatDateTime(h.at, i18n.language)}</Table.Td>
                  <Table.Td>
                    {h.fromState ? `${label('requestState', h.fromState)} → ` : ''}
                    {label('requestState', h.toState)}
                  </Table.Td>
                  <Table.Td>{h.actorLabel}</Table.Td>
                  <Table.Td dir="auto">{h.note}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}

/** Requests to one partner with their state moves and history, and the form to open one. */
export function PartnerRequests({
  crisisId,
  partnerId,
  canManage,
}: {
  crisisId: string;
  partnerId: string;
  canManage: boolean;
}) {
  const { t } = useTranslation();
  const requests = useQuery(requestsQuery(crisisId, partnerId));
  return (
    <Stack>
      {requests.isPending && <Loading />}
      {requests.isError && <LoadError error={requests.error} />}
      {requests.data?.length === 0 && <Text>{t('partners.noRequests')}</Text>}
      {(requests.data ?? []).map((r) => (
        <RequestCard key={`${r.id}:${r.version}`} crisisId={crisisId} request={r} canManage={canManage} />
      ))}
      {canManage && (
        <Paper withBorder p="md">
          <Title order={2} size="h4" mb="sm">
            {t('partners.addRequest')}
          </Title>
          <RequestForm crisisId={crisisId} partnerId={partnerId} />
        </Paper>
      )}
    </Stack>
  );
}
