import {
  Anchor,
  Button,
  Group,
  NativeSelect,
  NumberInput,
  Paper,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../api/client';
import {
  type Campaign,
  campaignsQuery,
  messagingKeys,
  messagingPath,
  saveSettings,
  settingsQuery,
} from '../api/messaging';
import { crossingsQuery, listsQuery } from '../api/registry';
import { ErrorSummary, useApiErrors } from '../components/api-errors';
import { CampaignStatusBadge } from '../components/messaging-bits';
import { PageTitle } from '../components/page-title';
import { LoadError, Loading } from '../components/status';
import { formatDateTime } from '../format';
import { can, useMe, useSession } from '../session';

/** Campaigns of the crisis with their status and progress, the approval threshold, list notices. */
export default function MessagingCampaignsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { selectedCrisis } = useSession();
  const title = t('messaging.campaigns.title');
  if (!selectedCrisis || !can(me, 'message.send', selectedCrisis.id)) {
    return (
      <>
        <PageTitle title={title}>{title}</PageTitle>
        <Text>{selectedCrisis ? t('messaging.notAllowed') : t('registry.noCrisis')}</Text>
      </>
    );
  }
  const crisisId = selectedCrisis.id;
  return (
    <Stack key={crisisId}>
      <PageTitle title={title}>{title}</PageTitle>
      <Group>
        <Button component={Link} to="/messaging/campaigns/new" data-testid="campaign-new">
          {t('messaging.campaigns.new')}
        </Button>
        <Button component={Link} to="/messaging/templates" variant="default">
          {t('messaging.templates.title')}
        </Button>
      </Group>
      <CampaignList crisisId={crisisId} />
      <ListNotices crisisId={crisisId} />
      <Threshold crisisId={crisisId} canChange={can(me, 'message.approve', crisisId)} />
    </Stack>
  );
}

function CampaignList({ crisisId }: { crisisId: string }) {
  const { t, i18n } = useTranslation();
  const campaigns = useQuery(campaignsQuery(crisisId));
  if (campaigns.isPending) return <Loading />;
  if (campaigns.isError) return <LoadError error={campaigns.error} />;
  if (campaigns.data.length === 0) return <Text>{t('messaging.campaigns.empty')}</Text>;
  const n = (value: number) => value.toLocaleString(i18n.language);
  return (
    <div className="table-scroll">
      <Table withTableBorder data-testid="campaigns-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('messaging.editor.name')}</Table.Th>
            <Table.Th scope="col">{t('messaging.campaigns.status')}</Table.Th>
            <Table.Th scope="col">{t('messaging.campaign.recipients')}</Table.Th>
            <Table.Th scope="col">{t('messaging.campaigns.delivered')}</Table.Th>
            <Table.Th scope="col">{t('messaging.campaign.source')}</Table.Th>
            <Table.Th scope="col">{t('messaging.campaign.created')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {campaigns.data.map((c: Campaign) => (
            <Table.Tr key={c.id}>
              <Table.Th scope="row">
                <Anchor component={Link} to={`/messaging/campaigns/${encodeURIComponent(c.id)}`} dir="auto">
                  {c.name}
                </Anchor>
              </Table.Th>
              <Table.Td>
                <CampaignStatusBadge status={c.status} />
              </Table.Td>
              <Table.Td>{n(c.recipientCount)}</Table.Td>
              <Table.Td>
                {c.progress.total > 0
                  ? t('messaging.campaigns.deliveredOf', {
                      delivered: n(c.progress.delivered),
                      total: n(c.progress.total),
                    })
                  : ''}
              </Table.Td>
              <Table.Td>{t(`messaging.sources.${c.source}` as 'messaging.sources.staff')}</Table.Td>
              <Table.Td>{formatDateTime(c.createdAt, i18n.language)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}

/** "You are on the list" to the people matched to an approved list (each person once per list). */
function ListNotices({ crisisId }: { crisisId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const errors = useApiErrors();
  const lists = useQuery(listsQuery(crisisId));
  const crossings = useQuery(crossingsQuery(crisisId));
  const [listId, setListId] = useState('');
  const [result, setResult] = useState<string | null>(null);
  const send = useMutation({
    mutationFn: () =>
      api.post<{ campaign: Campaign | null; alreadyNotified: number }>(
        `${messagingPath(crisisId)}/list-notices`,
        {
          listId,
        },
      ),
    onSuccess: (r) => {
      errors.clear();
      setResult(
        r.campaign
          ? t('messaging.notices.created', { n: String(r.campaign.recipientCount) })
          : t('messaging.notices.nobody', { n: String(r.alreadyNotified) }),
      );
      void queryClient.invalidateQueries({ queryKey: messagingKeys.campaigns(crisisId) });
    },
    onError: errors.setError,
  });
  if (!lists.data || lists.data.length === 0) return null;
  const crossingName = (id: string) => crossings.data?.find((c) => c.id === id)?.name ?? '';
  function submit(event: FormEvent) {
    event.preventDefault();
    setResult(null);
    send.mutate();
  }
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="list-notices-heading">
      <form onSubmit={submit}>
        <Title order={2} size="h3" id="list-notices-heading" mb="xs">
          {t('messaging.notices.title')}
        </Title>
        <Text size="sm" mb="sm">
          {t('messaging.notices.help')}
        </Text>
        <Group align="flex-end">
          <NativeSelect
            label={t('messaging.audience.onList')}
            value={listId}
            onChange={(e) => setListId(e.currentTarget.value)}
            data={[
              { value: '', label: t('messaging.notices.choose') },
              ...lists.data.map((l) => ({
                value: l.id,
                label: `${crossingName(l.crossingPointId)} ${l.listDate} (${l.fileName})`,
              })),
            ]}
          />
          <Button type="submit" disabled={!listId} loading={send.isPending}>
            {t('messaging.notices.send')}
          </Button>
        </Group>
        {result && (
          <Text role="status" mt="xs">
            {result}
          </Text>
        )}
        <ErrorSummary error={errors.error} shownPaths={[]} fieldMessage={errors.fieldMessage} />
      </form>
    </Paper>
  );
}

function Threshold({ crisisId, canChange }: { crisisId: string; canChange: boolean }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const errors = useApiErrors();
  const settings = useQuery(settingsQuery(crisisId));
  const [value, setValue] = useState<number | string>('');
  const save = useMutation({
    mutationFn: () => saveSettings(crisisId, Number(value)),
    onSuccess: (saved) => {
      errors.clear();
      queryClient.setQueryData(messagingKeys.settings(crisisId), saved);
      setValue('');
    },
    onError: errors.setError,
  });
  if (!settings.data) return null;
  const current = settings.data.approvalThreshold.toLocaleString(i18n.language);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="threshold-heading">
      <Title order={2} size="h3" id="threshold-heading" mb="xs">
        {t('messaging.settings.title')}
      </Title>
      <Text size="sm" data-testid="approval-threshold">
        {t('messaging.settings.current', { n: current })}
      </Text>
      {canChange && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            save.mutate();
          }}
        >
          <Group align="flex-end" mt="sm">
            <NumberInput
              label={t('messaging.settings.threshold')}
              min={0}
              value={value}
              onChange={setValue}
              error={errors.fieldError('approvalThreshold')}
              data-testid="threshold-input"
            />
            <Button type="submit" disabled={value === ''} loading={save.isPending}>
              {t('messaging.settings.save')}
            </Button>
          </Group>
        </form>
      )}
    </Paper>
  );
}
