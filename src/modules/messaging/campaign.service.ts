import type { Insertable } from 'kysely';
import type { z } from 'zod';
import { type Actor, systemActor } from '../../access/actor.js';
import { holdsInCrisis, requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import { nowIso } from '../../lib/clock.js';
import { AppError, conflict, type FieldError, notFound, validationFailed } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { type Channel, type Recipient, resolveAudience } from './audience.js';
import {
  type CampaignRow,
  cancelQueuedMessages,
  findCampaignRow,
  findTemplateRow,
  insertCampaign,
  insertMessagesIgnoringDuplicates,
  listCampaignRows,
  messageCounts,
  type TemplateRow,
  updateCampaignIfStatus,
} from './campaign.repository.js';
import type {
  AudienceFilter,
  Campaign,
  campaignInputSchema,
  campaignListQuerySchema,
  campaignPatchSchema,
  campaignVariablesSchema,
} from './messaging.schemas.js';
import type { MessageStatus, MessageTable } from './messaging.table.js';
import { approvalThreshold } from './messaging-settings.service.js';
import { smsInfo } from './segments.js';
import {
  campaignRenderer,
  chooseLanguage,
  LANGUAGES,
  type Language,
  missingCampaignVariables,
  type TemplateBodies,
  type VariableValue,
} from './template.rules.js';
import { nameFor, parseBodies, portalLink, withSms } from './template.service.js';

type Variables = z.output<typeof campaignVariablesSchema>;

/** Outbox rows written per transaction while queueing (one commit, one audit entry each). */
export const QUEUE_BATCH = 5000;
/** Campaigns still to be sent or sending, which cancelling stops. */
const CANCELLABLE: CampaignRow['status'][] = ['draft', 'awaiting_approval', 'approved', 'queued', 'sending'];

const emptyProgress = () => ({
  queued: 0,
  sending: 0,
  sent: 0,
  delivered: 0,
  failed: 0,
  bounced: 0,
  parked: 0,
  cancelled: 0,
  total: 0,
});

function toCampaign(
  row: CampaignRow,
  templateName: string,
  counts: Partial<Record<MessageStatus, number>> = {},
): Campaign {
  const progress = emptyProgress();
  for (const [status, n] of Object.entries(counts) as [MessageStatus, number][]) {
    progress[status] = n;
    progress.total += n;
  }
  return {
    id: row.id,
    crisisId: row.crisis_id,
    name: row.name,
    templateId: row.template_id,
    templateName,
    purpose: row.purpose,
    audience: JSON.parse(row.audience) as AudienceFilter,
    channels: JSON.parse(row.channels) as Channel[],
    variables: JSON.parse(row.variables) as Variables,
    status: row.status,
    recipientCount: row.recipient_count,
    source: row.source,
    sourceId: row.source_id,
    createdBy: row.created_by,
    submittedBy: row.submitted_by,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at,
    scheduledAt: row.scheduled_at,
    queuedAt: row.queued_at,
    cancelledBy: row.cancelled_by,
    cancelledAt: row.cancelled_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    progress,
  };
}

async function campaignView(ctx: AppContext, row: CampaignRow): Promise<Campaign> {
  const template = await findTemplateRow(ctx.db.db, row.crisis_id, row.template_id);
  const counts = await messageCounts(ctx.db.db, [row.id]);
  return toCampaign(row, template?.name ?? '', counts.get(row.id));
}

/** Checks the template, the variables it needs and the audience's references, naming each bad field. */
async function checkCampaignInput(
  ctx: AppContext,
  crisisId: string,
  input: { templateId: string; audience: AudienceFilter; variables: Variables },
): Promise<TemplateRow> {
  const db = ctx.db.db;
  const fields: FieldError[] = [];
  const template = await findTemplateRow(db, crisisId, input.templateId);
  if (!template || template.archived_at)
    throw validationFailed([{ path: 'templateId', message: 'No such template in this crisis.' }]);
  for (const v of missingCampaignVariables(parseBodies(template.bodies), input.variables))
    fields.push({
      path: `variables.${v}`,
      code: 'missing_variable',
      message: `The template uses {{${v}}}; give its value.`,
    });
  const a = input.audience;
  const exists = async (
    table: 'zones' | 'transport_legs' | 'approved_lists' | 'crossing_points',
    id: string,
  ) =>
    Boolean(
      await db
        .selectFrom(table)
        .select('id')
        .where('crisis_id', '=', crisisId)
        .where('id', '=', id)
        .executeTakeFirst(),
    );
  if (a.zoneId && !(await exists('zones', a.zoneId)))
    fields.push({ path: 'audience.zoneId', message: 'No such zone in this crisis.' });
  if (a.legId && !(await exists('transport_legs', a.legId)))
    fields.push({ path: 'audience.legId', message: 'No such transport leg in this crisis.' });
  if (a.onList?.listId && !(await exists('approved_lists', a.onList.listId)))
    fields.push({ path: 'audience.onList.listId', message: 'No such approved list in this crisis.' });
  if (a.onList?.crossingPointId && !(await exists('crossing_points', a.onList.crossingPointId)))
    fields.push({
      path: 'audience.onList.crossingPointId',
      message: 'No such crossing point in this crisis.',
    });
  if (fields.length) throw validationFailed(fields, fields[0]?.message);
  return template;
}

export async function listCampaigns(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  query: z.output<typeof campaignListQuerySchema>,
): Promise<Campaign[]> {
  requireAccess(actor, 'message.send', crisisId, { hide: 'crisis' });
  const rows = await listCampaignRows(ctx.db.db, crisisId, query);
  const counts = await messageCounts(
    ctx.db.db,
    rows.map((r) => r.id),
  );
  const templates = new Map(
    (
      await ctx.db.db
        .selectFrom('message_templates')
        .select(['id', 'name'])
        .where('crisis_id', '=', crisisId)
        .execute()
    ).map((t) => [t.id, t.name]),
  );
  return rows.map((r) => toCampaign(r, templates.get(r.template_id) ?? '', counts.get(r.id)));
}

/** A campaign of the crisis; staff who only approve (no `message.send`) may read it too. */
async function readableCampaign(ctx: AppContext, actor: Actor, crisisId: string, campaignId: string) {
  if (!holdsInCrisis(actor, 'message.send', crisisId) && !holdsInCrisis(actor, 'message.approve', crisisId))
    throw notFound('campaign');
  const row = await findCampaignRow(ctx.db.db, crisisId, campaignId);
  if (!row) throw notFound('campaign');
  return row;
}

export async function getCampaign(ctx: AppContext, actor: Actor, crisisId: string, campaignId: string) {
  return campaignView(ctx, await readableCampaign(ctx, actor, crisisId, campaignId));
}

/** Inserts a draft campaign inside a caller's transaction (staff drafts and hooks). */
async function insertCampaignRow(
  trx: Parameters<Parameters<AppContext['db']['writer']['write']>[0]>[0],
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  input: {
    name: string;
    template: TemplateRow;
    audience: AudienceFilter;
    channels: Channel[];
    variables: Variables;
    scheduledAt: string | null;
    source: CampaignRow['source'];
    sourceId: string | null;
  },
): Promise<CampaignRow> {
  const at = nowIso();
  const row: CampaignRow = {
    id: newId(),
    crisis_id: crisisId,
    name: input.name,
    template_id: input.template.id,
    purpose: input.template.purpose,
    audience: JSON.stringify(input.audience),
    channels: JSON.stringify(input.channels),
    variables: JSON.stringify(input.variables),
    status: 'draft',
    recipient_count: 0,
    source: input.source,
    source_id: input.sourceId,
    created_by: actor.id,
    submitted_by: null,
    approved_by: null,
    approved_at: null,
    scheduled_at: input.scheduledAt ? new Date(input.scheduledAt).toISOString() : null,
    queued_at: null,
    cancelled_by: null,
    cancelled_at: null,
    created_at: at,
    updated_at: at,
  };
  await insertCampaign(trx, row);
  await recordAudit(trx, ctx.db.dialect, actor, {
    action: 'message_campaign.created',
    entityType: 'message_campaign',
    entityId: row.id,
    crisisId,
    change: {
      name: input.name,
      templateId: input.template.id,
      audience: input.audience,
      channels: input.channels,
      source: input.source,
    },
  });
  return row;
}

export async function createCampaign(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  input: z.output<typeof campaignInputSchema>,
): Promise<Campaign> {
  requireAccess(actor, 'message.send', crisisId, { hide: 'crisis' });
  const template = await checkCampaignInput(ctx, crisisId, input);
  const row = await ctx.db.writer.write((trx) =>
    insertCampaignRow(trx, ctx, actor, crisisId, {
      ...input,
      template,
      source: 'staff',
      sourceId: null,
    }),
  );
  return campaignView(ctx, row);
}

export async function updateCampaign(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  campaignId: string,
  input: z.output<typeof campaignPatchSchema>,
): Promise<Campaign> {
  requireAccess(actor, 'message.send', crisisId, { hide: 'campaign' });
  const current = await findCampaignRow(ctx.db.db, crisisId, campaignId);
  if (!current) throw notFound('campaign');
  if (current.status !== 'draft')
    throw conflict(`Only a draft can be edited; this campaign is ${current.status}.`);
  const merged = {
    templateId: input.templateId ?? current.template_id,
    audience: input.audience ?? (JSON.parse(current.audience) as AudienceFilter),
    variables: input.variables ?? (JSON.parse(current.variables) as Variables),
  };
  const template = await checkCampaignInput(ctx, crisisId, merged);
  const at = nowIso();
  const patch = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    template_id: template.id,
    purpose: template.purpose,
    audience: JSON.stringify(merged.audience),
    variables: JSON.stringify(merged.variables),
    ...(input.channels !== undefined ? { channels: JSON.stringify(input.channels) } : {}),
    ...(input.scheduledAt !== undefined
      ? { scheduled_at: input.scheduledAt ? new Date(input.scheduledAt).toISOString() : null }
      : {}),
    updated_at: at,
  };
  await ctx.db.writer.write(async (trx) => {
    if (!(await updateCampaignIfStatus(trx, campaignId, ['draft'], patch)))
      throw conflict('Only a draft can be edited; this campaign moved on meanwhile.');
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'message_campaign.updated',
      entityType: 'message_campaign',
      entityId: campaignId,
      crisisId,
      change: input,
    });
  });
  return campaignView(ctx, { ...current, ...patch });
}

