import {
  Button,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CONTACT_CHANNELS,
  CONTACT_OUTCOMES,
  caseKeys,
  casePath,
  localToIso,
  type Task,
  WELFARE_ANSWERS,
} from '../api/cases';
import { api } from '../api/client';
import { formatDateTime } from '../format';
import { ErrorSummary, useApiErrors } from './api-errors';
import { OverdueBadge } from './case-bits';
import { useLabel } from './labels';
import { ActionText } from './status';

function Block({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={`${id}-heading`}>
      <Title order={2} size="h4" id={`${id}-heading`} mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

/** A form that posts to the case, shows refusals next to the inputs and reloads the case after. */
function useCaseForm(crisisId: string, send: () => Promise<unknown>, onSaved: () => void) {
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useApiErrors(formRef);
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: send,
    onSuccess: async () => {
      onSaved();
      await queryClient.invalidateQueries({ queryKey: caseKeys.all(crisisId) });
    },
    onError: errors.setError,
  });
  const onSubmit = (event: React.FormEvent) => {
    event.preventDefault();
    errors.clear();
    mutation.mutate();
  };
  return { formRef, errors, mutation, onSubmit };
}

/** Logging a call: channel and outcome are chosen by typing their first letters, Enter saves. */
export function CallForm({ crisisId, caseId }: { crisisId: string; caseId: string }) {
  const { t } = useTranslation();
  const label = useLabel();
  const [channel, setChannel] = useState<string>('phone');
  const [outcome, setOutcome] = useState<string>('reached');
  const [note, setNote] = useState('');
  const [saved, setSaved] = useState(false);
  const { formRef, errors, mutation, onSubmit } = useCaseForm(
    crisisId,
    () =>
      api.post(`${casePath(crisisId, caseId)}/contacts`, {
        channel,
        outcome,
        ...(note.trim() ? { note: note.trim() } : {}),
      }),
    () => {
      setNote('');
      setSaved(true);
    },
  );
  return (
    <Block id="call" title={t('cases.logCall')}>
      <form
        ref={formRef}
        noValidate
        onSubmit={onSubmit}
        onChange={() => setSaved(false)}
        data-testid="call-form"
      >
        <Stack gap="sm">
          <ErrorSummary
            error={errors.error}
            shownPaths={['channel', 'outcome', 'note']}
            fieldMessage={errors.fieldMessage}
          />
          <Group grow align="flex-start">
            <NativeSelect
              label={t('cases.channel')}
              value={channel}
              onChange={(event) => setChannel(event.currentTarget.value)}
              error={errors.fieldError('channel')}
              data={CONTACT_CHANNELS.map((value) => ({ value, label: label('contactChannel', value) }))}
            />
            <NativeSelect
              label={t('cases.outcome')}
              value={outcome}
              onChange={(event) => setOutcome(event.currentTarget.value)}
              error={errors.fieldError('outcome')}
              data={CONTACT_OUTCOMES.map((value) => ({ value, label: label('contactOutcome', value) }))}
            />
          </Group>
          <TextInput
            label={t('cases.callNote')}
            value={note}
            onChange={(event) => setNote(event.currentTarget.value)}
            error={errors.fieldError('note')}
          />
          <Group>
            <Button type="submit" loading={mutation.isPending}>
              {t('cases.saveCall')}
            </Button>
            <Text role="status" size="sm">
              {saved ? t('cases.callSaved') : ''}
            </Text>
          </Group>
        </Stack>
      </form>
    </Block>
  );
}

