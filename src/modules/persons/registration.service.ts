import { createHash } from 'node:crypto';
import type { Actor } from '../../access/actor.js';
import { requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import { nowIso } from '../../lib/clock.js';
import { AppError, notFound, validationFailed } from '../../lib/errors.js';
import { SecretBox } from '../../lib/secret-box.js';
import { findCrisisById } from '../crises/crisis.repository.js';
import { listZonesFor, toCrisis } from '../crises/crisis.service.js';
import { resolveActiveCrisis } from './crisis-directory.js';
import type { Channel, RegistrationBody, RegistrationReply } from './person.schemas.js';
import { findIdempotentReply, insertRegistrations } from './registration.repository.js';
import { intakeFor } from './registration-intake.js';
import {
  buildRegistrationRows,
  type RegistrationRows,
  type RegistrationSource,
} from './registration-rows.js';

export const IDEMPOTENCY_SCOPE = 'public.registrations';
const boxes = new WeakMap<AppContext, SecretBox>();

/** Stored replies hold the update secret, so they are kept encrypted, never in clear. */
function replyBox(ctx: AppContext): SecretBox {
  let box = boxes.get(ctx);
  if (!box) {
    box = new SecretBox(ctx.config.secretKey, 'idempotency');
    boxes.set(ctx, box);
  }
  return box;
}

/** The private update link: the reference (which household) and the secret (the proof). */
export const updateUrlFor = (ctx: AppContext, reference: string, secret: string) =>
  `${ctx.config.publicUrl}/u/${reference.replaceAll('-', '')}/${secret}`;

function replyFor(ctx: AppContext, rows: RegistrationRows): RegistrationReply {
  return {
    reference: rows.household.reference,
    updateSecret: rows.updateSecret,
    updateUrl: updateUrlFor(ctx, rows.household.reference, rows.updateSecret),
    receivedAt: rows.household.created_at,
    members: rows.persons.length,
  };
}

function buildOrThrow(
  body: RegistrationBody,
  crisis: Parameters<typeof buildRegistrationRows>[1],
  zones: Parameters<typeof buildRegistrationRows>[2],
  source: RegistrationSource,
): RegistrationRows {
  const built = buildRegistrationRows(body, crisis, zones, source);
  if ('errors' in built) throw validationFailed(built.errors);
  return built.rows;
}

// The validated body's keys come out in schema order, so its JSON is already canonical.
const digestOf = (body: RegistrationBody) => createHash('sha256').update(JSON.stringify(body)).digest('hex');

interface Settled {
  digest: string;
  reply: RegistrationReply;
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
  const source = { channel, actorId: null, actorLabel: 'public', staffId: null, at: nowIso() };
  const key = options.idempotencyKey;
  if (key === undefined) {
    const { crisis, zones } = await resolveActiveCrisis(ctx, body.crisis, body.location?.zone);
    const rows = buildOrThrow(body, crisis, zones, source);
    await intakeFor(ctx).submit(rows);
    return replyFor(ctx, rows);
  }

  const intake = intakeFor(ctx);
  const digest = digestOf(body);
  const stored = async (): Promise<Settled | undefined> => {
    const row = await findIdempotentReply(ctx.db.db, IDEMPOTENCY_SCOPE, key);
    return row
      ? {
          digest: row.request_digest,
          reply: JSON.parse(replyBox(ctx).open(row.response_body)) as RegistrationReply,
        }
      : undefined;
  };
  let work = intake.inFlight.get(key) as Promise<Settled> | undefined;
  if (!work) {
    // Optimistic: no read before the write. Retries are rare, and a key that is already stored
    // makes the insert fail on the primary key; the stored answer is then read and returned.
    work = (async (): Promise<Settled> => {
      let rows: RegistrationRows;
      try {
        const { crisis, zones } = await resolveActiveCrisis(ctx, body.crisis, body.location?.zone);
        rows = buildOrThrow(body, crisis, zones, source);
      } catch (error) {
        // A retry of an accepted registration whose crisis or zone has changed since still gets its answer.
        const earlier = await stored();
        if (earlier) return earlier;
        throw error;
      }
      const reply = replyFor(ctx, rows);
      try {
        await intake.submit(rows, {
          scope: IDEMPOTENCY_SCOPE,
          key,
          request_digest: digest,
          response_status: 201,
          response_body: replyBox(ctx).seal(JSON.stringify(reply)),
          created_at: source.at,
        });
      } catch (error) {
        const earlier = await stored();
        if (earlier) return earlier;
        throw error;
      }
      return { digest, reply };
    })();
    intake.inFlight.set(key, work);
    void work.catch(() => undefined).finally(() => intake.inFlight.delete(key));
  }
  const settled = await work;
  if (settled.digest !== digest) {
    throw new AppError(
      422,
      'idempotency_key_reused',
      'This Idempotency-Key was already used for a different registration.',
    );
  }
  return settled.reply;
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
  const rows = buildOrThrow({ ...body, crisis: crisisId }, crisis, zones, {
    channel,
    actorId: actor.id,
    actorLabel: actor.label,
    staffId: actor.kind === 'staff' ? actor.id : null,
    at: nowIso(),
  });
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
  return { ...replyFor(ctx, rows), householdId: rows.household.id, personIds: rows.persons.map((p) => p.id) };
}
