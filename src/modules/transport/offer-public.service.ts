import { systemActor } from '../../access/actor.js';
import type { AppContext } from '../../app-context.js';
import { AppError, notFound } from '../../lib/errors.js';
import { householdOfLink } from '../persons/person-records.service.js';
import { moveAssignment } from './assignment-flow.js';
import { assignmentsOfHousehold, findLegRow, passengersOf } from './transport.repository.js';
import type { PublicOffer } from './transport.schemas.js';

async function householdByLink(ctx: AppContext, reference: string, secret: string) {
  const household = await householdOfLink(ctx, reference, secret);
  // The same answer for an unknown reference and a wrong secret.
  if (!household) throw notFound('registration');
  return household;
}

/** The household's seat offers, per leg, with given names only (the link may be on a shared phone). */
export async function offersForPortal(
  ctx: AppContext,
  input: { reference: string; secret: string },
): Promise<PublicOffer[]> {
  const household = await householdByLink(ctx, input.reference, input.secret);
  const rows = (await assignmentsOfHousehold(ctx.db.db, household.id)).filter(
    (r) => r.status !== 'cancelled',
  );
  const people = new Map(
    (await passengersOf(ctx.db.db, [...new Set(rows.map((r) => r.person_id))])).map((p) => [p.id, p]),
  );
  const offers: PublicOffer[] = [];
  for (const legId of [...new Set(rows.map((r) => r.leg_id))]) {
    const leg = await findLegRow(ctx.db.db, household.crisis_id, legId);
    if (!leg || leg.status === 'cancelled') continue;
    const mine = rows.filter((r) => r.leg_id === legId);
    const latest = mine.reduce((a, b) => (a.created_at >= b.created_at ? a : b));
    offers.push({
      legId,
      kind: leg.kind,
      name: leg.name,
      origin: leg.origin,
      destination: leg.destination,
      assemblyPoint: leg.assembly_point,
      reportAt: leg.report_at,
      departureAt: leg.departure_at,
      offerDeadline: latest.offer_deadline,
      status: latest.status,
      people: mine.map((r) => {
        const p = people.get(r.person_id);
        return { givenName: p?.given_name ?? p?.given_name_ar ?? '', code: r.code, status: r.status };
      }),
    });
  }
  return offers;
}

/**
 * Confirms or declines the household's offer on one leg, for every member offered together.
 * A confirmation after the deadline is refused with the reason, even before the expiry job ran.
 */
export async function respondToOffer(
  ctx: AppContext,
  input: { reference: string; secret: string; legId: string; decision: 'confirm' | 'decline' },
  now = new Date(),
): Promise<PublicOffer> {
  const household = await householdByLink(ctx, input.reference, input.secret);
  const actor = systemActor('portal');
  const at = now.toISOString();
  await ctx.db.writer.write(async (trx) => {
    const rows = (await assignmentsOfHousehold(trx, household.id)).filter((r) => r.leg_id === input.legId);
    if (rows.length === 0) throw notFound('offer');
    const open = rows.filter((r) => r.status === 'offered');
    if (open.length === 0) {
      const s = rows[rows.length - 1]!.status;
      throw new AppError(409, 'offer_closed', `This offer is no longer open: it is ${s.replace('_', ' ')}.`);
    }
    if (input.decision === 'confirm' && open.some((r) => r.offer_deadline < at))
      throw new AppError(
        409,
        'offer_expired',
        `The deadline to confirm was ${open[0]!.offer_deadline}; the seats have gone back to the waiting list.`,
      );
    for (const r of open)
      await moveAssignment(trx, ctx, actor, r, input.decision === 'confirm' ? 'confirmed' : 'declined', at, {
        responded_at: at,
        ...(input.decision === 'decline' ? { reason: 'Declined through the portal.' } : {}),
      });
  });
  const offers = await offersForPortal(ctx, input);
  const offer = offers.find((o) => o.legId === input.legId);
  if (!offer) throw notFound('offer');
  return offer;
}
