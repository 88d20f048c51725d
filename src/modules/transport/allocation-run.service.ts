import type { Actor } from '../../access/actor.js';
import { requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import { runAllocation } from '../../jobs/worker-jobs.js';
import { AppError, conflict, type ErrorParams, notFound, validationFailed } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { listDatesForPersons } from '../crossings/index.js';
import { confirmedIdentityGroups } from '../duplicates/identity-groups.js';
import { seatsOffered } from '../messaging/hooks.js';
import { restrictedPersonIds } from '../restricted/restricted-visibility.js';
import {
  AllocationInputError,
  type AllocationPlan,
  type AllocationProblem,
  type Household,
  type Leg,
  type Member,
} from './allocation/index.js';
import {
  type AllocationRunRow,
  insertRun,
  insertRunRows,
  markRunCommitted,
  rowsOfRun,
  runInCrisis,
} from './allocation-run.repository.js';
import type { AllocationRun, AllocationRunRequest } from './allocation-run.schemas.js';
import {
  NOT_TRAVELLING,
  type OfferMember,
  offerSeatsInTransaction,
  toAssignments,
} from './assignment.service.js';
import { holdingByKind } from './leg.service.js';
import {
  type AssignmentRow,
  assignmentsOfLeg,
  assignmentsOfLegs,
  HOLDING_STATUSES,
  holdingAssignmentsOfPersons,
  householdMembers,
  type LegRow,
  lockLegRow,
  passengersOf,
} from './transport.repository.js';

const DAY = 86_400_000;
const CHUNK = 500;
const NO_ZONE = 'no zone recorded';

/** Whole years between a (possibly year-only) birth date and a day. */
function ageOn(birthDate: string | null, day: string): number | undefined {
  if (!birthDate) return undefined;
  const [y, m = '01', d = '01'] = birthDate.split('-');
  const [oy, om, od] = day.split('-');
  let age = Number(oy) - Number(y);
  if (`${om}-${od}` < `${m}-${d}`) age -= 1;
  return age;
}

interface LegSnapshot {
  id: string;
  name: string;
  departureAt: string;
  version: number;
  status: string;
  seats: number;
  lapPlaces: number;
  stretcherPlaces: number;
  held: { seat: number; lap: number; stretcher: number };
}

interface RunResult {
  planStatus: AllocationPlan['status'];
  objective: number;
  bound: number | null;
  peopleMoved: number;
  priorityMoved: number;
  splitHouseholds: number;
  splitHouseholdIds: string[];
  emptySeats: AllocationPlan['emptySeats'];
  /** The allocator's explanations, then one `duplicate-registration` line per collapsed duplicate. */
  explanations: (
    | AllocationPlan['explanations'][number]
    | { code: 'duplicate-registration'; message: string; householdId: string }
  )[];
  unassigned: AllocationPlan['unassigned'];
  seconds: number;
  householdsConsidered: number;
  peopleConsidered: number;
  /** Absent on runs stored before duplicates were collapsed. */
  duplicates?: CollapsedDuplicate[];
}

const snapshotOf = (leg: LegRow, held: LegSnapshot['held']): LegSnapshot => ({
  id: leg.id,
  name: leg.name,
  departureAt: leg.departure_at,
  version: leg.version,
  status: leg.status,
  seats: leg.seats,
  lapPlaces: leg.lap_places,
  stretcherPlaces: leg.stretcher_places,
  held,
});

/** A registration left out of a run because it is a confirmed duplicate of another. */
export interface CollapsedDuplicate {
  personId: string;
  householdId: string;
  householdReference: string;
  /** The registration of the same person that is planned, or already holds a place. */
  keptPersonId: string;
  keptHouseholdId: string;
  keptHouseholdReference: string;
  /** `seat-held`: the other registration already holds a live place; `collapsed`: planned once, there. */
  reason: 'seat-held' | 'collapsed';
  message: string;
}

type WaitingPerson = {
  id: string;
  household_id: string;
  birth_date: string | null;
  vulnerabilities: string;
  zone_id: string | null;
  created_at: string;
};

/**
 * Gives the allocator each person once. Registrations confirmed to be one person (active "same"
 * decisions, see `confirmedIdentityGroups`) collapse to one:
 * 1. if any registration of the person already holds a live place, none of the others is planned;
 * 2. otherwise the registration kept is the one whose household has the most members waiting in
 *    this run (the more complete family, so the person travels with it); on a tie the earliest
 *    registered, then the smallest id.
 * The others are removed from the problem and listed, with the registration kept, in the run.
 */
async function collapseDuplicates(
  ctx: AppContext,
  crisisId: string,
  waiting: WaitingPerson[],
): Promise<{ persons: WaitingPerson[]; duplicates: CollapsedDuplicate[] }> {
  const groups = await confirmedIdentityGroups(ctx.db.db, crisisId);
  if (groups.length === 0) return { persons: waiting, duplicates: [] };
  const byId = new Map(waiting.map((p) => [p.id, p]));
  const inGroups = groups.flat();
  const holders = new Map<string, string>();
  for (let i = 0; i < inGroups.length; i += CHUNK)
    for (const a of await holdingAssignmentsOfPersons(ctx.db.db, inGroups.slice(i, i + CHUNK)))
      holders.set(a.person_id, a.household_id);
  const householdSize = new Map<string, number>();
  for (const p of waiting) householdSize.set(p.household_id, (householdSize.get(p.household_id) ?? 0) + 1);
  const dropped: {
    personId: string;
    householdId: string;
    kept: string;
    keptHousehold: string;
    held: boolean;
  }[] = [];
  for (const group of groups) {
    const present = group.filter((id) => byId.has(id));
    if (present.length === 0) continue;
    const holder = group.find((id) => holders.has(id));
    let kept: string;
    let keptHousehold: string;
    if (holder) {
      kept = holder;
      keptHousehold = holders.get(holder)!;
    } else {
      if (present.length < 2) continue;
      const best = [...present].sort((x, y) => {
        const a = byId.get(x)!;
        const b = byId.get(y)!;
        const size = (householdSize.get(b.household_id) ?? 0) - (householdSize.get(a.household_id) ?? 0);
        if (size !== 0) return size;
        if (a.created_at !== b.created_at) return a.created_at < b.created_at ? -1 : 1;
        return a.id < b.id ? -1 : 1;
      })[0]!;
      kept = best;
      keptHousehold = byId.get(best)!.household_id;
    }
    for (const id of present)
      if (id !== kept)
        dropped.push({
          personId: id,
          householdId: byId.get(id)!.household_id,
          kept,
          keptHousehold,
          held: holder !== undefined,
        });
  }
  if (dropped.length === 0) return { persons: waiting, duplicates: [] };
  const householdIds = [...new Set(dropped.flatMap((d) => [d.householdId, d.keptHousehold]))];
  const references = new Map(
    (
      await ctx.db.db
        .selectFrom('households')
        .select(['id', 'reference'])
        .where('id', 'in', householdIds)
        .execute()
    ).map((h) => [h.id, h.reference]),
  );
  const gone = new Set(dropped.map((d) => d.personId));
  return {
    persons: waiting.filter((p) => !gone.has(p.id)),
    duplicates: dropped.map((d) => {
      const reference = references.get(d.householdId) ?? d.householdId;
      const keptReference = references.get(d.keptHousehold) ?? d.keptHousehold;
      return {
        personId: d.personId,
        householdId: d.householdId,
        householdReference: reference,
        keptPersonId: d.kept,
        keptHouseholdId: d.keptHousehold,
        keptHouseholdReference: keptReference,
        reason: d.held ? 'seat-held' : 'collapsed',
        message: d.held
          ? `A member of household ${reference} is the same person as a member of household ${keptReference}, who already holds a place; not planned again.`
          : `A member of household ${reference} is the same person as a member of household ${keptReference}; planned once, with household ${keptReference}.`,
      };
    }),
  };
}

/**
 * Builds the allocator's problem from the registry: households whose members want to leave, are
 * eligible, hold no place yet and are not in a restricted case; their needs, waiting time, zones,
 * document expiry and approved-list entries; and the chosen legs with the places already held.
 */
async function buildProblem(
  ctx: AppContext,
  crisisId: string,
  legs: LegRow[],
  held: Map<string, LegSnapshot['held']>,
  request: AllocationRunRequest,
  now: Date,
): Promise<{ problem: AllocationProblem; people: number; duplicates: CollapsedDuplicate[] }> {
  const db = ctx.db.db;
  const waiting = await db
    .selectFrom('persons')
    .select(['id', 'household_id', 'birth_date', 'vulnerabilities', 'zone_id', 'created_at'])
    .where('crisis_id', '=', crisisId)
    .where('intention', '=', 'leave')
    .where('eligibility', '=', 'eligible')
    .where('anonymised_at', 'is', null)
    .where('status', 'not in', NOT_TRAVELLING)
    .where('id', 'not in', restrictedPersonIds(db))
    .where('id', 'not in', (q) =>
      q.selectFrom('seat_assignments').select('person_id').where('status', 'in', HOLDING_STATUSES),
    )
    .orderBy('household_id')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const { persons, duplicates } = await collapseDuplicates(ctx, crisisId, waiting);
  const ids = persons.map((p) => p.id);
  const expiry = new Map<string, string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const docs = await db
      .selectFrom('person_documents')
      .select(['person_id', 'expiry_date'])
      .where('person_id', 'in', ids.slice(i, i + CHUNK))
      .where('expiry_date', 'is not', null)
      .execute();
    for (const d of docs) {
      const prev = expiry.get(d.person_id);
      if (d.expiry_date && (!prev || d.expiry_date > prev)) expiry.set(d.person_id, d.expiry_date);
    }
  }
  const lists = await listDatesForPersons(ctx, crisisId, ids);
  const zoneNames = new Map(
    (await db.selectFrom('zones').select(['id', 'name']).where('crisis_id', '=', crisisId).execute()).map(
      (z) => [z.id, z.name],
    ),
  );
  const zoneName = (zoneId: string | null) => (zoneId ? (zoneNames.get(zoneId) ?? zoneId) : NO_ZONE);
  const lastDeparture = [...legs.map((l) => l.departure_at)].sort().at(-1)?.slice(0, 10) ?? '';
  const today = now.toISOString().slice(0, 10);

  const byHousehold = new Map<string, typeof persons>();
  for (const p of persons) byHousehold.set(p.household_id, [...(byHousehold.get(p.household_id) ?? []), p]);
  const pins = new Map(request.pins.map((p) => [p.householdId, p.legId]));
  for (const pin of request.pins)
    if (!byHousehold.has(pin.householdId))
      throw validationFailed([
        {
          path: 'pins',
          message: `Household ${pin.householdId} has nobody waiting for a seat; it cannot be pinned.`,
        },
      ]);
  const excluded = new Set(request.exclusions);
  const splittable = new Set(request.allowSplit);
  const legIds = legs.map((l) => l.id);

  const households: Household[] = [];
  const householdZones = new Map<string, string[]>();
  for (const [householdId, members] of byHousehold) {
    const zoneParts = [...new Set(members.map((m) => zoneName(m.zone_id)))].sort();
    const zone = zoneParts.join(' + ');
    householdZones.set(zone, zoneParts);
    const pinned = pins.get(householdId);
    households.push({
      id: householdId,
      zone,
      members: members.map((m): Member => {
        const vulnerabilities: string[] = JSON.parse(m.vulnerabilities);
        const ageNow = ageOn(m.birth_date, today);
        const ageLater = ageOn(m.birth_date, lastDeparture || today);
        const until = expiry.get(m.id);
        return {
          id: m.id,
          stretcher: vulnerabilities.includes('medical'),
          medical: vulnerabilities.includes('mobility') || vulnerabilities.includes('pregnancy'),
          unaccompaniedMinor: vulnerabilities.includes('unaccompanied_minor'),
          elderly: vulnerabilities.includes('elderly') || (ageNow !== undefined && ageNow >= 65),
          lapInfant: ageLater !== undefined && ageLater < 2,
          waitingDays: Math.max(0, Math.floor((now.getTime() - Date.parse(m.created_at)) / DAY)),
          ...(until ? { documentsValidUntil: until } : {}),
          approvedFor: (lists.get(m.id) ?? []).map((l) => ({
            crossingId: l.crossingPointId,
            date: l.listDate,
          })),
        };
      }),
      ...(splittable.has(householdId) ? { allowSplit: true } : {}),
      ...(pinned ? { pinnedLegId: pinned } : {}),
      ...(excluded.has(householdId) ? { excludedLegIds: legIds } : {}),
    });
  }

  const problemLegs: Leg[] = legs.map((l) => {
    const zoneIds: string[] = JSON.parse(l.reachable_zone_ids);
    const reachable = new Set(zoneIds.map((z) => zoneName(z)));
    const h = held.get(l.id) ?? { seat: 0, lap: 0, stretcher: 0 };
    return {
      id: l.id,
      departureDate: l.departure_at.slice(0, 10),
      capacity: { seats: l.seats, lapInfants: l.lap_places, stretchers: l.stretcher_places },
      // A leg that lists no zones is reachable from everywhere; a household spread over several
      // zones reaches it only when every one of them does.
      reachableFromZones: [...householdZones]
        .filter(([, parts]) => zoneIds.length === 0 || parts.every((p) => p !== NO_ZONE && reachable.has(p)))
        .map(([zone]) => zone),
      ...(l.crossing_point_id && l.crossing_list_date
        ? { requiresApprovedList: { crossingId: l.crossing_point_id, date: l.crossing_list_date } }
        : {}),
      alreadyAllocated: {
        seats: Math.min(h.seat, l.seats),
        lapInfants: Math.min(h.lap, l.lap_places),
        stretchers: Math.min(h.stretcher, l.stretcher_places),
      },
    };
  });
  return { problem: { households, legs: problemLegs }, people: persons.length, duplicates };
}

