import {
  Anchor,
  Badge,
  Button,
  Group,
  NativeSelect,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import {
  deliveryKeys,
  linkTriage,
  replyTriage,
  resolveTriage,
  type TriageItem,
  triageQuery,
} from '../api/delivery';
import { ErrorSummary, useApiErrors } from '../components/api-errors';
import { PageTitle } from '../components/page-title';
import { LoadError, Loading } from '../components/status';
import { formatDateTime } from '../format';
import { can, useMe, useSession } from '../session';

/** Replies that need a person: free text, unknown senders, shared family phones. */
export default function MessagingTriagePage() {
  const { t } = useTranslation();
  const me = useMe();
  const { selectedCrisis } = useSession();
  const title = t('delivery.triage.title');
  if (
    !selectedCrisis ||
    !can(me, 'message.send', selectedCrisis.id) ||
    !can(me, 'person.read', selectedCrisis.id)
  ) {
    return (
      <>
        <PageTitle title={title}>{title}</PageTitle>
        <Text>{selectedCrisis ? t('delivery.notAllowed') : t('registry.noCrisis')}</Text>
      </>
    );
  }
  return (
    <TriageView
      key={selectedCrisis.id}
      crisisId={selectedCrisis.id}
      canLink={can(me, 'person.update', selectedCrisis.id)}
    />
  );
}

function TriageView({ crisisId, canLink }: { crisisId: string; canLink: boolean }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<'open' | 'resolved'>('open');
  const items = useQuery(triageQuery(crisisId, status));
  const title = t('delivery.triage.title');
  return (
    <Stack>
      <PageTitle title={title}>{title}</PageTitle>
      <SegmentedControl
        value={status}
        onChange={(v) => setStatus(v as 'open' | 'resolved')}
        data={[
          { value: 'open', label: t('delivery.triage.open', { count: items.data?.open ?? 0 }) },
          { value: 'resolved', label: t('delivery.triage.resolved') },
        ]}
        aria-label={t('delivery.triage.filter')}
      />
      {items.isPending ? (
        <Loading />
      ) : items.isError ? (
        <LoadError error={items.error} />
      ) : items.data.items.length === 0 ? (
        <Text>{t('delivery.triage.empty')}</Text>
      ) : (
        <Stack data-testid="triage-items">
          {items.data.items.map((item) => (
            <TriageCard key={item.id} crisisId={crisisId} item={item} canLink={canLink} />
          ))}
        </Stack>
      )}
    </Stack>
  );
}

function TriageCard({ crisisId, item, canLink }: { crisisId: string; item: TriageItem; canLink: boolean }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const errors = useApiErrors();
  const [note, setNote] = useState('');
  const [reply, setReply] = useState('');
  const [personId, setPersonId] = useState(item.candidates[0]?.id ?? '');
  const [sent, setSent] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: deliveryKeys.all(crisisId) });
  const action = useMutation({
    mutationFn: async (kind: 'resolve' | 'link' | 'reply') => {
      if (kind === 'resolve') return resolveTriage(crisisId, item.id, note);
      if (kind === 'link') return linkTriage(crisisId, item.id, personId);
      return replyTriage(crisisId, item.id, reply);
    },
    onSuccess: async (_r, kind) => {
      errors.clear();
      if (kind === 'reply') {
        setReply('');
        setSent(true);
      }
      await refresh();
    },
    onError: errors.setError,
  });
  const open = item.triageStatus === 'open';
  return (
    <Paper withBorder p="md" data-testid="triage-item">
      <Stack gap="xs">
        <Group justify="space-between">
          <Group gap="xs">
            <Text fw={600} dir="ltr">
              {item.from}
            </Text>
            <Badge variant="outline">{t(`delivery.channelKinds.${item.channel}`)}</Badge>
            <Badge variant="outline">{t(`delivery.outcomes.${item.outcome}`)}</Badge>
            {item.keyword && (
              <Badge variant="outline">{t(`delivery.keywords.${item.keyword as 'safe'}`)}</Badge>
            )}
          </Group>
          <Text size="sm">{formatDateTime(item.receivedAt, i18n.language)}</Text>
        </Group>
        <Text dir="auto" style={{ whiteSpace: 'pre-wrap' }} data-testid="triage-body">
          {item.body}
        </Text>
        {item.person ? (
          <Text size="sm">
            {t('delivery.triage.person')}:{' '}
            <Anchor component={Link} to={`/registry/${encodeURIComponent(item.person.id)}`} dir="auto">
              {item.person.name}
            </Anchor>
          </Text>
        ) : item.candidates.length > 1 ? (
          <Text size="sm">{t('delivery.triage.candidates', { count: item.candidates.length })}</Text>
        ) : item.outcome === 'unmatched' ? (
          <Text size="sm">{t('delivery.triage.unknownSender')}</Text>
        ) : null}
        {item.note && (
          <Text size="sm" c="dimmed">
            {t('delivery.triage.note')}: {item.note}
          </Text>
        )}
        {sent && (
          <Text size="sm" role="status">
            {t('delivery.triage.replyQueued')}
          </Text>
        )}
        {open && (
          <Stack gap="xs">
            {canLink && item.candidates.length > 1 && (
              <Group align="end">
                <NativeSelect
                  label={t('delivery.triage.linkTo')}
                  value={personId}
                  data={item.candidates.map((c) => ({ value: c.id, label: c.name }))}
                  onChange={(e) => setPersonId(e.currentTarget.value)}
                />
                <Button variant="default" onClick={() => action.mutate('link')} disabled={!personId}>
                  {t('delivery.triage.link')}
                </Button>
              </Group>
            )}
            <Group align="end">
              <Textarea
                label={t('delivery.triage.reply')}
                autosize
                minRows={1}
                dir="auto"
                value={reply}
                onChange={(e) => setReply(e.currentTarget.value)}
                error={errors.fieldError('text')}
                style={{ flex: 1 }}
              />
              <Button variant="default" onClick={() => action.mutate('reply')} disabled={!reply.trim()}>
                {t('delivery.triage.send')}
              </Button>
            </Group>
            <Group align="end">
              <TextInput
                label={t('delivery.triage.resolveNote')}
                value={note}
                onChange={(e) => setNote(e.currentTarget.value)}
                error={errors.fieldError('note')}
                style={{ flex: 1 }}
              />
              <Button onClick={() => action.mutate('resolve')} data-testid="triage-resolve">
                {t('delivery.triage.resolve')}
              </Button>
            </Group>
            <ErrorSummary
              error={errors.error}
              shownPaths={['text', 'note']}
              fieldMessage={errors.fieldMessage}
            />
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
