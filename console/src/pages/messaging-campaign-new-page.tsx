import { Button, Checkbox, Group, NativeSelect, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { CASE_STATES, CASE_TYPES } from '../api/cases';
import { api } from '../api/client';
import {
  type Audience,
  CAMPAIGN_VARIABLES,
  type Campaign,
  type CampaignInput,
  countAudience,
  type MessageChannel,
  messagingKeys,
  messagingPath,
  templatesQuery,
  type Variables,
} from '../api/messaging';
import { zonesQuery } from '../api/queries';
import { crossingsQuery, listsQuery } from '../api/registry';
import { ELIGIBILITIES, INTENTIONS, PERSON_STATUSES, VULNERABILITIES } from '../api/registry-types';
import { legsQuery } from '../api/transport';
import { ErrorSummary, useApiErrors } from '../components/api-errors';
import { type LabelGroup, useLabel } from '../components/labels';
import { useChannelLabel, useDebounced } from '../components/messaging-bits';
import { PageTitle } from '../components/page-title';
import { LoadError, Loading } from '../components/status';
import { can, useMe, useSession } from '../session';

/** Channel preference orders offered in the editor (first reachable one is used per person). */
export const CHANNEL_ORDERS: MessageChannel[][] = [
  ['sms', 'email'],
  ['sms', 'whatsapp', 'email'],
  ['whatsapp', 'sms', 'email'],
  ['email', 'sms'],
  ['sms'],
  ['whatsapp'],
  ['email'],
];

type ListFilter = 'status' | 'intention' | 'eligibility' | 'vulnerability';
const CHOICES: { key: ListFilter; group: LabelGroup; values: readonly string[] }[] = [
  { key: 'status', group: 'status', values: PERSON_STATUSES },
  { key: 'intention', group: 'intention', values: INTENTIONS },
  { key: 'eligibility', group: 'eligibility', values: ELIGIBILITIES },
  { key: 'vulnerability', group: 'vulnerability', values: VULNERABILITIES },
];

/** A new campaign: template, audience from the registry, channels, variables, live count, schedule. */
export default function MessagingCampaignNewPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { selectedCrisis } = useSession();
  const title = t('messaging.editor.title');
  if (!selectedCrisis || !can(me, 'message.send', selectedCrisis.id)) {
    return (
      <>
        <PageTitle title={title}>{title}</PageTitle>
        <Text>{selectedCrisis ? t('messaging.notAllowed') : t('registry.noCrisis')}</Text>
      </>
    );
  }
  return (
    <Stack key={selectedCrisis.id}>
      <PageTitle title={title}>{title}</PageTitle>
      <CampaignEditor crisisId={selectedCrisis.id} />
    </Stack>
  );
}

/** A local date-time input value ("2026-12-04T09:00") as ISO, or null when empty. */
const toIso = (local: string) => (local ? new Date(local).toISOString() : null);

