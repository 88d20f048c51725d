import { setTimeout as sleep } from 'node:timers/promises';
import type { Actor } from '../../access/actor.js';
import { requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import { nowIso } from '../../lib/clock.js';
import { AppError, BusyError, notFound, validationFailed } from '../../lib/errors.js';
import { findCrisisById } from '../crises/crisis.repository.js';
import { listZonesFor, toCrisis } from '../crises/crisis.service.js';
import type { Channel, RegistrationBody, RegistrationReply } from './person.schemas.js';
import { digestOf, type IntakeOutcome, replyFor } from './public-intake.js';
import { insertRegistrations } from './registration.repository.js';
import { intakeFor } from './registration-intake.js';
import { buildRegistrationRows } from './registration-rows.js';

export { IDEMPOTENCY_SCOPE } from './public-intake.js';

/**
 * A refusal is answered after this pause. A client that ignores Retry-After and sends again at once
 * (a partner app's retry loop) could otherwise turn refusals into a flood that takes the CPU from
 * storing: measured with 1,000 such clients, stored registrations fell to a ninth. The pause costs
 * a timer, not CPU, and holds each such client to about one refusal a second.
 */
const REFUSAL_PAUSE_MS = 1000;

/**
 * Refuses a registration the intake cannot take now (load shedding, intake-admission.ts): 503
 * `intake_busy` with Retry-After, after the pause above.
 */
export async function refuseBusy(retryAfterSeconds: number): Promise<never> {
  await sleep(REFUSAL_PAUSE_MS);
  throw new BusyError(
    'intake_busy',
    `Registrations are arriving faster than they can be stored; nothing was stored. Send it again in ${retryAfterSeconds} seconds (with the same Idempotency-Key).`,
    retryAfterSeconds,
  );
}

function answerOf(
  ctx: AppContext,
  outcome: Exclude<IntakeOutcome, { busy: number }>,
): { reply: RegistrationReply; digest: string; bodyDigest: string } {
  if ('errors' in outcome) throw validationFailed(outcome.errors);
  if ('failure' in outcome) {
    // The caller only hears "try again"; operators need the database's reason (no personal data in it).
    ctx.logger.error({ err: { message: outcome.failure } }, 'public registration not stored');
    throw new AppError(
      503,
      'registration_not_stored',
      'The registration could not be stored just now; send it again (with the same Idempotency-Key).',
    );
  }
  return outcome;
}

/**
 * A registration from the public portal or a partner app. Answers only after a durable commit.
 * With an idempotency key, a retry (even one sent while the first is still being written, or to
 * another instance) gets the first answer and never creates a second household; the same key
 * with a different body is refused.
 */
export async function registerPublic(
  ctx: AppContext,
  body: RegistrationBody,
  options: { idempotencyKey?: string | undefined; channel?: Channel } = {},
): Promise<RegistrationReply> {
  const channel: Channel =
    options.channel ?? (body.registeredBy === 'self' ? 'portal_self' : 'portal_on_behalf');
  const key = options.idempotencyKey;
  const intake = intakeFor(ctx);
  // The validated body's keys come out in schema order, so its JSON is already canonical.
  const request = { body: JSON.stringify(body), idempotencyKey: key, channel, at: nowIso() };
  if (key === undefined) {
    const outcome = await intake.submit(request);
    if ('busy' in outcome) return refuseBusy(outcome.busy);
    return answerOf(ctx, outcome).reply;
  }

  let work = intake.inFlight.get(key);
  const joined = work !== undefined;
  if (!work) {
    work = intake.submit(request);
    intake.inFlight.set(key, work);
    void work.finally(() => intake.inFlight.delete(key));
  }
  const outcome = await work;
  if ('busy' in outcome) return refuseBusy(outcome.busy);
  const answer = answerOf(ctx, outcome);
  // A retry that joined the first request's write compares its own body with the first one's.
  const bodyDigest = joined ? digestOf(request.body) : answer.bodyDigest;
  if (answer.digest !== bodyDigest) {
    throw new AppError(
      422,
      'idempotency_key_reused',
      'This Idempotency-Key was already used for a different registration.',
    );
  }
  return answer.reply;
}

/**
 * A registration taken by staff (call centre) or an import, in the caller's crisis scope,
 * written and audited in one transaction with the staff member as the actor.
 */
export async function registerByStaff(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  body: RegistrationBody,
  channel: Extract<Channel, 'call_centre' | 'import' | 'sms'> = 'call_centre',
): Promise<RegistrationReply & { householdId: string; personIds: string[] }> {
  requireAccess(actor, 'person.read', crisisId, { hide: 'crisis' });
  requireAccess(actor, channel === 'import' ? 'person.import' : 'person.create', crisisId);
  const row = await findCrisisById(ctx.db.db, crisisId);
  if (!row) throw notFound('crisis');
  const crisis = toCrisis(row);
  if (crisis.status !== 'active')
    throw validationFailed([{ path: 'crisis', message: 'The crisis is closed.' }]);
  const zones = await listZonesFor(ctx, actor, crisisId);
  const built = buildRegistrationRows({ ...body, crisis: crisisId }, crisis, zones, {
    channel,
    actorId: actor.id,
    actorLabel: actor.label,
    staffId: actor.kind === 'staff' ? actor.id : null,
    at: nowIso(),
  });
  if ('errors' in built) throw validationFailed(built.errors);
  const { rows } = built;
  await ctx.db.writer.write(async (trx) => {
    await insertRegistrations(trx, [rows]);
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: channel === 'import' ? 'person.imported' : 'person.registered',
      entityType: 'household',
      entityId: rows.household.id,
      crisisId,
      change: { members: rows.persons.map((p) => p.id), channel },
    });
  });
  return {
    ...replyFor(ctx.config.publicUrl, rows),
    householdId: rows.household.id,
    personIds: rows.persons.map((p) => p.id),
  };
}
