import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';
import type { Bidi } from 'bidi-js';
import PDFDocument from 'pdfkit';
import { formatCount, formatPercent, type ReportLabels, reportLabels } from './report-labels.js';
import type { ReportContent, ReportLang } from './reporting.schemas.js';
import {
  type Chart,
  chartSvg,
  escapeHtml as esc,
  legFillChart,
  trendChart,
  zoneIntentionChart,
} from './sitrep-charts.js';

export interface ReportInput {
  content: ReportContent;
  narrative: string;
  lang: ReportLang;
  /** When the report was archived (or generated, for today's unarchived one): fixed in the PDF. */
  at: string;
}

interface Row {
  label: string;
  value: string;
}

/**
 * A date, time or code kept left to right inside a line of any direction (Unicode isolate): in an
 * Arabic line "2026-12-03" would otherwise read as "03-12-2026", as the bidi algorithm wants.
 */
const ltr = (text: string) => `\u2066${text}\u2069`;
interface Section {
  title: string;
  rows: Row[];
}

/** The report's tables, in reading order, with the words of `lang`. */
function sections(content: ReportContent, lang: ReportLang, t: ReportLabels): Section[] {
  const f = content.figures;
  const n = (v: number) => formatCount(lang, v);
  return [
    {
      title: t('keyFigures'),
      rows: [
        { label: t('registered'), value: n(f.registry.total.count) },
        { label: t('verified'), value: n(f.registry.verified.count) },
        { label: t('onList'), value: n(f.onList.count) },
        { label: t('allocated'), value: n(f.movement.allocated.count) },
        { label: t('offered'), value: n(f.movement.offered.count) },
        { label: t('confirmed'), value: n(f.movement.confirmed.count) },
        { label: t('checkedIn'), value: n(f.movement.checkedIn.count) },
        { label: t('departed'), value: n(f.movement.departed.count) },
        { label: t('openCases'), value: n(f.cases.open.count) },
        { label: t('overdue'), value: n(f.cases.overdue.count) },
      ],
    },
    {
      title: t('byIntention'),
      rows: f.registry.byIntention.map((x) => ({ label: t(`intention.${x.key}`), value: n(x.count) })),
    },
    {
      title: t('byStatus'),
      rows: f.registry.byStatus.map((x) => ({ label: t(`personStatus.${x.key}`), value: n(x.count) })),
    },
    {
      title: t('byEligibility'),
      rows: f.registry.byEligibility.map((x) => ({ label: t(`eligibility.${x.key}`), value: n(x.count) })),
    },
    {
      title: t('crossings'),
      rows: f.crossings.flatMap((c) =>
        c.sides.map((s) => ({ label: `${c.name} — ${s.name}`, value: t(`crossingStatus.${s.status}`) })),
      ),
    },
    {
      title: t('legFill'),
      rows: f.legs.map((l) => ({
        label: `${l.name} (${ltr(l.departureAt.slice(0, 10))})`,
        value: `${n(l.held)} / ${n(l.capacity)}${l.fillRate === null ? '' : ` · ${formatPercent(lang, l.fillRate)}`}`,
      })),
    },
    {
      title: t('cases'),
      rows: f.cases.byState.map((x) => ({ label: t(`caseState.${x.key}`), value: n(x.count) })),
    },
    {
      title: t('messages'),
      rows: f.messages.byStatus.map((x) => ({ label: t(`messageStatus.${x.key}`), value: n(x.count) })),
    },
  ];
}

function charts(content: ReportContent, t: ReportLabels): Array<{ title: string; chart: Chart }> {
  return [
    { title: t('byZoneIntention'), chart: zoneIntentionChart(content, t) },
    { title: t('trend'), chart: trendChart(content, t) },
    { title: t('legFill'), chart: legFillChart(content, t) },
  ];
}

