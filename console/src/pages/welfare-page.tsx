import {
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  Radio,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { caseKeys, runsQuery, type WelfareRun } from '../api/cases';
import { api } from '../api/client';
import { zonesQuery } from '../api/queries';
import { crisisPath } from '../api/registry';
import type { PersonList } from '../api/registry-types';
import { ErrorSummary, useApiErrors } from '../components/api-errors';
import { CountsBar } from '../components/case-bits';
import { PageTitle } from '../components/page-title';
import { LoadError, Loading } from '../components/status';
import { formatDateTime } from '../format';
import { can, useMe, useSession } from '../session';

const SELECTION_KEYS = [
  'q',
  'zone',
  'status',
  'intention',
  'eligibility',
  'vulnerability',
  'channel',
] as const;

/** Welfare-check runs: ask a set of people how they are, follow up, then call the silent ones. */
export default function WelfarePage() {
  const { t } = useTranslation();
  const { selectedCrisis } = useSession();
  if (!selectedCrisis) {
    return (
      <>
        <PageTitle title={t('welfare.title')}>{t('welfare.title')}</PageTitle>
        <Text>{t('registry.noCrisis')}</Text>
      </>
    );
  }
  return <Welfare key={selectedCrisis.id} crisisId={selectedCrisis.id} />;
}

function Welfare({ crisisId }: { crisisId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const runs = useQuery(runsQuery(crisisId));
  return (
    <Stack>
      <PageTitle title={t('welfare.title')}>{t('welfare.title')}</PageTitle>
      <Text size="sm">{t('welfare.intro')}</Text>
      {runs.isPending && <Loading />}
      {runs.isError && <LoadError error={runs.error} />}
      {runs.data && runs.data.length === 0 && <Text>{t('welfare.empty')}</Text>}
      {runs.data && runs.data.length > 0 && <RunsTable runs={runs.data} />}
      {can(me, 'case.update', crisisId) && <StartRun crisisId={crisisId} />}
    </Stack>
  );
}

function RunsTable({ runs }: { runs: WelfareRun[] }) {
  const { t, i18n } = useTranslation();
  const countKeys = [
    'total',
    'answered',
    'safe',
    'needsHelp',
    'leftZone',
    'silent',
    'followUpsDue',
    'callTasks',
  ] as const;
  return (
    <div className="table-scroll">
      <Table withTableBorder data-testid="runs-table">
        <Table.Caption>{t('welfare.caption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('welfare.name')}</Table.Th>
            <Table.Th scope="col">{t('welfare.progress')}</Table.Th>
            {countKeys.map((key) => (
              <Table.Th scope="col" key={key}>
                {t(`welfare.counts.${key}`)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {runs.map((run) => (
            <Table.Tr key={run.id} data-run={run.name}>
              <Table.Th scope="row">
                <Text fw={600} dir="auto">
                  {run.name}
                </Text>
                <Text size="xs" dir="auto">
                  {run.question}
                </Text>
                <Text size="xs">{formatDateTime(run.createdAt, i18n.language)}</Text>
              </Table.Th>
              <Table.Td>
                <CountsBar
                  total={run.counts.total}
                  parts={[
                    {
                      key: 'safe',
                      label: t('welfare.counts.safe'),
                      value: run.counts.safe,
                      colour: '#2b8a3e',
                    },
                    {
                      key: 'left',
                      label: t('welfare.counts.leftZone'),
                      value: run.counts.leftZone,
                      colour: '#1971c2',
                    },
                    {
                      key: 'help',
                      label: t('welfare.counts.needsHelp'),
                      value: run.counts.needsHelp,
                      colour: '#e8590c',
                    },
                    {
                      key: 'silent',
                      label: t('welfare.counts.silent'),
                      value: run.counts.silent,
                      colour: '#adb5bd',
                    },
                  ]}
                />
              </Table.Td>
              {countKeys.map((key) => (
                <Table.Td key={key} data-count={key} className="mono">
                  {run.counts[key]}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}

/** Every person matching the registry filters the run was started from (pages of 200). */
async function selectedPersonIds(
  crisisId: string,
  query: Record<string, string | undefined>,
): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; ; offset += 200) {
    const page = await api.get<PersonList>(`${crisisPath(crisisId)}/persons`, {
      ...query,
      offset,
      limit: 200,
    });
    ids.push(...page.items.map((person) => person.id));
    if (page.items.length < 200 || ids.length >= page.total) return ids;
  }
}

function StartRun({ crisisId }: { crisisId: string }) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const queryClient = useQueryClient();
  const zones = useQuery(zonesQuery(crisisId));
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useApiErrors(formRef);
  const selection = useMemo(() => {
    const query: Record<string, string | undefined> = {};
    for (const key of SELECTION_KEYS) query[key] = params.get(key) || undefined;
    return params.has('selection') ? query : null;
  }, [params]);
  const selectionCount = useQuery({
    queryKey: ['crises', crisisId, 'persons', 'selection', selection],
    queryFn: ({ signal }) =>
      api.get<PersonList>(`${crisisPath(crisisId)}/persons`, { ...selection, limit: 1 }, signal),
    enabled: selection !== null,
  });
  const [source, setSource] = useState<'zones' | 'selection'>(selection ? 'selection' : 'zones');
  const [name, setName] = useState('');
  const [question, setQuestion] = useState('');
  const [zoneIds, setZoneIds] = useState<string[]>([]);
  const [followUp, setFollowUp] = useState<number | string>(24);
  const [call, setCall] = useState<number | string>(48);
  const [started, setStarted] = useState<WelfareRun | null>(null);
  const start = useMutation({
    mutationFn: async () => {
      const target =
        source === 'selection' && selection
          ? { personIds: await selectedPersonIds(crisisId, selection) }
          : { zoneIds };
      return api.post<WelfareRun>(`${crisisPath(crisisId)}/welfare-runs`, {
        name,
        question,
        ...target,
        followUpAfterHours: Number(followUp),
        callAfterHours: Number(call),
      });
    },
    onSuccess: async (run) => {
      setStarted(run);
      setName('');
      setQuestion('');
      await queryClient.invalidateQueries({ queryKey: caseKeys.all(crisisId) });
      await queryClient.invalidateQueries({ queryKey: caseKeys.runs(crisisId) });
    },
    onError: errors.setError,
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="start-run-heading">
      <Title order={2} size="h3" id="start-run-heading" mb="sm">
        {t('welfare.start')}
      </Title>
      <form
        ref={formRef}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          errors.clear();
          setStarted(null);
          start.mutate();
        }}
      >
        <Stack gap="sm">
          <ErrorSummary
            error={errors.error}
            shownPaths={['name', 'question', 'zoneIds', 'personIds', 'followUpAfterHours', 'callAfterHours']}
            fieldMessage={errors.fieldMessage}
          />
          <TextInput
            label={t('welfare.name')}
            required
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={errors.fieldError('name')}
          />
          <Textarea
            label={t('welfare.question')}
            required
            value={question}
            onChange={(event) => setQuestion(event.currentTarget.value)}
            error={errors.fieldError('question')}
          />
          <Radio.Group
            label={t('welfare.who')}
            value={source}
            onChange={(value) => setSource(value as 'zones' | 'selection')}
          >
            <Group mt={6}>
              <Radio value="zones" label={t('welfare.byZone')} />
              <Radio
                value="selection"
                disabled={!selection}
                label={
                  selection
                    ? t('welfare.selection', { count: selectionCount.data?.total ?? 0 })
                    : t('welfare.noSelection')
                }
              />
            </Group>
          </Radio.Group>
          {source === 'zones' && (
            <Checkbox.Group
              label={t('welfare.zones')}
              value={zoneIds}
              onChange={setZoneIds}
              error={errors.fieldError('zoneIds')}
            >
              <Group mt={6}>
                {(zones.data ?? [])
                  .filter((zone) => zone.status === 'active')
                  .map((zone) => (
                    <Checkbox key={zone.id} value={zone.id} label={zone.name} />
                  ))}
              </Group>
            </Checkbox.Group>
          )}
          <Group align="flex-start">
            <NumberInput
              label={t('welfare.followUpAfter')}
              min={1}
              value={followUp}
              onChange={setFollowUp}
              error={errors.fieldError('followUpAfterHours')}
            />
            <NumberInput
              label={t('welfare.callAfter')}
              min={1}
              value={call}
              onChange={setCall}
              error={errors.fieldError('callAfterHours')}
            />
          </Group>
          <Group>
            <Button type="submit" loading={start.isPending}>
              {t('welfare.startButton')}
            </Button>
            <Text role="status" data-testid="run-started">
              {started ? t('welfare.started', { count: started.counts.total }) : ''}
            </Text>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
