import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Group,
  List,
  NativeSelect,
  Paper,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import {
  type BulkResult,
  CASE_STATES,
  CASE_TYPES,
  type CaseQueueItem,
  caseKeys,
  casesQuery,
  QUEUES,
  type Queue,
  teamsQuery,
} from '../api/cases';
import { api } from '../api/client';
import { crisisPath } from '../api/registry';
import { ErrorSummary, useApiErrors, useCodeMessage } from '../components/api-errors';
import { CaseSubjectCell, OverdueBadge, PriorityBadge, StateBadge } from '../components/case-bits';
import { useLabel } from '../components/labels';
import { PageTitle } from '../components/page-title';
import { LoadError, Loading } from '../components/status';
import { formatDateTime } from '../format';
import { can, useMe, useSession } from '../session';
import { tones } from '../theme';

const TABS: Queue[] = ['mine', 'team', 'unassigned', 'overdue', 'open'];

/** The case queues of the crisis chosen in the header, most urgent first. */
export default function CasesPage() {
  const { t } = useTranslation();
  const { selectedCrisis } = useSession();
  if (!selectedCrisis) {
    return (
      <>
        <PageTitle title={t('cases.title')}>{t('cases.title')}</PageTitle>
        <Text>{t('registry.noCrisis')}</Text>
      </>
    );
  }
  return <Queues key={selectedCrisis.id} crisisId={selectedCrisis.id} />;
}

