import { createHash } from 'node:crypto';
import type { Actor } from '../../access/actor.js';
import { holdsInCrisis, requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import { AppError, notFound, validationFailed } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { findCrisisById } from '../crises/crisis.repository.js';
import { readSeries } from './dashboard.service.js';
import { addDays, assembleFigures, readFigureSources, snapshotRows, utcDay } from './figures.service.js';
import {
  findSituationReport,
  insertSituationReport,
  listSituationReports,
  type SituationReportRow,
  setPdfDigests,
  updateSituationReportIfVersion,
} from './reporting.repository.js';
import {
  type ReportContent,
  type ReportLang,
  reportContentSchema,
  type SituationReport,
} from './reporting.schemas.js';
import { renderSituationReportHtml, renderSituationReportPdf } from './sitrep-render.js';

/** Days of trend a report shows (the report's day and the 13 before). */
export const TREND_DAYS = 14;

type Digests = Record<string, { sha256: string; at: string }>;

const versionConflict = () =>
  new AppError(
    409,
    'version_conflict',
    'Someone else changed this report meanwhile; reload it and try again.',
  );

async function crisisName(ctx: AppContext, crisisId: string): Promise<string> {
  const crisis = await findCrisisById(ctx.db.db, crisisId);
  if (!crisis) throw notFound('crisis');
  return crisis.name;
}

/** Today's report content from the live records: figures of the day and the 14-day trend. */
async function liveContent(
  ctx: AppContext,
  crisisId: string,
  day: string,
  now: Date,
): Promise<ReportContent> {
  const name = await crisisName(ctx, crisisId);
  const from = addDays(day, -(TREND_DAYS - 1));
  const o = { day, from, to: day, now };
  const sources = await readFigureSources(ctx.db.db, crisisId, o);
  const [figures, trend] = await Promise.all([
    assembleFigures(ctx.db.db, crisisId, sources, o),
    readSeries(ctx, crisisId, { from, to: day, today: day }, undefined, snapshotRows(sources)),
  ]);
  return { figures, trend, crisisName: name };
}

function checkDay(day: string, now: Date) {
  if (day > utcDay(now)) throw validationFailed([{ path: 'day', message: 'Must not be in the future.' }]);
}

const parseContent = (row: SituationReportRow): ReportContent =>
  reportContentSchema.parse(JSON.parse(row.figures));

/**
 * A day's report and what it is built from: the archived figures when the day has been archived
 * (a past day always: it is never rebuilt from today's records), else today's live figures.
 */
async function resolveReport(ctx: AppContext, crisisId: string, day: string, now: Date) {
  checkDay(day, now);
  const row = await findSituationReport(ctx.db.db, crisisId, day);
  if (row) return { row, content: parseContent(row) };
  if (day !== utcDay(now)) throw notFound('situation report');
  return { row: undefined, content: await liveContent(ctx, crisisId, day, now) };
}

function toReport(
  actor: Actor,
  crisisId: string,
  day: string,
  r: { row: SituationReportRow | undefined; content: ReportContent },
): SituationReport {
  return {
    crisisId,
    day,
    archived: Boolean(r.row),
    narrative: r.row?.narrative ?? '',
    version: r.row?.version ?? 0,
    content: r.content,
    pdfDigests: r.row ? (JSON.parse(r.row.pdf_digests) as Digests) : {},
    updatedAt: r.row?.updated_at ?? null,
    updatedBy: r.row?.updated_by ?? null,
    canEdit: holdsInCrisis(actor, 'report.publish', crisisId),
  };
}

/** The situation report of a day (today's is live until archived). Audited as a read of aggregates. */
export async function getSituationReport(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  day: string,
  now = new Date(),
): Promise<SituationReport> {
  requireAccess(actor, 'report.read', crisisId, { hide: 'crisis' });
  const r = await resolveReport(ctx, crisisId, day, now);
  await ctx.db.writer.write((trx) =>
    recordAudit(trx, ctx.db.dialect, actor, {
      action: 'situation_report.viewed',
      entityType: 'situation_report',
      entityId: r.row?.id ?? null,
      crisisId,
      change: { day },
    }),
  );
  return toReport(actor, crisisId, day, r);
}

/** The archive: every archived day, latest first. */
export async function listArchive(ctx: AppContext, actor: Actor, crisisId: string) {
  requireAccess(actor, 'report.read', crisisId, { hide: 'crisis' });
  await crisisName(ctx, crisisId);
  return (await listSituationReports(ctx.db.db, crisisId, 400)).map((r) => ({
    day: r.day,
    version: r.version,
    narrativeExcerpt: r.narrative.length > 160 ? `${r.narrative.slice(0, 157)}…` : r.narrative,
    updatedAt: r.updated_at,
    pdfLanguages: Object.keys(JSON.parse(r.pdf_digests) as Digests).sort(),
  }));
}

/**
 * Writes the day's narrative (crisis managers: `report.publish`). The first save archives the day
 * with its figures frozen; later saves change the narrative only, unless today's figures are
 * explicitly refreshed. Optimistic: the caller sends the version it read.
 */
export async function saveNarrative(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  day: string,
  input: { narrative: string; version: number; refreshFigures: boolean },
  now = new Date(),
): Promise<SituationReport> {
  requireAccess(actor, 'report.read', crisisId, { hide: 'crisis' });
  requireAccess(actor, 'report.publish', crisisId);
  checkDay(day, now);
  const today = utcDay(now);
  if (input.refreshFigures && day !== today)
    throw validationFailed([{ path: 'refreshFigures', message: "Only today's figures can be taken again." }]);
  const existing = await findSituationReport(ctx.db.db, crisisId, day);
  if (!existing && day !== today) throw notFound('situation report');
  const fresh = !existing || input.refreshFigures ? await liveContent(ctx, crisisId, day, now) : undefined;
  const at = now.toISOString();
  const id = await ctx.db.writer.write(async (trx) => {
    const current = await findSituationReport(trx, crisisId, day);
    if ((current?.version ?? 0) !== input.version) throw versionConflict();
    if (!current) {
      const newRow = {
        id: newId(),
        crisis_id: crisisId,
        day,
        narrative: input.narrative,
        figures: JSON.stringify(fresh),
        pdf_digests: '{}',
        version: 1,
        created_by: actor.id,
        updated_by: actor.id,
        created_at: at,
        updated_at: at,
      };
      await insertSituationReport(trx, newRow);
      await recordAudit(trx, ctx.db.dialect, actor, {
        action: 'situation_report.archived',
        entityType: 'situation_report',
        entityId: newRow.id,
        crisisId,
        change: { day, narrative: input.narrative },
      });
      return newRow.id;
    }
    const patch = {
      narrative: input.narrative,
      version: current.version + 1,
      updated_by: actor.id,
      updated_at: at,
      ...(fresh ? { figures: JSON.stringify(fresh), pdf_digests: '{}' } : {}),
    };
    if (!(await updateSituationReportIfVersion(trx, current.id, current.version, patch)))
      throw versionConflict();
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'situation_report.updated',
      entityType: 'situation_report',
      entityId: current.id,
      crisisId,
      change: { day, narrative: input.narrative, refreshFigures: input.refreshFigures },
    });
    return current.id;
  });
  const row = await findSituationReport(ctx.db.db, crisisId, day);
  if (!row || row.id !== id) throw notFound('situation report');
  return toReport(actor, crisisId, day, { row, content: parseContent(row) });
}

