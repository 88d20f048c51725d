import { type Actor, systemActor } from '../../../access/actor.js';
import type { AppContext } from '../../../app-context.js';
import { recordAudit } from '../../../audit/audit.service.js';
import { nowIso } from '../../../lib/clock.js';
import { newId } from '../../../lib/ids.js';
import { createCase } from '../../cases/case.service.js';
import { recordWelfareAnswer } from '../../cases/welfare.service.js';
import { updatePerson } from '../../persons/person.service.js';
import { normalisePhone } from '../../persons/person-normalise.js';
import { restrictedPersonIds } from '../../restricted/restricted-visibility.js';
import type { InboundMessageTable, MessageChannel } from '../messaging.table.js';
import { parseKeyword, parseMemberNumber, type ReplyKeyword } from './keywords.js';
import { type ChannelRow, replyRow } from './outbox.repository.js';
import { askMemberText, type ReplyKind, type ReplyLanguage, replyText } from './reply-texts.js';

/** An answer to "which member?" counts only this long after the question. */
const ASK_MEMBER_WINDOW_MS = 48 * 3_600_000;
/** At most this many members are offered by number ("Reply 1 for …, 9 for …"). */
const MAX_ASKED_MEMBERS = 9;
const OPEN_CASE_STATES = ['new', 'triaged', 'in_progress', 'waiting_person', 'waiting_partner'] as const;

export interface InboundInput {
  providerMessageId: string;
  from: string;
  body: string;
}

export interface InboundOutcome {
  id: string;
  duplicate: boolean;
  outcome: InboundMessageTable['outcome'];
  keyword: InboundMessageTable['keyword'];
  personId: string | null;
  replyMessageId: string | null;
}

interface Candidate {
  id: string;
  household_id: string;
  given_name: string | null;
  given_name_ar: string | null;
  status: string;
  locale: string;
}

/** Registry persons reachable at this phone in the crisis (a household phone reaches every member). */
async function candidatesFor(ctx: AppContext, crisisId: string, phone: string): Promise<Candidate[]> {
  const contacts = await ctx.db.db
    .selectFrom('person_contacts')
    .select(['household_id', 'person_id'])
    .where('crisis_id', '=', crisisId)
    .where('value', '=', phone)
    .execute();
  if (contacts.length === 0) return [];
  const households = [...new Set(contacts.filter((c) => c.person_id === null).map((c) => c.household_id))];
  const persons = [...new Set(contacts.flatMap((c) => (c.person_id ? [c.person_id] : [])))];
  return ctx.db.db
    .selectFrom('persons')
    .innerJoin('households', 'households.id', 'persons.household_id')
    .select([
      'persons.id',
      'persons.household_id',
      'persons.given_name',
      'persons.given_name_ar',
      'persons.status',
      'households.locale',
    ])
    .where('persons.crisis_id', '=', crisisId)
    .where('persons.anonymised_at', 'is', null)
    .where('persons.id', 'not in', restrictedPersonIds(ctx.db.db))
    .where((eb) =>
      eb.or([
        ...(households.length ? [eb('persons.household_id', 'in', households)] : []),
        ...(persons.length ? [eb('persons.id', 'in', persons)] : []),
      ]),
    )
    .orderBy('persons.household_id')
    .orderBy('persons.created_at')
    .orderBy('persons.id')
    .execute();
}

