import type { Transaction } from 'kysely';
import type { Actor } from '../../access/actor.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { recordMovement, stageOfSeatStatus } from './person-movement.js';
import {
  type AssignmentRow,
  insertAssignmentEvent,
  updateAssignmentIfStatus,
} from './transport.repository.js';
import type { AssignmentStatus } from './transport.schemas.js';

/** Where a seat assignment may go from each status. */
export const ASSIGNMENT_TRANSITIONS: Record<AssignmentStatus, AssignmentStatus[]> = {
  offered: ['confirmed', 'declined', 'expired', 'cancelled'],
  confirmed: ['checked_in', 'no_show', 'refused', 'cancelled'],
  checked_in: ['boarded', 'no_show', 'refused', 'cancelled'],
  declined: [],
  expired: [],
  cancelled: [],
  boarded: [],
  no_show: [],
  refused: [],
};

/**
 * Moves one assignment to `to`, with its history entry and audit entry in the same transaction.
 * Refuses a move the flow does not allow, naming the current status.
 */
export async function moveAssignment(
  trx: Transaction<Database>,
  ctx: AppContext,
  actor: Actor,
  row: AssignmentRow,
  to: AssignmentStatus,
  at: string,
  extra: { reason?: string | null; responded_at?: string; checked_in_at?: string } = {},
): Promise<AssignmentRow> {
  if (!ASSIGNMENT_TRANSITIONS[row.status].includes(to))
    throw new AppError(
      409,
      'invalid_transition',
      `This seat is ${row.status.replace('_', ' ')}; it cannot become ${to.replace('_', ' ')}.`,
      undefined,
      { seatStatus: row.status, to },
    );
  const patch = { status: to, updated_at: at, ...extra, reason: extra.reason ?? row.reason };
  if (!(await updateAssignmentIfStatus(trx, row.id, row.status, patch)))
    throw new AppError(409, 'version_conflict', 'This seat changed meanwhile; reload and try again.');
  await insertAssignmentEvent(trx, {
    id: newId(),
    assignment_id: row.id,
    at,
    from_status: row.status,
    to_status: to,
    reason: extra.reason ?? null,
    actor_id: actor.id,
    actor_label: actor.label,
  });
  await recordAudit(trx, ctx.db.dialect, actor, {
    action: `seat_assignment.${to}`,
    entityType: 'seat_assignment',
    entityId: row.id,
    crisisId: row.crisis_id,
    change: { from: row.status, to, reason: extra.reason ?? null },
  });
  const stage = stageOfSeatStatus(to);
  if (stage) {
    const leg = await trx
      .selectFrom('transport_legs')
      .select('name')
      .where('id', '=', row.leg_id)
      .executeTakeFirst();
    await recordMovement(trx, actor, [row.person_id], stage, leg?.name ?? 'a transport leg', at);
  }
  return { ...row, ...patch };
}
