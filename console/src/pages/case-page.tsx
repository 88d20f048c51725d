import {
  Alert,
  Anchor,
  Button,
  Group,
  NativeSelect,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import {
  type Case,
  type CaseFile,
  type CaseState,
  caseKeys,
  casePath,
  caseQuery,
  teamsQuery,
} from '../api/cases';
import { api, isApiError } from '../api/client';
import { colleaguesQuery } from '../api/partners';
import { ErrorSummary, useApiErrors, useErrorMessage } from '../components/api-errors';
import { OverdueBadge, PriorityBadge, StateBadge } from '../components/case-bits';
import { CaseTimeline } from '../components/case-timeline';
import { CallForm, NoteForm, TasksSection, WelfareAnswerForm } from '../components/case-work';
import { Dialog } from '../components/dialog';
import { useLabel } from '../components/labels';
import { PageTitle } from '../components/page-title';
import { LoadError, Loading } from '../components/status';
import { formatDateTime } from '../format';
import { can, useMe, useSession } from '../session';
import { tones } from '../theme';
import { Fact } from './person-page';

/** One case: who it is about, where it stands, what was done, and what to do next. */
export default function CasePage() {
  const { t } = useTranslation();
  const { caseId = '' } = useParams();
  const { selectedCrisis } = useSession();
  if (!selectedCrisis) {
    return (
      <>
        <PageTitle title={t('cases.caseTitle')}>{t('cases.caseTitle')}</PageTitle>
        <Text>{t('registry.noCrisis')}</Text>
      </>
    );
  }
  return <CaseView key={`${selectedCrisis.id}:${caseId}`} crisisId={selectedCrisis.id} caseId={caseId} />;
}

function CaseView({ crisisId, caseId }: { crisisId: string; caseId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const page = useQuery(caseQuery(crisisId, caseId));
  if (page.isPending) return <Loading />;
  if (page.isError) {
    return (
      <>
        <PageTitle title={t('cases.caseTitle')}>{t('cases.caseTitle')}</PageTitle>
        <LoadError error={page.error} />
      </>
    );
  }
  const file = page.data;
  const canUpdate = can(me, 'case.update', crisisId);
  const title = t('cases.caseHeading', { number: file.case.number });
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <PageTitle title={title}>{title}</PageTitle>
        <Button component={Link} to="/cases" variant="default">
          {t('cases.backToQueue')}
        </Button>
      </Group>
      <Header crisisId={crisisId} file={file} canUpdate={canUpdate} />
      {canUpdate && <StateActions crisisId={crisisId} item={file.case} />}
      {canUpdate && file.case.type === 'welfare_check' && (
        <WelfareAnswerForm crisisId={crisisId} caseId={caseId} />
      )}
      {canUpdate && (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <CallForm crisisId={crisisId} caseId={caseId} />
          <NoteForm crisisId={crisisId} caseId={caseId} />
        </SimpleGrid>
      )}
      <TasksSection crisisId={crisisId} caseId={caseId} tasks={file.tasks} canUpdate={canUpdate} />
      <CaseTimeline events={file.events} />
    </Stack>
  );
}

function Header({ crisisId, file, canUpdate }: { crisisId: string; file: CaseFile; canUpdate: boolean }) {
  const { t, i18n } = useTranslation();
  const label = useLabel();
  const me = useMe();
  const teams = useQuery(teamsQuery(crisisId));
  const colleagues = useQuery(colleaguesQuery(crisisId));
  const [dialog, setDialog] = useState<'priority' | 'assign' | null>(null);
  const item = file.case;
  const person = file.person;
  const personName = person ? person.fullName || person.fullNameAr || '' : '';
  const team = teams.data?.find((candidate) => candidate.id === item.teamId)?.name;
  const assignee =
    item.assigneeId === null
      ? ''
      : item.assigneeId === me.id
        ? t('cases.you')
        : (colleagues.data?.find((colleague) => colleague.id === item.assigneeId)?.displayName ??
          t('cases.someoneElse'));
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="case-summary-heading">
      <Text id="case-summary-heading" fw={700} size="lg" mb="sm" dir="auto" component="h2">
        {item.summary}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} component="dl" className="facts">
        <Fact term={t('cases.type')}>{label('caseType', item.type)}</Fact>
        <Fact term={t('cases.state')}>
          <Group gap={6}>
            <StateBadge state={item.state} />
            <Text size="sm">
              {t('cases.since', { date: formatDateTime(item.stateChangedAt, i18n.language) })}
            </Text>
          </Group>
        </Fact>
        <Fact term={t('cases.priority')}>
          <PriorityBadge item={item} />
        </Fact>
        <Fact term={t('cases.person')}>
          {person && (
            <Anchor
              component={Link}
              to={`/registry/${encodeURIComponent(person.id)}`}
              data-testid="case-person"
            >
              <span dir="auto">{personName}</span> <span className="mono">{person.reference}</span>
            </Anchor>
          )}
        </Fact>
        <Fact term={t('cases.assignee')}>
          <span data-testid="case-assignee">
            {[assignee, team].filter(Boolean).join(' · ') || t('cases.unassigned')}
          </span>
        </Fact>
        <Fact term={t('cases.due')}>
          {item.dueAt && (
            <Group gap={6}>
              <Text size="sm">{formatDateTime(item.dueAt, i18n.language)}</Text>
              {item.overdue && <OverdueBadge />}
            </Group>
          )}
        </Fact>
      </SimpleGrid>
      {canUpdate && (
        <Group mt="sm" gap="xs">
          <Button variant="default" size="xs" onClick={() => setDialog('priority')}>
            {t('cases.changePriority')}
          </Button>
          <Button variant="default" size="xs" onClick={() => setDialog('assign')}>
            {t('cases.assign')}
          </Button>
        </Group>
      )}
      {dialog === 'priority' && (
        <PriorityDialog crisisId={crisisId} item={item} onClose={() => setDialog(null)} />
      )}
      {dialog === 'assign' && (
        <AssignDialog crisisId={crisisId} item={item} onClose={() => setDialog(null)} />
      )}
    </Paper>
  );
}

