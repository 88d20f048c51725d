import type { Selectable } from 'kysely';
import type { Actor } from '../../access/actor.js';
import { requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import { nowIso } from '../../lib/clock.js';
import { AppError, notFound, validationFailed } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { caseSubject } from '../persons/person-records.service.js';
import { versionConflict } from './case.service.js';
import type { LoanTable } from './case.table.js';

type LoanRow = Selectable<LoanTable>;
export type LoanAction = 'sign_note' | 'disburse' | 'record_repayment' | 'waive';

/** Decimal text ("1250.50") to minor units without floating point; undefined if malformed. */
export function toMinorUnits(amount: string): number | undefined {
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(amount.trim());
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export const formatMinor = (minor: number) =>
  `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;

const toView = (r: LoanRow) => ({
  id: r.id,
  personId: r.person_id,
  caseId: r.case_id,
  amount: formatMinor(Number(r.amount_minor)),
  repaid: formatMinor(Number(r.repaid_minor)),
  outstanding: formatMinor(Number(r.amount_minor) - Number(r.repaid_minor)),
  currency: r.currency,
  promissoryNoteSigned: r.promissory_note_signed === 1,
  signedAt: r.signed_at,
  status: r.status,
  note: r.note,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
export type LoanView = ReturnType<typeof toView>;

/**
 * Records an evacuation loan offered to a person. Cost-recovery rules require a signed
 * promissory note before the money (or the seat) is given, so "disburse" refuses an unsigned one.
 */
export async function createLoan(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  input: {
    personId: string;
    caseId?: string | undefined;
    amount: string;
    currency: string;
    note?: string | undefined;
  },
): Promise<LoanView> {
  requireAccess(actor, 'case.read', crisisId, { hide: 'crisis' });
  requireAccess(actor, 'case.update', crisisId);
  const minor = toMinorUnits(input.amount);
  const fields = [
    ...(minor === undefined || minor === 0
      ? [{ path: 'amount', message: 'Give a positive amount such as 1250 or 1250.50.' }]
      : []),
  ];
  if (!(await caseSubject(ctx, crisisId, { personId: input.personId })))
    fields.push({ path: 'personId', message: 'No such person in this crisis.' });
  if (fields.length) throw validationFailed(fields);
  const at = nowIso();
  const row: LoanRow = {
    id: newId(),
    crisis_id: crisisId,
    person_id: input.personId,
    case_id: input.caseId ?? null,
    amount_minor: minor!,
    currency: input.currency,
    promissory_note_signed: 0,
    signed_at: null,
    repaid_minor: 0,
    status: 'offered',
    note: input.note ?? '',
    version: 1,
    created_by: actor.id,
    created_at: at,
    updated_at: at,
  };
  await ctx.db.writer.write(async (trx) => {
    await trx.insertInto('loans').values(row).execute();
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'loan.created',
      entityType: 'loan',
      entityId: row.id,
      crisisId,
      change: { personId: row.person_id, amount: input.amount, currency: input.currency },
    });
  });
  return toView(row);
}

export async function updateLoan(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  loanId: string,
  input: { action: LoanAction; version: number; amount?: string | undefined },
): Promise<LoanView> {
  requireAccess(actor, 'case.read', crisisId, { hide: 'loan' });
  requireAccess(actor, 'case.update', crisisId);
  const at = nowIso();
  return ctx.db.writer.write(async (trx) => {
    const row = await trx
      .selectFrom('loans')
      .selectAll()
      .where('id', '=', loanId)
      .where('crisis_id', '=', crisisId)
      .executeTakeFirst();
    if (!row) throw notFound('loan');
    if (row.version !== input.version) throw versionConflict();
    const patch: Partial<LoanRow> = { updated_at: at, version: row.version + 1 };
    const refuse = (message: string) => new AppError(409, 'invalid_transition', message);
    switch (input.action) {
      case 'sign_note':
        if (row.promissory_note_signed) throw refuse('The promissory note is already signed.');
        Object.assign(patch, {
          promissory_note_signed: 1,
          signed_at: at,
          status: row.status === 'offered' ? 'signed' : row.status,
        });
        break;
      case 'disburse':
        if (!row.promissory_note_signed)
          throw refuse('The promissory note must be signed before the loan is disbursed.');
        if (row.status !== 'signed') throw refuse(`A ${row.status} loan cannot be disbursed.`);
        patch.status = 'disbursed';
        break;
      case 'record_repayment': {
        const minor = input.amount ? toMinorUnits(input.amount) : undefined;
        if (!minor)
          throw validationFailed([
            { path: 'amount', message: 'Give the amount repaid, such as 100 or 99.50.' },
          ]);
        if (row.status !== 'disbursed') throw refuse('Only a disbursed loan can be repaid.');
        const repaid = Number(row.repaid_minor) + minor;
        if (repaid > Number(row.amount_minor))
          throw validationFailed([
            {
              path: 'amount',
              message: `More than the ${formatMinor(Number(row.amount_minor) - Number(row.repaid_minor))} outstanding.`,
            },
          ]);
        Object.assign(patch, {
          repaid_minor: repaid,
          status: repaid === Number(row.amount_minor) ? 'repaid' : 'disbursed',
        });
        break;
      }
      case 'waive':
        if (row.status === 'repaid' || row.status === 'waived')
          throw refuse(`A ${row.status} loan cannot be waived.`);
        patch.status = 'waived';
        break;
    }
    const r = await trx
      .updateTable('loans')
      .set(patch)
      .where('id', '=', loanId)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw versionConflict();
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: `loan.${input.action}`,
      entityType: 'loan',
      entityId: loanId,
      crisisId,
      change: input,
    });
    return toView({ ...row, ...patch } as LoanRow);
  });
}

export async function listLoans(ctx: AppContext, actor: Actor, crisisId: string, personId?: string) {
  requireAccess(actor, 'case.read', crisisId, { hide: 'crisis' });
  let q = ctx.db.db.selectFrom('loans').selectAll().where('crisis_id', '=', crisisId);
  if (personId) q = q.where('person_id', '=', personId);
  return (await q.orderBy('created_at', 'desc').limit(500).execute()).map(toView);
}
