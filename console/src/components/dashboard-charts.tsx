import { Paper, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { Figures, SeriesPoint } from '../api/reporting';
import { formatNumber } from './dashboard-figures';

/** Colours with enough contrast on white, the same as in the situation report. */
export const CHART_COLOURS = {
  leave: '#1f5fbf',
  stay: '#2e8540',
  undecided: '#b8860b',
  registered: '#1f5fbf',
  verified: '#2e8540',
  departed: '#8e44ad',
  allocated: '#c0392b',
  openCases: '#b8860b',
} as const;

const INTENTIONS = ['leave', 'stay', 'undecided'] as const;

/**
 * The time series: registered, verified, departed (and seats allocated, open cases when the whole
 * crisis is shown), one point per day; a day without a snapshot is a gap.
 */
export function SeriesChart({ series, zoned }: { series: SeriesPoint[]; zoned: boolean }) {
  const { t, i18n } = useTranslation();
  const lines = (
    zoned
      ? (['registered', 'verified', 'departed'] as const)
      : (['registered', 'verified', 'departed', 'allocated', 'openCases'] as const)
  ).map((key) => ({ key, label: t(`dashboard.${key}`) }));
  const data = series.map((p) => ({ ...p, label: p.day.slice(5) }));
  return (
    <Paper withBorder p="md" data-testid="series-chart">
      <Title order={2} size="h4" mb="xs">
        {t('dashboard.seriesTitle')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('dashboard.seriesHelp')} {zoned ? t('dashboard.zoneSeriesNote') : ''}
      </Text>
      <div dir="ltr" style={{ width: '100%', height: 260 }}>
        <ResponsiveContainer>
          <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="label" />
            <YAxis allowDecimals={false} tickFormatter={(v: number) => formatNumber(i18n.language, v)} />
            <Tooltip />
            <Legend />
            {lines.map((l) => (
              <Line
                key={l.key}
                type="monotone"
                dataKey={l.key}
                name={l.label}
                stroke={CHART_COLOURS[l.key]}
                strokeWidth={2}
                connectNulls={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <VisuallyHidden>
        <Table>
          <caption>{t('dashboard.table')}</caption>
          <thead>
            <tr>
              <th>{t('sitrep.day')}</th>
              {lines.map((l) => (
                <th key={l.key}>{l.label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {series.map((p) => (
              <tr key={p.day}>
                <td>{p.day}</td>
                {lines.map((l) => (
                  <td key={l.key}>{p[l.key] ?? '–'}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </Table>
      </VisuallyHidden>
    </Paper>
  );
}

/** Registered by zone and intention, stacked; a click on a bar opens those persons in the registry. */
export function ZoneIntentionChart({ figures }: { figures: Figures }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const zones = new Map<string, Record<string, number | string | null>>();
  for (const cell of figures.registry.byZoneIntention) {
    const key = cell.zoneId ?? '';
    const row = zones.get(key) ?? { zone: cell.zoneName ?? t('dashboard.noZone'), zoneId: cell.zoneId };
    row[cell.intention] = cell.count;
    zones.set(key, row);
  }
  const data = [...zones.values()];
  const open = (zoneId: unknown, intention: string) => {
    if (typeof zoneId === 'string' && zoneId) navigate(`/registry?zone=${zoneId}&intention=${intention}`);
  };
  return (
    <Paper withBorder p="md" data-testid="zone-chart">
      <Title order={2} size="h4" mb="sm">
        {t('dashboard.byZoneIntention')}
      </Title>
      <div dir="ltr" style={{ width: '100%', height: Math.max(160, 44 * data.length + 60) }}>
        <ResponsiveContainer>
          <BarChart data={data} layout="vertical" margin={{ top: 8, right: 16, bottom: 8, left: 16 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              type="number"
              allowDecimals={false}
              tickFormatter={(v: number) => formatNumber(i18n.language, v)}
            />
            <YAxis type="category" dataKey="zone" width={120} />
            <Tooltip />
            <Legend />
            {INTENTIONS.map((intention) => (
              <Bar
                key={intention}
                dataKey={intention}
                name={t(`sitrep.report.intention.${intention}`)}
                stackId="intention"
                fill={CHART_COLOURS[intention]}
                isAnimationActive={false}
                cursor="pointer"
                onClick={(entry: { payload?: { zoneId?: unknown } }) =>
                  open(entry.payload?.zoneId, intention)
                }
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <Table mt="sm" striped styles={{ th: { textAlign: 'start' } }}>
        <thead>
          <tr>
            <th>{t('dashboard.zone')}</th>
            {INTENTIONS.map((i) => (
              <th key={i}>{t(`sitrep.report.intention.${i}`)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {figures.registry.byZone.map((zone) => (
            <tr key={zone.key}>
              <td>{zone.link ? <Link to={zone.link}>{zone.zoneName}</Link> : t('dashboard.noZone')}</td>
              {INTENTIONS.map((intention) => {
                const cell = figures.registry.byZoneIntention.find(
                  (c) => (c.zoneId ?? '') === zone.key && c.intention === intention,
                );
                return (
                  <td key={intention}>
                    {cell?.link ? (
                      <Link to={cell.link}>{formatNumber(i18n.language, cell.count)}</Link>
                    ) : (
                      formatNumber(i18n.language, cell?.count ?? 0)
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </Table>
    </Paper>
  );
}

/** Each leg's fill rate (seats held / capacity); a leg's name opens its page. */
export function LegFillChart({ figures }: { figures: Figures }) {
  const { t, i18n } = useTranslation();
  const data = figures.legs.map((l) => ({ name: l.name, fill: Math.round((l.fillRate ?? 0) * 100) }));
  return (
    <Paper withBorder p="md" data-testid="leg-fill">
      <Title order={2} size="h4" mb="sm">
        {t('dashboard.legs')}
      </Title>
      {figures.legs.length === 0 ? (
        <Text>{t('dashboard.none')}</Text>
      ) : (
        <>
          <div dir="ltr" style={{ width: '100%', height: Math.max(140, 30 * data.length + 50) }}>
            <ResponsiveContainer>
              <BarChart data={data} layout="vertical" margin={{ top: 8, right: 16, bottom: 8, left: 16 }}>
                <XAxis type="number" domain={[0, 100]} unit="%" />
                <YAxis type="category" dataKey="name" width={120} />
                <Tooltip />
                <Bar
                  dataKey="fill"
                  name={t('dashboard.fill')}
                  fill={CHART_COLOURS.registered}
                  isAnimationActive={false}
                />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <Table mt="sm" striped styles={{ th: { textAlign: 'start' } }}>
            <thead>
              <tr>
                <th>{t('dashboard.leg')}</th>
                <th>{t('dashboard.departure')}</th>
                <th>{t('dashboard.held')}</th>
                <th>{t('dashboard.capacity')}</th>
                <th>{t('dashboard.fill')}</th>
              </tr>
            </thead>
            <tbody>
              {figures.legs.map((l) => (
                <tr key={l.id}>
                  <td>
                    <Link to={l.link}>{l.name}</Link>
                  </td>
                  <td>{l.departureAt.slice(0, 16).replace('T', ' ')}</td>
                  <td>{formatNumber(i18n.language, l.held)}</td>
                  <td>{formatNumber(i18n.language, l.capacity)}</td>
                  <td>{l.fillRate === null ? '–' : `${Math.round(l.fillRate * 100)} %`}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        </>
      )}
    </Paper>
  );
}