/** Counts who a campaign would reach: `{people, byChannel, unreachable}` (nothing is stored). */
export async function countAudience(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  input: { audience: AudienceFilter; channels: Channel[] },
) {
  requireAccess(actor, 'message.send', crisisId, { hide: 'crisis' });
  const resolved = await resolveAudience(ctx.db.db, crisisId, input.audience, input.channels);
  return { people: resolved.people, byChannel: resolved.byChannel, unreachable: resolved.unreachable };
}

interface RenderedMessage {
  recipient: Recipient;
  language: 'en' | 'fr' | 'ar';
  subject: string | null;
  body: string;
  segments: number;
}

/** Renders recipients of one campaign: the template compiled once, then each person's message. */
function messageRenderer(
  ctx: AppContext,
  campaignName: string,
  bodies: TemplateBodies,
  variables: Partial<Record<string, VariableValue>>,
): (r: Recipient) => RenderedMessage {
  const render = campaignRenderer(bodies, variables);
  const links = new Map<Language, string>(LANGUAGES.map((l) => [l, portalLink(ctx, l)]));
  return (r) => {
    const lang = chooseLanguage(bodies, r.locale);
    const rendered = render(lang, {
      name: nameFor(r, lang),
      reference: r.reference,
      updateLink: links.get(lang) ?? '',
    });
    return {
      recipient: r,
      language: rendered.language,
      subject: r.channel === 'email' ? (rendered.subject ?? campaignName) : null,
      body: rendered.body,
      segments: r.channel === 'sms' ? smsInfo(rendered.body).segments : 1,
    };
  };
}

