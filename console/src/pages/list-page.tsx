import { Anchor, Button, Group, NativeSelect, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { api } from '../api/client';
import { listMatchesQuery, listPath, listQuery, registryKeys } from '../api/registry';
import type { ListEntry, ListMatch, ListMatchRun } from '../api/registry-types';
import { ErrorSummary, useApiErrors } from '../components/api-errors';
import { PersonCard } from '../components/duplicate-pair';
import { Explanation } from '../components/explanation';
import { ArabicName, useLabel } from '../components/labels';
import { nationalityCounts } from '../components/list-upload';
import { PageTitle } from '../components/page-title';
import { LoadError, Loading, StatusBadge } from '../components/status';
import { formatDateTime } from '../format';
import { can, useMe, useSession } from '../session';

const STATUSES = ['pending', 'auto_linked', 'confirmed', 'rejected'] as const;

/** One approved list: its figures, matching against the registry, and the review of uncertain pairs. */
export default function ListPage() {
  const { t } = useTranslation();
  const { listId = '' } = useParams();
  const { selectedCrisis } = useSession();
  if (!selectedCrisis) {
    return (
      <>
        <PageTitle title={t('lists.title')}>{t('lists.title')}</PageTitle>
        <Text>{t('registry.noCrisis')}</Text>
      </>
    );
  }
  return <ApprovedList key={`${selectedCrisis.id}:${listId}`} crisisId={selectedCrisis.id} listId={listId} />;
}

function ApprovedList({ crisisId, listId }: { crisisId: string; listId: string }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const label = useLabel();
  const queryClient = useQueryClient();
  const list = useQuery(listQuery(crisisId, listId));
  const [status, setStatus] = useState<string>('pending');
  const matches = useQuery(listMatchesQuery(crisisId, listId, status));
  const errors = useApiErrors();
  const canReview = can(me, 'matching.review', crisisId);
  const refresh = () => queryClient.invalidateQueries({ queryKey: registryKeys.lists(crisisId) });
  const run = useMutation({
    mutationFn: () => api.post<ListMatchRun>(`${listPath(crisisId, listId)}/match`, {}),
    onSuccess: refresh,
    onError: errors.setError,
  });

  if (list.isPending) return <Loading />;
  if (list.isError) {
    return (
      <>
        <PageTitle title={t('lists.title')}>{t('lists.title')}</PageTitle>
        <LoadError error={list.error} />
      </>
    );
  }
  const summary = list.data.list;
  const title = t('lists.listOf', { date: summary.listDate });
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <PageTitle title={title}>{title}</PageTitle>
        <Button component={Link} to="/crossings" variant="default">
          {t('lists.back')}
        </Button>
      </Group>
      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} component="dl" className="facts">
          <div className="fact">
            <dt>{t('lists.source')}</dt>
            <dd>{summary.source}</dd>
          </div>
          <div className="fact">
            <dt>{t('lists.file')}</dt>
            <dd>
              {summary.fileName} ({summary.format.toUpperCase()})
            </dd>
          </div>
          <div className="fact">
            <dt>{t('lists.rows')}</dt>
            <dd data-testid="list-rows">{summary.rowCount}</dd>
          </div>
          <div className="fact">
            <dt>{t('lists.byNationality')}</dt>
            <dd data-testid="list-nationalities">{nationalityCounts(summary)}</dd>
          </div>
        </SimpleGrid>
        <Text size="sm" mt="sm">
          {summary.matchedAt
            ? t('lists.matchedAt', { at: formatDateTime(summary.matchedAt, i18n.language) })
            : t('lists.notMatched')}
        </Text>
      </Paper>
      {canReview && (
        <Group>
          <Button onClick={() => run.mutate()} loading={run.isPending}>
            {t('lists.match')}
          </Button>
          <Text role="status" data-testid="match-summary">
            {run.data &&
              t('lists.matchSummary', {
                entries: String(run.data.entries),
                persons: String(run.data.registryPersons),
                auto: String(run.data.autoLinked),
                pending: String(run.data.pending),
                kept: String(run.data.keptDecisions),
              })}
          </Text>
        </Group>
      )}
      <ErrorSummary error={errors.error} shownPaths={[]} fieldMessage={errors.fieldMessage} />
      <section aria-labelledby="matches-heading">
        <Group justify="space-between" align="flex-end" mb="sm">
          <Title order={2} size="h3" id="matches-heading">
            {t('lists.matches')}
          </Title>
          <NativeSelect
            label={t('lists.matchStatus')}
            value={status}
            onChange={(event) => setStatus(event.currentTarget.value)}
            data={STATUSES.map((value) => ({ value, label: label('matchStatus', value) }))}
          />
        </Group>
        {matches.isPending && <Loading />}
        {matches.isError && <LoadError error={matches.error} />}
        {matches.data && matches.data.length === 0 && <Text>{t('lists.noMatches')}</Text>}
        <Stack data-testid="list-matches">
          {(matches.data ?? []).map((match) => (
            <MatchCard
              key={match.id}
              crisisId={crisisId}
              listId={listId}
              match={match}
              canReview={canReview}
            />
          ))}
        </Stack>
      </section>
    </Stack>
  );
}

