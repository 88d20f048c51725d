import type { ReportLabels } from './report-labels.js';
import type { ReportContent } from './reporting.schemas.js';

/**
 * The three charts of a situation report as plain data (bars, polylines, labels in a 0..width
 * box), drawn as SVG in the HTML and as vector paths in the PDF, so both show the same picture.
 */

export const CHART_COLOURS = {
  leave: '#1f5fbf',
  stay: '#2e8540',
  undecided: '#b8860b',
  registered: '#1f5fbf',
  verified: '#2e8540',
  departed: '#8e44ad',
  fill: '#1f5fbf',
  track: '#e3e7ee',
  axis: '#6b7280',
} as const;

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
  colour: string;
}
export interface Label {
  x: number;
  y: number;
  text: string;
  anchor: 'start' | 'end' | 'middle';
}
export interface Line {
  points: Array<[number, number]>;
  colour: string;
}
export interface Chart {
  width: number;
  height: number;
  bars: Bar[];
  lines: Line[];
  labels: Label[];
  legend: Array<{ text: string; colour: string }>;
}

const INTENTIONS = ['leave', 'stay', 'undecided'] as const;

/** Registrations by zone and intention: one stacked bar per zone (the 10 largest zones). */
export function zoneIntentionChart(content: ReportContent, t: ReportLabels, width = 520): Chart {
  const zones = new Map<string, { label: string; values: Record<string, number> }>();
  for (const cell of content.figures.registry.byZoneIntention) {
    const key = cell.zoneId ?? '';
    const entry = zones.get(key) ?? { label: cell.zoneName ?? t('noZone'), values: {} };
    entry.values[cell.intention] = (entry.values[cell.intention] ?? 0) + cell.count;
    zones.set(key, entry);
  }
  const rows = [...zones.values()]
    .map((z) => ({ ...z, total: Object.values(z.values).reduce((s, v) => s + v, 0) }))
    .sort((a, b) => b.total - a.total)
    .slice(0, 10);
  const labelWidth = 130;
  const valueWidth = 60;
  const rowHeight = 20;
  const max = Math.max(1, ...rows.map((r) => r.total));
  const span = width - labelWidth - valueWidth;
  const chart: Chart = {
    width,
    height: Math.max(1, rows.length) * rowHeight + 8,
    bars: [],
    lines: [],
    labels: [],
    legend: INTENTIONS.map((i) => ({ text: t(`intention.${i}`), colour: CHART_COLOURS[i] })),
  };
  rows.forEach((row, i) => {
    const y = i * rowHeight + 4;
    chart.labels.push({ x: labelWidth - 6, y: y + 12, text: row.label, anchor: 'end' });
    let x = labelWidth;
    for (const intention of INTENTIONS) {
      const w = ((row.values[intention] ?? 0) / max) * span;
      if (w > 0) chart.bars.push({ x, y, width: w, height: rowHeight - 6, colour: CHART_COLOURS[intention] });
      x += w;
    }
    chart.labels.push({ x: x + 4, y: y + 12, text: String(row.total), anchor: 'start' });
  });
  if (rows.length === 0) chart.labels.push({ x: width / 2, y: 14, text: t('none'), anchor: 'middle' });
  return chart;
}