async function openWelfareCase(ctx: AppContext, crisisId: string, personId: string) {
  return ctx.db.db
    .selectFrom('cases')
    .select('id')
    .where('crisis_id', '=', crisisId)
    .where('person_id', '=', personId)
    .where('type', '=', 'welfare_check')
    .where('state', 'in', OPEN_CASE_STATES)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

const languageOf = (c: Candidate | undefined): ReplyLanguage =>
  c && (c.locale === 'fr' || c.locale === 'ar') ? c.locale : 'en';

/**
 * Applies a keyword to one person through the owning modules' services (system actor): SAFE/YES
 * answers the open welfare check and marks the person safe, LEAVE/STAY change the intention with
 * history, HELP answers the welfare check as "needs help" or opens a case.
 */
async function applyKeyword(
  ctx: AppContext,
  crisisId: string,
  person: Candidate,
  keyword: ReplyKeyword,
  text: string,
  channel: MessageChannel,
): Promise<ReplyKind> {
  const actor = systemActor(`${channel} reply`);
  const welfare = await openWelfareCase(ctx, crisisId, person.id);
  if (keyword === 'safe' || keyword === 'yes') {
    if (welfare) await recordWelfareAnswer(ctx, actor, crisisId, welfare.id, { answer: 'safe', note: text });
    if (['registered', 'verified', 'missing'].includes(person.status))
      await updatePerson(ctx, actor, crisisId, person.id, {
        status: 'safe',
        reason: `Replied "${text}" by ${channel}`,
      });
    return 'safe';
  }
  if (keyword === 'leave' || keyword === 'stay') {
    await updatePerson(ctx, actor, crisisId, person.id, {
      intention: keyword,
      reason: `Replied "${text}" by ${channel}`,
    });
    return keyword;
  }
  if (welfare) {
    await recordWelfareAnswer(ctx, actor, crisisId, welfare.id, { answer: 'needs_help', note: text });
  } else {
    await createCase(ctx, actor, crisisId, {
      personId: person.id,
      type: 'other',
      summary: `Asked for help by ${channel}`,
      note: text,
      source: channel,
    });
  }
  return 'help';
}

/** Queues an outbox reply (no campaign) to the sender on the channel the message came in on. */
async function queueReply(
  ctx: AppContext,
  channel: ChannelRow,
  to: string,
  person: Candidate | undefined,
  language: ReplyLanguage,
  body: string,
) {
  const id = newId();
  const at = nowIso();
  await ctx.db.writer.write((trx) =>
    trx
      .insertInto('messages')
      .values(
        replyRow({
          id,
          crisisId: channel.crisis_id,
          person,
          channel: channel.channel,
          to,
          language,
          body,
          at,
        }),
      )
      .execute(),
  );
  return id;
}

const givenName = (c: Candidate, language: ReplyLanguage, i: number) =>
  (language === 'ar' ? (c.given_name_ar ?? c.given_name) : (c.given_name ?? c.given_name_ar)) ?? `#${i + 1}`;

/**
 * Handles one reply from a person. Idempotent on the gateway's message id. The reply is stored
 * first (in triage), so it is never lost even if applying it fails; it leaves triage once applied.
 */
export async function receiveInbound(
  ctx: AppContext,
  channel: ChannelRow,
  input: InboundInput,
): Promise<InboundOutcome> {
  const known = await ctx.db.db
    .selectFrom('inbound_messages')
    .select(['id', 'outcome', 'keyword', 'person_id', 'reply_message_id'])
    .where('provider_message_id', '=', input.providerMessageId)
    .executeTakeFirst();
  if (known) return duplicateOf(known);
  const crisisId = channel.crisis_id;
  const phone = normalisePhone(input.from.replace(/^whatsapp:/, '')) ?? input.from.trim().slice(0, 64);
  const candidates = await candidatesFor(ctx, crisisId, phone);
  const body = input.body.slice(0, 2000);
  const keyword = parseKeyword(body);
  const id = newId();
  const at = nowIso();
  const actor = systemActor(`${channel.channel} reply`);
  try {
    await ctx.db.writer.write(async (trx) => {
      await trx
        .insertInto('inbound_messages')
        .values({
          id,
          crisis_id: crisisId,
          channel: channel.channel,
          from_address: phone,
          body,
          provider_message_id: input.providerMessageId,
          received_at: at,
          person_id: candidates.length === 1 ? candidates[0]!.id : null,
          candidate_person_ids: JSON.stringify(candidates.map((c) => c.id)),
          keyword: keyword === 'yes' ? 'safe' : keyword,
          outcome: candidates.length === 0 ? 'unmatched' : 'triage',
          triage_status: 'open',
          resolved_by: null,
          resolved_at: null,
          note: null,
          reply_message_id: null,
        })
        .execute();
      await recordAudit(trx, ctx.db.dialect, actor, {
        action: 'message.inbound_received',
        entityType: 'inbound_message',
        entityId: id,
        crisisId,
        change: { candidates: candidates.length, keyword },
      });
    });
  } catch (error) {
    // The same gateway message arriving twice at once: the unique id lets one through.
    const again = await ctx.db.db
      .selectFrom('inbound_messages')
      .select(['id', 'outcome', 'keyword', 'person_id', 'reply_message_id'])
      .where('provider_message_id', '=', input.providerMessageId)
      .executeTakeFirst();
    if (again) return duplicateOf(again);
    throw error;
  }
  const result: InboundOutcome = {
    id,
    duplicate: false,
    outcome: candidates.length === 0 ? 'unmatched' : 'triage',
    keyword: keyword === 'yes' ? 'safe' : keyword,
    personId: candidates.length === 1 ? candidates[0]!.id : null,
    replyMessageId: null,
  };
  if (candidates.length === 0) return result;

  const finish = async (patch: Partial<InboundMessageTable>) => {
    await ctx.db.writer.write(async (trx) => {
      await trx.updateTable('inbound_messages').set(patch).where('id', '=', id).execute();
      await recordAudit(trx, ctx.db.dialect, actor, {
        action: 'message.inbound_applied',
        entityType: 'inbound_message',
        entityId: id,
        crisisId,
        change: { outcome: patch.outcome, personId: patch.person_id },
      });
    });
    Object.assign(result, {
      outcome: patch.outcome ?? result.outcome,
      personId: patch.person_id ?? result.personId,
      replyMessageId: patch.reply_message_id ?? null,
    });
    return result;
  };
  const apply = async (person: Candidate, kw: ReplyKeyword, extra: Partial<InboundMessageTable> = {}) => {
    try {
      const kind = await applyKeyword(ctx, crisisId, person, kw, body, channel.channel);
      const language = languageOf(person);
      const replyId = await queueReply(ctx, channel, phone, person, language, replyText(language, kind));
      return finish({
        outcome: 'applied',
        triage_status: 'none',
        person_id: person.id,
        reply_message_id: replyId,
        ...extra,
      });
    } catch (error) {
      // Left in triage with the reason: a person decides.
      return finish({ person_id: person.id, note: `Not applied: ${(error as Error).message}`.slice(0, 500) });
    }
  };

  // The answer to "which member?" asked on an earlier reply from this phone.
  const number = parseMemberNumber(body);
  if (number !== null) {
    const asked = await ctx.db.db
      .selectFrom('inbound_messages')
      .selectAll()
      .where('crisis_id', '=', crisisId)
      .where('from_address', '=', phone)
      .where('outcome', '=', 'ask_member')
      .where('triage_status', '=', 'open')
      .where('received_at', '>=', new Date(Date.now() - ASK_MEMBER_WINDOW_MS).toISOString())
      .orderBy('received_at', 'desc')
      .executeTakeFirst();
    const askedIds = asked ? (JSON.parse(asked.candidate_person_ids) as string[]) : [];
    const chosen = candidates.find((c) => c.id === askedIds[number - 1]);
    if (asked?.keyword && chosen) {
      const done = await apply(chosen, asked.keyword, { keyword: asked.keyword });
      if (done.outcome === 'applied') {
        await ctx.db.writer.write(async (trx) => {
          await trx
            .updateTable('inbound_messages')
            .set({
              person_id: chosen.id,
              triage_status: 'resolved',
              resolved_at: nowIso(),
              note: `Member ${number} chosen by reply`,
            })
            .where('id', '=', asked.id)
            .execute();
          await recordAudit(trx, ctx.db.dialect, actor, {
            action: 'message.inbound_member_chosen',
            entityType: 'inbound_message',
            entityId: asked.id,
            crisisId,
            change: { personId: chosen.id },
          });
        });
      }
      return done;
    }
  }
  if (keyword === null) return result;

  let targets = candidates;
  if (keyword === 'yes') {
    // YES means something only as the answer to an open welfare check.
    const open = [];
    for (const c of candidates) if (await openWelfareCase(ctx, crisisId, c.id)) open.push(c);
    if (open.length === 0) return result;
    targets = open;
  }
  if (targets.length === 1) return apply(targets[0]!, keyword);
  // More people than one SMS can list by number: a person sorts it out from triage.
  if (targets.length > MAX_ASKED_MEMBERS) return result;
  const language = languageOf(targets[0]);
  const replyId = await queueReply(
    ctx,
    channel,
    phone,
    undefined,
    language,
    askMemberText(
      language,
      targets.map((c, i) => givenName(c, language, i)),
    ),
  );
  return finish({
    outcome: 'ask_member',
    candidate_person_ids: JSON.stringify(targets.map((c) => c.id)),
    reply_message_id: replyId,
  });
}

function duplicateOf(row: {
  id: string;
  outcome: InboundMessageTable['outcome'];
  keyword: InboundMessageTable['keyword'];
  person_id: string | null;
  reply_message_id: string | null;
}): InboundOutcome {
  return {
    id: row.id,
    duplicate: true,
    outcome: row.outcome,
    keyword: row.keyword,
    personId: row.person_id,
    replyMessageId: row.reply_message_id,
  };
}

/**
 * Staff chose the member a reply belongs to (triage): the reply's keyword is applied to that
 * person, the confirmation queued, and the reply leaves triage.
 */
export async function applyChosenMember(
  ctx: AppContext,
  inboundId: string,
  personId: string,
  actor: Actor,
): Promise<void> {
  const row = await ctx.db.db
    .selectFrom('inbound_messages')
    .selectAll()
    .where('id', '=', inboundId)
    .executeTakeFirst();
  if (!row?.keyword) return;
  const person = await ctx.db.db
    .selectFrom('persons')
    .innerJoin('households', 'households.id', 'persons.household_id')
    .select([
      'persons.id',
      'persons.household_id',
      'persons.given_name',
      'persons.given_name_ar',
      'persons.status',
      'households.locale',
    ])
    .where('persons.id', '=', personId)
    .executeTakeFirst();
  if (!person) return;
  const kind = await applyKeyword(ctx, row.crisis_id, person, row.keyword, row.body, row.channel);
  const channel = await ctx.db.db
    .selectFrom('message_channels')
    .selectAll()
    .where('crisis_id', '=', row.crisis_id)
    .where('channel', '=', row.channel)
    .executeTakeFirst();
  const language = languageOf(person);
  const replyId = channel
    ? await queueReply(ctx, channel, row.from_address, person, language, replyText(language, kind))
    : null;
  const at = nowIso();
  await ctx.db.writer.write(async (trx) => {
    await trx
      .updateTable('inbound_messages')
      .set({
        person_id: person.id,
        outcome: 'applied',
        triage_status: 'resolved',
        resolved_by: actor.id,
        resolved_at: at,
        reply_message_id: replyId ?? row.reply_message_id,
      })
      .where('id', '=', row.id)
      .execute();
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'message.inbound_applied',
      entityType: 'inbound_message',
      entityId: row.id,
      crisisId: row.crisis_id,
      change: { outcome: 'applied', personId: person.id },
    });
  });
}
