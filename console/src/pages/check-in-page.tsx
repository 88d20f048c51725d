import { Alert, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { api } from '../api/client';
import {
  type Assignment,
  countsQuery,
  type LegCounts,
  legPath,
  legQuery,
  transportKeys,
} from '../api/transport';
import { PageTitle } from '../components/page-title';
import { canScan, codeFromScan, QrScanner } from '../components/qr-scanner';
import { LoadError, Loading } from '../components/status';
import {
  CountsPanel,
  LegStatusBadge,
  SeatStatusBadge,
  TransportError,
  useTransportLabel,
} from '../components/transport-bits';
import { formatDateTime } from '../format';
import { useSession } from '../session';
import { tones } from '../theme';

/** Check-in at the assembly point, on a phone: type or scan the seat code, then board or refuse. */
export default function CheckInPage() {
  const { t } = useTranslation();
  const { selectedCrisis } = useSession();
  const { legId = '' } = useParams();
  if (!selectedCrisis) {
    return (
      <>
        <PageTitle title={t('checkIn.title')}>{t('checkIn.title')}</PageTitle>
        <Text>{t('registry.noCrisis')}</Text>
      </>
    );
  }
  return <CheckIn key={`${selectedCrisis.id}:${legId}`} crisisId={selectedCrisis.id} legId={legId} />;
}

function CheckIn({ crisisId, legId }: { crisisId: string; legId: string }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const leg = useQuery(legQuery(crisisId, legId));
  const counts = useQuery(countsQuery(crisisId, legId));
  const inputRef = useRef<HTMLInputElement>(null);
  const [code, setCode] = useState('');
  const [scanning, setScanning] = useState(false);
  const [checkedIn, setCheckedIn] = useState<Assignment[]>([]);
  const setCounts = (next: LegCounts) =>
    queryClient.setQueryData(countsQuery(crisisId, legId).queryKey, next);
  const checkIn = useMutation({
    mutationFn: (value: string) =>
      api.post<{ checkedIn: Assignment[]; counts: LegCounts }>(`${legPath(crisisId, legId)}/check-in`, {
        code: value.trim(),
      }),
    onMutate: () => setCheckedIn([]),
    onSuccess: (answer) => {
      setCheckedIn(answer.checkedIn);
      setCounts(answer.counts);
      setCode('');
      void queryClient.invalidateQueries({ queryKey: transportKeys.leg(crisisId, legId) });
    },
    onSettled: () => inputRef.current?.focus(),
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    if (code.trim()) checkIn.mutate(code);
  }
  if (leg.isPending) return <Loading />;
  if (leg.isError) return <LoadError error={leg.error} />;
  const title = t('checkIn.titleFor', { name: leg.data.name });
  return (
    <Stack gap="md" maw={640}>
      <PageTitle title={title}>{title}</PageTitle>
      <Group gap="xs">
        <LegStatusBadge status={leg.data.status} />
        <Text size="sm">
          {t('transport.departsAt', { time: formatDateTime(leg.data.departureAt, i18n.language) })}
        </Text>
      </Group>
      {!['confirmed', 'boarding'].includes(leg.data.status) && (
        <Alert color={tones.danger} variant="outline" role="status">
          {t('checkIn.notOpen')}
        </Alert>
      )}
      <form onSubmit={submit} noValidate aria-label={t('checkIn.formLabel')}>
        <Stack gap="sm">
          <TextInput
            ref={inputRef}
            className="check-in-code"
            size="xl"
            label={t('checkIn.code')}
            description={t('checkIn.codeHint')}
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
            autoComplete="off"
            autoCorrect="off"
            autoCapitalize="characters"
            spellCheck={false}
            enterKeyHint="go"
            autoFocus
          />
          <Button type="submit" size="xl" fullWidth loading={checkIn.isPending}>
            {t('checkIn.submit')}
          </Button>
          {canScan() && !scanning && (
            <Button variant="default" size="lg" fullWidth onClick={() => setScanning(true)}>
              {t('checkIn.scan')}
            </Button>
          )}
        </Stack>
      </form>
      {scanning && (
        <QrScanner
          onClose={() => setScanning(false)}
          onCode={(value) => {
            setScanning(false);
            const scanned = codeFromScan(value);
            setCode(scanned);
            checkIn.mutate(scanned);
          }}
        />
      )}
      <div aria-live="polite" data-testid="check-in-result">
        {checkIn.isError && <TransportError error={checkIn.error} title={t('checkIn.refused')} />}
        {checkedIn.length > 0 && (
          <Stack gap="sm">
            <Alert color="#1b5e20" variant="outline" title={t('checkIn.done', { count: checkedIn.length })}>
              {t('checkIn.doneHint')}
            </Alert>
            {checkedIn.map((assignment) => (
              <BoardingCard
                key={assignment.id}
                crisisId={crisisId}
                assignment={assignment}
                onChange={(next, nextCounts) => {
                  setCheckedIn((current) => current.map((item) => (item.id === next.id ? next : item)));
                  setCounts(nextCounts);
                }}
              />
            ))}
          </Stack>
        )}
      </div>
      <Title order={2} size="h4">
        {t('transport.counts.title')}
      </Title>
      <CountsPanel counts={counts.data} />
    </Stack>
  );
}

/** One checked-in person: boarded, no-show, or refused with a reason. */
export function BoardingCard({
  crisisId,
  assignment,
  onChange,
}: {
  crisisId: string;
  assignment: Assignment;
  onChange(next: Assignment, counts: LegCounts): void;
}) {
  const { t } = useTranslation();
  const label = useTransportLabel();
  const [refusing, setRefusing] = useState(false);
  const [reason, setReason] = useState('');
  const mutation = useMutation({
    mutationFn: (outcome: 'boarded' | 'no_show' | 'refused') =>
      api.post<{ assignment: Assignment; counts: LegCounts }>(
        `${legPath(crisisId, assignment.legId)}/assignments/${encodeURIComponent(assignment.id)}/boarding`,
        { outcome, ...(outcome === 'refused' && { reason: reason.trim() }) },
      ),
    onSuccess: (answer) => {
      setRefusing(false);
      onChange(answer.assignment, answer.counts);
    },
  });
  const open = ['checked_in', 'confirmed'].includes(assignment.status);
  return (
    <Paper withBorder p="sm" data-assignment={assignment.code}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap">
          <Text fw={700} size="lg">
            {assignment.name}
          </Text>
          <SeatStatusBadge status={assignment.status} />
        </Group>
        <Text size="sm" className="mono">
          {assignment.code} · {assignment.householdReference} · {label('placeKind', assignment.placeKind)}
        </Text>
        <TransportError error={mutation.error} />
        {open && (
          <Group gap="xs" grow>
            <Button
              size="lg"
              onClick={() => mutation.mutate('boarded')}
              loading={mutation.variables === 'boarded' && mutation.isPending}
            >
              {t('checkIn.boarded')}
            </Button>
            <Button size="lg" variant="default" onClick={() => mutation.mutate('no_show')}>
              {t('checkIn.noShow')}
            </Button>
            <Button
              size="lg"
              variant="outline"
              color="#a51d1d"
              onClick={() => setRefusing(!refusing)}
              aria-expanded={refusing}
            >
              {t('checkIn.refuse')}
            </Button>
          </Group>
        )}
        {open && refusing && (
          <form
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              mutation.mutate('refused');
            }}
          >
            <Group align="flex-end" wrap="wrap">
              <TextInput
                label={t('checkIn.refuseReason')}
                required
                value={reason}
                onChange={(e) => setReason(e.currentTarget.value)}
              />
              <Button type="submit" color="#a51d1d">
                {t('checkIn.refuseConfirm')}
              </Button>
            </Group>
          </form>
        )}
      </Stack>
    </Paper>
  );
}
