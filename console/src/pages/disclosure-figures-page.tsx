import { Alert, Anchor, Group, List, Paper, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { figuresQuery } from '../api/disclosure';
import { DisclosureTable } from '../components/disclosure-table';
import { PageTitle } from '../components/page-title';
import { LoadError, Loading } from '../components/status';
import { formatDateTime } from '../format';
import { useSession } from '../session';

/** The narrowest interval an attacker gets for a hidden small count ("no upper bound" counts as wide). */
function narrowest(protection: { low: number; high: number | null }[]): number {
  const finite = protection.filter((p) => p.high !== null).map((p) => (p.high ?? 0) - p.low);
  return finite.length ? Math.min(...finite) : 0;
}

/**
 * What the public may see of the selected crisis (the figures of the day, or a live preview), with
 * every hidden cell and the reason it is hidden — never the hidden value.
 */
export default function DisclosureFiguresPage() {
  const { t, i18n } = useTranslation();
  const { selectedCrisis } = useSession();
  const [source, setSource] = useState<'published' | 'live'>('published');
  const title = t('disclosure.figuresTitle');
  const figures = useQuery({
    ...figuresQuery(selectedCrisis?.id ?? '', source, i18n.language),
    enabled: Boolean(selectedCrisis),
  });

  if (!selectedCrisis) {
    return (
      <>
        <PageTitle title={title}>{title}</PageTitle>
        <Text>{t('disclosure.noCrisis')}</Text>
      </>
    );
  }
  const data = figures.data;
  return (
    <Stack>
      <PageTitle title={title}>{title}</PageTitle>
      <Group justify="space-between" align="flex-end">
        <SegmentedControl
          aria-label={t('disclosure.source')}
          value={source}
          onChange={(v) => setSource(v === 'live' ? 'live' : 'published')}
          data={[
            { value: 'published', label: t('disclosure.sourcePublished') },
            { value: 'live', label: t('disclosure.sourceLive') },
          ]}
        />
        <Anchor component={Link} to="/disclosure/rules">
          {t('disclosure.rulesLink')}
        </Anchor>
      </Group>
      {figures.isPending && <Loading />}
      {figures.isError && <LoadError error={figures.error} />}
      {data && (
        <>
          <Text size="sm" data-testid="disclosure-computed-at">
            {t(data.source === 'live' ? 'disclosure.computedLive' : 'disclosure.computedAt', {
              time: formatDateTime(data.computedAt, i18n.language),
            })}{' '}
            {t('disclosure.rulesSummary', { k: data.rules.minCount, base: data.rules.roundingBase })}
          </Text>
          {data.pendingChange && (
            <Alert
              variant="outline"
              color="#8a5a00"
              title={t('disclosure.pendingTitle')}
              data-testid="disclosure-pending"
            >
              {t('disclosure.pendingText')}
            </Alert>
          )}
          {data.source === 'live' && (
            <Alert variant="outline" color="#8a5a00" title={t('disclosure.previewTitle')}>
              {t('disclosure.previewText')}
            </Alert>
          )}
          <Paper withBorder p="md">
            <Title order={2} size="h3" mb="xs">
              {t('disclosure.sentences')}
            </Title>
            {data.sentences.length === 0 ? (
              <Text>{t('disclosure.noSentences')}</Text>
            ) : (
              <List data-testid="disclosure-sentences">
                {data.sentences.map((s) => (
                  <List.Item key={`${s.tableId}-${s.row}-${s.column}`}>{s.text}</List.Item>
                ))}
              </List>
            )}
          </Paper>
          <Paper withBorder p="md">
            <Title order={2} size="h3" mb="xs">
              {t('disclosure.legendTitle')}
            </Title>
            <List size="sm">
              <List.Item>{t('disclosure.legend.small', { k: data.rules.minCount })}</List.Item>
              <List.Item>{t('disclosure.legend.complement')}</List.Item>
              <List.Item>{t('disclosure.legend.restricted')}</List.Item>
            </List>
          </Paper>
          {data.tables.length === 0 && <Text>{t('disclosure.noTables')}</Text>}
          {data.tables.map((table) => (
            <DisclosureTable key={table.id} table={table} roundingBase={data.rules.roundingBase} />
          ))}
          {data.protection.length > 0 && (
            <Text size="sm" data-testid="disclosure-protection">
              {t('disclosure.protection', { n: data.protection.length, width: narrowest(data.protection) })}
            </Text>
          )}
        </>
      )}
    </Stack>
  );
}
