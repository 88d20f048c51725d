import { Alert, Button, Group, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { api, isApiError } from '../api/client';
import {
  type Campaign,
  campaignPath,
  campaignPreviewQuery,
  campaignQuery,
  messagingKeys,
} from '../api/messaging';
import { ErrorSummary, useApiErrors } from '../components/api-errors';
import { CampaignStatusBadge, SmsCounter, useChannelLabel } from '../components/messaging-bits';
import { PageTitle } from '../components/page-title';
import { LoadError, Loading } from '../components/status';
import { formatDateTime } from '../format';
import { can, useMe, useSession } from '../session';

/** One campaign: what it says to whom, approval, sending or scheduling, cancelling, progress. */
export default function MessagingCampaignPage() {
  const { t } = useTranslation();
  const { campaignId = '' } = useParams();
  const { selectedCrisis } = useSession();
  const title = t('messaging.campaign.title');
  if (!selectedCrisis) {
    return (
      <>
        <PageTitle title={title}>{title}</PageTitle>
        <Text>{t('registry.noCrisis')}</Text>
      </>
    );
  }
  return (
    <CampaignView
      key={`${selectedCrisis.id}:${campaignId}`}
      crisisId={selectedCrisis.id}
      campaignId={campaignId}
    />
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="fact">
      <dt>{term}</dt>
      <dd>{children || '—'}</dd>
    </div>
  );
}

const PROGRESS_KEYS = [
  'queued',
  'sending',
  'sent',
  'delivered',
  'failed',
  'bounced',
  'parked',
  'cancelled',
] as const;

function CampaignView({ crisisId, campaignId }: { crisisId: string; campaignId: string }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const channelLabel = useChannelLabel();
  const campaign = useQuery(campaignQuery(crisisId, campaignId));
  if (campaign.isPending) return <Loading />;
  if (campaign.isError) {
    return (
      <>
        <PageTitle title={t('messaging.campaign.title')}>{t('messaging.campaign.title')}</PageTitle>
        <LoadError error={campaign.error} />
      </>
    );
  }
  const c = campaign.data;
  const n = (value: number) => value.toLocaleString(i18n.language);
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <div>
          <PageTitle title={c.name}>
            <span dir="auto">{c.name}</span>
          </PageTitle>
          <CampaignStatusBadge status={c.status} />
        </div>
        <Button component={Link} to="/messaging/campaigns" variant="default">
          {t('messaging.campaign.back')}
        </Button>
      </Group>
      <Paper withBorder p="md" component="section" aria-labelledby="campaign-facts-heading">
        <Title order={2} size="h3" id="campaign-facts-heading" mb="sm">
          {t('messaging.campaign.details')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} component="dl" className="facts">
          <Fact term={t('messaging.editor.template')}>{c.templateName}</Fact>
          <Fact term={t('messaging.editor.channels')}>{c.channels.map(channelLabel).join(' → ')}</Fact>
          <Fact term={t('messaging.campaign.recipients')}>
            <span data-testid="campaign-recipients">{n(c.recipientCount)}</span>
          </Fact>
          <Fact term={t('messaging.campaign.source')}>
            {t(`messaging.sources.${c.source}` as 'messaging.sources.staff')}
          </Fact>
          <Fact term={t('messaging.campaign.created')}>{formatDateTime(c.createdAt, i18n.language)}</Fact>
          <Fact term={t('messaging.campaign.approved')}>
            {c.approvedAt
              ? c.approvedBy
                ? formatDateTime(c.approvedAt, i18n.language)
                : t('messaging.campaign.belowThreshold')
              : ''}
          </Fact>
          <Fact term={t('messaging.campaign.scheduled')}>{formatDateTime(c.scheduledAt, i18n.language)}</Fact>
          <Fact term={t('messaging.campaign.queued')}>{formatDateTime(c.queuedAt, i18n.language)}</Fact>
          {c.cancelledAt && (
            <Fact term={t('messaging.campaign.cancelled')}>
              {formatDateTime(c.cancelledAt, i18n.language)}
            </Fact>
          )}
        </SimpleGrid>
      </Paper>
      <Actions
        crisisId={crisisId}
        campaign={c}
        canApprove={can(me, 'message.approve', crisisId)}
        canSend={can(me, 'message.send', crisisId)}
      />
      {c.progress.total > 0 && (
        <Paper withBorder p="md" component="section" aria-labelledby="campaign-progress-heading">
          <Title order={2} size="h3" id="campaign-progress-heading" mb="sm">
            {t('messaging.campaign.progress')}
          </Title>
          <Group gap="lg" data-testid="campaign-progress">
            {PROGRESS_KEYS.filter(
              (k) => c.progress[k] > 0 || ['queued', 'sent', 'delivered', 'failed'].includes(k),
            ).map((k) => (
              <div key={k} data-progress={k}>
                <Text size="xl" fw={700} data-testid={`progress-${k}`}>
                  {n(c.progress[k])}
                </Text>
                <Text size="sm">{t(`messaging.messageStatus.${k}`)}</Text>
              </div>
            ))}
          </Group>
        </Paper>
      )}
      {can(me, 'person.read', crisisId) && ['draft', 'awaiting_approval', 'approved'].includes(c.status) && (
        <RecipientPreview crisisId={crisisId} campaignId={c.id} />
      )}
    </Stack>
  );
}