/** The situation report as one self-contained HTML page (inline style, SVG charts, no script). */
export function renderSituationReportHtml(input: ReportInput): string {
  const { content, lang } = input;
  const t = reportLabels(lang);
  const dir = lang === 'ar' ? 'rtl' : 'ltr';
  const title = `${t('title')} — ${content.crisisName} — ${content.figures.day}`;
  const narrative = input.narrative.trim()
    ? input.narrative
        .trim()
        .split(/\n{2,}/)
        .map((p) => `<p dir="auto">${esc(p).replace(/\n/g, '<br>')}</p>`)
        .join('')
    : `<p class="muted">${esc(t('noNarrative'))}</p>`;
  const tables = sections(content, lang, t)
    .map(
      (s) =>
        `<section><h2>${esc(s.title)}</h2>${
          s.rows.length
            ? `<table><tbody>${s.rows.map((r) => `<tr><th scope="row">${esc(r.label)}</th><td>${esc(r.value)}</td></tr>`).join('')}</tbody></table>`
            : `<p class="muted">${esc(t('none'))}</p>`
        }</section>`,
    )
    .join('');
  const figures = charts(content, t)
    .map((c) => `<section><h2>${esc(c.title)}</h2>${chartSvg(c.chart, c.title)}</section>`)
    .join('');
  return `<!doctype html>
<html lang="${lang}" dir="${dir}">
<head>
<meta charset="utf-8">
<title>${esc(title)}</title>
<style>
body{font-family:system-ui,"Segoe UI",Arial,sans-serif;color:#1f2933;margin:24px;max-width:820px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:18px 0 6px;border-bottom:1px solid #d0d7de}
.meta,.muted{color:#57606a}table{border-collapse:collapse;width:100%}th,td{padding:3px 6px;border-bottom:1px solid #eaeef2;text-align:start}
td{text-align:end;font-variant-numeric:tabular-nums}figure{margin:0}svg{max-width:100%;height:auto}
.legend span{margin-inline-end:12px}.legend i{display:inline-block;width:10px;height:10px;margin-inline-end:4px}
footer{margin-top:24px;font-size:12px;color:#57606a}
</style>
</head>
<body>
<h1>${esc(t('title'))}</h1>
<p class="meta">${esc(content.crisisName)} · ${esc(t('day'))} ${esc(ltr(content.figures.day))} · ${esc(t('generated', { at: ltr(`${input.at.slice(0, 16).replace('T', ' ')} UTC`) }))}</p>
<section><h2>${esc(t('narrative'))}</h2>${narrative}</section>
${tables}
${figures}
<footer>${esc(t('footer'))}</footer>
</body>
</html>
`;
}

const ARABIC = /[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/;
const requireFrom = createRequire(import.meta.url);

/**
 * A WOFF font unpacked to a plain sfnt (TrueType/OpenType) file. The font engine reads WOFF
 * tables by inflating them again at every access, which made an Arabic report take seconds;
 * unpacked once per process, shaping reads plain bytes.
 */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.toString('latin1', 0, 4) !== 'wOFF') throw new Error('not a WOFF font');
  const flavor = woff.readUInt32BE(4);
  const numTables = woff.readUInt16BE(12);
  const tables = [];
  for (let i = 0; i < numTables; i++) {
    const at = 44 + i * 20;
    const offset = woff.readUInt32BE(at + 4);
    const compLength = woff.readUInt32BE(at + 8);
    const origLength = woff.readUInt32BE(at + 12);
    const raw = woff.subarray(offset, offset + compLength);
    tables.push({
      tag: woff.subarray(at, at + 4),
      checksum: woff.readUInt32BE(at + 16),
      data: compLength < origLength ? inflateSync(raw) : raw,
    });
  }
  const headerSize = 12 + 16 * numTables;
  const padded = (n: number) => (n + 3) & ~3;
  const out = Buffer.alloc(headerSize + tables.reduce((s, t) => s + padded(t.data.length), 0));
  const entrySelector = Math.floor(Math.log2(numTables));
  const searchRange = 2 ** entrySelector * 16;
  out.writeUInt32BE(flavor, 0);
  out.writeUInt16BE(numTables, 4);
  out.writeUInt16BE(searchRange, 6);
  out.writeUInt16BE(entrySelector, 8);
  out.writeUInt16BE(numTables * 16 - searchRange, 10);
  let offset = headerSize;
  tables.forEach((t, i) => {
    const at = 12 + i * 16;
    t.tag.copy(out, at);
    out.writeUInt32BE(t.checksum, at + 4);
    out.writeUInt32BE(offset, at + 8);
    out.writeUInt32BE(t.data.length, at + 12);
    t.data.copy(out, offset);
    offset += padded(t.data.length);
  });
  return out;
}

const fonts = new Map<string, Buffer>();
const amiri = (weight: 400 | 700): Buffer => {
  const file = `@fontsource/amiri/files/amiri-arabic-${weight}-normal.woff`;
  let font = fonts.get(file);
  if (!font) {
    font = woffToSfnt(readFileSync(requireFrom.resolve(file)));
    fonts.set(file, font);
  }
  return font;
};
// bidi-js ships CommonJS whose typings declare an ES default export: load it as what it is.
const bidi = (requireFrom('bidi-js') as () => Bidi)();

interface Run {
  text: string;
  rtl: boolean;
}

/**
 * Splits a line into runs in visual (left-to-right drawing) order with the Unicode bidi algorithm:
 * right-to-left runs are handed to the font engine in logical order with `rtla`, which shapes and
 * mirrors them; the runs themselves are ordered here (reversing sequences per level, UAX #9 L2).
 */
