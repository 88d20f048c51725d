import type { z } from 'zod';
import type { Actor } from '../../../access/actor.js';
import { requireAccess } from '../../../access/policy.js';
import type { AppContext } from '../../../app-context.js';
import { recordAudit } from '../../../audit/audit.service.js';
import { nowIso } from '../../../lib/clock.js';
import { conflict, notFound, validationFailed } from '../../../lib/errors.js';
import { newId } from '../../../lib/ids.js';
import { restrictedPersonIds } from '../../restricted/restricted-visibility.js';
import type { triageItemSchema, triageQuery } from './delivery.schemas.js';
import { applyChosenMember } from './inbound.service.js';
import { replyRow } from './outbox.repository.js';

/**
 * The triage queue: replies no keyword could handle, unknown senders, and phones shared by a
 * family where nobody said which member. Reading it needs `message.send` and `person.read` in the
 * crisis; it shows message text and phone numbers, so each read is audited.
 */
type TriageItem = z.infer<typeof triageItemSchema>;

const nameOf = (p: { full_name: string | null; full_name_ar: string | null }) =>
  p.full_name ?? p.full_name_ar ?? '—';

export async function listTriage(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  query: z.output<typeof triageQuery>,
): Promise<{ items: TriageItem[]; open: number }> {
  requireAccess(actor, 'message.send', crisisId, { hide: 'crisis' });
  requireAccess(actor, 'person.read', crisisId);
  let q = ctx.db.db.selectFrom('inbound_messages').selectAll().where('crisis_id', '=', crisisId);
  if (query.status !== 'all') q = q.where('triage_status', '=', query.status);
  else q = q.where('triage_status', '!=', 'none');
  const rows = await q
    .orderBy('received_at', 'desc')
    .orderBy('id')
    .limit(query.limit)
    .offset(query.offset)
    .execute();
  const open = await ctx.db.db
    .selectFrom('inbound_messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('crisis_id', '=', crisisId)
    .where('triage_status', '=', 'open')
    .executeTakeFirstOrThrow();
  const ids = [
    ...new Set(
      rows.flatMap((r) => [
        ...(JSON.parse(r.candidate_person_ids) as string[]),
        ...(r.person_id ? [r.person_id] : []),
      ]),
    ),
  ];
  const persons = ids.length
    ? await ctx.db.db
        .selectFrom('persons')
        .select(['id', 'full_name', 'full_name_ar'])
        .where('crisis_id', '=', crisisId)
        .where('id', 'in', ids)
        .where('anonymised_at', 'is', null)
        .where('id', 'not in', restrictedPersonIds(ctx.db.db))
        .execute()
    : [];
  const byId = new Map(persons.map((p) => [p.id, { id: p.id, name: nameOf(p) }]));
  await ctx.db.writer.write((trx) =>
    recordAudit(trx, ctx.db.dialect, actor, {
      action: 'message.triage_viewed',
      entityType: 'inbound_message',
      entityId: null,
      crisisId,
      change: { status: query.status, count: rows.length },
    }),
  );
  return {
    open: Number(open.n),
    items: rows.map((r) => ({
      id: r.id,
      channel: r.channel,
      from: r.from_address,
      body: r.body,
      receivedAt: r.received_at,
      keyword: r.keyword,
      outcome: r.outcome,
      triageStatus: r.triage_status,
      person: (r.person_id && byId.get(r.person_id)) || null,
      candidates: (JSON.parse(r.candidate_person_ids) as string[]).flatMap((id) => byId.get(id) ?? []),
      note: r.note,
      resolvedAt: r.resolved_at,
      replyMessageId: r.reply_message_id,
    })),
  };
}

async function inboundInCrisis(ctx: AppContext, crisisId: string, inboundId: string) {
  const row = await ctx.db.db
    .selectFrom('inbound_messages')
    .selectAll()
    .where('id', '=', inboundId)
    .where('crisis_id', '=', crisisId)
    .executeTakeFirst();
  if (!row) throw notFound('reply');
  return row;
}

export async function resolveTriage(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  inboundId: string,
  input: { note: string },
) {
  requireAccess(actor, 'message.send', crisisId, { hide: 'reply' });
  requireAccess(actor, 'person.read', crisisId, { hide: 'reply' });
  const row = await inboundInCrisis(ctx, crisisId, inboundId);
  if (row.triage_status !== 'open') throw conflict('This reply is not open in triage.');
  const at = nowIso();
  await ctx.db.writer.write(async (trx) => {
    await trx
      .updateTable('inbound_messages')
      .set({ triage_status: 'resolved', resolved_by: actor.id, resolved_at: at, note: input.note })
      .where('id', '=', row.id)
      .execute();
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'message.triage_resolved',
      entityType: 'inbound_message',
      entityId: row.id,
      crisisId,
      change: { note: input.note },
    });
  });
  return { id: row.id, triageStatus: 'resolved' as const };
}