async function legsOfRequest(ctx: AppContext, crisisId: string, legIds: string[]): Promise<LegRow[]> {
  const unique = [...new Set(legIds)];
  const rows = await ctx.db.db
    .selectFrom('transport_legs')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .where('id', 'in', unique)
    .orderBy('departure_at')
    .orderBy('name')
    .execute();
  if (rows.length !== unique.length) throw notFound('transport leg');
  const closed = rows.filter((l) => l.status !== 'planned' && l.status !== 'confirmed');
  if (closed.length)
    throw conflict(
      `Seats are allocated only on planned or confirmed legs: ${closed.map((l) => `${l.name} is ${l.status}`).join(', ')}.`,
      [{ path: 'legIds', message: 'Choose planned or confirmed legs.' }],
      { rule: 'legs_not_open', legs: closed.map((l) => ({ leg: l.name, legStatus: l.status })) },
    );
  return rows;
}

/**
 * Proposes a seat plan over the chosen legs: builds the problem from the registry, solves it in a
 * worker thread and stores it with its explanations and figures. Nothing is offered until commit.
 */
export async function proposeAllocation(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  request: AllocationRunRequest,
  now = new Date(),
): Promise<AllocationRun> {
  requireAccess(actor, 'movement.read', crisisId, { hide: 'allocation run' });
  requireAccess(actor, 'movement.manage', crisisId);
  const legs = await legsOfRequest(ctx, crisisId, request.legIds);
  const current = await assignmentsOfLegs(
    ctx.db.db,
    legs.map((l) => l.id),
  );
  const held = new Map(
    legs.map((l) => [l.id, holdingByKind(current.filter((a) => a.leg_id === l.id))] as const),
  );
  const { problem, people, duplicates } = await buildProblem(ctx, crisisId, legs, held, request, now);
  let plan: AllocationPlan;
  try {
    plan = await runAllocation({ problem, options: { method: request.method, timeLimitSeconds: 10 } });
  } catch (error) {
    if (error instanceof AllocationInputError)
      throw validationFailed(
        error.issues.map((i) => ({ path: i.path, message: i.message })),
        'The allocation request cannot be planned.',
      );
    throw error;
  }
  const at = now.toISOString();
  const result: RunResult = {
    planStatus: plan.status,
    objective: plan.objective,
    bound: plan.bound ?? null,
    peopleMoved: plan.peopleMoved,
    priorityMoved: plan.priorityMoved,
    splitHouseholds: plan.splitHouseholds,
    splitHouseholdIds: plan.splitHouseholdIds,
    emptySeats: plan.emptySeats,
    explanations: [
      ...plan.explanations,
      ...duplicates.map((d) => ({
        code: 'duplicate-registration' as const,
        message: d.message,
        householdId: d.householdId,
      })),
    ],
    unassigned: plan.unassigned,
    seconds: plan.seconds,
    householdsConsidered: problem.households.length,
    peopleConsidered: people,
    duplicates,
  };
  const run: AllocationRunRow = {
    id: newId(),
    crisis_id: crisisId,
    status: 'proposed',
    method: plan.method,
    request: JSON.stringify(request),
    legs_snapshot: JSON.stringify(legs.map((l) => snapshotOf(l, held.get(l.id)!))),
    result: JSON.stringify(result),
    created_by: actor.id,
    created_at: at,
    committed_by: null,
    committed_at: null,
  };
  await ctx.db.writer.write(async (trx) => {
    await insertRun(trx, run);
    await insertRunRows(
      trx,
      plan.assignments.map((a) => ({
        id: newId(),
        run_id: run.id,
        household_id: a.householdId,
        person_id: a.personId,
        leg_id: a.legId,
      })),
    );
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'allocation_run.proposed',
      entityType: 'allocation_run',
      entityId: run.id,
      crisisId,
      change: {
        legIds: legs.map((l) => l.id),
        method: plan.method,
        peopleMoved: plan.peopleMoved,
        pins: request.pins.length,
        exclusions: request.exclusions.length,
        duplicatesCollapsed: duplicates.length,
      },
    });
  });
  return toRun(ctx, run);
}