function Actions({
  crisisId,
  campaign,
  canApprove,
  canSend,
}: {
  crisisId: string;
  campaign: Campaign;
  canApprove: boolean;
  canSend: boolean;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const errors = useApiErrors();
  const [when, setWhen] = useState('');
  const act = useMutation({
    mutationFn: ({ action, body }: { action: string; body?: unknown }) =>
      api.post<Campaign>(`${campaignPath(crisisId, campaign.id)}/${action}`, body),
    onSuccess: (updated) => {
      errors.clear();
      queryClient.setQueryData(messagingKeys.campaign(crisisId, campaign.id), updated);
      void queryClient.invalidateQueries({ queryKey: messagingKeys.campaigns(crisisId) });
    },
    onError: errors.setError,
  });
  const s = campaign.status;
  const cancellable = ['draft', 'awaiting_approval', 'approved', 'queued', 'sending'].includes(s);
  if (!cancellable && !errors.error) return null;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="campaign-actions-heading">
      <Title order={2} size="h3" id="campaign-actions-heading" mb="sm">
        {t('messaging.campaign.actions')}
      </Title>
      <Stack>
        {s === 'draft' && <Text size="sm">{t('messaging.campaign.draftHelp')}</Text>}
        {s === 'awaiting_approval' && <Text size="sm">{t('messaging.campaign.awaitingHelp')}</Text>}
        {s === 'approved' && <Text size="sm">{t('messaging.campaign.approvedHelp')}</Text>}
        <Group align="flex-end">
          {s === 'draft' && canSend && (
            <Button
              onClick={() => act.mutate({ action: 'submit' })}
              loading={act.isPending}
              data-testid="campaign-submit"
            >
              {t('messaging.campaign.submit')}
            </Button>
          )}
          {s === 'awaiting_approval' && canApprove && (
            <Button
              onClick={() => act.mutate({ action: 'approve' })}
              loading={act.isPending}
              data-testid="campaign-approve"
            >
              {t('messaging.campaign.approve')}
            </Button>
          )}
          {s === 'approved' && canSend && (
            <>
              <Button
                onClick={() => act.mutate({ action: 'send', body: { scheduledAt: null } })}
                loading={act.isPending}
                data-testid="campaign-send"
              >
                {t('messaging.campaign.sendNow')}
              </Button>
              <TextInput
                label={t('messaging.editor.schedule')}
                type="datetime-local"
                value={when}
                onChange={(e) => setWhen(e.currentTarget.value)}
              />
              <Button
                variant="default"
                disabled={!when}
                onClick={() =>
                  act.mutate({ action: 'send', body: { scheduledAt: new Date(when).toISOString() } })
                }
              >
                {t('messaging.campaign.schedule')}
              </Button>
            </>
          )}
          {cancellable && (canSend || canApprove) && (
            <Button
              color="red.9"
              variant="outline"
              onClick={() => act.mutate({ action: 'cancel' })}
              loading={act.isPending}
              data-testid="campaign-cancel"
            >
              {t('messaging.campaign.cancel')}
            </Button>
          )}
        </Group>
        {isApiError(errors.error, 'second_person_required') ? (
          <Alert color="red.9" variant="outline" role="alert" data-testid="campaign-error">
            {t('messaging.campaign.secondPerson')}
          </Alert>
        ) : (
          <ErrorSummary error={errors.error} shownPaths={[]} fieldMessage={errors.fieldMessage} />
        )}
      </Stack>
    </Paper>
  );
}

function RecipientPreview({ crisisId, campaignId }: { crisisId: string; campaignId: string }) {
  const { t } = useTranslation();
  const channelLabel = useChannelLabel();
  const preview = useQuery(campaignPreviewQuery(crisisId, campaignId));
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="campaign-preview-heading">
      <Title order={2} size="h3" id="campaign-preview-heading" mb="sm">
        {t('messaging.campaign.preview')}
      </Title>
      {preview.isPending && <Loading />}
      {preview.isError && <LoadError error={preview.error} />}
      {preview.data && preview.data.length === 0 && <Text>{t('messaging.campaign.nobody')}</Text>}
      {preview.data && preview.data.length > 0 && (
        <div className="table-scroll">
          <Table withTableBorder data-testid="campaign-preview">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('messaging.campaign.person')}</Table.Th>
                <Table.Th scope="col">{t('messaging.history.channel')}</Table.Th>
                <Table.Th scope="col">{t('messaging.history.text')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {preview.data.map((r) => (
                <Table.Tr key={r.personId}>
                  <Table.Th scope="row">
                    <Link to={`/registry/${encodeURIComponent(r.personId)}`}>
                      <span dir="auto">{r.name}</span>
                    </Link>
                    <Text size="xs" className="mono">
                      {r.reference}
                    </Text>
                  </Table.Th>
                  <Table.Td>
                    {channelLabel(r.channel)}
                    <Text size="xs" className="mono" dir="ltr">
                      {r.address}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text dir={r.rendered.language === 'ar' ? 'rtl' : 'ltr'} lang={r.rendered.language}>
                      {r.rendered.subject && <strong>{r.rendered.subject} — </strong>}
                      {r.rendered.body}
                    </Text>
                    {r.channel === 'sms' && <SmsCounter info={r.rendered.sms} />}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
    </Paper>
  );
}