/**
 * Links a reply to a person (one of the phone's candidates, or any visible person of the crisis
 * for an unknown number). A keyword the reply carried is then applied to that person.
 */
export async function linkTriage(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  inboundId: string,
  input: { personId: string },
) {
  requireAccess(actor, 'message.send', crisisId, { hide: 'reply' });
  requireAccess(actor, 'person.update', crisisId);
  const row = await inboundInCrisis(ctx, crisisId, inboundId);
  if (row.triage_status !== 'open') throw conflict('This reply is not open in triage.');
  const person = await ctx.db.db
    .selectFrom('persons')
    .select('id')
    .where('id', '=', input.personId)
    .where('crisis_id', '=', crisisId)
    .where('anonymised_at', 'is', null)
    .where('id', 'not in', restrictedPersonIds(ctx.db.db))
    .executeTakeFirst();
  if (!person) throw validationFailed([{ path: 'personId', message: 'No such person in this crisis.' }]);
  const at = nowIso();
  await ctx.db.writer.write(async (trx) => {
    await trx
      .updateTable('inbound_messages')
      .set({
        person_id: person.id,
        ...(row.keyword ? {} : { triage_status: 'resolved', resolved_by: actor.id, resolved_at: at }),
      })
      .where('id', '=', row.id)
      .execute();
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'message.triage_linked',
      entityType: 'inbound_message',
      entityId: row.id,
      crisisId,
      change: { personId: person.id },
    });
  });
  if (row.keyword) await applyChosenMember(ctx, row.id, person.id, actor);
  return { id: row.id, personId: person.id };
}

/** Queues a free-text reply from staff to the sender, on the channel the reply came in on. */
export async function replyToTriage(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  inboundId: string,
  input: { text: string },
) {
  requireAccess(actor, 'message.send', crisisId, { hide: 'reply' });
  requireAccess(actor, 'person.read', crisisId, { hide: 'reply' });
  const row = await inboundInCrisis(ctx, crisisId, inboundId);
  const person = row.person_id
    ? await ctx.db.db
        .selectFrom('persons')
        .innerJoin('households', 'households.id', 'persons.household_id')
        .select(['persons.id', 'persons.household_id', 'households.locale'])
        .where('persons.id', '=', row.person_id)
        .executeTakeFirst()
    : undefined;
  const at = nowIso();
  const id = newId();
  const language = person?.locale === 'fr' || person?.locale === 'ar' ? person.locale : 'en';
  await ctx.db.writer.write(async (trx) => {
    await trx
      .insertInto('messages')
      .values(
        replyRow({
          id,
          crisisId,
          person,
          channel: row.channel,
          to: row.from_address,
          language,
          body: input.text,
          at,
        }),
      )
      .execute();
    await trx
      .updateTable('inbound_messages')
      .set({ reply_message_id: id })
      .where('id', '=', row.id)
      .execute();
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'message.triage_replied',
      entityType: 'inbound_message',
      entityId: row.id,
      crisisId,
      change: { messageId: id },
    });
  });
  return { messageId: id };
}
