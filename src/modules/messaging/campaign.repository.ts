import type { Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type { Database } from '../../db/schema.js';
import type {
  MessageCampaignTable,
  MessageStatus,
  MessageTable,
  MessageTemplateTable,
} from './messaging.table.js';

type Q = Kysely<Database> | Transaction<Database>;
export type TemplateRow = Selectable<MessageTemplateTable>;
export type CampaignRow = Selectable<MessageCampaignTable>;

export const findTemplateRow = (db: Q, crisisId: string, id: string) =>
  db
    .selectFrom('message_templates')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .where('id', '=', id)
    .executeTakeFirst();

export const listTemplateRows = (db: Q, crisisId: string, includeArchived: boolean) => {
  let q = db.selectFrom('message_templates').selectAll().where('crisis_id', '=', crisisId);
  if (!includeArchived) q = q.where('archived_at', 'is', null);
  return q.orderBy('name').orderBy('id').execute();
};

export const insertTemplate = (trx: Transaction<Database>, row: TemplateRow) =>
  trx.insertInto('message_templates').values(row).execute();

export const updateTemplateRow = (
  trx: Transaction<Database>,
  id: string,
  patch: Updateable<MessageTemplateTable>,
) => trx.updateTable('message_templates').set(patch).where('id', '=', id).execute();

export const findCampaignRow = (db: Q, crisisId: string, id: string) =>
  db
    .selectFrom('message_campaigns')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .where('id', '=', id)
    .executeTakeFirst();

export const listCampaignRows = (
  db: Q,
  crisisId: string,
  f: { status?: string | undefined; limit: number; offset: number },
) => {
  let q = db.selectFrom('message_campaigns').selectAll().where('crisis_id', '=', crisisId);
  if (f.status) q = q.where('status', '=', f.status as CampaignRow['status']);
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute();
};

export const insertCampaign = (trx: Transaction<Database>, row: CampaignRow) =>
  trx.insertInto('message_campaigns').values(row).execute();

/** Updates a campaign only when it is still in one of `from`; true when it was. */
export async function updateCampaignIfStatus(
  trx: Transaction<Database>,
  id: string,
  from: readonly CampaignRow['status'][],
  patch: Updateable<MessageCampaignTable>,
): Promise<boolean> {
  const res = await trx
    .updateTable('message_campaigns')
    .set(patch)
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Outbox rows; a campaign never writes two rows for one person (unique campaign_id, person_id). */
export async function insertMessagesIgnoringDuplicates(
  trx: Transaction<Database>,
  rows: Insertable<MessageTable>[],
): Promise<number> {
  let inserted = 0;
  // Rows × columns stay under SQLite's 32,766 bound parameters per statement.
  const perStatement = Math.max(1, Math.floor(32_000 / Math.max(1, Object.keys(rows[0] ?? {}).length)));
  for (let i = 0; i < rows.length; i += perStatement) {
    const res = await trx
      .insertInto('messages')
      .values(rows.slice(i, i + perStatement))
      .onConflict((oc) => oc.columns(['campaign_id', 'person_id']).doNothing())
      .executeTakeFirst();
    inserted += Number(res.numInsertedOrUpdatedRows ?? 0);
  }
  return inserted;
}

export const personIdsWithMessage = async (db: Q, campaignId: string) =>
  new Set(
    (
      await db.selectFrom('messages').select('person_id').where('campaign_id', '=', campaignId).execute()
    ).flatMap((r) => (r.person_id ? [r.person_id] : [])),
  );

export async function messageCounts(
  db: Q,
  campaignIds: string[],
): Promise<Map<string, Partial<Record<MessageStatus, number>>>> {
  const out = new Map<string, Partial<Record<MessageStatus, number>>>();
  if (campaignIds.length === 0) return out;
  const rows = await db
    .selectFrom('messages')
    .select(['campaign_id', 'status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('campaign_id', 'in', campaignIds)
    .groupBy(['campaign_id', 'status'])
    .execute();
  for (const r of rows) {
    if (!r.campaign_id) continue;
    const counts = out.get(r.campaign_id) ?? {};
    counts[r.status] = Number(r.n);
    out.set(r.campaign_id, counts);
  }
  return out;
}

export const cancelQueuedMessages = async (trx: Transaction<Database>, campaignId: string, at: string) =>
  Number(
    (
      await trx
        .updateTable('messages')
        .set({ status: 'cancelled', updated_at: at })
        .where('campaign_id', '=', campaignId)
        .where('status', '=', 'queued')
        .executeTakeFirst()
    ).numUpdatedRows,
  );

export const findSettingsRow = (db: Q, crisisId: string) =>
  db.selectFrom('message_settings').selectAll().where('crisis_id', '=', crisisId).executeTakeFirst();