/**
 * The report as HTML (preview) or PDF (download) in one language. A PDF archives today's report
 * first if it is not yet (so what was sent can be produced again) and keeps the file's SHA-256;
 * both are audited with the digest of what was handed out.
 */
export async function renderSituationReport(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  day: string,
  lang: ReportLang,
  format: 'html' | 'pdf',
  now = new Date(),
) {
  requireAccess(actor, 'report.read', crisisId, { hide: 'crisis' });
  let r = await resolveReport(ctx, crisisId, day, now);
  if (format === 'pdf' && !r.row) {
    const at = now.toISOString();
    const row: SituationReportRow = {
      id: newId(),
      crisis_id: crisisId,
      day,
      narrative: '',
      figures: JSON.stringify(r.content),
      pdf_digests: '{}',
      version: 1,
      created_by: actor.id,
      updated_by: actor.id,
      created_at: at,
      updated_at: at,
    };
    const stored = await ctx.db.writer.write(async (trx) => {
      const raced = await findSituationReport(trx, crisisId, day);
      if (raced) return raced;
      await insertSituationReport(trx, row);
      await recordAudit(trx, ctx.db.dialect, actor, {
        action: 'situation_report.archived',
        entityType: 'situation_report',
        entityId: row.id,
        crisisId,
        change: { day, narrative: '' },
      });
      return row;
    });
    r = { row: stored, content: parseContent(stored) };
  }
  const input = {
    content: r.content,
    narrative: r.row?.narrative ?? '',
    lang,
    at: r.row?.updated_at ?? now.toISOString(),
  };
  const file =
    format === 'pdf'
      ? await renderSituationReportPdf(input)
      : Buffer.from(renderSituationReportHtml(input), 'utf8');
  const sha256 = createHash('sha256').update(file).digest('hex');
  const at = now.toISOString();
  await ctx.db.writer.write(async (trx) => {
    if (format === 'pdf' && r.row) {
      const current = await findSituationReport(trx, crisisId, day);
      const digests = { ...(JSON.parse(current?.pdf_digests ?? '{}') as Digests), [lang]: { sha256, at } };
      await setPdfDigests(trx, r.row.id, JSON.stringify(digests));
    }
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: format === 'pdf' ? 'situation_report.downloaded' : 'situation_report.previewed',
      entityType: 'situation_report',
      entityId: r.row?.id ?? null,
      crisisId,
      change: { day, lang, format, sha256 },
    });
  });
  return {
    file,
    sha256,
    contentType: format === 'pdf' ? 'application/pdf' : 'text/html; charset=utf-8',
    fileName: `situation-report-${day}-${lang}.${format}`,
  };
}