function CampaignEditor({ crisisId }: { crisisId: string }) {
  const { t, i18n } = useTranslation();
  const label = useLabel();
  const channelLabel = useChannelLabel();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useApiErrors(formRef);
  const templates = useQuery(templatesQuery(crisisId));
  const zones = useQuery(zonesQuery(crisisId));
  const legs = useQuery(legsQuery(crisisId));
  const lists = useQuery(listsQuery(crisisId));
  const crossings = useQuery(crossingsQuery(crisisId));
  const [name, setName] = useState('');
  const [templateId, setTemplateId] = useState('');
  const [audience, setAudience] = useState<Audience>({});
  const [order, setOrder] = useState(0);
  const [variables, setVariables] = useState<Record<string, string>>({});
  const [scheduledAt, setScheduledAt] = useState('');
  const channels = CHANNEL_ORDERS[order] ?? ['sms', 'email'];

  const settled = useDebounced({ audience, channels }, 400);
  const count = useQuery({
    queryKey: ['messaging', crisisId, 'count', settled],
    queryFn: ({ signal }) => countAudience(crisisId, settled, signal),
    retry: false,
  });

  const template = templates.data?.find((tpl) => tpl.id === templateId);
  const needed = CAMPAIGN_VARIABLES.filter((v) => template?.variables.includes(v));

  const save = useMutation({
    mutationFn: () => {
      const vars: Variables = {};
      for (const v of needed) if (variables[v]?.trim()) vars[v] = variables[v]!.trim();
      const body: CampaignInput = {
        name,
        templateId,
        audience,
        channels,
        variables: vars,
        scheduledAt: toIso(scheduledAt),
      };
      return api.post<Campaign>(`${messagingPath(crisisId)}/campaigns`, body);
    },
    onSuccess: (campaign) => {
      void queryClient.invalidateQueries({ queryKey: messagingKeys.campaigns(crisisId) });
      navigate(`/messaging/campaigns/${encodeURIComponent(campaign.id)}`);
    },
    onError: errors.setError,
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    errors.clear();
    save.mutate();
  }

  const setFilter = (patch: Partial<Audience>) => {
    const next: Audience = { ...audience, ...patch };
    for (const [k, v] of Object.entries(next))
      if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0) || v === false)
        delete (next as Record<string, unknown>)[k];
    setAudience(next);
  };

  if (templates.isPending) return <Loading />;
  if (templates.isError) return <LoadError error={templates.error} />;
  const n = (value: number) => value.toLocaleString(i18n.language);
  const crossingName = (id: string) => crossings.data?.find((c) => c.id === id)?.name ?? '';

  return (
    <form ref={formRef} onSubmit={submit} noValidate>
      <Stack>
        <Paper withBorder p="md">
          <Stack>
            <TextInput
              label={t('messaging.editor.name')}
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={errors.fieldError('name')}
              dir="auto"
              data-testid="campaign-name"
            />
            <NativeSelect
              label={t('messaging.editor.template')}
              required
              value={templateId}
              onChange={(e) => setTemplateId(e.currentTarget.value)}
              error={errors.fieldError('templateId')}
              data-testid="campaign-template"
              data={[
                { value: '', label: t('messaging.editor.chooseTemplate') },
                ...templates.data.map((tpl) => ({ value: tpl.id, label: tpl.name })),
              ]}
            />
            {templates.data.length === 0 && (
              <Text size="sm">
                <Link to="/messaging/templates">{t('messaging.editor.noTemplates')}</Link>
              </Text>
            )}
            {needed.length > 0 && (
              <Group align="flex-start" grow>
                {needed.map((v) => (
                  <TextInput
                    key={v}
                    label={t(`messaging.variables.${v}`)}
                    description={`{{${v}}}`}
                    required
                    value={variables[v] ?? ''}
                    onChange={(e) => {
                      const value = e.currentTarget.value;
                      setVariables((vars) => ({ ...vars, [v]: value }));
                    }}
                    error={errors.fieldError(`variables.${v}`)}
                    dir="auto"
                    data-testid={`campaign-variable-${v}`}
                  />
                ))}
              </Group>
            )}
          </Stack>
        </Paper>

        <Paper withBorder p="md" component="fieldset" aria-labelledby="audience-heading">
          <Title order={2} size="h3" id="audience-heading" mb="sm">
            {t('messaging.editor.audience')}
          </Title>
          <Stack>
            <NativeSelect
              label={t('messaging.audience.zone')}
              value={audience.zoneId ?? ''}
              onChange={(e) => setFilter({ zoneId: e.currentTarget.value || undefined })}
              error={errors.fieldError('audience.zoneId')}
              data={[
                { value: '', label: t('registry.any') },
                ...(zones.data ?? []).map((z) => ({ value: z.id, label: z.name })),
              ]}
              data-testid="audience-zone"
            />
            {CHOICES.map((choice) => (
              <Checkbox.Group
                key={choice.key}
                label={t(`messaging.audience.${choice.key}`)}
                value={audience[choice.key] ?? []}
                onChange={(value) => setFilter({ [choice.key]: value })}
              >
                <Group mt={6}>
                  {choice.values.map((value) => (
                    <Checkbox
                      key={value}
                      value={value}
                      label={label(choice.group, value)}
                      data-testid={`audience-${choice.key}-${value}`}
                    />
                  ))}
                </Group>
              </Checkbox.Group>
            ))}
            <Group align="flex-end" grow>
              <NativeSelect
                label={t('messaging.audience.onList')}
                value={audience.onList?.listId ?? ''}
                onChange={(e) => {
                  const listId = e.currentTarget.value;
                  setFilter({ onList: listId ? { listId } : undefined });
                }}
                error={errors.fieldError('audience.onList')}
                data={[
                  { value: '', label: t('registry.any') },
                  ...(lists.data ?? []).map((l) => ({
                    value: l.id,
                    label: `${crossingName(l.crossingPointId)} ${l.listDate} (${l.fileName})`,
                  })),
                ]}
              />
              <NativeSelect
                label={t('messaging.audience.leg')}
                value={audience.legId ?? ''}
                onChange={(e) => setFilter({ legId: e.currentTarget.value || undefined })}
                error={errors.fieldError('audience.legId')}
                data={[
                  { value: '', label: t('registry.any') },
                  ...(legs.data ?? []).map((l) => ({
                    value: l.id,
                    label: `${l.name} (${l.origin} → ${l.destination})`,
                  })),
                ]}
              />
            </Group>
            <Checkbox
              label={t('messaging.audience.pendingOffer')}
              checked={audience.pendingOffer ?? false}
              onChange={(e) => setFilter({ pendingOffer: e.currentTarget.checked || undefined })}
            />
            <NativeSelect
              label={t('messaging.audience.caseType')}
              value={audience.caseType ?? ''}
              onChange={(e) => setFilter({ caseType: e.currentTarget.value || undefined })}
              data={[
                { value: '', label: t('registry.any') },
                ...CASE_TYPES.map((value) => ({ value, label: label('caseType', value) })),
              ]}
            />
            {/* Several states at once ("waiting for the person" and "waiting for a partner"); none: any. */}
            <Checkbox.Group
              label={t('messaging.audience.caseState')}
              value={audience.caseState ?? []}
              onChange={(value) => setFilter({ caseState: value.length > 0 ? value : undefined })}
            >
              <Group mt={6}>
                {CASE_STATES.map((value) => (
                  <Checkbox
                    key={value}
                    value={value}
                    label={label('caseState', value)}
                    data-testid={`audience-caseState-${value}`}
                  />
                ))}
              </Group>
            </Checkbox.Group>
            <NativeSelect
              label={t('messaging.editor.channels')}
              description={t('messaging.editor.channelsHelp')}
              value={String(order)}
              onChange={(e) => setOrder(Number(e.currentTarget.value))}
              error={errors.fieldError('channels')}
              data-testid="campaign-channels"
              data={CHANNEL_ORDERS.map((o, i) => ({
                value: String(i),
                label: o.map(channelLabel).join(' → '),
              }))}
            />
            <Paper p="sm" bg="gray.0" role="status" aria-live="polite" data-testid="audience-count">
              {count.data ? (
                <Text fw={600}>
                  {t('messaging.count.summary', {
                    people: n(count.data.people),
                    parts: channels
                      .filter((c) => count.data.byChannel[c] > 0)
                      .map((c) => t(`messaging.count.by.${c}`, { n: n(count.data.byChannel[c]) }))
                      .join(t('messaging.count.separator')),
                  })}
                  {count.data.unreachable > 0 &&
                    ` ${t('messaging.count.unreachable', { n: n(count.data.unreachable) })}`}
                </Text>
              ) : count.isError ? (
                <LoadError error={count.error} />
              ) : (
                <Text>{t('common.loading')}</Text>
              )}
            </Paper>
          </Stack>
        </Paper>

        <Paper withBorder p="md">
          <TextInput
            label={t('messaging.editor.schedule')}
            description={t('messaging.editor.scheduleHelp')}
            type="datetime-local"
            value={scheduledAt}
            onChange={(e) => setScheduledAt(e.currentTarget.value)}
            error={errors.fieldError('scheduledAt')}
          />
        </Paper>
        <ErrorSummary
          error={errors.error}
          shownPaths={[
            'name',
            'templateId',
            'channels',
            'scheduledAt',
            'audience.zoneId',
            'audience.legId',
            'audience.onList',
            ...needed.map((v) => `variables.${v}`),
          ]}
          fieldMessage={errors.fieldMessage}
        />
        <Group>
          <Button type="submit" loading={save.isPending} data-testid="campaign-save">
            {t('messaging.editor.save')}
          </Button>
          <Button component={Link} to="/messaging/campaigns" variant="default">
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
