import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../../access/actor.js';
import { requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import type { Database } from '../../db/schema.js';
import { nowIso } from '../../lib/clock.js';
import { notFound } from '../../lib/errors.js';
import { findCrisisById } from '../crises/crisis.repository.js';
import { findSettingsRow } from './campaign.repository.js';

/** Campaigns to more people than this need a second person's approval unless the crisis sets its own. */
export const DEFAULT_APPROVAL_THRESHOLD = 500;

export async function approvalThreshold(
  db: Kysely<Database> | Transaction<Database>,
  crisisId: string,
): Promise<number> {
  return (await findSettingsRow(db, crisisId))?.approval_threshold ?? DEFAULT_APPROVAL_THRESHOLD;
}

export async function getMessagingSettings(ctx: AppContext, actor: Actor, crisisId: string) {
  requireAccess(actor, 'message.send', crisisId, { hide: 'crisis' });
  const row = await findSettingsRow(ctx.db.db, crisisId);
  return {
    crisisId,
    approvalThreshold: row?.approval_threshold ?? DEFAULT_APPROVAL_THRESHOLD,
    updatedAt: row?.updated_at ?? null,
  };
}

/** Sets the approval threshold of a crisis; only people who approve campaigns may change it. */
export async function updateMessagingSettings(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  input: { approvalThreshold: number },
) {
  requireAccess(actor, 'message.send', crisisId, { hide: 'crisis' });
  requireAccess(actor, 'message.approve', crisisId);
  const at = nowIso();
  await ctx.db.writer.write(async (trx) => {
    if (!(await findCrisisById(trx, crisisId))) throw notFound('crisis');
    const before = await approvalThreshold(trx, crisisId);
    await trx
      .insertInto('message_settings')
      .values({ crisis_id: crisisId, approval_threshold: input.approvalThreshold, updated_at: at })
      .onConflict((oc) =>
        oc.column('crisis_id').doUpdateSet({ approval_threshold: input.approvalThreshold, updated_at: at }),
      )
      .execute();
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'message_settings.updated',
      entityType: 'crisis',
      entityId: crisisId,
      crisisId,
      change: { approvalThreshold: { from: before, to: input.approvalThreshold } },
    });
  });
  return { crisisId, approvalThreshold: input.approvalThreshold, updatedAt: at };
}