function Queues({ crisisId }: { crisisId: string }) {
  const { t } = useTranslation();
  const label = useLabel();
  const me = useMe();
  const canUpdate = can(me, 'case.update', crisisId);
  const [params, setParams] = useSearchParams();
  const queueParam = params.get('queue') as Queue | null;
  const queue: Queue = queueParam && (QUEUES as readonly string[]).includes(queueParam) ? queueParam : 'mine';
  const type = params.get('type') ?? '';
  const state = params.get('state') ?? '';
  const cases = useQuery(casesQuery(crisisId, { queue, type, state }));
  const [selected, setSelected] = useState<string[]>([]);
  const [results, setResults] = useState<{ answer: BulkResult; numbers: Record<string, string> } | null>(
    null,
  );

  function update(next: Record<string, string>) {
    // From the latest parameters, not this render's: a tab click and a filter change made in quick
    // succession must both stick.
    setParams((previous) => {
      const search = new URLSearchParams(previous);
      for (const [key, value] of Object.entries(next)) {
        if (value) search.set(key, value);
        else search.delete(key);
      }
      return search;
    });
    setSelected([]);
    setResults(null);
  }

  const rows = cases.data?.items ?? [];
  const allChecked = rows.length > 0 && rows.every((row) => selected.includes(row.id));

  return (
    <Stack>
      <PageTitle title={t('cases.title')}>{t('cases.title')}</PageTitle>
      <Tabs value={queue} onChange={(value) => update({ queue: value ?? 'mine' })} keepMounted={false}>
        <Tabs.List aria-label={t('cases.queues')}>
          {TABS.map((value) => (
            <Tabs.Tab key={value} value={value}>
              {label('queue', value)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Group align="flex-end">
        <NativeSelect
          label={t('cases.type')}
          value={type}
          onChange={(event) => update({ type: event.currentTarget.value })}
          data={[
            { value: '', label: t('registry.any') },
            ...CASE_TYPES.map((value) => ({ value, label: label('caseType', value) })),
          ]}
        />
        <NativeSelect
          label={t('cases.state')}
          value={state}
          onChange={(event) => update({ state: event.currentTarget.value })}
          data={[
            { value: '', label: t('registry.any') },
            ...CASE_STATES.map((value) => ({ value, label: label('caseState', value) })),
          ]}
        />
        <Text role="status" fw={600} data-testid="cases-total">
          {cases.data ? t('cases.total', { total: String(cases.data.total) }) : ''}
        </Text>
      </Group>
      {canUpdate && selected.length > 0 && (
        <BulkBar
          crisisId={crisisId}
          caseIds={selected}
          onDone={(answer) => {
            const numbers = Object.fromEntries(rows.map((row) => [row.id, row.number]));
            setResults({ answer, numbers });
            setSelected([]);
          }}
        />
      )}
      {results && <BulkResults results={results.answer} numberOf={(id) => results.numbers[id] ?? id} />}
      {cases.isPending && <Loading />}
      {cases.isError && <LoadError error={cases.error} />}
      {cases.data && rows.length === 0 && <Text>{t('cases.empty')}</Text>}
      {rows.length > 0 && (
        <div className="table-scroll">
          <Table withTableBorder data-testid="cases-table">
            <Table.Caption>{t('cases.caption', { queue: label('queue', queue) })}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                {canUpdate && (
                  <Table.Th scope="col">
                    <Checkbox
                      aria-label={t('cases.selectAll')}
                      checked={allChecked}
                      onChange={() => setSelected(allChecked ? [] : rows.map((row) => row.id))}
                    />
                  </Table.Th>
                )}
                <Table.Th scope="col">{t('cases.number')}</Table.Th>
                <Table.Th scope="col">{t('cases.person')}</Table.Th>
                <Table.Th scope="col">{t('cases.priority')}</Table.Th>
                <Table.Th scope="col">{t('cases.summary')}</Table.Th>
                <Table.Th scope="col">{t('cases.type')}</Table.Th>
                <Table.Th scope="col">{t('cases.state')}</Table.Th>
                <Table.Th scope="col">{t('cases.due')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((item) => (
                <CaseRow
                  key={item.id}
                  item={item}
                  selectable={canUpdate}
                  checked={selected.includes(item.id)}
                  onToggle={() =>
                    setSelected((current) =>
                      current.includes(item.id)
                        ? current.filter((id) => id !== item.id)
                        : [...current, item.id],
                    )
                  }
                />
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
    </Stack>
  );
}

function CaseRow({
  item,
  selectable,
  checked,
  onToggle,
}: {
  item: CaseQueueItem;
  selectable: boolean;
  checked: boolean;
  onToggle(): void;
}) {
  const { t, i18n } = useTranslation();
  const label = useLabel();
  return (
    <Table.Tr data-case={item.number} className={item.overdue ? 'case-overdue' : undefined}>
      {selectable && (
        <Table.Td>
          <Checkbox
            aria-label={t('cases.select', { number: item.number })}
            checked={checked}
            onChange={onToggle}
          />
        </Table.Td>
      )}
      <Table.Th scope="row" className="nowrap">
        <Anchor component={Link} to={`/cases/${encodeURIComponent(item.id)}`} className="mono">
          {item.number}
        </Anchor>
      </Table.Th>
      <Table.Td>
        <CaseSubjectCell subject={item.subject} />
      </Table.Td>
      <Table.Td>
        <PriorityBadge item={item} />
      </Table.Td>
      <Table.Td dir="auto">{item.summary}</Table.Td>
      <Table.Td>{label('caseType', item.type)}</Table.Td>
      <Table.Td>
        <StateBadge state={item.state} />
      </Table.Td>
      <Table.Td className="nowrap">
        <Group gap={6} wrap="nowrap">
          {item.dueAt && <Text size="sm">{formatDateTime(item.dueAt, i18n.language)}</Text>}
          {item.overdue && <OverdueBadge />}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

/** Assign or close the chosen cases; each one succeeds or fails on its own and says so. */
function BulkBar({
  crisisId,
  caseIds,
  onDone,
}: {
  crisisId: string;
  caseIds: string[];
  onDone(answer: BulkResult): void;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const teams = useQuery(teamsQuery(crisisId));
  const errors = useApiErrors();
  const [target, setTarget] = useState('me');
  const [note, setNote] = useState('');
  const bulk = useMutation({
    mutationFn: (action: 'assign' | 'close') => {
      const assignment =
        target === 'me'
          ? { assigneeId: me.id }
          : target === 'none'
            ? { assigneeId: null, teamId: null }
            : { teamId: target.slice('team:'.length) };
      return api.post<BulkResult>(`${crisisPath(crisisId)}/cases/bulk`, {
        caseIds,
        action,
        ...(action === 'assign' ? assignment : {}),
        ...(action === 'close' && note.trim() ? { note: note.trim() } : {}),
      });
    },
    onSuccess: async (answer) => {
      onDone(answer);
      await queryClient.invalidateQueries({ queryKey: caseKeys.all(crisisId) });
    },
    onError: errors.setError,
  });
  return (
    <Paper withBorder p="md" component="section" aria-label={t('cases.bulk.title')} data-testid="bulk-bar">
      <Stack gap="sm">
        <Text fw={600}>{t('cases.bulk.selected', { count: caseIds.length })}</Text>
        <Group align="flex-end">
          <NativeSelect
            label={t('cases.bulk.assignTo')}
            value={target}
            onChange={(event) => setTarget(event.currentTarget.value)}
            data={[
              { value: 'me', label: t('cases.assignMe') },
              { value: 'none', label: t('cases.unassigned') },
              ...(teams.data ?? []).map((team) => ({ value: `team:${team.id}`, label: team.name })),
            ]}
          />
          <Button
            onClick={() => bulk.mutate('assign')}
            loading={bulk.isPending && bulk.variables === 'assign'}
          >
            {t('cases.bulk.assign')}
          </Button>
          <TextInput
            label={t('cases.bulk.closeNote')}
            value={note}
            onChange={(event) => setNote(event.currentTarget.value)}
          />
          <Button
            color={tones.danger}
            onClick={() => bulk.mutate('close')}
            loading={bulk.isPending && bulk.variables === 'close'}
          >
            {t('cases.bulk.close')}
          </Button>
        </Group>
        <ErrorSummary error={errors.error} shownPaths={[]} fieldMessage={errors.fieldMessage} />
      </Stack>
    </Paper>
  );
}

function BulkResults({ results, numberOf }: { results: BulkResult; numberOf(id: string): string }) {
  const { t } = useTranslation();
  const describe = useCodeMessage();
  return (
    <Alert
      variant="outline"
      color={tones.info}
      title={t('cases.bulk.result', { done: String(results.done), total: String(results.results.length) })}
      data-testid="bulk-results"
    >
      <List size="sm">
        {results.results.map((result) => (
          <List.Item key={result.caseId}>
            <span className="mono">{numberOf(result.caseId)}</span>{' '}
            {result.ok
              ? t('cases.bulk.ok')
              : t('cases.bulk.failed', { reason: describe(result.error ?? 'unknown') })}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}