/** The states the server allows next, as buttons; a refusal is explained and the case reloaded. */
function StateActions({ crisisId, item }: { crisisId: string; item: Case }) {
  const { t } = useTranslation();
  const label = useLabel();
  const describe = useErrorMessage();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const [refusal, setRefusal] = useState<unknown>(null);
  const move = useMutation({
    mutationFn: (to: CaseState) =>
      api.post<Case>(`${casePath(crisisId, item.id)}/state`, {
        to,
        version: item.version,
        ...(note.trim() ? { note: note.trim() } : {}),
      }),
    onSuccess: () => {
      setNote('');
      setRefusal(null);
    },
    onError: setRefusal,
    onSettled: () => queryClient.invalidateQueries({ queryKey: caseKeys.all(crisisId) }),
  });
  const conflict = isApiError(refusal, 'version_conflict') || isApiError(refusal, 'invalid_transition');
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="case-state-heading">
      <Text id="case-state-heading" fw={700} mb="xs" component="h2">
        {t('cases.nextStep')}
      </Text>
      <Stack gap="sm">
        {refusal !== null && (
          <Alert
            color={tones.danger}
            variant="outline"
            role="alert"
            title={t('errors.title')}
            data-testid="state-refusal"
          >
            {describe(refusal)}
            {conflict && ` ${t('cases.reloaded')}`}
          </Alert>
        )}
        <Textarea
          label={t('cases.stateNote')}
          value={note}
          onChange={(event) => setNote(event.currentTarget.value)}
          autosize
          minRows={1}
        />
        <Group gap="xs" data-testid="state-buttons">
          {item.allowedNextStates.map((to) => (
            <Button
              key={to}
              variant={to === 'closed' ? 'outline' : 'filled'}
              loading={move.isPending && move.variables === to}
              onClick={() => move.mutate(to)}
            >
              {t('cases.moveTo', { state: label('caseState', to) })}
            </Button>
          ))}
        </Group>
      </Stack>
    </Paper>
  );
}

