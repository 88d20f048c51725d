import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  Group,
  NativeSelect,
  NumberInput,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CHANNEL_KINDS,
  type Channel,
  type ChannelKind,
  type ChannelTestResult,
  channelsQuery,
  createChannel,
  deliveryKeys,
  PROVIDERS_BY_CHANNEL,
  type Provider,
  testChannel,
  updateChannel,
} from '../api/delivery';
import { ErrorSummary, useApiErrors } from '../components/api-errors';
import { PageTitle } from '../components/page-title';
import { LoadError, Loading } from '../components/status';
import { formatDateTime } from '../format';
import { can, useMe, useSession } from '../session';
import { tones } from '../theme';

/** Provider settings shown as fields (everything else keeps the server's defaults). */
const FIELDS: Record<Provider, { key: string; kind: 'text' | 'number' | 'boolean' }[]> = {
  webhook: [
    { key: 'url', kind: 'text' },
    { key: 'from', kind: 'text' },
  ],
  twilio: [
    { key: 'baseUrl', kind: 'text' },
    { key: 'accountSid', kind: 'text' },
    { key: 'from', kind: 'text' },
  ],
  smtp: [
    { key: 'host', kind: 'text' },
    { key: 'port', kind: 'number' },
    { key: 'secure', kind: 'boolean' },
    { key: 'from', kind: 'text' },
    { key: 'user', kind: 'text' },
  ],
  console: [],
};

/** Email, SMS and WhatsApp channels of the crisis: provider, settings, secret variable, rate, test. */
export default function MessagingChannelsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { selectedCrisis } = useSession();
  const title = t('delivery.channels.title');
  if (!selectedCrisis || !can(me, 'message.send', selectedCrisis.id)) {
    return (
      <>
        <PageTitle title={title}>{title}</PageTitle>
        <Text>{selectedCrisis ? t('delivery.notAllowed') : t('registry.noCrisis')}</Text>
      </>
    );
  }
  return (
    <ChannelsView
      key={selectedCrisis.id}
      crisisId={selectedCrisis.id}
      canManage={can(me, 'message.approve', selectedCrisis.id)}
    />
  );
}

