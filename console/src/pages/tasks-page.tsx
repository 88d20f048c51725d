import { Anchor, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { caseKeys, casePath, myTasksQuery } from '../api/cases';
import { api } from '../api/client';
import { ErrorSummary, useApiErrors } from '../components/api-errors';
import { CaseSubjectCell, OverdueBadge } from '../components/case-bits';
import { PageTitle } from '../components/page-title';
import { ActionText, LoadError, Loading } from '../components/status';
import { formatDateTime } from '../format';
import { can, useMe, useSession } from '../session';

/** The open tasks assigned to me in the crisis chosen in the header, soonest first. */
export default function TasksPage() {
  const { t } = useTranslation();
  const { selectedCrisis } = useSession();
  if (!selectedCrisis) {
    return (
      <>
        <PageTitle title={t('tasks.title')}>{t('tasks.title')}</PageTitle>
        <Text>{t('registry.noCrisis')}</Text>
      </>
    );
  }
  return <Tasks key={selectedCrisis.id} crisisId={selectedCrisis.id} />;
}

function Tasks({ crisisId }: { crisisId: string }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const tasks = useQuery(myTasksQuery(crisisId));
  const errors = useApiErrors();
  const done = useMutation({
    mutationFn: ({ caseId, taskId }: { caseId: string; taskId: string }) =>
      api.post(`${casePath(crisisId, caseId)}/tasks/${encodeURIComponent(taskId)}/done`, {}),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: caseKeys.all(crisisId) }),
    onError: errors.setError,
  });
  const rows = [...(tasks.data ?? [])].sort((a, b) => (a.dueAt ?? '9999').localeCompare(b.dueAt ?? '9999'));
  return (
    <Stack>
      <PageTitle title={t('tasks.title')}>{t('tasks.title')}</PageTitle>
      <ErrorSummary error={errors.error} shownPaths={[]} fieldMessage={errors.fieldMessage} />
      {tasks.isPending && <Loading />}
      {tasks.isError && <LoadError error={tasks.error} />}
      {tasks.data && rows.length === 0 && <Text>{t('tasks.empty')}</Text>}
      {rows.length > 0 && (
        <div className="table-scroll">
          <Table withTableBorder data-testid="my-tasks">
            <Table.Caption>{t('tasks.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('cases.taskTitle')}</Table.Th>
                <Table.Th scope="col">{t('cases.due')}</Table.Th>
                <Table.Th scope="col">{t('tasks.case')}</Table.Th>
                <Table.Th scope="col">{t('cases.person')}</Table.Th>
                <Table.Th scope="col">{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((task) => (
                <Table.Tr key={task.id} className={task.overdue ? 'case-overdue' : undefined}>
                  <Table.Th scope="row" fw={500} dir="auto">
                    {task.title}
                  </Table.Th>
                  <Table.Td>
                    <Group gap={6}>
                      {formatDateTime(task.dueAt, i18n.language)}
                      {task.overdue && <OverdueBadge />}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/cases/${encodeURIComponent(task.caseId)}`}>
                      <ActionText text={t('tasks.openCase')} target={task.title} />
                    </Anchor>
                    {task.case.number && (
                      <Text size="xs" className="mono" data-testid="task-case-number">
                        {task.case.number}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <CaseSubjectCell subject={task.case.subject} />
                  </Table.Td>
                  <Table.Td>
                    {can(me, 'case.update', crisisId) && (
                      <Button
                        size="xs"
                        variant="default"
                        loading={done.isPending && done.variables?.taskId === task.id}
                        onClick={() => done.mutate({ caseId: task.caseId, taskId: task.id })}
                      >
                        <ActionText text={t('cases.markDone')} target={task.title} />
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
    </Stack>
  );
}
