import type { Actor } from '../../access/actor.js';
import { requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { nowIso } from '../../lib/clock.js';
import { AppError, type ErrorParams, notFound, validationFailed } from '../../lib/errors.js';
import { normaliseReferenceCode } from '../persons/reference-code.js';
import { normaliseAssignmentCode, toAssignments } from './assignment.service.js';
import { moveAssignment } from './assignment-flow.js';
import { countLeg, legInCrisis } from './leg.service.js';
import {
  type AssignmentRow,
  assignmentsOfHousehold,
  assignmentsOfLegs,
  findAssignmentByCode,
  findAssignmentRow,
  findLegRow,
} from './transport.repository.js';

const refused = (code: string, message: string, params?: ErrorParams) =>
  new AppError(409, code, message, undefined, params);

/**
 * Checks people in at the assembly point, by the code on one confirmation (one person) or by the
 * household reference (every confirmed member on this leg). Refuses, with the reason, a code for
 * another leg, a second check-in, and a seat that was never confirmed.
 */
export async function checkIn(ctx: AppContext, actor: Actor, crisisId: string, legId: string, code: string) {
  requireAccess(actor, 'movement.read', crisisId, { hide: 'transport leg' });
  requireAccess(actor, 'movement.manage', crisisId);
  const at = nowIso();
  const assignmentCode = normaliseAssignmentCode(code);
  const reference = assignmentCode ? undefined : normaliseReferenceCode(code);
  if (!assignmentCode && !reference)
    throw validationFailed([{ path: 'code', message: 'Not a seat code (S-XXXXXX) or a reference code.' }]);
  const rows = await ctx.db.writer.write(async (trx) => {
    const leg = await legInCrisis(trx, crisisId, legId);
    if (leg.status !== 'confirmed' && leg.status !== 'boarding')
      throw refused(
        'leg_not_boarding',
        `Check-in is open on confirmed or boarding legs; this one is ${leg.status}.`,
        { legStatus: leg.status },
      );
    let candidates: AssignmentRow[];
    if (assignmentCode) {
      const one = await findAssignmentByCode(trx, crisisId, assignmentCode);
      if (!one) throw notFound('seat code');
      candidates = [one];
    } else {
      const household = await trx
        .selectFrom('households')
        .select('id')
        .where('crisis_id', '=', crisisId)
        .where('reference', '=', reference!)
        .executeTakeFirst();
      if (!household) throw notFound('registration');
      candidates = (await assignmentsOfHousehold(trx, household.id)).filter(
        (a) => a.status !== 'cancelled' && a.status !== 'declined' && a.status !== 'expired',
      );
      if (candidates.length === 0) throw refused('no_seat', 'This household holds no seat.');
    }
    const here = candidates.filter((a) => a.leg_id === legId);
    if (here.length === 0) {
      const other = await findLegRow(trx, crisisId, candidates[0]!.leg_id);
      throw refused('wrong_leg', `This seat is on ${other?.name ?? 'another leg'}, not on ${leg.name}.`, {
        leg: leg.name,
        ...(other ? { otherLeg: other.name } : {}),
      });
    }
    const ready = here.filter((a) => a.status === 'confirmed');
    if (ready.length === 0) {
      const first = here[0]!;
      if (first.status === 'checked_in' || first.status === 'boarded')
        throw refused(
          'already_checked_in',
          `Already checked in at ${first.checked_in_at ?? first.updated_at}.`,
          { at: first.checked_in_at ?? first.updated_at, seatStatus: first.status },
        );
      if (first.status === 'offered')
        throw refused('not_confirmed', 'The offer was not confirmed; the seat cannot be used yet.');
      throw refused('not_checkable', `This seat is ${first.status.replace('_', ' ')}.`, {
        seatStatus: first.status,
      });
    }
    const moved = [];
    for (const a of ready)
      moved.push(await moveAssignment(trx, ctx, actor, a, 'checked_in', at, { checked_in_at: at }));
    return { leg, moved };
  });
  const all = await assignmentsOfLegs(ctx.db.db, [legId]);
  return { checkedIn: await toAssignments(ctx.db.db, rows.moved), counts: countLeg(rows.leg, all) };
}

/** Boarded, no-show or refused (with the reason) for one seat; answers the leg's live counts. */
export async function recordBoardingOutcome(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  legId: string,
  assignmentId: string,
  input: { outcome: 'boarded' | 'no_show' | 'refused'; reason?: string | undefined },
) {
  requireAccess(actor, 'movement.read', crisisId, { hide: 'seat assignment' });
  requireAccess(actor, 'movement.manage', crisisId);
  if (input.outcome === 'refused' && !input.reason)
    throw validationFailed([{ path: 'reason', message: 'Say why boarding was refused.' }]);
  const at = nowIso();
  const result = await ctx.db.writer.write(async (trx) => {
    const leg = await legInCrisis(trx, crisisId, legId);
    const row = await findAssignmentRow(trx, crisisId, assignmentId);
    if (!row || row.leg_id !== legId) throw notFound('seat assignment');
    if (input.outcome === 'boarded' && row.status !== 'checked_in')
      throw refused('not_checked_in', 'Check the passenger in before boarding.');
    const moved = await moveAssignment(trx, ctx, actor, row, input.outcome, at, {
      reason: input.reason ?? null,
    });
    return { leg, moved };
  });
  const all = await assignmentsOfLegs(ctx.db.db, [legId]);
  return {
    assignment: (await toAssignments(ctx.db.db, [result.moved]))[0]!,
    counts: countLeg(result.leg, all),
  };
}