function PriorityDialog({ crisisId, item, onClose }: { crisisId: string; item: Case; onClose(): void }) {
  const { t } = useTranslation();
  const label = useLabel();
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useApiErrors(formRef);
  const queryClient = useQueryClient();
  const [priority, setPriority] = useState(String(item.priority));
  const [reason, setReason] = useState('');
  const save = useMutation({
    mutationFn: () =>
      api.post<Case>(`${casePath(crisisId, item.id)}/priority`, {
        priority: priority === 'computed' ? null : Number(priority),
        reason,
        version: item.version,
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: caseKeys.all(crisisId) });
      onClose();
    },
    onError: async (error) => {
      errors.setError(error);
      if (isApiError(error, 'version_conflict'))
        await queryClient.invalidateQueries({ queryKey: caseKeys.all(crisisId) });
    },
  });
  return (
    <Dialog opened onClose={onClose} title={t('cases.changePriority')}>
      <form
        ref={formRef}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          errors.clear();
          save.mutate();
        }}
      >
        <Stack>
          <ErrorSummary
            error={errors.error}
            shownPaths={['priority', 'reason']}
            fieldMessage={errors.fieldMessage}
          />
          <NativeSelect
            label={t('cases.priority')}
            value={priority}
            onChange={(event) => setPriority(event.currentTarget.value)}
            error={errors.fieldError('priority')}
            data={[
              ...['1', '2', '3', '4'].map((value) => ({ value, label: label('priority', value) })),
              { value: 'computed', label: t('cases.computedPriority') },
            ]}
          />
          <Textarea
            label={t('cases.priorityReason')}
            required
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            error={errors.fieldError('reason')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Dialog>
  );
}

/**
 * Assign to a colleague found by name (the crisis's active colleagues), to me, or to nobody; and
 * to a team. A current assignee who is no longer an active colleague can be kept as is.
 */
function AssignDialog({ crisisId, item, onClose }: { crisisId: string; item: Case; onClose(): void }) {
  const { t } = useTranslation();
  const me = useMe();
  const teams = useQuery(teamsQuery(crisisId));
  const colleagues = useQuery(colleaguesQuery(crisisId));
  const errors = useApiErrors();
  const queryClient = useQueryClient();
  const [assignee, setAssignee] = useState(item.assigneeId ?? NOBODY);
  const [team, setTeam] = useState(item.teamId ?? '');
  const people = colleagues.data ?? [];
  const options = [
    { value: NOBODY, label: t('cases.unassigned') },
    { value: me.id, label: t('cases.assignMe') },
    ...people
      .filter((colleague) => colleague.id !== me.id)
      .map((colleague) => ({ value: colleague.id, label: colleague.displayName })),
    ...(item.assigneeId &&
    item.assigneeId !== me.id &&
    colleagues.isSuccess &&
    !people.some((colleague) => colleague.id === item.assigneeId)
      ? [{ value: item.assigneeId, label: t('cases.someoneElse') }]
      : []),
  ];
  const save = useMutation({
    mutationFn: () =>
      api.post<Case>(`${casePath(crisisId, item.id)}/assignment`, {
        assigneeId: assignee === NOBODY ? null : assignee,
        teamId: team || null,
        version: item.version,
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: caseKeys.all(crisisId) });
      onClose();
    },
    onError: async (error) => {
      errors.setError(error);
      if (isApiError(error, 'version_conflict'))
        await queryClient.invalidateQueries({ queryKey: caseKeys.all(crisisId) });
    },
  });
  return (
    <Dialog opened onClose={onClose} title={t('cases.assign')}>
      <Stack>
        <ErrorSummary
          error={errors.error}
          shownPaths={['assigneeId', 'teamId']}
          fieldMessage={errors.fieldMessage}
        />
        {colleagues.isError && <LoadError error={colleagues.error} />}
        <Select
          label={t('cases.assignee')}
          description={t('cases.assigneeSearch')}
          searchable
          allowDeselect={false}
          nothingFoundMessage={t('cases.noColleague')}
          value={assignee}
          onChange={(value) => setAssignee(value ?? NOBODY)}
          error={errors.fieldError('assigneeId')}
          data={options}
          comboboxProps={{ withinPortal: false }}
          data-testid="assignee-select"
        />
        <NativeSelect
          label={t('cases.team')}
          value={team}
          onChange={(event) => setTeam(event.currentTarget.value)}
          error={errors.fieldError('teamId')}
          data={[
            { value: '', label: t('cases.noTeam') },
            ...(teams.data ?? []).map((entry) => ({ value: entry.id, label: entry.name })),
          ]}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={() => save.mutate()} loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </Dialog>
  );
}

/** The select's value for "nobody" (staff ids are never empty). */
const NOBODY = '';