function EntryCard({ entry }: { entry: ListEntry }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm" className="pair-side">
      <Text size="xs" fw={700} tt="uppercase">
        {t('lists.entry', { row: String(entry.rowNo) })}
      </Text>
      <Text fw={600}>{entry.fullName}</Text>
      {entry.fullNameAr && (
        <Text>
          <ArabicName>{entry.fullNameAr}</ArabicName>
        </Text>
      )}
      <dl className="facts compact">
        <div className="fact">
          <dt>{t('duplicates.birth')}</dt>
          <dd>{entry.dateOfBirth ?? '—'}</dd>
        </div>
        <div className="fact">
          <dt>{t('duplicates.passport')}</dt>
          <dd className="mono">{entry.passportNumber ?? '—'}</dd>
        </div>
        <div className="fact">
          <dt>{t('lists.nationality')}</dt>
          <dd>{entry.nationality ?? '—'}</dd>
        </div>
      </dl>
    </Paper>
  );
}

function MatchCard({
  crisisId,
  listId,
  match,
  canReview,
}: {
  crisisId: string;
  listId: string;
  match: ListMatch;
  canReview: boolean;
}) {
  const { t } = useTranslation();
  const label = useLabel();
  const queryClient = useQueryClient();
  const errors = useApiErrors();
  const decide = useMutation({
    mutationFn: (decision: 'confirm' | 'reject') =>
      api.post(`${listPath(crisisId, listId)}/matches/${encodeURIComponent(match.id)}/decision`, {
        decision,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: registryKeys.lists(crisisId) }),
    onError: errors.setError,
  });
  const headingId = `match-${match.id}`;
  const open = match.status === 'pending' || match.status === 'auto_linked';
  return (
    <Paper withBorder p="md" component="article" aria-labelledby={headingId} data-match={match.id}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4" id={headingId}>
            <span dir="auto">
              {t('lists.pairTitle', {
                entry: match.entry.fullName,
                person: match.person.fullName ?? match.person.fullNameAr ?? match.person.reference,
              })}
            </span>
          </Title>
          <Group gap="xs">
            <StatusBadge status={match.status} label={label('matchStatus', match.status)} />
            <Text size="xs">{t('duplicates.score', { score: match.score.toFixed(1) })}</Text>
          </Group>
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <EntryCard entry={match.entry} />
          <PersonCard person={match.person} heading={t('lists.registered')} />
        </SimpleGrid>
        <Explanation items={match.explanation} />
        <ErrorSummary error={errors.error} shownPaths={[]} fieldMessage={errors.fieldMessage} />
        {canReview && open && (
          <Group gap="xs">
            <Button
              size="sm"
              loading={decide.isPending && decide.variables === 'confirm'}
              onClick={() => decide.mutate('confirm')}
            >
              {t('lists.confirm')}
            </Button>
            <Button
              size="sm"
              variant="default"
              loading={decide.isPending && decide.variables === 'reject'}
              onClick={() => decide.mutate('reject')}
            >
              {t('lists.reject')}
            </Button>
          </Group>
        )}
        {!open && match.reviewedAt && (
          <Text size="xs">
            {t('lists.reviewed', { at: match.reviewedAt.slice(0, 16).replace('T', ' ') })}
          </Text>
        )}
        <Anchor component={Link} to={`/registry/${encodeURIComponent(match.person.id)}`} size="sm">
          {t('lists.openPerson')}
        </Anchor>
      </Stack>
    </Paper>
  );
}
