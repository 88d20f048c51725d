import { Badge, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Figure, Figures } from '../api/reporting';

export const formatNumber = (lang: string, n: number) =>
  new Intl.NumberFormat(lang === 'ar' ? 'ar-u-nu-latn' : lang).format(n);

/** One headline figure; when it has a list page, the number opens it (with the page's own access). */
export function FigureCard({ label, figure, testId }: { label: string; figure: Figure; testId: string }) {
  const { i18n } = useTranslation();
  const value = formatNumber(i18n.language, figure.count);
  return (
    <Paper withBorder p="sm" data-testid={testId}>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fz={28} fw={700}>
        {figure.link ? (
          <Link to={figure.link} aria-label={`${label}: ${value}`}>
            {value}
          </Link>
        ) : (
          value
        )}
      </Text>
    </Paper>
  );
}

/** The headline figures of the day, each clickable through to its records. */
export function HeadlineFigures({ figures }: { figures: Figures }) {
  const { t } = useTranslation();
  const cards: Array<[string, Figure, string]> = [
    [t('dashboard.registered'), figures.registry.total, 'figure-registered'],
    [t('dashboard.verified'), figures.registry.verified, 'figure-verified'],
    [t('dashboard.onList'), figures.onList, 'figure-on-list'],
    [t('dashboard.allocated'), figures.movement.allocated, 'figure-allocated'],
    [t('dashboard.departed'), figures.movement.departed, 'figure-departed'],
    [t('dashboard.openCases'), figures.cases.open, 'figure-open-cases'],
    [t('dashboard.overdueCases'), figures.cases.overdue, 'figure-overdue'],
  ];
  return (
    <SimpleGrid cols={{ base: 2, sm: 4, lg: 7 }}>
      {cards.map(([label, figure, testId]) => (
        <FigureCard key={testId} label={label} figure={figure} testId={testId} />
      ))}
    </SimpleGrid>
  );
}

/** A breakdown (label → count) as a small table whose counts link to their records. */
export function Breakdown({
  title,
  items,
  labelOf,
  testId,
}: {
  title: string;
  items: Figure[];
  labelOf: (key: string) => string;
  testId: string;
}) {
  const { t, i18n } = useTranslation();
  return (
    <Paper withBorder p="md" data-testid={testId}>
      <Title order={2} size="h4" mb="sm">
        {title}
      </Title>
      {items.length === 0 ? (
        <Text>{t('dashboard.none')}</Text>
      ) : (
        <Table striped>
          <tbody>
            {items.map((item) => (
              <tr key={item.key}>
                <th scope="row" style={{ textAlign: 'start', fontWeight: 'normal' }}>
                  {labelOf(item.key)}
                </th>
                <td style={{ textAlign: 'end' }}>
                  {item.link ? (
                    <Link to={item.link}>{formatNumber(i18n.language, item.count)}</Link>
                  ) : (
                    formatNumber(i18n.language, item.count)
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </Paper>
  );
}

const SIDE_COLOURS: Record<string, string> = { open: '#1b5e20', restricted: '#8a5a00', closed: '#a51d1d' };

/** Each crossing point with the status of its sides. */
export function CrossingStatus({ figures }: { figures: Figures }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" data-testid="crossing-status">
      <Title order={2} size="h4" mb="sm">
        {t('dashboard.crossings')}
      </Title>
      {figures.crossings.length === 0 ? (
        <Text>{t('dashboard.none')}</Text>
      ) : (
        <Stack gap="xs">
          {figures.crossings.map((c) => (
            <div key={c.id}>
              <Text fw={600}>
                <Link to={c.link}>{c.name}</Link>
              </Text>
              {c.sides.map((s) => (
                <Text key={s.name} size="sm">
                  {s.name}{' '}
                  <Badge variant="outline" color={SIDE_COLOURS[s.status] ?? '#343a40'} radius="sm">
                    {t(`sitrep.report.crossingStatus.${s.status}`, { defaultValue: s.status })}
                  </Badge>
                </Text>
              ))}
            </div>
          ))}
        </Stack>
      )}
    </Paper>
  );
}