/**
 * Every message of the campaign: one per person, except that an identical text to one shared family
 * phone or email goes once (the first member by id stands for the others).
 */
function renderAll(
  ctx: AppContext,
  campaign: CampaignRow,
  template: TemplateRow,
  recipients: Recipient[],
): RenderedMessage[] {
  const render = messageRenderer(
    ctx,
    campaign.name,
    parseBodies(template.bodies),
    JSON.parse(campaign.variables) as Variables,
  );
  const seen = new Set<string>();
  const out: RenderedMessage[] = [];
  for (const r of recipients) {
    const m = render(r);
    const key = `${r.channel}\u0000${r.address}\u0000${m.subject ?? ''}\u0000${m.body}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(m);
  }
  return out;
}

/** What recipients will read: the first few (or one chosen person), rendered. Audited: it shows names. */
export async function previewCampaign(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  campaignId: string,
  query: { personId?: string | undefined; limit: number },
) {
  requireAccess(actor, 'person.read', crisisId, { hide: 'campaign' });
  const row = await readableCampaign(ctx, actor, crisisId, campaignId);
  const template = await findTemplateRow(ctx.db.db, crisisId, row.template_id);
  if (!template) throw notFound('template');
  const audience = JSON.parse(row.audience) as AudienceFilter;
  const filter = query.personId
    ? {
        ...audience,
        personIds: audience.personIds
          ? audience.personIds.filter((p) => p === query.personId)
          : [query.personId],
      }
    : audience;
  const resolved = await resolveAudience(ctx.db.db, crisisId, filter, JSON.parse(row.channels) as Channel[]);
  const render = messageRenderer(
    ctx,
    row.name,
    parseBodies(template.bodies),
    JSON.parse(row.variables) as Variables,
  );
  const items = resolved.recipients.slice(0, query.limit).map((r) => {
    const m = render(r);
    return {
      personId: r.id,
      name: nameFor(r, m.language) || nameFor(r, 'en'),
      reference: r.reference,
      channel: r.channel,
      address: r.address,
      rendered: withSms({ language: m.language, subject: m.subject, body: m.body }),
    };
  });
  await ctx.db.writer.write((trx) =>
    recordAudit(trx, ctx.db.dialect, actor, {
      action: 'message_campaign.previewed',
      entityType: 'message_campaign',
      entityId: campaignId,
      crisisId,
      change: { persons: items.map((i) => i.personId) },
    }),
  );
  return { items };
}

/**
 * Submits a draft: counts its audience now; above the crisis's threshold it waits for a second
 * person's approval, otherwise it is approved at once.
 */
async function submitRow(ctx: AppContext, actor: Actor, row: CampaignRow): Promise<CampaignRow> {
  const resolved = await resolveAudience(
    ctx.db.db,
    row.crisis_id,
    JSON.parse(row.audience) as AudienceFilter,
    JSON.parse(row.channels) as Channel[],
  );
  if (resolved.people === 0)
    throw conflict('Nobody in this audience can be reached on the chosen channels.', [
      { path: 'audience', message: 'Nobody in this audience can be reached on the chosen channels.' },
    ]);
  const threshold = await approvalThreshold(ctx.db.db, row.crisis_id);
  const at = nowIso();
  const needsApproval = resolved.people > threshold;
  const patch = {
    status: needsApproval ? ('awaiting_approval' as const) : ('approved' as const),
    recipient_count: resolved.people,
    submitted_by: actor.id,
    approved_at: needsApproval ? null : at,
    updated_at: at,
  };
  await ctx.db.writer.write(async (trx) => {
    if (!(await updateCampaignIfStatus(trx, row.id, ['draft'], patch)))
      throw conflict('Only a draft can be submitted; this campaign moved on meanwhile.');
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'message_campaign.submitted',
      entityType: 'message_campaign',
      entityId: row.id,
      crisisId: row.crisis_id,
      change: { recipients: resolved.people, threshold, status: patch.status },
    });
  });
  return { ...row, ...patch };
}

export async function submitCampaign(ctx: AppContext, actor: Actor, crisisId: string, campaignId: string) {
  requireAccess(actor, 'message.send', crisisId, { hide: 'campaign' });
  const row = await findCampaignRow(ctx.db.db, crisisId, campaignId);
  if (!row) throw notFound('campaign');
  if (row.status !== 'draft')
    throw conflict(`Only a draft can be submitted; this campaign is ${row.status}.`);
  return campaignView(ctx, await submitRow(ctx, actor, row));
}

/** A second person with `message.approve` approves; whoever created or submitted it cannot. */
export async function approveCampaign(ctx: AppContext, actor: Actor, crisisId: string, campaignId: string) {
  const row = await readableCampaign(ctx, actor, crisisId, campaignId);
  requireAccess(actor, 'message.approve', crisisId);
  if (row.status !== 'awaiting_approval')
    throw conflict(`Only a campaign awaiting approval can be approved; this one is ${row.status}.`);
  if (actor.id !== null && (actor.id === row.created_by || actor.id === row.submitted_by))
    throw new AppError(
      403,
      'second_person_required',
      'A campaign is approved by a second person: you created or submitted this one, so ask a colleague who approves messages.',
    );
  const at = nowIso();
  const patch = { status: 'approved' as const, approved_by: actor.id, approved_at: at, updated_at: at };
  await ctx.db.writer.write(async (trx) => {
    if (!(await updateCampaignIfStatus(trx, campaignId, ['awaiting_approval'], patch)))
      throw conflict('This campaign is no longer awaiting approval.');
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'message_campaign.approved',
      entityType: 'message_campaign',
      entityId: campaignId,
      crisisId,
      change: { recipients: row.recipient_count },
    });
  });
  return campaignView(ctx, { ...row, ...patch });
}

/** Sends an approved campaign now, or schedules it (the worker queues it when the time comes). */
export async function sendCampaign(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  campaignId: string,
  input: { scheduledAt?: string | null | undefined },
) {
  requireAccess(actor, 'message.send', crisisId, { hide: 'campaign' });
  const row = await findCampaignRow(ctx.db.db, crisisId, campaignId);
  if (!row) throw notFound('campaign');
  if (row.status !== 'approved')
    throw conflict(
      row.status === 'awaiting_approval'
        ? 'This campaign waits for a second person to approve it.'
        : `Only an approved campaign can be sent; this one is ${row.status}.`,
    );
  const at = nowIso();
  const requested = input.scheduledAt !== undefined ? input.scheduledAt : (row.scheduled_at ?? null);
  const scheduledAt = requested ? new Date(requested).toISOString() : at;
  const patch = { scheduled_at: scheduledAt, updated_at: at };
  await ctx.db.writer.write(async (trx) => {
    if (!(await updateCampaignIfStatus(trx, campaignId, ['approved'], patch)))
      throw conflict('This campaign changed meanwhile; reload it.');
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: scheduledAt > at ? 'message_campaign.scheduled' : 'message_campaign.send_requested',
      entityType: 'message_campaign',
      entityId: campaignId,
      crisisId,
      change: { scheduledAt },
    });
  });
  if (scheduledAt <= at) await queueCampaign(ctx, campaignId);
  return getCampaign(ctx, actor, crisisId, campaignId);
}

/** Cancels a campaign not yet done; messages still queued become `cancelled`. */
export async function cancelCampaign(ctx: AppContext, actor: Actor, crisisId: string, campaignId: string) {
  const row = await readableCampaign(ctx, actor, crisisId, campaignId);
  if (!holdsInCrisis(actor, 'message.send', crisisId) && !holdsInCrisis(actor, 'message.approve', crisisId))
    throw notFound('campaign');
  if (!CANCELLABLE.includes(row.status)) throw conflict(`A ${row.status} campaign cannot be cancelled.`);
  const at = nowIso();
  const patch = { status: 'cancelled' as const, cancelled_by: actor.id, cancelled_at: at, updated_at: at };
  await ctx.db.writer.write(async (trx) => {
    if (!(await updateCampaignIfStatus(trx, campaignId, CANCELLABLE, patch)))
      throw conflict('This campaign finished meanwhile.');
    const cancelled = await cancelQueuedMessages(trx, campaignId, at);
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'message_campaign.cancelled',
      entityType: 'message_campaign',
      entityId: campaignId,
      crisisId,
      change: { from: row.status, messagesCancelled: cancelled },
    });
  });
  return getCampaign(ctx, actor, crisisId, campaignId);
}

/**
 * Writes the outbox rows of an approved campaign, in batches, each batch in one transaction through
 * the writer. Idempotent: a person already in the outbox for this campaign is skipped by the unique
 * (campaign_id, person_id) key, so queueing again after a crash completes the campaign without
 * duplicates. Stops when the campaign is cancelled meanwhile.
 */
export async function queueCampaign(
  ctx: AppContext,
  campaignId: string,
): Promise<{ recipients: number; inserted: number; status: CampaignRow['status'] }> {
  const actor = systemActor('messaging');
  const row = await ctx.db.db
    .selectFrom('message_campaigns')
    .selectAll()
    .where('id', '=', campaignId)
    .executeTakeFirst();
  if (!row) throw notFound('campaign');
  if (!['approved', 'queued', 'sending'].includes(row.status))
    throw conflict(`Only an approved campaign is queued; this one is ${row.status}.`);
  const template = await findTemplateRow(ctx.db.db, row.crisis_id, row.template_id);
  if (!template) throw notFound('template');
  const resolved = await resolveAudience(
    ctx.db.db,
    row.crisis_id,
    JSON.parse(row.audience) as AudienceFilter,
    JSON.parse(row.channels) as Channel[],
  );
  const messages = renderAll(ctx, row, template, resolved.recipients);
  const at = nowIso();
  let inserted = 0;
  for (let i = 0; i < messages.length; i += QUEUE_BATCH) {
    const batch: Insertable<MessageTable>[] = messages.slice(i, i + QUEUE_BATCH).map((m) => ({
      id: newId(),
      crisis_id: row.crisis_id,
      campaign_id: row.id,
      person_id: m.recipient.id,
      household_id: m.recipient.householdId,
      channel: m.recipient.channel,
      address: m.recipient.address,
      language: m.language,
      subject: m.subject,
      body: m.body,
      segments: m.segments,
      status: 'queued',
      attempts: 0,
      next_attempt_at: at,
      queued_at: at,
      updated_at: at,
      // Lease, provider and delivery columns start null (left out: fewer bound parameters per row).
    }));
    const stillOn = await ctx.db.writer.write(async (trx) => {
      const current = await trx
        .selectFrom('message_campaigns')
        .select('status')
        .where('id', '=', row.id)
        .executeTakeFirst();
      if (!current || !['approved', 'queued', 'sending'].includes(current.status)) return false;
      const n = await insertMessagesIgnoringDuplicates(trx, batch);
      inserted += n;
      await recordAudit(trx, ctx.db.dialect, actor, {
        action: 'message_campaign.batch_queued',
        entityType: 'message_campaign',
        entityId: row.id,
        crisisId: row.crisis_id,
        change: { from: i, messages: n },
      });
      return true;
    });
    if (!stillOn) return { recipients: resolved.people, inserted, status: 'cancelled' };
  }
  const done = nowIso();
  const finished = await ctx.db.writer.write(async (trx) => {
    const ok = await updateCampaignIfStatus(trx, row.id, ['approved', 'queued', 'sending'], {
      status: row.status === 'approved' ? 'queued' : row.status,
      queued_at: row.queued_at ?? done,
      recipient_count: resolved.people,
      updated_at: done,
    });
    if (ok)
      await recordAudit(trx, ctx.db.dialect, actor, {
        action: 'message_campaign.queued',
        entityType: 'message_campaign',
        entityId: row.id,
        crisisId: row.crisis_id,
        change: { recipients: resolved.people, messages: messages.length, inserted },
      });
    return ok;
  });
  return {
    recipients: resolved.people,
    inserted,
    status: finished ? (row.status === 'approved' ? 'queued' : row.status) : 'cancelled',
  };
}

/**
 * For the worker: queues approved campaigns whose time has come (also finishing one interrupted
 * mid-queue), and marks queued campaigns done once none of their messages waits or is being sent.
 */
export async function queueDueCampaigns(
  ctx: AppContext,
  now: Date = new Date(),
): Promise<{ queued: number; done: number }> {
  const due = await ctx.db.db
    .selectFrom('message_campaigns')
    .select('id')
    .where('status', '=', 'approved')
    .where('scheduled_at', 'is not', null)
    .where('scheduled_at', '<=', now.toISOString())
    .orderBy('scheduled_at')
    .execute();
  let queued = 0;
  for (const c of due) {
    const result = await queueCampaign(ctx, c.id);
    if (result.status !== 'cancelled') queued += 1;
  }
  const open = await ctx.db.db
    .selectFrom('message_campaigns')
    .select(['id', 'crisis_id'])
    .where('status', 'in', ['queued', 'sending'])
    .execute();
  let done = 0;
  for (const c of open) {
    const pending = await ctx.db.db
      .selectFrom('messages')
      .select('id')
      .where('campaign_id', '=', c.id)
      .where('status', 'in', ['queued', 'sending'])
      .limit(1)
      .executeTakeFirst();
    if (pending) continue;
    const at = nowIso();
    await ctx.db.writer.write(async (trx) => {
      const ok = await updateCampaignIfStatus(trx, c.id, ['queued', 'sending'], {
        status: 'done',
        updated_at: at,
      });
      if (ok) {
        done += 1;
        await recordAudit(trx, ctx.db.dialect, systemActor('messaging'), {
          action: 'message_campaign.done',
          entityType: 'message_campaign',
          entityId: c.id,
          crisisId: c.crisis_id,
        });
      }
    });
  }
  return { queued, done };
}

/**
 * A campaign made by another module's action (welfare run, list notice, seat offer): created and
 * submitted on behalf of the person who took that action; below the crisis's threshold it is
 * approved and queued at once, above it waits for a second person's approval like any other.
 * Returns null when nobody in the audience can be reached.
 */
export async function createHookCampaign(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  input: {
    name: string;
    template: TemplateRow;
    audience: AudienceFilter;
    channels: Channel[];
    variables: Variables;
    source: CampaignRow['source'];
    sourceId: string;
  },
): Promise<Campaign | null> {
  const resolved = await resolveAudience(ctx.db.db, crisisId, input.audience, input.channels);
  if (resolved.people === 0) return null;
  // Due at once: sent now when approved at submission, else by the worker as soon as it is approved.
  const row = await ctx.db.writer.write((trx) =>
    insertCampaignRow(trx, ctx, actor, crisisId, { ...input, scheduledAt: nowIso() }),
  );
  const submitted = await submitRow(ctx, actor, row);
  if (submitted.status === 'approved') await queueCampaign(ctx, row.id);
  const final = await findCampaignRow(ctx.db.db, crisisId, row.id);
  return campaignView(ctx, final ?? submitted);
}
