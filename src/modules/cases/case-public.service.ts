import { systemActor } from '../../access/actor.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import { nowIso } from '../../lib/clock.js';
import { notFound, validationFailed } from '../../lib/errors.js';
import { caseSubject, householdOfLink } from '../persons/person-records.service.js';
import { insertCase } from './case.repository.js';
import type { CaseState, CaseType } from './case.rules.js';
import { appendEvent, newCaseRow } from './case.service.js';

/** Kinds of help a person can ask for from the portal (the case types that make sense there). */
export const PUBLIC_HELP_TYPES = [
  'departure_assistance',
  'medical',
  'travel_documents',
  'evacuation_loan',
  'other',
] as const;

async function householdByLink(ctx: AppContext, reference: string, secret: string) {
  const household = await householdOfLink(ctx, reference, secret);
  // The same answer for an unknown reference and a wrong secret.
  if (!household) throw notFound('registration');
  return household;
}

/**
 * "I need help" from the portal, behind the household's private link: opens a case for the
 * household (or one member of it), prioritised like any other, source "portal".
 */
export async function requestHelpFromPortal(
  ctx: AppContext,
  input: {
    reference: string;
    secret: string;
    type: (typeof PUBLIC_HELP_TYPES)[number];
    message: string;
    personId?: string | undefined;
  },
) {
  const household = await householdByLink(ctx, input.reference, input.secret);
  const subject = await caseSubject(ctx, household.crisis_id, {
    householdId: household.id,
    personId: input.personId,
  });
  if (!subject) throw validationFailed([{ path: 'personId', message: 'Choose a member of your household.' }]);
  const actor = systemActor('portal');
  const at = nowIso();
  const summary = input.message.length > 120 ? `${input.message.slice(0, 117)}…` : input.message;
  const row = newCaseRow(
    household.crisis_id,
    { type: input.type as CaseType, summary, source: 'portal' },
    subject,
    actor,
    at,
  );
  await ctx.db.writer.write(async (trx) => {
    await insertCase(trx, row);
    await appendEvent(trx, actor, row.id, 'opened', { type: row.type, source: 'portal' }, at);
    await appendEvent(trx, actor, row.id, 'note', { text: input.message, from: 'person' }, at);
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'case.created',
      entityType: 'case',
      entityId: row.id,
      crisisId: household.crisis_id,
      change: { type: row.type, source: 'portal' },
    });
  });
  return { number: row.number, type: row.type as CaseType, state: row.state as CaseState, createdAt: at };
}

/** The household's requests and where they stand — no staff notes, no names of staff. */
export async function casesForPortal(ctx: AppContext, input: { reference: string; secret: string }) {
  const household = await householdByLink(ctx, input.reference, input.secret);
  const rows = await ctx.db.db
    .selectFrom('cases')
    .select(['number', 'type', 'state', 'created_at', 'updated_at'])
    .where('crisis_id', '=', household.crisis_id)
    .where('household_id', '=', household.id)
    .where('type', '!=', 'welfare_check')
    .orderBy('created_at', 'desc')
    .limit(50)
    .execute();
  return rows.map((r) => ({
    number: r.number,
    type: r.type as CaseType,
    state: r.state as CaseState,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}