export function visualRuns(text: string, base: 'ltr' | 'rtl'): Run[] {
  const { levels } = bidi.getEmbeddingLevels(text, base);
  const runs: Array<{ text: string; level: number }> = [];
  for (let i = 0; i < text.length; i++) {
    const level = levels[i] ?? 0;
    const last = runs[runs.length - 1];
    if (last && last.level === level) last.text += text[i];
    else runs.push({ text: text[i]!, level });
  }
  const max = Math.max(0, ...runs.map((r) => r.level));
  const minOdd = Math.min(...runs.map((r) => (r.level % 2 ? r.level : r.level + 1)));
  for (let level = max; level >= minOdd; level--) {
    for (let i = 0; i < runs.length; ) {
      if (runs[i]!.level < level) {
        i++;
        continue;
      }
      let j = i;
      while (j < runs.length && runs[j]!.level >= level) j++;
      runs.splice(i, j - i, ...runs.slice(i, j).reverse());
      i = j;
    }
  }
  // The isolate marks have done their work and have no glyph in the fonts.
  return runs
    .map((r) => ({ text: r.text.replace(/[\u2066-\u2069]/g, ''), rtl: r.level % 2 === 1 }))
    .filter((r) => r.text.length > 0);
}

type Doc = InstanceType<typeof PDFDocument>;

/** Draws text in a PDF: Latin in Helvetica, Arabic in Amiri (shaped), mixed lines through bidi. */
class PdfWriter {
  constructor(
    readonly doc: Doc,
    readonly base: 'ltr' | 'rtl',
  ) {}

  private fontFor(run: Run, bold: boolean) {
    const arabic = ARABIC.test(run.text) || (run.rtl && !/[A-Za-z0-9]/.test(run.text));
    return arabic ? (bold ? 'arabic-bold' : 'arabic') : bold ? 'Helvetica-Bold' : 'Helvetica';
  }

  private prepared(text: string, size: number, bold: boolean) {
    return visualRuns(text, this.base).map((run) => {
      const font = this.fontFor(run, bold);
      const arabic = font.startsWith('arabic');
      const runSize = arabic ? size * 1.15 : size;
      this.doc.font(font).fontSize(runSize);
      const width = this.doc.widthOfString(run.text, arabic ? { features: ['rtla'] } : {});
      return { run, font, size: runSize, width, arabic };
    });
  }

  width(text: string, size: number, bold = false): number {
    return this.prepared(text, size, bold).reduce((s, r) => s + r.width, 0);
  }

  /** One line, no wrapping, aligned in [x, x + width]. */
  line(
    text: string,
    x: number,
    y: number,
    width: number,
    size: number,
    align: 'left' | 'right' | 'center',
    bold = false,
  ) {
    const runs = this.prepared(text, size, bold);
    const total = runs.reduce((s, r) => s + r.width, 0);
    let cx = align === 'left' ? x : align === 'right' ? x + width - total : x + (width - total) / 2;
    for (const r of runs) {
      this.doc
        .font(r.font)
        .fontSize(r.size)
        .text(r.run.text, cx, r.arabic ? y - size * 0.22 : y, {
          lineBreak: false,
          ...(r.arabic ? { features: ['rtla' as const] } : {}),
        });
      cx += r.width;
    }
  }

  /**
   * A paragraph wrapped on spaces to `width`; returns the height used. Its direction is its own
   * (the first strong letter decides, as `dir="auto"` in HTML): an English narrative in an Arabic
   * report still reads left to right.
   */
  paragraph(text: string, x: number, y: number, width: number, size: number): number {
    const first = /[A-Za-z\u00C0-\u024F]|[\u0600-\u06FF\u0750-\u077F]/.exec(text)?.[0];
    const base = first === undefined ? this.base : ARABIC.test(first) ? 'rtl' : 'ltr';
    const writer = base === this.base ? this : new PdfWriter(this.doc, base);
    const lines: string[] = [];
    for (const para of text.split(/\n/)) {
      let current = '';
      for (const word of para.split(/\s+/).filter(Boolean)) {
        const next = current ? `${current} ${word}` : word;
        if (current && writer.width(next, size) > width) {
          lines.push(current);
          current = word;
        } else current = next;
      }
      lines.push(current);
    }
    const lineHeight = size * 1.5;
    lines.forEach((l, i) => {
      writer.line(l, x, y + i * lineHeight, width, size, base === 'rtl' ? 'right' : 'left');
    });
    return lines.length * lineHeight;
  }
}

