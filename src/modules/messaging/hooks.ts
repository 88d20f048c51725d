/**
 * Messages other modules send through campaigns: a welfare-check run's question and its follow-up,
 * "you are on the list" notices for an approved crossing list, and seat offers. Each hook builds a
 * campaign (source and source id name the action) with a standard text in English, French and
 * Arabic; small campaigns are approved and queued at once, larger ones wait for a second person's
 * approval (the crisis's threshold), then the worker queues them.
 *
 * The hooks run after the other module's action has committed and never undo it: a failure to
 * build the campaign is logged (ids only) and the action's answer stays the same.
 */
import type { Actor } from '../../access/actor.js';
import { requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { errorMessage, notFound, validationFailed } from '../../lib/errors.js';
import type { Channel } from './audience.js';
import { findTemplateRow, type TemplateRow } from './campaign.repository.js';
import { createHookCampaign } from './campaign.service.js';
import type { Campaign } from './messaging.schemas.js';
import type { MessagePurpose } from './messaging.table.js';
import { missingCampaignVariables, type TemplateBodies } from './template.rules.js';
import { insertTemplateInTransaction, parseBodies } from './template.service.js';

/** Channels hooks use, best first: SMS reaches the cheapest phones, WhatsApp data-only ones. */
export const HOOK_CHANNELS: Channel[] = ['sms', 'whatsapp', 'email'];

/** The standard texts, one template per crisis and purpose, created the first time it is needed. */
export const STANDARD_TEMPLATES: Record<
  'welfare_check' | 'welfare_follow_up' | 'list_notice' | 'offer',
  { name: string; purpose: MessagePurpose; bodies: TemplateBodies }
> = {
  welfare_check: {
    name: 'Welfare check (standard)',
    purpose: 'welfare_check',
    bodies: {
      en: {
        subject: 'Are you safe?',
        body: '{{question}} Reply SAFE if you are safe, HELP if you need help.',
      },
      fr: {
        subject: 'Êtes-vous en sécurité ?',
        body: "{{question}} Répondez SÛR si vous êtes en sécurité, AIDE si vous avez besoin d'aide.",
      },
      ar: {
        subject: 'هل أنت بخير؟',
        body: '{{question}} أجب بكلمة آمن إذا كنت بخير، أو مساعدة إذا كنت بحاجة إلى مساعدة.',
      },
    },
  },
  welfare_follow_up: {
    name: 'Welfare check follow-up (standard)',
    purpose: 'welfare_check',
    bodies: {
      en: { subject: 'Reminder: are you safe?', body: 'Reminder: {{question}} Reply SAFE or HELP.' },
      fr: {
        subject: 'Rappel : êtes-vous en sécurité ?',
        body: 'Rappel : {{question}} Répondez SÛR ou AIDE.',
      },
      ar: { subject: 'تذكير: هل أنت بخير؟', body: 'تذكير: {{question}} أجب بكلمة آمن أو مساعدة.' },
    },
  },
  list_notice: {
    name: 'On the crossing list (standard)',
    purpose: 'list_notice',
    bodies: {
      en: {
        subject: 'You are on the crossing list',
        body: '{{name}}, you are on the approved list for {{crossing}} on {{listDate}}. Bring your documents. Ref {{reference}}. {{updateLink}}',
      },
      fr: {
        subject: 'Vous êtes sur la liste de passage',
        body: '{{name}}, vous figurez sur la liste approuvée pour {{crossing}} le {{listDate}}. Apportez vos documents. Réf. {{reference}}. {{updateLink}}',
      },
      ar: {
        subject: 'اسمك مدرج في قائمة العبور',
        body: '{{name}}، اسمك مدرج في القائمة المعتمدة لمعبر {{crossing}} بتاريخ {{listDate}}. أحضر وثائقك. المرجع {{reference}}. {{updateLink}}',
      },
    },
  },
  offer: {
    name: 'Seat offer (standard)',
    purpose: 'offer',
    bodies: {
      en: {
        subject: 'A seat is offered to you',
        body: '{{name}}, a seat is offered to you on {{leg}}. Report at {{place}} at {{reportTime}}. Answer by {{deadline}} on your update page: {{updateLink}} Ref {{reference}}',
      },
      fr: {
        subject: 'Une place vous est proposée',
        body: '{{name}}, une place vous est proposée sur {{leg}}. Présentez-vous à {{place}} à {{reportTime}}. Répondez avant le {{deadline}} sur votre page de mise à jour : {{updateLink}} Réf. {{reference}}',
      },
      ar: {
        subject: 'نعرض عليك مقعداً',
        body: '{{name}}، نعرض عليك مقعداً في {{leg}}. الحضور إلى {{place}} في {{reportTime}}. أجب قبل {{deadline}} عبر صفحة التحديث: {{updateLink}} المرجع {{reference}}',
      },
    },
  },
};

/** "2026-12-05 08:00 UTC": unambiguous in every language and short for SMS. */
export const formatTime = (iso: string) =>
  `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

async function standardTemplate(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  kind: keyof typeof STANDARD_TEMPLATES,
): Promise<TemplateRow> {
  const std = STANDARD_TEMPLATES[kind];
  const find = (db: Parameters<typeof findTemplateRow>[0]) =>
    db
      .selectFrom('message_templates')
      .selectAll()
      .where('crisis_id', '=', crisisId)
      .where('name', '=', std.name)
      .where('archived_at', 'is', null)
      .orderBy('created_at')
      .executeTakeFirst();
  const existing = await find(ctx.db.db);
  if (existing) return existing;
  return ctx.db.writer.write(
    async (trx) => (await find(trx)) ?? insertTemplateInTransaction(trx, ctx, actor, crisisId, std),
  );
}

/** Runs a hook without letting its failure undo or fail the action that triggered it. */
async function safely(
  ctx: AppContext,
  hook: string,
  ids: Record<string, string>,
  run: () => Promise<unknown>,
) {
  try {
    await run();
  } catch (error) {
    ctx.logger.warn({ hook, ...ids, err: errorMessage(error) }, 'messaging hook failed');
  }
}

/** A welfare-check run started: its question goes to its people. */
export function welfareRunStarted(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  run: { id: string; name: string; question: string },
) {
  return safely(ctx, 'welfare_run', { crisisId, runId: run.id }, async () => {
    const personIds = await welfarePeople(ctx, run.id, false);
    if (personIds.length === 0) return;
    await createHookCampaign(ctx, actor, crisisId, {
      name: `Welfare check: ${run.name}`,
      template: await standardTemplate(ctx, actor, crisisId, 'welfare_check'),
      audience: { personIds },
      channels: HOOK_CHANNELS,
      variables: { question: run.question },
      source: 'welfare_run',
      sourceId: run.id,
    });
  });
}

/** People of a run: all of them, or those still silent (no answer yet). */
async function welfarePeople(ctx: AppContext, runId: string, silentOnly: boolean): Promise<string[]> {
  let q = ctx.db.db.selectFrom('cases').select('person_id').where('welfare_run_id', '=', runId);
  if (silentOnly) q = q.where('state', '=', 'waiting_person');
  return [...new Set((await q.execute()).flatMap((r) => (r.person_id ? [r.person_id] : [])))];
}

/** Follow-ups became due in a run: the reminder goes to those who have not answered. */
export function welfareFollowUpsDue(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  run: { id: string; name: string; question: string },
  caseIds: string[],
) {
  return safely(ctx, 'welfare_follow_up', { crisisId, runId: run.id }, async () => {
    if (caseIds.length === 0) return;
    const personIds: string[] = [];
    for (let i = 0; i < caseIds.length; i += 500) {
      const rows = await ctx.db.db
        .selectFrom('cases')
        .select('person_id')
        .where('id', 'in', caseIds.slice(i, i + 500))
        .where('state', '=', 'waiting_person')
        .execute();
      for (const r of rows) if (r.person_id && !personIds.includes(r.person_id)) personIds.push(r.person_id);
    }
    if (personIds.length === 0) return;
    await createHookCampaign(ctx, actor, crisisId, {
      name: `Welfare check follow-up: ${run.name}`,
      template: await standardTemplate(ctx, actor, crisisId, 'welfare_follow_up'),
      audience: { personIds },
      channels: HOOK_CHANNELS,
      variables: { question: run.question },
      source: 'welfare_run',
      sourceId: run.id,
    });
  });
}

/** Seats were offered on a leg: each person offered a place gets the notice with leg and report time. */
export function seatsOffered(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  legId: string,
  offers: { personId: string; offerDeadline: string }[],
) {
  return safely(ctx, 'offer', { crisisId, legId }, async () => {
    if (offers.length === 0) return;
    const leg = await ctx.db.db
      .selectFrom('transport_legs')
      .selectAll()
      .where('crisis_id', '=', crisisId)
      .where('id', '=', legId)
      .executeTakeFirst();
    if (!leg) return;
    const deadline = offers.map((o) => o.offerDeadline).sort()[0]!;
    await createHookCampaign(ctx, actor, crisisId, {
      name: `Seat offer: ${leg.name}`,
      template: await standardTemplate(ctx, actor, crisisId, 'offer'),
      audience: { personIds: [...new Set(offers.map((o) => o.personId))] },
      channels: HOOK_CHANNELS,
      variables: {
        leg: `${leg.name} (${leg.origin} → ${leg.destination})`,
        place: leg.assembly_point,
        reportTime: formatTime(leg.report_at ?? leg.departure_at),
        deadline: formatTime(deadline),
      },
      source: 'offer',
      sourceId: legId,
    });
  });
}

/**
 * "You are on the list": an explicit staff action on an approved list once its matches are
 * reviewed. People already sent a notice for this list are left out, so it can be repeated after
 * more matches are confirmed.
 */
export async function sendListNotices(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  input: { listId: string; channels: Channel[]; templateId?: string | undefined },
): Promise<{ campaign: Campaign | null; alreadyNotified: number }> {
  requireAccess(actor, 'message.send', crisisId, { hide: 'approved list' });
  const list = await ctx.db.db
    .selectFrom('approved_lists')
    .innerJoin('crossing_points', 'crossing_points.id', 'approved_lists.crossing_point_id')
    .select(['approved_lists.id', 'approved_lists.list_date', 'crossing_points.name as crossing'])
    .where('approved_lists.crisis_id', '=', crisisId)
    .where('approved_lists.id', '=', input.listId)
    .executeTakeFirst();
  if (!list) throw notFound('approved list');
  let template: TemplateRow | undefined;
  if (input.templateId) {
    template = await findTemplateRow(ctx.db.db, crisisId, input.templateId);
    if (!template || template.archived_at)
      throw validationFailed([{ path: 'templateId', message: 'No such template in this crisis.' }]);
  } else template = await standardTemplate(ctx, actor, crisisId, 'list_notice');
  const variables = { crossing: list.crossing, listDate: list.list_date };
  const missing = missingCampaignVariables(parseBodies(template.bodies), variables);
  if (missing.length)
    throw validationFailed([
      {
        path: 'templateId',
        code: 'missing_variable',
        message: `A list notice fills {{crossing}} and {{listDate}} only; this template also uses {{${missing[0]}}}.`,
      },
    ]);
  const onList = (
    await ctx.db.db
      .selectFrom('approved_list_matches')
      .select('person_id')
      .where('list_id', '=', list.id)
      .where('status', 'in', ['auto_linked', 'confirmed'])
      .execute()
  ).map((r) => r.person_id);
  const notified = new Set(
    (
      await ctx.db.db
        .selectFrom('messages')
        .innerJoin('message_campaigns', 'message_campaigns.id', 'messages.campaign_id')
        .select('messages.person_id')
        .where('message_campaigns.crisis_id', '=', crisisId)
        .where('message_campaigns.source', '=', 'list_notice')
        .where('message_campaigns.source_id', '=', list.id)
        .where('messages.status', '!=', 'cancelled')
        .execute()
    ).flatMap((r) => (r.person_id ? [r.person_id] : [])),
  );
  const personIds = [...new Set(onList)].filter((p) => !notified.has(p));
  if (personIds.length === 0) return { campaign: null, alreadyNotified: notified.size };
  const campaign = await createHookCampaign(ctx, actor, crisisId, {
    name: `On the list: ${list.crossing} ${list.list_date}`,
    template,
    audience: { onList: { listId: list.id }, personIds },
    channels: input.channels,
    variables,
    source: 'list_notice',
    sourceId: list.id,
  });
  return { campaign, alreadyNotified: notified.size };
}
