import { randomInt } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { z } from 'zod';
import { type Actor, systemActor } from '../../access/actor.js';
import { requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import type { Database } from '../../db/schema.js';
import { nowIso } from '../../lib/clock.js';
import { AppError, conflict, type ErrorParams, notFound, validationFailed } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { listDatesForPersons } from '../crossings/index.js';
import { confirmedIdentityGroups } from '../duplicates/identity-groups.js';
import { seatsOffered } from '../messaging/hooks.js';
import { REFERENCE_ALPHABET } from '../persons/reference-code.js';
import { moveAssignment } from './assignment-flow.js';
import { holdingByKind, legInCrisis } from './leg.service.js';
import { recordMovement } from './person-movement.js';
import {
  type AssignmentRow,
  assignmentsOfLeg,
  eventsOfAssignment,
  findAssignmentByCode,
  findAssignmentRow,
  holdingAssignmentsOfPersons,
  householdMembers,
  insertAssignment,
  insertAssignmentEvent,
  type LegRow,
  legLinksOfCrisis,
  lockHouseholdRow,
  lockLegRow,
  overdueOffers,
  passengersOf,
} from './transport.repository.js';
import type { Assignment, assignHouseholdSchema, PlaceKind } from './transport.schemas.js';

/** A short code printed on the confirmation ("S-7K3QXA"), from the unambiguous alphabet. */
export function newAssignmentCode(): string {
  let body = '';
  for (let i = 0; i < 6; i += 1) body += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  return `S-${body}`;
}

/** A fresh seat code not yet used in the crisis (a clash is rare: 24⁶ codes). */
async function unusedCode(
  trx: Parameters<typeof findAssignmentByCode>[0],
  crisisId: string,
): Promise<string> {
  for (;;) {
    const code = newAssignmentCode();
    if (!(await findAssignmentByCode(trx, crisisId, code))) return code;
  }
}

/** Canonical form of a typed assignment code, or undefined when it cannot be one. */
export function normaliseAssignmentCode(input: string): string | undefined {
  const raw = input.toUpperCase().replace(/[\s-]/g, '');
  if (!/^S[346789ABCDEFGHJKMNPRTWXY]{6}$/.test(raw)) return undefined;
  return `S-${raw.slice(1)}`;
}

/** Whole years between a (possibly year-only) birth date and a day; year-only dates count from 1 January. */
function ageOn(birthDate: string | null, onIso: string): number | undefined {
  if (!birthDate) return undefined;
  const [y, m = '01', d = '01'] = birthDate.split('-');
  const on = onIso.slice(0, 10);
  const [oy, om, od] = on.split('-');
  let age = Number(oy) - Number(y);
  if (`${om}-${od}` < `${m}-${d}`) age -= 1;
  return age;
}

/**
 * The kind of place a person needs: children under two at departure ride on a lap; a person with
 * the `medical` vulnerability gets a stretcher / medical place (a simplification until needs are
 * recorded in detail); everyone else a seat.
 */
export function placeKindFor(
  person: { birth_date: string | null; vulnerabilities: string },
  departureAt: string,
): PlaceKind {
  const age = ageOn(person.birth_date, departureAt);
  if (age !== undefined && age < 2) return 'lap';
  const vulnerabilities: string[] = JSON.parse(person.vulnerabilities);
  return vulnerabilities.includes('medical') ? 'stretcher' : 'seat';
}

const nameOf = (p: { full_name: string | null; full_name_ar: string | null }) =>
  p.full_name ?? p.full_name_ar ?? '';

async function toAssignments(
  db: Parameters<typeof passengersOf>[0],
  rows: AssignmentRow[],
): Promise<Assignment[]> {
  const people = new Map(
    (await passengersOf(db, [...new Set(rows.map((r) => r.person_id))])).map((p) => [p.id, p]),
  );
  return rows.map((r) => ({
    id: r.id,
    legId: r.leg_id,
    personId: r.person_id,
    householdId: r.household_id,
    householdReference: people.get(r.person_id)?.reference ?? '',
    name: people.has(r.person_id) ? nameOf(people.get(r.person_id)!) : '',
    placeKind: r.place_kind,
    status: r.status,
    code: r.code,
    offerDeadline: r.offer_deadline,
    reason: r.reason,
    respondedAt: r.responded_at,
    checkedInAt: r.checked_in_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

/** People who are not put on a leg: gone already, missing, dead, or no longer registered. */
export const NOT_TRAVELLING = ['departed', 'arrived', 'missing', 'deceased', 'withdrawn'];

/**
 * 409 `conflict` for a rule of offering seats; `params.rule` names the rule (with its facts) so the
 * console can say it in the reader's language.
 */
const bindingConflict = (message: string, params: ErrorParams & { rule: string }, path = 'householdId') =>
  conflict(message, [{ path, message }], params);

/**
 * Offers seats on a leg to a household, all members together unless the coordinator allows a
 * split. Checks capacity by kind, reachable zones and, for legs through a crossing, the day's list.
 */
export async function assignHousehold(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  legId: string,
  input: z.output<typeof assignHouseholdSchema>,
): Promise<Assignment[]> {
  requireAccess(actor, 'movement.read', crisisId, { hide: 'transport leg' });
  requireAccess(actor, 'movement.manage', crisisId);
  const at = nowIso();
  const deadline = new Date(input.offerDeadline).toISOString();
  if (deadline <= at)
    throw validationFailed([{ path: 'offerDeadline', message: 'The deadline must be in the future.' }]);
  const everyone = await householdMembers(ctx.db.db, crisisId, input.householdId);
  if (everyone.length === 0) throw notFound('household');
  const members = everyone.filter((m) => !NOT_TRAVELLING.includes(m.status));
  const chosen = input.personIds ? members.filter((m) => input.personIds?.includes(m.id)) : members;
  if (chosen.length === 0 || (input.personIds && chosen.length !== input.personIds.length))
    throw validationFailed([
      { path: 'personIds', message: 'Choose members of this household who are still to travel.' },
    ]);
  if (chosen.length < members.length && !input.allowSplit)
    throw bindingConflict(
      'A household travels together; set allowSplit to send only some members.',
      { rule: 'travel_together' },
      'personIds',
    );
  const onLists = await listDatesForPersons(
    ctx,
    crisisId,
    chosen.map((m) => m.id),
  );
  const rows = await ctx.db.writer.write((trx) =>
    offerSeatsInTransaction(trx, ctx, actor, crisisId, legId, {
      householdId: input.householdId,
      deadline,
      chosen,
      onLists,
      at,
    }),
  );
  await seatsOffered(
    ctx,
    actor,
    crisisId,
    legId,
    rows.map((r) => ({ personId: r.person_id, offerDeadline: r.offer_deadline })),
  );
  return toAssignments(ctx.db.db, rows);
}

/** The members chosen for an offer, as read by `householdMembers`. */
export type OfferMember = Awaited<ReturnType<typeof householdMembers>>[number];

/**
 * The transactional part of an offer: locks the leg and the household, checks status, deadline,
 * places already held, zones, crossing list and capacity by kind, then writes the offered seats
 * with their history and audit entries. Shared by single offers and committed allocation runs.
 */
export async function offerSeatsInTransaction(
  trx: Transaction<Database>,
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  legId: string,
  input: {
    householdId: string;
    deadline: string;
    chosen: OfferMember[];
    onLists: Map<string, { listDate: string; crossingPointId: string }[]>;
    at: string;
  },
): Promise<AssignmentRow[]> {
  const { deadline, chosen, onLists, at } = input;
  const leg = await lockLegRow(trx, ctx.db.dialect, crisisId, legId);
  if (!leg) throw notFound('transport leg');
  await refuseDuplicateSeats(trx, ctx, crisisId, input.householdId, chosen);
  if (leg.status !== 'planned' && leg.status !== 'confirmed')
    throw bindingConflict(`Seats are offered only on planned or confirmed legs; this one is ${leg.status}.`, {
      rule: 'leg_not_open',
      legStatus: leg.status,
    });
  if (leg.departure_at <= deadline)
    throw validationFailed([{ path: 'offerDeadline', message: 'The deadline must fall before departure.' }]);
  // A place on a connecting leg of the same journey (bus to the airport, then the flight) is fine.
  const journey = itineraryOf(legId, await legLinksOfCrisis(trx, crisisId));
  const already = (
    await holdingAssignmentsOfPersons(
      trx,
      chosen.map((m) => m.id),
    )
  ).filter((a) => a.leg_id === legId || !journey.has(a.leg_id));
  if (already.length)
    throw bindingConflict(
      `${already.length} member(s) already hold a place (${already.map((a) => a.code).join(', ')}); cancel it first.`,
      { rule: 'already_held', count: already.length, codes: already.map((a) => a.code).join(', ') },
    );
  checkEligibleForLeg(leg, chosen, onLists);
  const kinds = chosen.map((m) => placeKindFor(m, leg.departure_at));
  const need = { seat: 0, lap: 0, stretcher: 0 };
  for (const k of kinds) need[k] += 1;
  if (need.lap > need.seat + need.stretcher)
    throw bindingConflict('Every infant on a lap needs an accompanying passenger with a seat.', {
      rule: 'lap_needs_seat',
    });
  const held = holdingByKind(await assignmentsOfLeg(trx, legId));
  const free = {
    seat: leg.seats - held.seat,
    lap: leg.lap_places - held.lap,
    stretcher: leg.stretcher_places - held.stretcher,
  };
  const short = (['seat', 'lap', 'stretcher'] as const).filter((k) => need[k] > free[k]);
  if (short.length)
    throw new AppError(
      409,
      'capacity',
      `Not enough places on ${leg.name}: ${short.map((k) => `${k} needs ${need[k]}, ${Math.max(0, free[k])} free`).join('; ')}.`,
      short.map((k) => ({ path: k, message: `${need[k]} needed, ${Math.max(0, free[k])} free.` })),
      { leg: leg.name, short: short.map((k) => ({ kind: k, need: need[k], free: Math.max(0, free[k]) })) },
    );
  const created: AssignmentRow[] = [];
  for (const [i, m] of chosen.entries()) {
    const row: AssignmentRow = {
      id: newId(),
      crisis_id: crisisId,
      leg_id: legId,
      person_id: m.id,
      household_id: input.householdId,
      place_kind: kinds[i]!,
      status: 'offered',
      code: await unusedCode(trx, crisisId),
      offer_deadline: deadline,
      reason: null,
      responded_at: null,
      checked_in_at: null,
      created_by: actor.id,
      created_at: at,
      updated_at: at,
    };
    await insertAssignment(trx, row);
    await insertAssignmentEvent(trx, {
      id: newId(),
      assignment_id: row.id,
      at,
      from_status: null,
      to_status: 'offered',
      reason: null,
      actor_id: actor.id,
      actor_label: actor.label,
    });
    created.push(row);
  }
  await recordAudit(trx, ctx.db.dialect, actor, {
    action: 'seat_assignment.offered',
    entityType: 'transport_leg',
    entityId: legId,
    crisisId,
    change: { householdId: input.householdId, personIds: chosen.map((m) => m.id), offerDeadline: deadline },
  });
  await recordMovement(
    trx,
    actor,
    created.map((r) => r.person_id),
    'allocated',
    leg.name,
    at,
  );
  return created;
}

/**
 * One person, one seat: a registration that reviewers confirmed to be the same person as another
 * (see `confirmedIdentityGroups`) gets no place while that other registration holds a live place
 * (offered, confirmed, checked in or boarded), on any leg, and two registrations of one person are
 * not offered places together. Locks the household and those of the person's other registrations
 * (in id order, so two offers for one person wait for each other instead of both passing), then
 * answers 409 on `personIds` naming the household reference and leg of the place already held.
 */
async function refuseDuplicateSeats(
  trx: Transaction<Database>,
  ctx: AppContext,
  crisisId: string,
  householdId: string,
  chosen: OfferMember[],
): Promise<void> {
  const ids = chosen.map((m) => m.id);
  const groups = await confirmedIdentityGroups(trx, crisisId, ids);
  const others = [...new Set(groups.flat())].filter((p) => !ids.includes(p));
  const otherHouseholds = others.length
    ? await trx
        .selectFrom('persons')
        .select(['id', 'household_id'])
        .where('crisis_id', '=', crisisId)
        .where('id', 'in', others)
        .execute()
    : [];
  for (const h of [...new Set([householdId, ...otherHouseholds.map((p) => p.household_id)])].sort())
    await lockHouseholdRow(trx, ctx.db.dialect, h);
  const twice = groups.filter((g) => g.filter((p) => ids.includes(p)).length > 1);
  if (twice.length)
    throw duplicateConflict(
      `${twice.length} person(s) are chosen twice under two registrations confirmed as the same person; choose one registration.`,
      { count: twice.length },
    );
  const held = await holdingAssignmentsOfPersons(trx, others);
  if (held.length === 0) return;
  const where = await trx
    .selectFrom('seat_assignments')
    .innerJoin('households', 'households.id', 'seat_assignments.household_id')
    .innerJoin('transport_legs', 'transport_legs.id', 'seat_assignments.leg_id')
    .select(['seat_assignments.id', 'households.reference', 'transport_legs.name', 'seat_assignments.status'])
    .where(
      'seat_assignments.id',
      'in',
      held.map((a) => a.id),
    )
    .orderBy('households.reference')
    .execute();
  const places = where.map((w) => `household ${w.reference} on ${w.name} (${w.status.replace('_', ' ')})`);
  throw duplicateConflict(
    `${held.length} chosen member(s) already hold a place under another registration confirmed as the same person: ${places.join('; ')}. One person gets one place; cancel that place first or undo the merge.`,
    {
      count: held.length,
      places: where.map((w) => ({ reference: w.reference, leg: w.name, seatStatus: w.status })),
    },
  );
}

/** 409 `duplicate_registration` on `personIds`: the person already has (or is given) a place under another registration. */
export const duplicateConflict = (message: string, params: ErrorParams) =>
  new AppError(409, 'duplicate_registration', message, [{ path: 'personIds', message }], params);

/** The legs linked to `legId` through onward connections, in either direction. */
export function itineraryOf(legId: string, links: { id: string; next_leg_id: string | null }[]): Set<string> {
  const neighbours = new Map<string, string[]>();
  const link = (a: string, b: string) => neighbours.set(a, [...(neighbours.get(a) ?? []), b]);
  for (const l of links)
    if (l.next_leg_id) {
      link(l.id, l.next_leg_id);
      link(l.next_leg_id, l.id);
    }
  const seen = new Set([legId]);
  const queue = [legId];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    for (const n of neighbours.get(next) ?? []) {
      if (seen.has(n)) continue;
      seen.add(n);
      queue.push(n);
    }
  }
  return seen;
}

/** Zone and crossing-list rules of a leg; the first member who fails names the rule. */
function checkEligibleForLeg(
  leg: LegRow,
  members: { id: string; zone_id: string | null }[],
  onLists: Map<string, { listDate: string; crossingPointId: string }[]>,
) {
  const zones: string[] = JSON.parse(leg.reachable_zone_ids);
  if (zones.length) {
    const out = members.filter((m) => !m.zone_id || !zones.includes(m.zone_id));
    if (out.length)
      throw bindingConflict(
        `${out.length} member(s) are not in a zone from which ${leg.assembly_point} can be reached.`,
        { rule: 'zone_unreachable', count: out.length, assemblyPoint: leg.assembly_point },
      );
  }
  if (leg.crossing_point_id) {
    const missing = members.filter(
      (m) =>
        !(onLists.get(m.id) ?? []).some(
          (l) => l.crossingPointId === leg.crossing_point_id && l.listDate === leg.crossing_list_date,
        ),
    );
    if (missing.length)
      throw bindingConflict(
        `${missing.length} member(s) are not on the approved list of ${leg.crossing_list_date} this leg requires.`,
        { rule: 'not_on_list', count: missing.length, listDate: leg.crossing_list_date ?? '' },
      );
  }
}

/**
 * Persons holding more than one live place through registrations confirmed as one person — seats
 * given before the merge was decided (or while it was undone). Each item is the person's
 * registrations and the live places they hold, for the coordinator to cancel all but one.
 */
export async function duplicateSeats(ctx: AppContext, actor: Actor, crisisId: string) {
  requireAccess(actor, 'movement.read', crisisId, { hide: 'crisis' });
  const groups = await confirmedIdentityGroups(ctx.db.db, crisisId);
  const ids = groups.flat();
  const held: AssignmentRow[] = [];
  for (let i = 0; i < ids.length; i += 500)
    held.push(...(await holdingAssignmentsOfPersons(ctx.db.db, ids.slice(i, i + 500))));
  const out: { personIds: string[]; assignments: Assignment[] }[] = [];
  for (const group of groups) {
    const rows = held
      .filter((a) => group.includes(a.person_id))
      .sort((x, y) =>
        x.created_at < y.created_at ? -1 : x.created_at > y.created_at ? 1 : x.id < y.id ? -1 : 1,
      );
    if (rows.length > 1) out.push({ personIds: group, assignments: await toAssignments(ctx.db.db, rows) });
  }
  return out;
}

export async function listAssignments(ctx: AppContext, actor: Actor, crisisId: string, legId: string) {
  requireAccess(actor, 'movement.read', crisisId, { hide: 'transport leg' });
  await legInCrisis(ctx.db.db, crisisId, legId);
  return toAssignments(ctx.db.db, await assignmentsOfLeg(ctx.db.db, legId));
}

async function assignmentOnLeg(
  db: Parameters<typeof findAssignmentRow>[0],
  crisisId: string,
  legId: string,
  assignmentId: string,
) {
  const row = await findAssignmentRow(db, crisisId, assignmentId);
  if (!row || row.leg_id !== legId) throw notFound('seat assignment');
  return row;
}

export async function assignmentHistory(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  legId: string,
  assignmentId: string,
) {
  requireAccess(actor, 'movement.read', crisisId, { hide: 'seat assignment' });
  await assignmentOnLeg(ctx.db.db, crisisId, legId, assignmentId);
  return (await eventsOfAssignment(ctx.db.db, assignmentId)).map((e) => ({
    id: e.id,
    at: e.at,
    fromStatus: e.from_status,
    toStatus: e.to_status,
    reason: e.reason,
    actorLabel: e.actor_label,
  }));
}

/** Staff cancel a seat (before boarding); the place goes back to the leg. */
export async function cancelAssignment(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  legId: string,
  assignmentId: string,
  reason: string,
): Promise<Assignment> {
  requireAccess(actor, 'movement.read', crisisId, { hide: 'seat assignment' });
  requireAccess(actor, 'movement.manage', crisisId);
  const at = nowIso();
  const row = await ctx.db.writer.write(async (trx) => {
    const current = await assignmentOnLeg(trx, crisisId, legId, assignmentId);
    return moveAssignment(trx, ctx, actor, current, 'cancelled', at, { reason });
  });
  return (await toAssignments(ctx.db.db, [row]))[0]!;
}

/**
 * Releases the places of offers whose deadline has passed. Idempotent: an offer already expired,
 * confirmed or declined is left alone. Returns how many offers expired.
 */
export async function expireOffers(ctx: AppContext, now = new Date()): Promise<{ expired: number }> {
  const at = now.toISOString();
  const actor = systemActor('worker');
  const due = await overdueOffers(ctx.db.db, at);
  if (due.length === 0) return { expired: 0 };
  return ctx.db.writer.write(async (trx) => {
    let expired = 0;
    for (const row of await overdueOffers(trx, at)) {
      await moveAssignment(trx, ctx, actor, row, 'expired', at, { reason: 'No answer before the deadline.' });
      expired += 1;
    }
    return { expired };
  });
}

export { toAssignments };