function drawChart(w: PdfWriter, chart: Chart, x: number, y: number, scale: number) {
  const doc = w.doc;
  for (const b of chart.bars)
    doc
      .rect(x + b.x * scale, y + b.y * scale, Math.max(0.5, b.width * scale), Math.max(0.5, b.height * scale))
      .fill(b.colour);
  for (const l of chart.lines) {
    const [first, ...rest] = l.points;
    if (!first) continue;
    doc.moveTo(x + first[0] * scale, y + first[1] * scale);
    for (const [px, py] of rest) doc.lineTo(x + px * scale, y + py * scale);
    doc.lineWidth(1.5).strokeColor(l.colour).stroke();
    if (rest.length === 0) doc.circle(x + first[0] * scale, y + first[1] * scale, 1.5).fill(l.colour);
  }
  doc.fillColor('#1f2933');
  for (const l of chart.labels) {
    const size = 8;
    const width = 140;
    const lx = x + l.x * scale;
    const ly = y + l.y * scale - size;
    if (l.anchor === 'end') w.line(l.text, lx - width, ly, width, size, 'right');
    else if (l.anchor === 'middle') w.line(l.text, lx - width / 2, ly, width, size, 'center');
    else w.line(l.text, lx, ly, width, size, 'left');
  }
  let ly = y + chart.height * scale + 4;
  let lx = x;
  for (const e of chart.legend) {
    doc.rect(lx, ly + 1, 7, 7).fill(e.colour);
    doc.fillColor('#1f2933');
    w.line(e.text, lx + 10, ly, 100, 8, 'left');
    lx += 20 + w.width(e.text, 8);
  }
  if (chart.legend.length) ly += 12;
  return ly - y;
}

/**
 * The situation report as a PDF: title, narrative, tables and the three charts drawn as vector
 * paths. Arabic is set in Amiri and shaped by the font engine; mixed lines go through bidi.
 * The creation date is the report's own time, so the same archived report gives the same file.
 */
export function renderSituationReportPdf(input: ReportInput): Promise<Buffer> {
  const { content, lang } = input;
  const t = reportLabels(lang);
  const rtl = lang === 'ar';
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: 40,
      info: {
        Title: `${t('title')} ${content.figures.day}`,
        CreationDate: new Date(input.at),
        ModDate: new Date(input.at),
      },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.registerFont('arabic', amiri(400));
    doc.registerFont('arabic-bold', amiri(700));
    const w = new PdfWriter(doc, rtl ? 'rtl' : 'ltr');
    const left = 40;
    const width = doc.page.width - 80;
    const bottom = doc.page.height - 50;
    const align = rtl ? 'right' : 'left';
    let y = 40;
    const ensure = (h: number) => {
      if (y + h > bottom) {
        doc.addPage();
        y = 40;
      }
    };
    const heading = (text: string) => {
      ensure(40);
      y += 8;
      doc.fillColor('#1f2933');
      w.line(text, left, y, width, 12, align, true);
      y += 17;
      doc
        .moveTo(left, y - 2)
        .lineTo(left + width, y - 2)
        .lineWidth(0.5)
        .strokeColor('#d0d7de')
        .stroke();
      y += 4;
    };

    doc.fillColor('#1f2933');
    w.line(t('title'), left, y, width, 18, align, true);
    y += 26;
    doc.fillColor('#57606a');
    w.line(`${content.crisisName} · ${t('day')} ${ltr(content.figures.day)}`, left, y, width, 10, align);
    y += 14;
    w.line(
      t('generated', { at: ltr(`${input.at.slice(0, 16).replace('T', ' ')} UTC`) }),
      left,
      y,
      width,
      9,
      align,
    );
    y += 14;

    heading(t('narrative'));
    doc.fillColor('#1f2933');
    y += w.paragraph(input.narrative.trim() || t('noNarrative'), left, y, width, 10) + 4;

    for (const s of sections(content, lang, t)) {
      heading(s.title);
      if (s.rows.length === 0) {
        w.line(t('none'), left, y, width, 9, align);
        y += 14;
      }
      for (const r of s.rows) {
        ensure(14);
        const labelWidth = width * 0.68;
        const valueWidth = width - labelWidth;
        if (rtl) {
          w.line(r.label, left + valueWidth, y, labelWidth, 9, 'right');
          w.line(r.value, left, y, valueWidth, 9, 'left');
        } else {
          w.line(r.label, left, y, labelWidth, 9, 'left');
          w.line(r.value, left + labelWidth, y, valueWidth, 9, 'right');
        }
        y += 14;
      }
    }

    for (const c of charts(content, t)) {
      const scale = width / c.chart.width;
      ensure(c.chart.height * scale + 50);
      heading(c.title);
      y += drawChart(w, c.chart, left, y, scale) + 6;
    }

    ensure(30);
    doc.fillColor('#57606a');
    y += w.paragraph(t('footer'), left, y + 8, width, 8);
    doc.end();
  });
}
