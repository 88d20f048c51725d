import type { z } from 'zod';
import type { Actor } from '../../access/actor.js';
import { holdsInCrisis } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import { nowIso } from '../../lib/clock.js';
import { type FieldError, forbidden, notFound, validationFailed } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { listColleagues } from '../staff/staff.service.js';
import {
  type EngagementRow,
  engagementLinks,
  type FollowUpRow,
  type FollowUpView,
  findEngagementRow,
  findFollowUpRow,
  findPartnerRow,
  followUpsOfEngagements,
  insertEngagement,
  insertFollowUps,
  listEngagementRows,
  listFollowUpRows,
  updateEngagementRow,
  updateFollowUpRow,
} from './partner.repository.js';
import type {
  Engagement,
  engagementInputSchema,
  engagementPatchSchema,
  FollowUp,
  followUpInputSchema,
  followUpPatchSchema,
} from './partner.schemas.js';
import { partnerInCrisis, requirePartnerAccess } from './partner.service.js';

/** Today as YYYY-MM-DD (UTC): a follow-up is overdue once its due day has passed and it is still open. */
export const todayUtc = (): string => nowIso().slice(0, 10);

export const isOverdue = (f: { state: string; due_date: string }, today = todayUtc()) =>
  f.state === 'open' && f.due_date < today;

export function toFollowUp(f: FollowUpView, today = todayUtc()): FollowUp {
  return {
    id: f.id,
    engagementId: f.engagement_id,
    engagementSubject: f.engagement_subject,
    text: f.text,
    owner: { id: f.owner_id, displayName: f.owner_name },
    dueDate: f.due_date,
    state: f.state,
    overdue: isOverdue(f, today),
    doneAt: f.done_at,
  };
}

/** Staff ids must be active colleagues on the crisis; errors name the offending field. */
async function checkStaff(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  ids: { path: string; id: string }[],
): Promise<void> {
  if (ids.length === 0) return;
  const known = new Set((await listColleagues(ctx, actor, crisisId)).map((c) => c.id));
  const bad: FieldError[] = ids
    .filter((i) => !known.has(i.id))
    .map((i) => ({ path: i.path, message: 'No such colleague on this crisis.' }));
  if (bad.length > 0) throw validationFailed(bad);
}

async function toEngagements(ctx: AppContext, rows: EngagementRow[]): Promise<Engagement[]> {
  const ids = rows.map((r) => r.id);
  const { partners, participants } = await engagementLinks(ctx.db.db, ids);
  const followUps = await followUpsOfEngagements(ctx.db.db, ids);
  const today = todayUtc();
  return rows.map((r) => ({
    id: r.id,
    crisisId: r.crisis_id,
    occurredAt: r.occurred_at,
    channel: r.channel,
    subject: r.subject,
    outcome: r.outcome,
    partners: partners.filter((p) => p.engagement_id === r.id).map((p) => ({ id: p.id, name: p.name })),
    participants: participants
      .filter((p) => p.engagement_id === r.id)
      .map((p) => ({ id: p.id, displayName: p.display_name })),
    followUps: followUps.filter((f) => f.engagement_id === r.id).map((f) => toFollowUp(f, today)),
    createdAt: r.created_at,
  }));
}

/** Engagements of a crisis, newest first; of one partner when `partnerId` is given. */
export async function listEngagements(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  partnerId?: string,
): Promise<Engagement[]> {
  requirePartnerAccess(actor, crisisId, 'partner.read');
  if (partnerId) await partnerInCrisis(ctx, crisisId, partnerId);
  return toEngagements(ctx, await listEngagementRows(ctx.db.db, crisisId, partnerId));
}

export async function getEngagement(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  engagementId: string,
): Promise<Engagement> {
  requirePartnerAccess(actor, crisisId, 'partner.read');
  const row = await findEngagementRow(ctx.db.db, crisisId, engagementId);
  if (!row) throw notFound('engagement');
  return (await toEngagements(ctx, [row]))[0]!;
}

const followUpRows = (
  crisisId: string,
  engagementId: string,
  items: z.output<typeof followUpInputSchema>[],
  at: string,
): FollowUpRow[] =>
  items.map((f) => ({
    id: newId(),
    engagement_id: engagementId,
    crisis_id: crisisId,
    text: f.text,
    owner_id: f.ownerId,
    due_date: f.dueDate,
    state: 'open',
    done_at: null,
    created_at: at,
    updated_at: at,
  }));

