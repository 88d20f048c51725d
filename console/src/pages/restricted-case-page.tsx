import { Button, Group, Paper, SimpleGrid, Stack, Table, Text, Timeline, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { api } from '../api/client';
import {
  type RestrictedEvent,
  type RestrictedFile,
  restrictedCaseQuery,
  restrictedKeys,
  restrictedPath,
} from '../api/restricted';
import { ErrorSummary, useApiErrors } from '../components/api-errors';
import { ArabicName, useLabel } from '../components/labels';
import { PageTitle } from '../components/page-title';
import { Section } from '../components/person-sections';
import { RestrictedBanner, WithCrisis } from '../components/restricted-bits';
import {
  LiaisonForm,
  RestrictedNoteForm,
  RestrictedTaskForm,
  StatusForm,
} from '../components/restricted-file-forms';
import { ActionText, LoadError, Loading, StatusBadge } from '../components/status';
import { formatDateTime, formatDay } from '../format';
import { can, useMe } from '../session';
import { Fact } from './person-page';

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

/** A hostage or missing-person case file: details, dated events, family liaison, tasks. */
export default function RestrictedCasePage() {
  const { t } = useTranslation();
  const { caseId = '' } = useParams();
  return (
    <WithCrisis title={t('restricted.fileTitle')}>
      {(crisisId) => <CaseFile key={`${crisisId}:${caseId}`} crisisId={crisisId} caseId={caseId} />}
    </WithCrisis>
  );
}

function CaseFile({ crisisId, caseId }: { crisisId: string; caseId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const page = useQuery(restrictedCaseQuery(crisisId, caseId));
  if (page.isPending) return <Loading />;
  if (page.isError) {
    return (
      <>
        <PageTitle title={t('restricted.fileTitle')}>{t('restricted.fileTitle')}</PageTitle>
        <LoadError error={page.error} />
      </>
    );
  }
  const file = page.data;
  const canUpdate = can(me, 'restricted.update', crisisId);
  const name = file.person.fullName || file.person.fullNameAr || file.number;
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <PageTitle title={`${file.number} · ${t('restricted.fileTitle')}`}>
          <span dir="auto">{name}</span>
        </PageTitle>
        <Button component={Link} to="/restricted" variant="default">
          {t('restricted.back')}
        </Button>
      </Group>
      <RestrictedBanner />
      <Details file={file} />
      {canUpdate && <StatusForm key={file.version} crisisId={crisisId} file={file} />}
      <Events events={file.events} />
      {canUpdate && <RestrictedNoteForm crisisId={crisisId} caseId={file.id} />}
      <Section id="liaisons" title={t('restricted.liaisons')}>
        <Stack gap="sm">
          {file.liaisons.length === 0 && <Text size="sm">{t('restricted.noLiaisons')}</Text>}
          {file.liaisons.length > 0 && (
            <Table withTableBorder data-testid="liaisons-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('restricted.liaisonName')}</Table.Th>
                  <Table.Th scope="col">{t('restricted.relationship')}</Table.Th>
                  <Table.Th scope="col">{t('restricted.phone')}</Table.Th>
                  <Table.Th scope="col">{t('restricted.email')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {file.liaisons.map((liaison) => (
                  <Table.Tr key={liaison.id}>
                    <Table.Th scope="row" dir="auto">
                      {liaison.name}
                    </Table.Th>
                    <Table.Td dir="auto">{liaison.relationship}</Table.Td>
                    <Table.Td className="mono">{liaison.phone ?? ''}</Table.Td>
                    <Table.Td className="mono">{liaison.email ?? ''}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {canUpdate && <LiaisonForm crisisId={crisisId} caseId={file.id} />}
        </Stack>
      </Section>
      <Tasks crisisId={crisisId} file={file} canUpdate={canUpdate} />
    </Stack>
  );
}

function Details({ file }: { file: RestrictedFile }) {
  const { t, i18n } = useTranslation();
  const label = useLabel();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="restricted-details-heading">
      <Title order={2} size="h3" id="restricted-details-heading" mb="sm">
        {t('restricted.details')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} component="dl" className="facts">
        <Fact term={t('cases.number')}>
          <span className="mono">{file.number}</span>
        </Fact>
        <Fact term={t('restricted.kind')}>{label('restrictedKind', file.kind)}</Fact>
        <Fact term={t('restricted.status')}>
          <span data-testid="restricted-status">
            <StatusBadge status={file.status} label={label('restrictedStatus', file.status)} />
          </span>
        </Fact>
        <Fact term={t('restricted.citizenship')}>{label('citizenship', file.citizenship)}</Fact>
        <Fact term={t('restricted.fullName')}>{file.person.fullName}</Fact>
        <Fact term={t('restricted.fullNameAr')}>
          <ArabicName>{file.person.fullNameAr}</ArabicName>
        </Fact>
        <Fact term={t('restricted.dateOfBirth')}>{file.person.dateOfBirth}</Fact>
        <Fact term={t('restricted.nationalities')}>{(file.person.nationalities ?? []).join(', ')}</Fact>
        <Fact term={t('restricted.lastPlace')}>
          {file.lastKnownLocation &&
            [file.lastKnownLocation.place, formatDay(file.lastKnownLocation.asOf, i18n.language)]
              .filter(Boolean)
              .join(' — ')}
        </Fact>
      </SimpleGrid>
      <Text fw={600} mt="sm">
        {t('restricted.circumstances')}
      </Text>
      <Text dir="auto" style={{ whiteSpace: 'pre-wrap' }}>
        {file.circumstances || '—'}
      </Text>
    </Paper>
  );
}

function Events({ events }: { events: RestrictedEvent[] }) {
  const { t, i18n } = useTranslation();
  const label = useLabel();
  const ordered = [...events].reverse();
  function title(event: RestrictedEvent): string {
    const date = formatDay(event.eventDate, i18n.language);
    const d = event.data;
    switch (event.kind) {
      case 'status_changed':
        return t('restricted.statusOn', { status: label('restrictedStatus', str(d.to)), date });
      case 'citizenship_changed':
        return t('restricted.citizenshipOn', { citizenship: label('citizenship', str(d.to)), date });
      default:
        return t('restricted.eventOn', { event: label('restrictedEvent', event.kind), date });
    }
  }
  return (
    <Section id="restricted-events" title={t('restricted.events')}>
      <Timeline bulletSize={14} lineWidth={2} data-testid="restricted-timeline">
        {ordered.map((event) => (
          <Timeline.Item key={event.id} title={title(event)} data-kind={event.kind}>
            {(str(event.data.text) || str(event.data.note)) && (
              <Text size="sm" dir="auto">
                {str(event.data.text) || str(event.data.note)}
              </Text>
            )}
            <Text size="xs">
              {t('restricted.recordedAt', { date: formatDateTime(event.at, i18n.language) })}
            </Text>
          </Timeline.Item>
        ))}
      </Timeline>
    </Section>
  );
}

function Tasks({
  crisisId,
  file,
  canUpdate,
}: {
  crisisId: string;
  file: RestrictedFile;
  canUpdate: boolean;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const errors = useApiErrors();
  const done = useMutation({
    mutationFn: (taskId: string) =>
      api.post(`${restrictedPath(crisisId, file.id)}/tasks/${encodeURIComponent(taskId)}/done`, {}),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: restrictedKeys.all(crisisId) }),
    onError: errors.setError,
  });
  return (
    <Section id="restricted-tasks" title={t('cases.tasks')}>
      <Stack gap="sm">
        <ErrorSummary error={errors.error} shownPaths={[]} fieldMessage={errors.fieldMessage} />
        {file.tasks.length === 0 && <Text size="sm">{t('cases.noTasks')}</Text>}
        {file.tasks.length > 0 && (
          <Table withTableBorder data-testid="restricted-tasks-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('cases.taskTitle')}</Table.Th>
                <Table.Th scope="col">{t('cases.due')}</Table.Th>
                <Table.Th scope="col">{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {file.tasks.map((task) => (
                <Table.Tr key={task.id}>
                  <Table.Th scope="row" dir="auto">
                    {task.title}
                  </Table.Th>
                  <Table.Td>{formatDateTime(task.dueAt, i18n.language)}</Table.Td>
                  <Table.Td>
                    {task.doneAt
                      ? t('cases.taskDone', { date: formatDateTime(task.doneAt, i18n.language) })
                      : canUpdate && (
                          <Button
                            size="xs"
                            variant="default"
                            onClick={() => done.mutate(task.id)}
                            loading={done.isPending && done.variables === task.id}
                          >
                            <ActionText text={t('cases.markDone')} target={task.title} />
                          </Button>
                        )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {canUpdate && <RestrictedTaskForm crisisId={crisisId} caseId={file.id} />}
      </Stack>
    </Section>
  );
}
