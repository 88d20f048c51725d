import {
  Button,
  Group,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { localToIso } from '../api/cases';
import { api, isApiError } from '../api/client';
import {
  CITIZENSHIP,
  RESTRICTED_STATUSES,
  type RestrictedFile,
  restrictedKeys,
  restrictedPath,
} from '../api/restricted';
import { ErrorSummary, useApiErrors } from './api-errors';
import { useLabel } from './labels';

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

function useFileForm(crisisId: string, caseId: string, send: () => Promise<unknown>, onSaved: () => void) {
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useApiErrors(formRef);
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: restrictedKeys.all(crisisId) });
  const mutation = useMutation({
    mutationFn: send,
    onSuccess: async () => {
      onSaved();
      await refresh();
    },
    onError: async (error) => {
      errors.setError(error);
      if (isApiError(error, 'version_conflict')) await refresh();
    },
  });
  const onSubmit = (event: React.FormEvent) => {
    event.preventDefault();
    errors.clear();
    mutation.mutate();
  };
  void caseId;
  return { formRef, errors, mutation, onSubmit };
}

/** A change of status or citizenship, dated with the day it happened (a release on 20 October). */
export function StatusForm({ crisisId, file }: { crisisId: string; file: RestrictedFile }) {
  const { t } = useTranslation();
  const label = useLabel();
  const [status, setStatus] = useState<string>(file.status);
  const [citizenship, setCitizenship] = useState<string>(file.citizenship);
  const [eventDate, setEventDate] = useState('');
  const [note, setNote] = useState('');
  const { formRef, errors, mutation, onSubmit } = useFileForm(
    crisisId,
    file.id,
    () =>
      api.patch(restrictedPath(crisisId, file.id), {
        version: file.version,
        ...(status !== file.status && { status }),
        ...(citizenship !== file.citizenship && { citizenship }),
        ...(eventDate && { eventDate }),
        ...(note.trim() && { note: note.trim() }),
      }),
    () => {
      setNote('');
      setEventDate('');
    },
  );
  return (
    <Block id="status-change" title={t('restricted.changeStatus')}>
      <form ref={formRef} noValidate onSubmit={onSubmit}>
        <Stack gap="sm">
          <ErrorSummary
            error={errors.error}
            shownPaths={['status', 'citizenship', 'eventDate', 'note']}
            fieldMessage={errors.fieldMessage}
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <NativeSelect
              label={t('restricted.status')}
              value={status}
              onChange={(event) => setStatus(event.currentTarget.value)}
              error={errors.fieldError('status')}
              data={RESTRICTED_STATUSES.map((value) => ({ value, label: label('restrictedStatus', value) }))}
            />
            <NativeSelect
              label={t('restricted.citizenship')}
              value={citizenship}
              onChange={(event) => setCitizenship(event.currentTarget.value)}
              error={errors.fieldError('citizenship')}
              data={CITIZENSHIP.map((value) => ({ value, label: label('citizenship', value) }))}
            />
            <TextInput
              type="date"
              label={t('restricted.happenedOn')}
              value={eventDate}
              onChange={(event) => setEventDate(event.currentTarget.value)}
              error={errors.fieldError('eventDate')}
            />
          </SimpleGrid>
          <TextInput
            label={t('restricted.changeNote')}
            value={note}
            onChange={(event) => setNote(event.currentTarget.value)}
            error={errors.fieldError('note')}
          />
          <Group>
            <Button type="submit" loading={mutation.isPending}>
              {t('restricted.saveChange')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Block>
  );
}

export function RestrictedNoteForm({ crisisId, caseId }: { crisisId: string; caseId: string }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [eventDate, setEventDate] = useState('');
  const { formRef, errors, mutation, onSubmit } = useFileForm(
    crisisId,
    caseId,
    () => api.post(`${restrictedPath(crisisId, caseId)}/notes`, { text, ...(eventDate && { eventDate }) }),
    () => {
      setText('');
      setEventDate('');
    },
  );
  return (
    <Block id="restricted-note" title={t('cases.addNote')}>
      <form ref={formRef} noValidate onSubmit={onSubmit}>
        <Stack gap="sm">
          <ErrorSummary
            error={errors.error}
            shownPaths={['text', 'eventDate']}
            fieldMessage={errors.fieldMessage}
          />
          <Textarea
            label={t('cases.note')}
            required
            autosize
            minRows={2}
            value={text}
            onChange={(event) => setText(event.currentTarget.value)}
            error={errors.fieldError('text')}
          />
          <TextInput
            type="date"
            label={t('restricted.happenedOn')}
            value={eventDate}
            onChange={(event) => setEventDate(event.currentTarget.value)}
            error={errors.fieldError('eventDate')}
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

export function LiaisonForm({ crisisId, caseId }: { crisisId: string; caseId: string }) {
  const { t } = useTranslation();
  const empty = { name: '', relationship: '', phone: '', email: '', language: '' };
  const [form, setForm] = useState(empty);
  const set = (key: keyof typeof empty) => (event: { currentTarget: { value: string } }) => {
    const value = event.currentTarget.value;
    setForm((current) => ({ ...current, [key]: value }));
  };
  const { formRef, errors, mutation, onSubmit } = useFileForm(
    crisisId,
    caseId,
    () =>
      api.post(`${restrictedPath(crisisId, caseId)}/liaisons`, {
        name: form.name,
        relationship: form.relationship,
        ...(form.phone.trim() && { phone: form.phone.trim() }),
        ...(form.email.trim() && { email: form.email.trim() }),
        ...(form.language && { language: form.language }),
      }),
    () => setForm(empty),
  );
  return (
    <form ref={formRef} noValidate onSubmit={onSubmit}>
      <Stack gap="sm">
        <ErrorSummary
          error={errors.error}
          shownPaths={Object.keys(empty)}
          fieldMessage={errors.fieldMessage}
        />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput
            label={t('restricted.liaisonName')}
            required
            value={form.name}
            onChange={set('name')}
            error={errors.fieldError('name')}
          />
          <TextInput
            label={t('restricted.relationship')}
            required
            value={form.relationship}
            onChange={set('relationship')}
            error={errors.fieldError('relationship')}
          />
          <TextInput
            label={t('restricted.phone')}
            value={form.phone}
            onChange={set('phone')}
            error={errors.fieldError('phone')}
            dir="ltr"
          />
          <TextInput
            label={t('restricted.email')}
            value={form.email}
            onChange={set('email')}
            error={errors.fieldError('email')}
            dir="ltr"
          />
          <NativeSelect
            label={t('restricted.language')}
            value={form.language}
            onChange={set('language')}
            error={errors.fieldError('language')}
            data={[
              { value: '', label: '—' },
              { value: 'en', label: 'English' },
              { value: 'fr', label: 'Français' },
              { value: 'ar', label: 'العربية' },
            ]}
          />
        </SimpleGrid>
        <Group>
          <Button type="submit" loading={mutation.isPending}>
            {t('restricted.addLiaison')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function RestrictedTaskForm({ crisisId, caseId }: { crisisId: string; caseId: string }) {
  const { t } = useTranslation();
  const [title, setTitle] = useState('');
  const [due, setDue] = useState('');
  const { formRef, errors, mutation, onSubmit } = useFileForm(
    crisisId,
    caseId,
    () =>
      api.post(`${restrictedPath(crisisId, caseId)}/tasks`, {
        title,
        ...(due && { dueAt: localToIso(due) }),
      }),
    () => {
      setTitle('');
      setDue('');
    },
  );
  return (
    <form ref={formRef} noValidate onSubmit={onSubmit}>
      <Stack gap="sm">
        <ErrorSummary
          error={errors.error}
          shownPaths={['title', 'dueAt']}
          fieldMessage={errors.fieldMessage}
        />
        <Group grow align="flex-start">
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
  );
}
