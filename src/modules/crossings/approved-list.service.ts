import { createHash } from 'node:crypto';
import type { Actor } from '../../access/actor.js';
import { requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import { nowIso } from '../../lib/clock.js';
import { AppError, conflict, notFound, validationFailed } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import {
  type ApprovedListRowDb,
  type EntryRow,
  entriesOf,
  findApprovedList,
  findListByDigest,
  insertApprovedList,
  insertEntries,
  listApprovedLists,
  matchCounts,
} from './approved-list.repository.js';
import { findCrossingRow } from './crossing.repository.js';
import { ListFormatError, parseApprovedList } from './list-parsing/index.js';

export interface ApprovedListSummary {
  id: string;
  crossingPointId: string;
  listDate: string;
  source: string;
  fileName: string;
  format: 'csv' | 'xlsx' | 'pdf';
  rowCount: number;
  byNationality: Record<string, number>;
  importedAt: string;
  matchedAt: string | null;
  matches: { autoLinked: number; pending: number; confirmed: number; rejected: number };
}

function toSummary(row: ApprovedListRowDb, counts: Record<string, number> = {}): ApprovedListSummary {
  return {
    id: row.id,
    crossingPointId: row.crossing_point_id,
    listDate: row.list_date,
    source: row.source,
    fileName: row.file_name,
    format: row.format,
    rowCount: row.row_count,
    byNationality: JSON.parse(row.by_nationality),
    importedAt: row.imported_at,
    matchedAt: row.matched_at,
    matches: {
      autoLinked: counts.auto_linked ?? 0,
      pending: counts.pending ?? 0,
      confirmed: counts.confirmed ?? 0,
      rejected: counts.rejected ?? 0,
    },
  };
}

const LIST_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Imports a day's approved list for a crossing point. The file is parsed completely before
 * anything is written, and all rows go in one transaction: a bad file writes nothing. The same
 * file imported twice for the same day is refused (409) rather than doubled.
 */
export async function importApprovedList(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  crossingId: string,
  input: { listDate: string; source: string; fileName: string; data: Uint8Array },
): Promise<ApprovedListSummary> {
  requireAccess(actor, 'movement.read', crisisId, { hide: 'crossing point' });
  requireAccess(actor, 'movement.manage', crisisId);
  if (!LIST_DATE.test(input.listDate) || Number.isNaN(Date.parse(input.listDate))) {
    throw validationFailed([{ path: 'listDate', message: 'Give the list date as YYYY-MM-DD.' }]);
  }
  if (!(await findCrossingRow(ctx.db.db, crisisId, crossingId))) throw notFound('crossing point');
  let parsed: Awaited<ReturnType<typeof parseApprovedList>>;
  try {
    parsed = await parseApprovedList(input.fileName, input.data);
  } catch (error) {
    if (error instanceof ListFormatError) {
      throw new AppError(400, 'invalid_list', error.message, [
        { path: error.column ?? error.row ?? 'file', message: error.message },
      ]);
    }
    throw error;
  }
  const digest = createHash('sha256').update(input.data).digest('hex');
  const at = nowIso();
  const list: ApprovedListRowDb = {
    id: newId(),
    crisis_id: crisisId,
    crossing_point_id: crossingId,
    list_date: input.listDate,
    source: input.source,
    file_name: input.fileName,
    file_digest: digest,
    format: parsed.format,
    row_count: parsed.rows.length,
    by_nationality: JSON.stringify(parsed.byNationality),
    imported_by: actor.id,
    imported_at: at,
    matched_at: null,
  };
  const entries: EntryRow[] = parsed.rows.map((r) => ({
    id: newId(),
    list_id: list.id,
    row_no: r.sourceRow,
    source_ref: r.sourceRef,
    full_name: r.fullName,
    full_name_ar: r.fullNameAr ?? null,
    given_name: r.givenName ?? null,
    father_name: r.fatherName ?? null,
    grandfather_name: r.grandfatherName ?? null,
    family_name: r.familyName ?? null,
    passport_number: r.passportNumber ?? null,
    id_number: r.idNumber ?? null,
    nationality: r.nationality ?? null,
    date_of_birth: r.dateOfBirth ?? null,
    sex: r.sex ?? null,
  }));
  await ctx.db.writer.write(async (trx) => {
    if (await findListByDigest(trx, crossingId, input.listDate, digest)) {
      throw conflict('This file was already imported for this crossing and day.');
    }
    await insertApprovedList(trx, list);
    await insertEntries(trx, entries);
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'approved_list.imported',
      entityType: 'approved_list',
      entityId: list.id,
      crisisId,
      change: { crossingId, listDate: input.listDate, digest, rows: entries.length },
    });
  });
  return toSummary(list);
}

/** The approved lists of a crisis (optionally one crossing point), newest day first. */
export async function listLists(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  crossingId?: string,
): Promise<ApprovedListSummary[]> {
  requireAccess(actor, 'movement.read', crisisId, { hide: 'crisis' });
  const rows = await listApprovedLists(ctx.db.db, crisisId, crossingId);
  const counts = await matchCounts(
    ctx.db.db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toSummary(r, counts.get(r.id)));
}

/** A list with its entries: names of people, so the read is audited. */
export async function getListWithEntries(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  listId: string,
  page: { offset: number; limit: number },
) {
  requireAccess(actor, 'movement.read', crisisId, { hide: 'approved list' });
  const row = await findApprovedList(ctx.db.db, crisisId, listId);
  if (!row) throw notFound('approved list');
  const entries = await entriesOf(ctx.db.db, listId, page.offset, page.limit);
  const counts = (await matchCounts(ctx.db.db, [listId])).get(listId);
  await ctx.db.writer.write((trx) =>
    recordAudit(trx, ctx.db.dialect, actor, {
      action: 'approved_list.viewed',
      entityType: 'approved_list',
      entityId: listId,
      crisisId,
      change: page,
    }),
  );
  return {
    list: toSummary(row, counts),
    entries: entries.map((e) => ({
      id: e.id,
      rowNo: e.row_no,
      sourceRef: e.source_ref,
      fullName: e.full_name,
      fullNameAr: e.full_name_ar,
      passportNumber: e.passport_number,
      nationality: e.nationality,
      dateOfBirth: e.date_of_birth,
      sex: e.sex,
    })),
  };
}
