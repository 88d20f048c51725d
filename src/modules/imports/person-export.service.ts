import ExcelJS from 'exceljs';
import type { Actor } from '../../access/actor.js';
import { holdsInCrisis, requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import { listZonesFor } from '../crises/crisis.service.js';
import { parseList } from '../persons/person.mappers.js';
import {
  EXPORT_COLUMNS_BASIC,
  EXPORT_COLUMNS_SENSITIVE,
  type ExportColumn,
} from '../persons/person.policy.js';
import { iteratePersons, listContacts, listDocuments, type PersonRow } from '../persons/person.repository.js';
import type { PersonListQuery } from '../persons/person.schemas.js';
import { filterFrom } from '../persons/person.service.js';

/** Columns the caller may export: identity documents and contacts only for case officers. */
export function exportColumnsFor(actor: Actor, crisisId: string): ExportColumn[] {
  return holdsInCrisis(actor, 'person.update', crisisId)
    ? [...EXPORT_COLUMNS_BASIC, ...EXPORT_COLUMNS_SENSITIVE]
    : [...EXPORT_COLUMNS_BASIC];
}

/** One CSV cell, quoted when needed; a leading formula character is neutralised. */
export const csvCell = (value: string) => {
  // A leading =, +, - or @ would run as a formula in a spreadsheet: neutralise it.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/**
 * The filtered registry list as CSV or XLSX, with the columns the caller's role may see.
 * Audited with the filter and the number of persons exported.
 */
export async function exportPersons(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  query: PersonListQuery,
  format: 'csv' | 'xlsx',
): Promise<{ body: Buffer; contentType: string; fileName: string; count: number }> {
  requireAccess(actor, 'person.read', crisisId, { hide: 'crisis' });
  requireAccess(actor, 'person.export', crisisId);
  const columns = exportColumnsFor(actor, crisisId);
  const sensitive = columns.includes('documents');
  const zones = new Map((await listZonesFor(ctx, actor, crisisId)).map((z) => [z.id, z.name]));
  const lines: string[][] = [];
  for await (const page of iteratePersons(ctx.db.db, crisisId, filterFrom(query))) {
    const documents = sensitive
      ? await listDocuments(
          ctx.db.db,
          page.map((p) => p.id),
        )
      : [];
    const contacts = sensitive
      ? await listContacts(ctx.db.db, [...new Set(page.map((p) => p.household_id))])
      : [];
    for (const p of page) {
      const own = contacts.filter(
        (c) => c.household_id === p.household_id && (c.person_id === null || c.person_id === p.id),
      );
      const value = (column: ExportColumn, person: PersonRow): string => {
        switch (column) {
          case 'reference':
            return person.reference;
          case 'displayName':
            return person.full_name ?? person.full_name_ar ?? '';
          case 'nameLatin':
            return person.full_name ?? '';
          case 'nameArabic':
            return person.full_name_ar ?? '';
          case 'sex':
            return person.sex;
          case 'birthDate':
            return person.birth_date ?? '';
          case 'relationship':
            return person.relationship;
          case 'zone':
            return person.zone_id ? (zones.get(person.zone_id) ?? '') : '';
          case 'place':
            return person.place ?? '';
          case 'intention':
            return person.intention;
          case 'status':
            return person.status;
          case 'eligibility':
            return person.eligibility;
          case 'eligibilityReason':
            return person.eligibility_reason;
          case 'vulnerabilities':
            return parseList(person.vulnerabilities).join(' ');
          case 'channel':
            return person.channel;
          case 'createdAt':
            return person.created_at;
          case 'documents':
            return documents
              .filter((d) => d.person_id === person.id)
              .map((d) => `${d.type}:${d.number}`)
              .join(' ');
          case 'phones':
            return own
              .filter((c) => c.kind === 'phone')
              .map((c) => c.value)
              .join(' ');
          case 'emails':
            return own
              .filter((c) => c.kind === 'email')
              .map((c) => c.value)
              .join(' ');
          case 'nationalities':
            return parseList(person.nationalities).join(' ');
        }
      };
      lines.push(columns.map((c) => value(c, p)));
    }
  }
  await ctx.db.writer.write((trx) =>
    recordAudit(trx, ctx.db.dialect, actor, {
      action: 'person.exported',
      entityType: 'person',
      entityId: null,
      crisisId,
      change: { query, format, columns, count: lines.length },
    }),
  );
  const fileName = `persons-${new Date().toISOString().slice(0, 10)}.${format}`;
  return { ...(await renderTable(format, 'Persons', columns, lines)), fileName, count: lines.length };
}

/**
 * A table as a file: UTF-8 CSV (with a byte-order mark so spreadsheets read Arabic correctly, CRLF
 * line ends) or an XLSX workbook with a bold header row. Shared by the registry export and partner
 * data packages.
 */
export async function renderTable(
  format: 'csv' | 'xlsx',
  sheetName: string,
  header: readonly string[],
  lines: readonly (readonly string[])[],
): Promise<{ body: Buffer; contentType: string }> {
  if (format === 'csv') {
    const text = [header, ...lines].map((row) => row.map(csvCell).join(',')).join('\r\n');
    return { body: Buffer.from(`\ufeff${text}\r\n`, 'utf8'), contentType: 'text/csv; charset=utf-8' };
  }
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  sheet.addRow([...header]);
  for (const row of lines) sheet.addRow([...row]);
  sheet.getRow(1).font = { bold: true };
  return {
    body: Buffer.from(await workbook.xlsx.writeBuffer()),
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  };
}