/** Logs a meeting, call, email or visit with the partners involved, our participants and follow-ups. */
export async function createEngagement(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  input: z.output<typeof engagementInputSchema>,
): Promise<Engagement> {
  requirePartnerAccess(actor, crisisId, 'partner.manage');
  const partnerIds = [...new Set(input.partnerIds)];
  const participantIds = [...new Set(input.participantIds)];
  const badPartners: FieldError[] = [];
  for (const [i, id] of input.partnerIds.entries())
    if (!(await findPartnerRow(ctx.db.db, crisisId, id)))
      badPartners.push({ path: `partnerIds.${i}`, message: 'No such partner in this crisis.' });
  if (badPartners.length > 0) throw validationFailed(badPartners);
  await checkStaff(ctx, actor, crisisId, [
    ...input.participantIds.map((id, i) => ({ path: `participantIds.${i}`, id })),
    ...input.followUps.map((f, i) => ({ path: `followUps.${i}.ownerId`, id: f.ownerId })),
  ]);
  const at = nowIso();
  const row: EngagementRow = {
    id: newId(),
    crisis_id: crisisId,
    occurred_at: new Date(input.occurredAt).toISOString(),
    channel: input.channel,
    subject: input.subject,
    outcome: input.outcome,
    created_by: actor.id,
    created_at: at,
    updated_at: at,
  };
  const followUps = followUpRows(crisisId, row.id, input.followUps, at);
  await ctx.db.writer.write(async (trx) => {
    await insertEngagement(trx, row, partnerIds, participantIds);
    await insertFollowUps(trx, followUps);
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'engagement.created',
      entityType: 'engagement',
      entityId: row.id,
      crisisId,
      change: input,
    });
  });
  return (await toEngagements(ctx, [row]))[0]!;
}

export async function updateEngagement(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  engagementId: string,
  patch: z.output<typeof engagementPatchSchema>,
): Promise<Engagement> {
  requirePartnerAccess(actor, crisisId, 'partner.manage');
  if (!(await findEngagementRow(ctx.db.db, crisisId, engagementId))) throw notFound('engagement');
  await ctx.db.writer.write(async (trx) => {
    await updateEngagementRow(trx, engagementId, {
      ...(patch.occurredAt !== undefined ? { occurred_at: new Date(patch.occurredAt).toISOString() } : {}),
      ...(patch.channel !== undefined ? { channel: patch.channel } : {}),
      ...(patch.subject !== undefined ? { subject: patch.subject } : {}),
      ...(patch.outcome !== undefined ? { outcome: patch.outcome } : {}),
      updated_at: nowIso(),
    });
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'engagement.updated',
      entityType: 'engagement',
      entityId: engagementId,
      crisisId,
      change: patch,
    });
  });
  return getEngagement(ctx, actor, crisisId, engagementId);
}

export async function addFollowUp(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  engagementId: string,
  input: z.output<typeof followUpInputSchema>,
): Promise<FollowUp> {
  requirePartnerAccess(actor, crisisId, 'partner.manage');
  if (!(await findEngagementRow(ctx.db.db, crisisId, engagementId))) throw notFound('engagement');
  await checkStaff(ctx, actor, crisisId, [{ path: 'ownerId', id: input.ownerId }]);
  const [row] = followUpRows(crisisId, engagementId, [input], nowIso());
  await ctx.db.writer.write(async (trx) => {
    await insertFollowUps(trx, [row!]);
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'follow_up.created',
      entityType: 'follow_up',
      entityId: row!.id,
      crisisId,
      change: input,
    });
  });
  const view = await findFollowUpRow(ctx.db.db, crisisId, row!.id);
  return toFollowUp(view!);
}

/**
 * Follow-ups of a crisis: `mine` keeps the caller's own, `overdue` keeps open ones past their due
 * day; soonest due first.
 */
export async function listFollowUps(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  f: { mine?: boolean; overdue?: boolean; state?: 'open' | 'done' | undefined },
): Promise<FollowUp[]> {
  requirePartnerAccess(actor, crisisId, 'partner.read');
  const today = todayUtc();
  const rows = await listFollowUpRows(ctx.db.db, crisisId, {
    ownerId: f.mine ? (actor.id ?? '\u0000') : undefined,
    state: f.overdue ? 'open' : f.state,
    dueBefore: f.overdue ? today : undefined,
  });
  return rows.map((r) => toFollowUp(r, today));
}

/** Marks a follow-up done (or open again), moves its due date or hands it over: its owner or a manager. */
export async function updateFollowUp(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  followUpId: string,
  patch: z.output<typeof followUpPatchSchema>,
): Promise<FollowUp> {
  requirePartnerAccess(actor, crisisId, 'partner.read');
  const current = await findFollowUpRow(ctx.db.db, crisisId, followUpId);
  if (!current) throw notFound('follow-up');
  if (current.owner_id !== actor.id && !holdsInCrisis(actor, 'partner.manage', crisisId)) throw forbidden();
  if (patch.ownerId) await checkStaff(ctx, actor, crisisId, [{ path: 'ownerId', id: patch.ownerId }]);
  const at = nowIso();
  await ctx.db.writer.write(async (trx) => {
    await updateFollowUpRow(trx, followUpId, {
      ...(patch.text !== undefined ? { text: patch.text } : {}),
      ...(patch.dueDate !== undefined ? { due_date: patch.dueDate } : {}),
      ...(patch.ownerId !== undefined ? { owner_id: patch.ownerId } : {}),
      ...(patch.state !== undefined
        ? { state: patch.state, done_at: patch.state === 'done' ? (current.done_at ?? at) : null }
        : {}),
      updated_at: at,
    });
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'follow_up.updated',
      entityType: 'follow_up',
      entityId: followUpId,
      crisisId,
      change: patch,
    });
  });
  return toFollowUp((await findFollowUpRow(ctx.db.db, crisisId, followUpId))!);
}
