import type { z } from 'zod';
import type { Actor } from '../../access/actor.js';
import { requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import { notFound } from '../../lib/errors.js';
import { findPerson } from '../persons/person.repository.js';
import type { historyItemSchema } from './messaging.schemas.js';

type HistoryItem = z.infer<typeof historyItemSchema>;

/**
 * Every message sent to a person — to their own contact, or to the household's shared phone or
 * email when one text went to the family once — and every reply linked to them (or naming them as
 * one of the family members sharing the sender's phone), newest first. A sensitive read: audited.
 */
export async function personMessageHistory(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  personId: string,
): Promise<HistoryItem[]> {
  requireAccess(actor, 'person.read', crisisId, { hide: 'person' });
  const db = ctx.db.db;
  const person = await findPerson(db, crisisId, personId);
  if (!person) throw notFound('person');
  const shared = (
    await db
      .selectFrom('person_contacts')
      .select('value')
      .where('household_id', '=', person.household_id)
      .where('person_id', 'is', null)
      .execute()
  ).map((c) => c.value);
  let out = db
    .selectFrom('messages')
    .leftJoin('message_campaigns', 'message_campaigns.id', 'messages.campaign_id')
    .select([
      'messages.id',
      'messages.person_id',
      'messages.channel',
      'messages.address',
      'messages.subject',
      'messages.body',
      'messages.language',
      'messages.status',
      'messages.campaign_id',
      'message_campaigns.name as campaign_name',
      'messages.queued_at',
      'messages.sent_at',
      'messages.delivered_at',
      'messages.failed_at',
      'messages.last_error',
    ])
    .where('messages.crisis_id', '=', crisisId);
  out = out.where((eb) =>
    shared.length
      ? eb.or([
          eb('messages.person_id', '=', personId),
          eb.and([
            eb('messages.household_id', '=', person.household_id),
            eb('messages.address', 'in', shared),
          ]),
        ])
      : eb('messages.person_id', '=', personId),
  );
  const rows = await out.orderBy('messages.queued_at', 'desc').limit(500).execute();
  // A family message stands for this person only in campaigns where they got none of their own.
  const own = new Set(rows.filter((m) => m.person_id === personId).map((m) => m.campaign_id ?? m.id));
  const sent = rows.filter((m) => m.person_id === personId || !own.has(m.campaign_id ?? m.id));
  const perCampaign = new Set<string>();
  const unique = sent.filter((m) => {
    if (m.person_id === personId || !m.campaign_id) return true;
    if (perCampaign.has(m.campaign_id)) return false;
    perCampaign.add(m.campaign_id);
    return true;
  });
  const received = await db
    .selectFrom('inbound_messages')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .where((eb) =>
      eb.or([
        eb('person_id', '=', personId),
        eb.and([eb('person_id', 'is', null), eb('candidate_person_ids', 'like', `%"${personId}"%`)]),
      ]),
    )
    .orderBy('received_at', 'desc')
    .limit(500)
    .execute();
  const items: HistoryItem[] = [
    ...unique.map((m) => ({
      direction: 'out' as const,
      id: m.id,
      at: m.queued_at,
      channel: m.channel,
      address: m.address,
      body: m.body,
      subject: m.subject,
      language: m.language,
      status: m.status,
      campaignId: m.campaign_id,
      campaignName: m.campaign_name,
      viaHousehold: m.person_id !== personId,
      sentAt: m.sent_at,
      deliveredAt: m.delivered_at,
      failedAt: m.failed_at,
      lastError: m.last_error,
      keyword: null,
    })),
    ...received.map((m) => ({
      direction: 'in' as const,
      id: m.id,
      at: m.received_at,
      channel: m.channel,
      address: m.from_address,
      body: m.body,
      subject: null,
      language: null,
      status: m.outcome,
      campaignId: null,
      campaignName: null,
      viaHousehold: m.person_id !== personId,
      sentAt: null,
      deliveredAt: null,
      failedAt: null,
      lastError: null,
      keyword: m.keyword,
    })),
  ].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  await ctx.db.writer.write((trx) =>
    recordAudit(trx, ctx.db.dialect, actor, {
      action: 'person.messages_viewed',
      entityType: 'person',
      entityId: personId,
      crisisId,
      change: { items: items.length },
    }),
  );
  return items;
}