async function toRun(ctx: AppContext, run: AllocationRunRow): Promise<AllocationRun> {
  const rows = await rowsOfRun(ctx.db.db, run.id);
  const result: RunResult = JSON.parse(run.result);
  const snapshot: LegSnapshot[] = JSON.parse(run.legs_snapshot);
  const people = new Map(
    (await passengersOf(ctx.db.db, [...new Set(rows.map((r) => r.person_id))])).map((p) => [p.id, p]),
  );
  const kinds = new Map(
    (rows.length
      ? await ctx.db.db
          .selectFrom('persons')
          .select(['id', 'birth_date', 'vulnerabilities'])
          .where(
            'id',
            'in',
            rows.map((r) => r.person_id),
          )
          .execute()
      : []
    ).map((p) => [p.id, p]),
  );
  return {
    id: run.id,
    crisisId: run.crisis_id,
    status: run.status,
    method: run.method,
    planStatus: result.planStatus,
    request: JSON.parse(run.request),
    legs: snapshot.map((l) => {
      const empty = result.emptySeats.find((e) => e.legId === l.id);
      const mine = rows.filter((r) => r.leg_id === l.id);
      const planned = { seats: 0, lapInfants: 0, stretchers: 0 };
      for (const r of mine) {
        const p = kinds.get(r.person_id);
        const age = ageOn(p?.birth_date ?? null, l.departureAt.slice(0, 10));
        if (age !== undefined && age < 2) planned.lapInfants += 1;
        else if (p && (JSON.parse(p.vulnerabilities) as string[]).includes('medical'))
          planned.stretchers += 1;
        else planned.seats += 1;
      }
      return {
        legId: l.id,
        name: l.name,
        departureAt: l.departureAt,
        capacity: { seats: l.seats, lapInfants: l.lapPlaces, stretchers: l.stretcherPlaces },
        alreadyHeld: { seats: l.held.seat, lapInfants: l.held.lap, stretchers: l.held.stretcher },
        planned,
        empty: {
          seats: empty?.seats ?? 0,
          lapInfants: empty?.lapInfants ?? 0,
          stretchers: empty?.stretchers ?? 0,
        },
      };
    }),
    assignments: rows.map((r) => {
      const p = people.get(r.person_id);
      return {
        householdId: r.household_id,
        householdReference: p?.reference ?? '',
        personId: r.person_id,
        name: p?.full_name ?? p?.full_name_ar ?? '',
        legId: r.leg_id,
      };
    }),
    unassigned: result.unassigned,
    explanations: result.explanations,
    duplicates: result.duplicates ?? [],
    figures: {
      householdsConsidered: result.householdsConsidered,
      peopleConsidered: result.peopleConsidered,
      peopleMoved: result.peopleMoved,
      priorityMoved: result.priorityMoved,
      splitHouseholds: result.splitHouseholds,
      splitHouseholdIds: result.splitHouseholdIds,
      objective: result.objective,
      bound: result.bound,
      seconds: result.seconds,
    },
    createdAt: run.created_at,
    committedAt: run.committed_at,
  };
}