export function NoteForm({ crisisId, caseId }: { crisisId: string; caseId: string }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const { formRef, errors, mutation, onSubmit } = useCaseForm(
    crisisId,
    () => api.post(`${casePath(crisisId, caseId)}/notes`, { text }),
    () => setText(''),
  );
  return (
    <Block id="note" title={t('cases.addNote')}>
      <form ref={formRef} noValidate onSubmit={onSubmit}>
        <Stack gap="sm">
          <ErrorSummary error={errors.error} shownPaths={['text']} fieldMessage={errors.fieldMessage} />
          <Textarea
            label={t('cases.note')}
            required
            autosize
            minRows={3}
            value={text}
            onChange={(event) => setText(event.currentTarget.value)}
            error={errors.fieldError('text')}
          />
          <Group>
            <Button type="submit" loading={mutation.isPending}>
              {t('cases.saveNote')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Block>
  );
}

export function TasksSection({
  crisisId,
  caseId,
  tasks,
  canUpdate,
}: {
  crisisId: string;
  caseId: string;
  tasks: Task[];
  canUpdate: boolean;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState('');
  const [due, setDue] = useState('');
  const { formRef, errors, mutation, onSubmit } = useCaseForm(
    crisisId,
    () =>
      api.post(`${casePath(crisisId, caseId)}/tasks`, { title, ...(due ? { dueAt: localToIso(due) } : {}) }),
    () => {
      setTitle('');
      setDue('');
    },
  );
  const done = useMutation({
    mutationFn: (taskId: string) =>
      api.post(`${casePath(crisisId, caseId)}/tasks/${encodeURIComponent(taskId)}/done`, {}),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: caseKeys.all(crisisId) }),
    onError: errors.setError,
  });
  return (
    <Block id="tasks" title={t('cases.tasks')}>
      <Stack gap="sm">
        {tasks.length === 0 && <Text size="sm">{t('cases.noTasks')}</Text>}
        {tasks.length > 0 && (
          <div className="table-scroll">
            <Table withTableBorder data-testid="tasks-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('cases.taskTitle')}</Table.Th>
                  <Table.Th scope="col">{t('cases.due')}</Table.Th>
                  <Table.Th scope="col">{t('common.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {tasks.map((task) => (
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
                      {task.doneAt ? (
                        <Text size="sm">
                          {t('cases.taskDone', { date: formatDateTime(task.doneAt, i18n.language) })}
                        </Text>
                      ) : (
                        canUpdate && (
                          <Button
                            size="xs"
                            variant="default"
                            loading={done.isPending && done.variables === task.id}
                            onClick={() => done.mutate(task.id)}
                          >
                            <ActionText text={t('cases.markDone')} target={task.title} />
                          </Button>
                        )
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        )}
        {canUpdate && (
          <form ref={formRef} noValidate onSubmit={onSubmit}>
            <Stack gap="sm">
              <ErrorSummary
                error={errors.error}
                shownPaths={['title', 'dueAt']}
                fieldMessage={errors.fieldMessage}
              />
              <Group align="flex-start" grow>
                <TextInput
                  label={t('cases.taskTitle')}
                  required
                  value={title}
                  onChange={(event) => setTitle(event.currentTarget.value)}
                  error={errors.fieldError('title')}
                />
                <TextInput
                  type="datetime-local"
                  label={t('cases.taskDue')}
                  value={due}
                  onChange={(event) => setDue(event.currentTarget.value)}
                  error={errors.fieldError('dueAt')}
                />
              </Group>
              <Group>
                <Button type="submit" loading={mutation.isPending}>
                  {t('cases.addTask')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Block>
  );
}

/** The person's answer to a welfare check (given by phone, or read from their reply). */
export function WelfareAnswerForm({ crisisId, caseId }: { crisisId: string; caseId: string }) {
  const { t } = useTranslation();
  const label = useLabel();
  const [answer, setAnswer] = useState<string>('safe');
  const [note, setNote] = useState('');
  const { formRef, errors, mutation, onSubmit } = useCaseForm(
    crisisId,
    () =>
      api.post(`${casePath(crisisId, caseId)}/welfare-answer`, {
        answer,
        ...(note.trim() ? { note: note.trim() } : {}),
      }),
    () => setNote(''),
  );
  const queryClient = useQueryClient();
  return (
    <Block id="welfare-answer" title={t('welfare.recordAnswer')}>
      <form
        ref={formRef}
        noValidate
        onSubmit={(event) => {
          onSubmit(event);
          void queryClient.invalidateQueries({ queryKey: caseKeys.runs(crisisId) });
        }}
      >
        <Stack gap="sm">
          <ErrorSummary
            error={errors.error}
            shownPaths={['answer', 'note']}
            fieldMessage={errors.fieldMessage}
          />
          <Group align="flex-start" grow>
            <NativeSelect
              label={t('welfare.answer')}
              value={answer}
              onChange={(event) => setAnswer(event.currentTarget.value)}
              error={errors.fieldError('answer')}
              data={WELFARE_ANSWERS.map((value) => ({ value, label: label('welfareAnswer', value) }))}
            />
            <TextInput
              label={t('cases.callNote')}
              value={note}
              onChange={(event) => setNote(event.currentTarget.value)}
              error={errors.fieldError('note')}
            />
          </Group>
          <Group>
            <Button type="submit" loading={mutation.isPending}>
              {t('welfare.saveAnswer')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Block>
  );
}
