import {
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  List,
  NativeSelect,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import {
  type DataPackage,
  type PackageFormat,
  type PackagePreview,
  packagesQuery,
  partnerKeys,
  profilesQuery,
  requestsQuery,
} from '../api/partners';
import { crisisPath } from '../api/registry';
import { formatDateTime } from '../format';
import { tones } from '../theme';
import { ErrorSummary, useApiErrors } from './api-errors';
import { LinkStateBadge, usePartnerLabel } from './partner-bits';
import { ActionText, LoadError } from './status';

/**
 * Builds a package from a sharing profile: a preview first (row count, field list), then the
 * package; its download link is shown here once and never again.
 */
export function PackageBuilder({ crisisId, partnerId }: { crisisId: string; partnerId: string }) {
  const { t } = useTranslation();
  const label = usePartnerLabel();
  const queryClient = useQueryClient();
  const profiles = useQuery(profilesQuery(crisisId, partnerId));
  const requests = useQuery(requestsQuery(crisisId, partnerId));
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useApiErrors(formRef);
  const headingId = useId();
  const [profileId, setProfileId] = useState('');
  const [requestId, setRequestId] = useState('');
  const [format, setFormat] = useState<PackageFormat>('csv');
  const [hours, setHours] = useState<number | ''>('');
  const [maxDownloads, setMaxDownloads] = useState<number | ''>('');
  const [preview, setPreview] = useState<PackagePreview | null>(null);
  const [link, setLink] = useState<string | null>(null);

  const chosen = profileId || profiles.data?.[0]?.id || '';
  const previewMutation = useMutation({
    mutationFn: () =>
      api.post<PackagePreview>(`${crisisPath(crisisId)}/data-packages/preview`, { profileId: chosen }),
    onSuccess: (result) => {
      setPreview(result);
      if (!result.formats.includes(format)) setFormat(result.formats[0] ?? 'csv');
    },
    onError: errors.setError,
  });
  const build = useMutation({
    mutationFn: () =>
      api.post<{ package: DataPackage; downloadUrl: string }>(`${crisisPath(crisisId)}/data-packages`, {
        profileId: chosen,
        requestId: requestId || null,
        format,
        ...(hours !== '' ? { expiresInHours: hours } : {}),
        maxDownloads: maxDownloads === '' ? null : maxDownloads,
      }),
    onSuccess: async (created) => {
      setLink(created.downloadUrl);
      setPreview(null);
      await queryClient.invalidateQueries({ queryKey: partnerKeys.all(crisisId) });
    },
    onError: errors.setError,
  });

  if (profiles.isError) return <LoadError error={profiles.error} />;
  const openRequests = (requests.data ?? []).filter((r) => r.state !== 'closed');
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId}>
      <Stack>
        <Title order={3} size="h4" id={headingId}>
          {t('partners.packages.build')}
        </Title>
        {link && (
          <Alert
            color={tones.success}
            variant="outline"
            title={t('partners.packages.linkTitle')}
            role="status"
          >
            <Stack gap="xs">
              <Text size="sm">{t('partners.packages.linkOnce')}</Text>
              <Code block dir="ltr" data-testid="package-link">
                {link}
              </Code>
              <Group>
                <CopyButton value={link}>
                  {({ copied, copy }) => (
                    <Button size="xs" onClick={copy} variant={copied ? 'filled' : 'default'}>
                      {copied ? t('partners.packages.copied') : t('partners.packages.copy')}
                    </Button>
                  )}
                </CopyButton>
                <Button size="xs" variant="default" onClick={() => setLink(null)}>
                  {t('partners.packages.hideLink')}
                </Button>
              </Group>
            </Stack>
          </Alert>
        )}
        {profiles.data && profiles.data.length === 0 ? (
          <Text size="sm">{t('partners.packages.noProfile')}</Text>
        ) : (
          <form
            ref={formRef}
            noValidate
            data-testid="package-form"
            onSubmit={(event) => {
              event.preventDefault();
              errors.clear();
              build.mutate();
            }}
          >
            <Stack gap="sm">
              <ErrorSummary
                error={errors.error}
                shownPaths={['profileId', 'requestId', 'format', 'expiresInHours', 'maxDownloads']}
                fieldMessage={errors.fieldMessage}
              />
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                <NativeSelect
                  label={t('partners.packages.profile')}
                  value={chosen}
                  onChange={(event) => {
                    setProfileId(event.currentTarget.value);
                    setPreview(null);
                  }}
                  data={(profiles.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
                  error={errors.fieldError('profileId')}
                />
                <NativeSelect
                  label={t('partners.packages.request')}
                  value={requestId}
                  onChange={(event) => setRequestId(event.currentTarget.value)}
                  data={[
                    { value: '', label: t('partners.packages.noRequest') },
                    ...openRequests.map((r) => ({ value: r.id, label: r.subject })),
                  ]}
                  error={errors.fieldError('requestId')}
                />
                <NativeSelect
                  label={t('partners.packages.format')}
                  value={format}
                  onChange={(event) => setFormat(event.currentTarget.value as PackageFormat)}
                  data={(preview?.formats ?? (['csv', 'xlsx', 'hxl'] as PackageFormat[])).map((value) => ({
                    value,
                    label: label('format', value),
                  }))}
                  error={errors.fieldError('format')}
                />
                <NumberInput
                  label={t('partners.packages.expiresInHours')}
                  description={t('partners.packages.expiresHint')}
                  min={1}
                  value={hours}
                  onChange={(value) => setHours(typeof value === 'number' ? value : '')}
                  error={errors.fieldError('expiresInHours')}
                />
                <NumberInput
                  label={t('partners.packages.maxDownloads')}
                  description={t('partners.packages.maxDownloadsHint')}
                  min={1}
                  max={100}
                  value={maxDownloads}
                  onChange={(value) => setMaxDownloads(typeof value === 'number' ? value : '')}
                  error={errors.fieldError('maxDownloads')}
                />
              </SimpleGrid>
              {preview && (
                <Alert
                  variant="outline"
                  title={t('partners.packages.previewTitle')}
                  data-testid="package-preview"
                >
                  <Text size="sm">
                    {preview.kind === 'persons'
                      ? t('partners.packages.previewPersons', { count: preview.rowCount })
                      : t('partners.packages.previewRows', { count: preview.rowCount })}
                  </Text>
                  <List size="sm">
                    {preview.fields.map((f) => (
                      <List.Item key={f}>
                        {label(preview.kind === 'persons' ? 'field' : 'table', f)}
                      </List.Item>
                    ))}
                  </List>
                </Alert>
              )}
              <Group justify="flex-end">
                <Button
                  variant="default"
                  loading={previewMutation.isPending}
                  disabled={!chosen}
                  onClick={() => {
                    errors.clear();
                    previewMutation.mutate();
                  }}
                >
                  {t('partners.packages.preview')}
                </Button>
                <Button type="submit" loading={build.isPending} disabled={!preview || preview.rowCount === 0}>
                  {t('partners.packages.buildButton')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Paper>
  );
}

/** The log of packages sent to a partner, with revocation for whoever builds packages. */
export function PackageList({
  crisisId,
  partnerId,
  canRevoke,
}: {
  crisisId: string;
  partnerId: string;
  canRevoke: boolean;
}) {
  const { t, i18n } = useTranslation();
  const label = usePartnerLabel();
  const queryClient = useQueryClient();
  const packages = useQuery(packagesQuery(crisisId, partnerId));
  const revoke = useMutation({
    mutationFn: (id: string) =>
      api.post<DataPackage>(`${crisisPath(crisisId)}/data-packages/${encodeURIComponent(id)}/revoke`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: partnerKeys.all(crisisId) }),
  });
  if (packages.isError) return <LoadError error={packages.error} />;
  const rows = packages.data ?? [];
  if (packages.data && rows.length === 0) return <Text size="sm">{t('partners.packages.none')}</Text>;
  return (
    <div className="table-scroll">
      <Table withTableBorder data-testid="package-list">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('partners.packages.created')}</Table.Th>
            <Table.Th scope="col">{t('partners.packages.profile')}</Table.Th>
            <Table.Th scope="col">{t('partners.packages.request')}</Table.Th>
            <Table.Th scope="col">{t('partners.packages.rows')}</Table.Th>
            <Table.Th scope="col">{t('partners.packages.digest')}</Table.Th>
            <Table.Th scope="col">{t('partners.packages.link')}</Table.Th>
            <Table.Th scope="col">{t('partners.packages.downloads')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((p) => (
            <Table.Tr key={p.id} data-package={p.id}>
              <Table.Td>
                {formatDateTime(p.createdAt, i18n.language)}
                <Text size="xs" c="dimmed">
                  {p.createdBy} · {label('format', p.format)}
                </Text>
              </Table.Td>
              <Table.Td>
                {p.profileName}
                <Text size="xs">
                  {p.fields.map((f) => label(p.kind === 'persons' ? 'field' : 'table', f)).join(', ')}
                </Text>
              </Table.Td>
              <Table.Td>{p.request?.subject ?? '–'}</Table.Td>
              <Table.Td>{p.rowCount}</Table.Td>
              <Table.Td>
                <Code dir="ltr" title={p.sha256}>
                  {p.sha256.slice(0, 12)}…
                </Code>
              </Table.Td>
              <Table.Td>
                <Stack gap={4}>
                  <LinkStateBadge state={p.linkState} />
                  <Text size="xs">
                    {t('partners.packages.until', { time: formatDateTime(p.expiresAt, i18n.language) })}
                  </Text>
                  {canRevoke && p.linkState === 'live' && (
                    <Button
                      size="xs"
                      color={tones.danger}
                      variant="outline"
                      loading={revoke.isPending && revoke.variables === p.id}
                      onClick={() => revoke.mutate(p.id)}
                    >
                      <ActionText text={t('partners.packages.revoke')} target={p.fileName} />
                    </Button>
                  )}
                </Stack>
              </Table.Td>
              <Table.Td>
                {p.maxDownloads === null
                  ? String(p.downloads)
                  : t('partners.packages.downloadsOf', { count: p.downloads, max: String(p.maxDownloads) })}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}