function ChannelsView({ crisisId, canManage }: { crisisId: string; canManage: boolean }) {
  const { t, i18n } = useTranslation();
  const channels = useQuery(channelsQuery(crisisId));
  const [editing, setEditing] = useState<Channel | 'new' | null>(null);
  const title = t('delivery.channels.title');
  if (channels.isPending) return <Loading />;
  if (channels.isError) return <LoadError error={channels.error} />;
  const missing = CHANNEL_KINDS.filter((k) => !channels.data.some((c) => c.channel === k));
  return (
    <Stack>
      <PageTitle title={title}>{title}</PageTitle>
      <Text c="dimmed">{t('delivery.channels.intro')}</Text>
      {channels.data.length === 0 ? (
        <Text>{t('delivery.channels.empty')}</Text>
      ) : (
        <div className="table-scroll">
          <Table withTableBorder data-testid="channels-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('delivery.channels.channel')}</Table.Th>
                <Table.Th scope="col">{t('delivery.channels.provider')}</Table.Th>
                <Table.Th scope="col">{t('delivery.channels.rate')}</Table.Th>
                <Table.Th scope="col">{t('delivery.channels.secret')}</Table.Th>
                <Table.Th scope="col">{t('delivery.channels.state')}</Table.Th>
                <Table.Th scope="col">{t('delivery.channels.webhooks')}</Table.Th>
                {canManage && <Table.Th scope="col">{t('delivery.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {channels.data.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Th scope="row">{t(`delivery.channelKinds.${c.channel}`)}</Table.Th>
                  <Table.Td>{t(`delivery.providers.${c.provider}`)}</Table.Td>
                  <Table.Td>{c.ratePerSecond.toLocaleString(i18n.language)}</Table.Td>
                  <Table.Td>
                    {c.secretEnv ? (
                      <Group gap="xs">
                        <Code>{c.secretEnv}</Code>
                        <Badge variant="outline" color={c.secretSet ? tones.success : tones.danger}>
                          {c.secretSet
                            ? t('delivery.channels.secretSet')
                            : t('delivery.channels.secretMissing')}
                        </Badge>
                      </Group>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                  <Table.Td>
                    {!c.enabled
                      ? t('delivery.channels.disabled')
                      : c.pausedUntil
                        ? t('delivery.channels.pausedUntil', {
                            time: formatDateTime(c.pausedUntil, i18n.language),
                          })
                        : t('delivery.channels.enabled')}
                  </Table.Td>
                  <Table.Td>
                    {c.provider === 'webhook' || c.provider === 'twilio' ? (
                      <Stack gap={2}>
                        <Text size="xs">
                          {t('delivery.channels.statusUrl')}: <Code>{c.statusUrl}</Code>
                        </Text>
                        <Text size="xs">
                          {t('delivery.channels.inboundUrl')}: <Code>{c.inboundUrl}</Code>
                        </Text>
                      </Stack>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                  {canManage && (
                    <Table.Td>
                      <Button size="xs" variant="default" onClick={() => setEditing(c)}>
                        {t('delivery.channels.edit')}
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
      {canManage && missing.length > 0 && editing === null && (
        <Group>
          <Button onClick={() => setEditing('new')} data-testid="channel-new">
            {t('delivery.channels.add')}
          </Button>
        </Group>
      )}
      {canManage && editing !== null && (
        <ChannelForm
          key={editing === 'new' ? 'new' : editing.id}
          crisisId={crisisId}
          channel={editing === 'new' ? null : editing}
          kinds={editing === 'new' ? missing : [editing.channel]}
          onDone={() => setEditing(null)}
        />
      )}
      {canManage && channels.data.map((c) => <ChannelTest key={c.id} crisisId={crisisId} channel={c} />)}
    </Stack>
  );
}

function ChannelForm({
  crisisId,
  channel,
  kinds,
  onDone,
}: {
  crisisId: string;
  channel: Channel | null;
  kinds: readonly ChannelKind[];
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useApiErrors(formRef);
  const [kind, setKind] = useState<ChannelKind>(channel?.channel ?? kinds[0] ?? 'sms');
  const [provider, setProvider] = useState<Provider>(channel?.provider ?? PROVIDERS_BY_CHANNEL[kind][0]!);
  const [settings, setSettings] = useState<Record<string, unknown>>(channel?.settings ?? {});
  const [secretEnv, setSecretEnv] = useState(channel?.secretEnv ?? '');
  const [rate, setRate] = useState<number>(channel?.ratePerSecond ?? 10);
  const [enabled, setEnabled] = useState(channel?.enabled ?? true);
  const save = useMutation({
    mutationFn: () => {
      const input = {
        provider,
        settings: Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== '' && v !== undefined)),
        secretEnv: secretEnv.trim() || null,
        ratePerSecond: rate,
        enabled,
      };
      return channel
        ? updateChannel(crisisId, channel.id, input)
        : createChannel(crisisId, { ...input, channel: kind });
    },
    onSuccess: async () => {
      errors.clear();
      await queryClient.invalidateQueries({ queryKey: deliveryKeys.channels(crisisId) });
      onDone();
    },
    onError: errors.setError,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const shown = [
    'provider',
    'secretEnv',
    'ratePerSecond',
    ...FIELDS[provider].map((f) => `settings.${f.key}`),
  ];
  return (
    <Paper withBorder p="md">
      <form ref={formRef} onSubmit={submit} noValidate>
        <Stack>
          <Title order={2} size="h4">
            {channel
              ? t('delivery.channels.editTitle', { channel: t(`delivery.channelKinds.${channel.channel}`) })
              : t('delivery.channels.add')}
          </Title>
          {!channel && (
            <NativeSelect
              label={t('delivery.channels.channel')}
              value={kind}
              data={kinds.map((k) => ({ value: k, label: t(`delivery.channelKinds.${k}`) }))}
              onChange={(e) => {
                const next = e.currentTarget.value as ChannelKind;
                setKind(next);
                setProvider(PROVIDERS_BY_CHANNEL[next][0]!);
                setSettings({});
              }}
            />
          )}
          <NativeSelect
            label={t('delivery.channels.provider')}
            value={provider}
            data={PROVIDERS_BY_CHANNEL[kind].map((p) => ({ value: p, label: t(`delivery.providers.${p}`) }))}
            onChange={(e) => {
              setProvider(e.currentTarget.value as Provider);
              setSettings({});
            }}
            error={errors.fieldError('provider')}
          />
          {FIELDS[provider].map((f) =>
            f.kind === 'boolean' ? (
              <Checkbox
                key={f.key}
                label={t(`delivery.settings.${f.key}` as 'delivery.settings.secure')}
                checked={settings[f.key] === true}
                onChange={(e) => setSettings({ ...settings, [f.key]: e.currentTarget.checked })}
              />
            ) : f.kind === 'number' ? (
              <NumberInput
                key={f.key}
                label={t(`delivery.settings.${f.key}` as 'delivery.settings.port')}
                value={typeof settings[f.key] === 'number' ? (settings[f.key] as number) : ''}
                onChange={(v) => setSettings({ ...settings, [f.key]: typeof v === 'number' ? v : undefined })}
                error={errors.fieldError(`settings.${f.key}`)}
              />
            ) : (
              <TextInput
                key={f.key}
                label={t(`delivery.settings.${f.key}` as 'delivery.settings.url')}
                dir="ltr"
                value={typeof settings[f.key] === 'string' ? (settings[f.key] as string) : ''}
                onChange={(e) => setSettings({ ...settings, [f.key]: e.currentTarget.value })}
                error={errors.fieldError(`settings.${f.key}`)}
              />
            ),
          )}
          {provider !== 'console' && (
            <TextInput
              label={t('delivery.channels.secretEnv')}
              description={t('delivery.channels.secretEnvHelp')}
              dir="ltr"
              value={secretEnv}
              onChange={(e) => setSecretEnv(e.currentTarget.value)}
              error={errors.fieldError('secretEnv')}
            />
          )}
          <NumberInput
            label={t('delivery.channels.rate')}
            min={0.1}
            value={rate}
            onChange={(v) => setRate(typeof v === 'number' ? v : 10)}
            error={errors.fieldError('ratePerSecond')}
          />
          <Checkbox
            label={t('delivery.channels.enabled')}
            checked={enabled}
            onChange={(e) => setEnabled(e.currentTarget.checked)}
          />
          <ErrorSummary error={errors.error} shownPaths={shown} fieldMessage={errors.fieldMessage} />
          <Group>
            <Button type="submit" loading={save.isPending} data-testid="channel-save">
              {t('delivery.channels.save')}
            </Button>
            <Button variant="default" onClick={onDone}>
              {t('delivery.cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function ChannelTest({ crisisId, channel }: { crisisId: string; channel: Channel }) {
  const { t } = useTranslation();
  const [to, setTo] = useState('');
  const [result, setResult] = useState<ChannelTestResult | null>(null);
  const errors = useApiErrors();
  const run = useMutation({
    mutationFn: () => testChannel(crisisId, channel.id, to),
    onSuccess: (r) => {
      errors.clear();
      setResult(r);
    },
    onError: errors.setError,
  });
  const kind = t(`delivery.channelKinds.${channel.channel}`);
  return (
    <Paper withBorder p="sm">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          run.mutate();
        }}
      >
        <Group align="end">
          <TextInput
            label={t('delivery.channels.testTo', { channel: kind })}
            dir="ltr"
            value={to}
            onChange={(e) => setTo(e.currentTarget.value)}
            error={errors.fieldError('to')}
          />
          <Button type="submit" variant="default" loading={run.isPending}>
            {t('delivery.channels.test')}
          </Button>
        </Group>
      </form>
      {result && (
        <Alert mt="sm" color={result.ok ? tones.success : tones.danger} variant="outline" role="status">
          {result.ok
            ? t('delivery.channels.testOk', { id: result.providerMessageId })
            : t('delivery.channels.testFailed', { error: result.error })}
        </Alert>
      )}
    </Paper>
  );
}
