import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { Actor } from '../../access/actor.js';
import { requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import { nowIso } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { legInCrisis } from './leg.service.js';
import {
  type AssignmentRow,
  assignmentsOfLeg,
  documentsOf,
  insertManifest,
  type LegRow,
  manifestsOfLeg,
  passengersOf,
} from './transport.repository.js';
import type { ManifestProfile } from './transport.schemas.js';

type Column = 'name' | 'passportNumber' | 'documentNumber' | 'nationality' | 'dateOfBirth' | 'sex';

/** Least data each recipient needs, in print order. */
export const MANIFEST_COLUMNS: Record<ManifestProfile, Column[]> = {
  airline: ['name', 'passportNumber', 'nationality', 'dateOfBirth', 'sex'],
  crossing_authority: ['name', 'documentNumber', 'nationality'],
  receiving_country: ['name', 'nationality', 'dateOfBirth'],
};

const HEADERS: Record<Column, string> = {
  name: 'Name',
  passportNumber: 'Passport number',
  documentNumber: 'Document number',
  nationality: 'Nationality',
  dateOfBirth: 'Date of birth',
  sex: 'Sex',
};

const ARABIC = /[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/;
const amiriPath = () =>
  createRequire(import.meta.url).resolve('@fontsource/amiri/files/amiri-arabic-400-normal.woff');

/**
 * Who goes on the manifest: before departure everyone with a confirmed (or later) seat, after
 * departure only those who boarded.
 */
function onManifest(leg: LegRow, a: AssignmentRow) {
  if (leg.status === 'departed' || leg.status === 'arrived') return a.status === 'boarded';
  return a.status === 'confirmed' || a.status === 'checked_in' || a.status === 'boarded';
}

async function manifestRows(ctx: AppContext, leg: LegRow, profile: ManifestProfile) {
  const assignments = (await assignmentsOfLeg(ctx.db.db, leg.id)).filter((a) => onManifest(leg, a));
  const ids = assignments.map((a) => a.person_id);
  const people = new Map((await passengersOf(ctx.db.db, ids)).map((p) => [p.id, p]));
  const docs = await documentsOf(ctx.db.db, ids);
  const columns = MANIFEST_COLUMNS[profile];
  return assignments.map((a) => {
    const p = people.get(a.person_id);
    const mine = docs.filter((d) => d.person_id === a.person_id);
    const passport = mine.find((d) => d.type === 'passport');
    const anyDoc = passport ?? mine[0];
    const nationalities: string[] = p ? JSON.parse(p.nationalities) : [];
    const values: Record<Column, string> = {
      // "As on the passport": the Latin name when recorded, else the Arabic one.
      name: p?.full_name ?? p?.full_name_ar ?? '',
      passportNumber: passport?.number ?? '',
      documentNumber: anyDoc?.number ?? '',
      nationality: passport?.issuing_country ?? nationalities[0] ?? '',
      dateOfBirth: p?.birth_date ?? '',
      sex: p?.sex === 'male' ? 'M' : p?.sex === 'female' ? 'F' : 'X',
    };
    return columns.map((c) => values[c]);
  });
}

const csvCell = (v: string) => {
  // A leading formula character would run in a spreadsheet: quote it away.
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

function renderCsv(columns: Column[], rows: string[][]): Buffer {
  const lines = [columns.map((c) => HEADERS[c]), ...rows].map((r) => r.map(csvCell).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

function renderPdf(
  leg: LegRow,
  profile: ManifestProfile,
  columns: Column[],
  rows: string[][],
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 40, info: { Title: `Manifest ${leg.name}` } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.registerFont('arabic', amiriPath());
    const left = 40;
    const width = doc.page.width - 80;
    const nameWidth = width * 0.4;
    const otherWidth = (width - nameWidth - 30) / Math.max(1, columns.length - 1);
    const xs: number[] = [left + 30];
    const widths: number[] = [];
    for (const c of columns) {
      const w = c === 'name' ? nameWidth : otherWidth;
      widths.push(w);
      xs.push(xs[xs.length - 1]! + w);
    }
    doc.font('Helvetica-Bold').fontSize(14).text(`Passenger manifest — ${leg.name}`, left, 40);
    doc
      .font('Helvetica')
      .fontSize(9)
      .text(
        `${leg.kind} · ${leg.origin} to ${leg.destination} · departure ${leg.departure_at} · operator ${leg.operator || '–'} · recipient profile: ${profile.replace('_', ' ')} · ${rows.length} passenger(s)`,
        left,
        62,
        { width },
      );
    let y = 90;
    const header = () => {
      doc.font('Helvetica-Bold').fontSize(9).text('#', left, y, { width: 28 });
      for (const [i, c] of columns.entries()) doc.text(HEADERS[c], xs[i]!, y, { width: widths[i]! - 6 });
      y += 26;
      doc
        .moveTo(left, y - 3)
        .lineTo(left + width, y - 3)
        .stroke();
    };
    header();
    // Arabic in Amiri (shaped right to left), everything else in Helvetica; a long name wraps and
    // the row grows to fit it.
    const cell = (v: string, width: number) =>
      ARABIC.test(v)
        ? {
            font: 'arabic',
            size: 11,
            dy: -3,
            options: { width, align: 'right' as const, features: ['rtla' as const] },
          }
        : { font: 'Helvetica', size: 9, dy: 0, options: { width } };
    for (const [n, row] of rows.entries()) {
      const cells = row.map((v, i) => cell(v, widths[i]! - 6));
      const height = Math.max(
        20,
        ...row.map(
          (v, i) =>
            doc.font(cells[i]!.font).fontSize(cells[i]!.size).heightOfString(v, cells[i]!.options) + 6,
        ),
      );
      if (y + height > doc.page.height - 40) {
        doc.addPage();
        y = 40;
        header();
      }
      doc
        .font('Helvetica')
        .fontSize(9)
        .text(String(n + 1), left, y, { width: 28 });
      for (const [i, v] of row.entries()) {
        const c = cells[i]!;
        doc
          .font(c.font)
          .fontSize(c.size)
          .text(v, xs[i]!, y + c.dy, c.options);
      }
      y += height;
    }
    doc.end();
  });
}

/**
 * Produces a leg's manifest for one recipient profile, logs it (profile, recipient, SHA-256 of the
 * file) and audits it in the same transaction, then hands the file back.
 */
export async function issueManifest(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  legId: string,
  input: { profile: ManifestProfile; format: 'csv' | 'pdf'; recipient: string },
) {
  requireAccess(actor, 'movement.read', crisisId, { hide: 'transport leg' });
  requireAccess(actor, 'movement.manage', crisisId);
  const leg = await legInCrisis(ctx.db.db, crisisId, legId);
  const columns = MANIFEST_COLUMNS[input.profile];
  const rows = await manifestRows(ctx, leg, input.profile);
  const file =
    input.format === 'csv' ? renderCsv(columns, rows) : await renderPdf(leg, input.profile, columns, rows);
  const sha256 = createHash('sha256').update(file).digest('hex');
  const id = newId();
  await ctx.db.writer.write(async (trx) => {
    await insertManifest(trx, {
      id,
      crisis_id: crisisId,
      leg_id: legId,
      recipient_profile: input.profile,
      recipient: input.recipient,
      format: input.format,
      row_count: rows.length,
      sha256,
      issued_by: actor.id,
      issued_at: nowIso(),
    });
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'manifest.issued',
      entityType: 'transport_leg',
      entityId: legId,
      crisisId,
      change: { manifestId: id, ...input, rows: rows.length, sha256 },
    });
  });
  const safeName = leg.name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'leg';
  return {
    id,
    sha256,
    file,
    fileName: `manifest-${safeName}-${input.profile}.${input.format}`,
    contentType: input.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/pdf',
  };
}

export async function listManifests(ctx: AppContext, actor: Actor, crisisId: string, legId: string) {
  requireAccess(actor, 'movement.read', crisisId, { hide: 'transport leg' });
  await legInCrisis(ctx.db.db, crisisId, legId);
  return (await manifestsOfLeg(ctx.db.db, legId)).map((m) => ({
    id: m.id,
    legId: m.leg_id,
    profile: m.recipient_profile,
    recipient: m.recipient,
    format: m.format,
    rowCount: m.row_count,
    sha256: m.sha256,
    issuedBy: m.issued_by,
    issuedAt: m.issued_at,
  }));
}