/** The 14-day trend: registered, verified and departed per day, gaps where a day has no snapshot. */
export function trendChart(content: ReportContent, t: ReportLabels, width = 520): Chart {
  const height = 170;
  const left = 50;
  const bottom = 24;
  const top = 8;
  const points = content.trend;
  const series = ['registered', 'verified', 'departed'] as const;
  const max = Math.max(1, ...points.flatMap((p) => series.map((s) => p[s] ?? 0)));
  const step = points.length > 1 ? (width - left - 10) / (points.length - 1) : 0;
  const yOf = (v: number) => top + (height - top - bottom) * (1 - v / max);
  const chart: Chart = {
    width,
    height,
    bars: [],
    lines: [],
    labels: [],
    legend: series.map((s) => ({ text: t(s), colour: CHART_COLOURS[s] })),
  };
  // Axes as thin bars so both renderers draw them the same way.
  chart.bars.push({ x: left, y: top, width: 1, height: height - top - bottom, colour: CHART_COLOURS.axis });
  chart.bars.push({
    x: left,
    y: height - bottom,
    width: width - left - 10,
    height: 1,
    colour: CHART_COLOURS.axis,
  });
  chart.labels.push({ x: left - 4, y: top + 8, text: String(max), anchor: 'end' });
  chart.labels.push({ x: left - 4, y: height - bottom, text: '0', anchor: 'end' });
  points.forEach((p, i) => {
    if (i % 3 === 0 || i === points.length - 1)
      chart.labels.push({ x: left + i * step, y: height - 8, text: p.day.slice(5), anchor: 'middle' });
  });
  for (const s of series) {
    // A gap (no snapshot that day) splits the line.
    let run: Array<[number, number]> = [];
    points.forEach((p, i) => {
      const v = p[s];
      if (v === null) {
        if (run.length) chart.lines.push({ points: run, colour: CHART_COLOURS[s] });
        run = [];
      } else run.push([left + i * step, yOf(v)]);
    });
    if (run.length) chart.lines.push({ points: run, colour: CHART_COLOURS[s] });
  }
  return chart;
}

/** Each leg's fill rate (seats held / capacity), soonest departures first (at most 12). */
export function legFillChart(content: ReportContent, t: ReportLabels, width = 520): Chart {
  const legs = content.figures.legs.slice(0, 12);
  const labelWidth = 150;
  const valueWidth = 80;
  const rowHeight = 20;
  const span = width - labelWidth - valueWidth;
  const chart: Chart = {
    width,
    height: Math.max(1, legs.length) * rowHeight + 8,
    bars: [],
    lines: [],
    labels: [],
    legend: [],
  };
  legs.forEach((leg, i) => {
    const y = i * rowHeight + 4;
    const rate = Math.min(1, leg.fillRate ?? 0);
    chart.labels.push({ x: labelWidth - 6, y: y + 12, text: leg.name, anchor: 'end' });
    chart.bars.push({ x: labelWidth, y, width: span, height: rowHeight - 6, colour: CHART_COLOURS.track });
    if (rate > 0)
      chart.bars.push({
        x: labelWidth,
        y,
        width: span * rate,
        height: rowHeight - 6,
        colour: CHART_COLOURS.fill,
      });
    chart.labels.push({
      x: labelWidth + span + 4,
      y: y + 12,
      text: `${leg.held}/${leg.capacity}`,
      anchor: 'start',
    });
  });
  if (legs.length === 0) chart.labels.push({ x: width / 2, y: 14, text: t('none'), anchor: 'middle' });
  return chart;
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A chart as an inline SVG element (with a title for screen readers). */
export function chartSvg(chart: Chart, title: string): string {
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(title)}" width="${chart.width}" height="${chart.height}" viewBox="0 0 ${chart.width} ${chart.height}" direction="ltr">`,
    `<title>${esc(title)}</title>`,
  ];
  for (const b of chart.bars)
    parts.push(
      `<rect x="${b.x.toFixed(1)}" y="${b.y.toFixed(1)}" width="${b.width.toFixed(1)}" height="${b.height.toFixed(1)}" fill="${b.colour}"/>`,
    );
  for (const l of chart.lines)
    parts.push(
      `<polyline fill="none" stroke="${l.colour}" stroke-width="2" points="${l.points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')}"/>`,
    );
  for (const l of chart.labels)
    parts.push(
      `<text x="${l.x.toFixed(1)}" y="${l.y.toFixed(1)}" text-anchor="${l.anchor}" font-size="11" fill="#1f2933">${esc(l.text)}</text>`,
    );
  parts.push('</svg>');
  const legend = chart.legend.length
    ? `<p class="legend">${chart.legend.map((e) => `<span><i style="background:${e.colour}"></i>${esc(e.text)}</span>`).join(' ')}</p>`
    : '';
  return `<figure>${parts.join('')}${legend}</figure>`;
}

export { esc as escapeHtml };
