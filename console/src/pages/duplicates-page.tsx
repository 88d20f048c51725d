import { Alert, Button, Group, NativeSelect, Paper, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { crisisPath, duplicatesQuery, registryKeys } from '../api/registry';
import type { DuplicateSearch } from '../api/registry-types';
import { ErrorSummary, useApiErrors } from '../components/api-errors';
import { Dialog } from '../components/dialog';
import { PairCard, type PairDecision } from '../components/duplicate-pair';
import { useLabel } from '../components/labels';
import { PageTitle } from '../components/page-title';
import { LoadError, Loading } from '../components/status';
import { can, useMe, useSession } from '../session';

const STATUSES = ['pending', 'unsure', 'same', 'not_same'] as const;

/** The queue of registrations that may describe the same person, for a reviewer to decide. */
export default function DuplicatesPage() {
  const { t } = useTranslation();
  const { selectedCrisis } = useSession();
  if (!selectedCrisis) {
    return (
      <>
        <PageTitle title={t('duplicates.title')}>{t('duplicates.title')}</PageTitle>
        <Text>{t('registry.noCrisis')}</Text>
      </>
    );
  }
  return <Duplicates key={selectedCrisis.id} crisisId={selectedCrisis.id} />;
}

function Duplicates({ crisisId }: { crisisId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const label = useLabel();
  const queryClient = useQueryClient();
  const listRef = useRef<HTMLDivElement>(null);
  const canDecide = can(me, 'matching.review', crisisId);
  const [status, setStatus] = useState<string>('pending');
  const [band, setBand] = useState<string>('');
  const [confirmBulk, setConfirmBulk] = useState(false);
  const pairs = useQuery(duplicatesQuery(crisisId, status, band));
  const errors = useApiErrors();
  const [focusIndex, setFocusIndex] = useState<number | null>(null);
  // Keyboard reviewers carry on with the pair that took the decided one's place.
  useEffect(() => {
    if (focusIndex === null || !pairs.data) return;
    const cards = listRef.current?.querySelectorAll<HTMLElement>('article.pair');
    if (cards && cards.length > 0) cards[Math.min(focusIndex, cards.length - 1)]?.focus();
    setFocusIndex(null);
  }, [focusIndex, pairs.data]);
  const refresh = () => queryClient.invalidateQueries({ queryKey: registryKeys.duplicates(crisisId) });

  const search = useMutation({
    mutationFn: () => api.post<DuplicateSearch>(`${crisisPath(crisisId)}/duplicates/search`, {}),
    onSuccess: refresh,
    onError: errors.setError,
  });
  const decide = useMutation({
    mutationFn: ({ id, decision }: { id: string; decision: PairDecision; index: number }) =>
      api.post(`${crisisPath(crisisId)}/duplicates/${encodeURIComponent(id)}/decision`, { decision }),
    onSuccess: async (_answer, { index }) => {
      await refresh();
      setFocusIndex(index);
    },
    onError: errors.setError,
  });
  const likely = (pairs.data ?? []).filter((pair) => pair.band === 'match' && pair.status === 'pending');
  const bulk = useMutation({
    mutationFn: () =>
      api.post<{ decided: number }>(`${crisisPath(crisisId)}/duplicates/bulk-decision`, {
        ids: likely.map((pair) => pair.id),
        decision: 'same',
      }),
    onSuccess: async () => {
      setConfirmBulk(false);
      await refresh();
    },
    onError: errors.setError,
  });

  return (
    <Stack>
      <PageTitle title={t('duplicates.title')}>{t('duplicates.title')}</PageTitle>
      <Text size="sm">{t('duplicates.intro')}</Text>
      {canDecide && (
        <Paper withBorder p="md">
          <Group>
            <Button onClick={() => search.mutate()} loading={search.isPending}>
              {t('duplicates.find')}
            </Button>
            <Text role="status" data-testid="search-summary">
              {search.data &&
                t('duplicates.found', {
                  registrations: String(search.data.registrations),
                  pairs: String(search.data.pairsFound),
                  queued: String(search.data.newlyQueued),
                  seconds: search.data.seconds.toFixed(1),
                })}
            </Text>
          </Group>
        </Paper>
      )}
      <ErrorSummary error={errors.error} shownPaths={[]} fieldMessage={errors.fieldMessage} />
      <Group align="flex-end">
        <NativeSelect
          label={t('duplicates.band')}
          value={band}
          onChange={(event) => setBand(event.currentTarget.value)}
          data={[
            { value: '', label: t('registry.any') },
            { value: 'match', label: t('duplicates.bands.match') },
            { value: 'review', label: t('duplicates.bands.review') },
          ]}
        />
        <NativeSelect
          label={t('duplicates.status')}
          value={status}
          onChange={(event) => setStatus(event.currentTarget.value)}
          data={STATUSES.map((value) => ({ value, label: label('duplicateStatus', value) }))}
        />
        {canDecide && status === 'pending' && (
          <Button variant="default" disabled={likely.length === 0} onClick={() => setConfirmBulk(true)}>
            {t('duplicates.mergeAll', { number: String(likely.length) })}
          </Button>
        )}
      </Group>
      {canDecide && <Text size="sm">{t('duplicates.keysHelp')}</Text>}
      {pairs.isPending && <Loading />}
      {pairs.isError && <LoadError error={pairs.error} />}
      {pairs.data && pairs.data.length === 0 && <Text>{t('duplicates.empty')}</Text>}
      <Stack ref={listRef} data-testid="duplicates-queue">
        {(pairs.data ?? []).map((pair, index) => (
          <PairCard
            key={pair.id}
            pair={pair}
            canDecide={canDecide}
            pending={decide.isPending && decide.variables?.id === pair.id}
            onDecide={(decision) => {
              errors.clear();
              decide.mutate({ id: pair.id, decision, index });
            }}
          />
        ))}
      </Stack>
      <Dialog
        opened={confirmBulk}
        onClose={() => setConfirmBulk(false)}
        title={t('duplicates.mergeAllTitle')}
      >
        <Stack>
          <Alert variant="outline" color="#8a4b00">
            {t('duplicates.mergeAllConfirm', { number: String(likely.length) })}
          </Alert>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmBulk(false)}>
              {t('common.cancel')}
            </Button>
            <Button loading={bulk.isPending} onClick={() => bulk.mutate()}>
              {t('duplicates.mergeAllButton')}
            </Button>
          </Group>
        </Stack>
      </Dialog>
    </Stack>
  );
}