export async function getAllocationRun(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  runId: string,
): Promise<AllocationRun> {
  requireAccess(actor, 'movement.read', crisisId, { hide: 'allocation run' });
  requireAccess(actor, 'movement.manage', crisisId);
  const run = await runInCrisis(ctx.db.db, crisisId, runId);
  if (!run) throw notFound('allocation run');
  return toRun(ctx, run);
}

/** 409 `plan_stale`; `params.reason` (`not_waiting`, `leg_gone`, `leg_changed`, `merged`) says what moved. */
const stale = (message: string, params: ErrorParams) =>
  new AppError(409, 'plan_stale', message, undefined, params);

/**
 * Turns a proposed plan into offers, every household of it in one transaction: if any leg's
 * status, capacity or places held changed since the plan was made, nothing is offered and the
 * coordinator is asked for a new run.
 */
export async function commitAllocation(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  runId: string,
  input: { deadlineHours: number },
  now = new Date(),
) {
  requireAccess(actor, 'movement.read', crisisId, { hide: 'allocation run' });
  requireAccess(actor, 'movement.manage', crisisId);
  const run = await runInCrisis(ctx.db.db, crisisId, runId);
  if (!run) throw notFound('allocation run');
  if (run.status !== 'proposed')
    throw new AppError(409, 'run_committed', `This plan was already committed at ${run.committed_at}.`);
  const at = now.toISOString();
  const deadline = new Date(now.getTime() + input.deadlineHours * 3_600_000).toISOString();
  const rows = await rowsOfRun(ctx.db.db, run.id);
  const snapshot: LegSnapshot[] = JSON.parse(run.legs_snapshot);
  const groups = new Map<string, { householdId: string; legId: string; personIds: string[] }>();
  for (const r of rows) {
    const key = `${r.household_id}|${r.leg_id}`;
    const g = groups.get(key) ?? { householdId: r.household_id, legId: r.leg_id, personIds: [] };
    g.personIds.push(r.person_id);
    groups.set(key, g);
  }
  const prepared: { householdId: string; legId: string; personIds: string[]; chosen: OfferMember[] }[] = [];
  for (const g of groups.values()) {
    const members = (await householdMembers(ctx.db.db, crisisId, g.householdId)).filter(
      (m) => !NOT_TRAVELLING.includes(m.status),
    );
    const chosen = members.filter((m) => g.personIds.includes(m.id));
    if (chosen.length !== g.personIds.length)
      throw stale('Some people of this plan are no longer waiting to travel; make a new run.', {
        reason: 'not_waiting',
      });
    prepared.push({ ...g, chosen });
  }
  const onLists = await listDatesForPersons(
    ctx,
    crisisId,
    rows.map((r) => r.person_id),
  );
  const created = await ctx.db.writer.write(async (trx) => {
    for (const s of snapshot) {
      const leg = await lockLegRow(trx, ctx.db.dialect, crisisId, s.id);
      if (!leg)
        throw stale(`Leg ${s.name} no longer exists; make a new run.`, { reason: 'leg_gone', leg: s.name });
      const held = holdingByKind(await assignmentsOfLeg(trx, s.id));
      const changes: string[] = [];
      if (leg.status !== s.status) changes.push(`status ${s.status} → ${leg.status}`);
      if (
        leg.seats !== s.seats ||
        leg.lap_places !== s.lapPlaces ||
        leg.stretcher_places !== s.stretcherPlaces
      )
        changes.push('capacity changed');
      else if (leg.version !== s.version) changes.push('leg edited');
      if (held.seat !== s.held.seat || held.lap !== s.held.lap || held.stretcher !== s.held.stretcher)
        changes.push('places given out meanwhile');
      if (changes.length)
        throw stale(
          `Leg ${leg.name} changed since this plan was made (${changes.join(', ')}); nothing was offered — make a new run.`,
          { reason: 'leg_changed', leg: leg.name },
        );
    }
    const out: AssignmentRow[] = [];
    for (const g of prepared) {
      try {
        out.push(
          ...(await offerSeatsInTransaction(trx, ctx, actor, crisisId, g.legId, {
            householdId: g.householdId,
            deadline,
            chosen: g.chosen,
            onLists,
            at,
          })),
        );
      } catch (error) {
        // Registrations merged as one person since the plan was made.
        if (error instanceof AppError && error.code === 'duplicate_registration')
          throw stale(`${error.message} Nothing was offered — make a new run.`, { reason: 'merged' });
        throw error;
      }
    }
    if (!(await markRunCommitted(trx, run.id, actor.id, at)))
      throw new AppError(409, 'run_committed', 'This plan was committed meanwhile.');
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'allocation_run.committed',
      entityType: 'allocation_run',
      entityId: run.id,
      crisisId,
      change: { offers: out.length, households: prepared.length, offerDeadline: deadline },
    });
    return out;
  });
  for (const legId of new Set(created.map((a) => a.leg_id)))
    await seatsOffered(
      ctx,
      actor,
      crisisId,
      legId,
      created
        .filter((a) => a.leg_id === legId)
        .map((a) => ({ personId: a.person_id, offerDeadline: a.offer_deadline })),
    );
  const committed = await runInCrisis(ctx.db.db, crisisId, runId);
  return { run: await toRun(ctx, committed!), offers: await toAssignments(ctx.db.db, created) };
}
