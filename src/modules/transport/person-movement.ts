import type { Transaction } from 'kysely';
import type { Actor } from '../../access/actor.js';
import type { Database } from '../../db/schema.js';
import { newRowId } from '../persons/row-id.js';
import type { AssignmentStatus } from './transport.schemas.js';

/**
 * Person status flow of a movement. The registry's statuses (`PERSON_STATUSES`) have no separate
 * "allocated", "confirmed" or "checked in": those three stages all map to `awaiting_departure`,
 * and the stage is named in the history entry's reason. `departed` and `arrived` exist as such.
 * A seat that is declined, expires, is cancelled, or ends in a no-show or refusal brings a person
 * who holds no other place back to `verified`.
 */
export type MovementStage = 'allocated' | 'confirmed' | 'checked in' | 'departed' | 'arrived' | 'released';

const STAGE_STATUS: Record<Exclude<MovementStage, 'released'>, string> = {
  allocated: 'awaiting_departure',
  confirmed: 'awaiting_departure',
  'checked in': 'awaiting_departure',
  departed: 'departed',
  arrived: 'arrived',
};

/** The movement stage a seat's new status means for its person, if any. */
export function stageOfSeatStatus(status: AssignmentStatus): MovementStage | undefined {
  switch (status) {
    case 'offered':
      return 'allocated';
    case 'confirmed':
      return 'confirmed';
    case 'checked_in':
      return 'checked in';
    case 'boarded':
      return undefined; // boarding is recorded on the seat; the person departs with the leg
    default:
      return 'released';
  }
}

/** People whose status the movement must not overwrite. */
const FINAL = ['missing', 'deceased', 'withdrawn'];

/**
 * Moves persons along allocated → confirmed → checked in → departed → arrived, writing a
 * `person_history` status entry for each (in the caller's transaction).
 */
export async function recordMovement(
  trx: Transaction<Database>,
  actor: Actor,
  personIds: string[],
  stage: MovementStage,
  legName: string,
  at: string,
): Promise<void> {
  if (personIds.length === 0) return;
  const people = await trx
    .selectFrom('persons')
    .select(['id', 'crisis_id', 'status'])
    .where('id', 'in', personIds)
    .where('anonymised_at', 'is', null)
    .execute();
  let stillHolding = new Set<string>();
  if (stage === 'released')
    stillHolding = new Set(
      (
        await trx
          .selectFrom('seat_assignments')
          .select('person_id')
          .where('person_id', 'in', personIds)
          .where('status', 'in', ['offered', 'confirmed', 'checked_in', 'boarded'])
          .execute()
      ).map((r) => r.person_id),
    );
  for (const p of people) {
    if (FINAL.includes(p.status)) continue;
    let status: string;
    if (stage === 'released') {
      if (p.status !== 'awaiting_departure' || stillHolding.has(p.id)) continue;
      status = 'verified';
    } else status = STAGE_STATUS[stage];
    // Someone who already departed on an earlier leg of the journey does not go back.
    if (status === 'awaiting_departure' && (p.status === 'departed' || p.status === 'arrived')) continue;
    if (status !== p.status)
      await trx.updateTable('persons').set({ status, updated_at: at }).where('id', '=', p.id).execute();
    await trx
      .insertInto('person_history')
      .values({
        id: newRowId(),
        person_id: p.id,
        crisis_id: p.crisis_id,
        at,
        kind: 'status',
        status,
        reason: stage === 'released' ? `Seat on ${legName} released.` : `Movement: ${stage} (${legName}).`,
        changes: JSON.stringify({ movement: stage }),
        actor_id: actor.id,
        actor_label: actor.label,
      })
      .execute();
  }
}
