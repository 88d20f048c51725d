import type { Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type { Database } from '../../db/schema.js';
import type {
  EngagementTable,
  FollowUpTable,
  PartnerContactTable,
  PartnerRequestEventTable,
  PartnerRequestTable,
  PartnerTable,
  SharingProfileTable,
} from './partner.table.js';

type Q = Kysely<Database> | Transaction<Database>;
type W = Transaction<Database>;
export type PartnerRow = Selectable<PartnerTable>;
export type ContactRow = Selectable<PartnerContactTable>;
export type EngagementRow = Selectable<EngagementTable>;
export type FollowUpRow = Selectable<FollowUpTable>;
export type RequestRow = Selectable<PartnerRequestTable>;
export type RequestEventRow = Selectable<PartnerRequestEventTable>;
export type ProfileRow = Selectable<SharingProfileTable>;

const chunks = <T>(items: T[], size = 500): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

// ---- partners and contacts ----

export const listPartnerRows = (db: Q, crisisId: string) =>
  db.selectFrom('partners').selectAll().where('crisis_id', '=', crisisId).orderBy('name').execute();

export const findPartnerRow = (db: Q, crisisId: string, partnerId: string) =>
  db
    .selectFrom('partners')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .where('id', '=', partnerId)
    .executeTakeFirst();

export const partnerNames = async (db: Q, ids: string[]) =>
  new Map(
    (ids.length === 0
      ? []
      : await db
          .selectFrom('partners')
          .select(['id', 'name'])
          .where('id', 'in', [...new Set(ids)])
          .execute()
    ).map((p) => [p.id, p.name]),
  );

export const insertPartner = (trx: W, row: PartnerRow) => trx.insertInto('partners').values(row).execute();
export const updatePartnerRow = (trx: W, id: string, patch: Updateable<PartnerTable>) =>
  trx.updateTable('partners').set(patch).where('id', '=', id).execute();

/** Per partner of a crisis: contacts, open requests and the last engagement. */
export async function partnerCounts(db: Q, crisisId: string) {
  const contacts = await db
    .selectFrom('partner_contacts')
    .select(['partner_id', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('crisis_id', '=', crisisId)
    .groupBy('partner_id')
    .execute();
  const requests = await db
    .selectFrom('partner_requests')
    .select(['partner_id', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('crisis_id', '=', crisisId)
    .where('state', 'not in', ['closed', 'rejected'])
    .groupBy('partner_id')
    .execute();
  const last = await db
    .selectFrom('engagement_partners')
    .innerJoin('engagements', 'engagements.id', 'engagement_partners.engagement_id')
    .select(['engagement_partners.partner_id', (eb) => eb.fn.max('engagements.occurred_at').as('at')])
    .where('engagements.crisis_id', '=', crisisId)
    .groupBy('engagement_partners.partner_id')
    .execute();
  return {
    contacts: new Map(contacts.map((r) => [r.partner_id, Number(r.n)])),
    openRequests: new Map(requests.map((r) => [r.partner_id, Number(r.n)])),
    lastEngagement: new Map(last.map((r) => [r.partner_id, r.at as string | null])),
  };
}

export const listContactRows = (db: Q, partnerId: string) =>
  db
    .selectFrom('partner_contacts')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .orderBy('name')
    .orderBy('id')
    .execute();

export const findContactRow = (db: Q, partnerId: string, contactId: string) =>
  db
    .selectFrom('partner_contacts')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('id', '=', contactId)
    .executeTakeFirst();

export const insertContact = (trx: W, row: ContactRow) =>
  trx.insertInto('partner_contacts').values(row).execute();
export const updateContactRow = (trx: W, id: string, patch: Updateable<PartnerContactTable>) =>
  trx.updateTable('partner_contacts').set(patch).where('id', '=', id).execute();
export const deleteContactRow = (trx: W, id: string) =>
  trx.deleteFrom('partner_contacts').where('id', '=', id).execute();

// ---- engagements and follow-ups ----

export async function listEngagementRows(db: Q, crisisId: string, partnerId?: string) {
  let q = db.selectFrom('engagements').selectAll('engagements').where('engagements.crisis_id', '=', crisisId);
  if (partnerId)
    q = q.where('engagements.id', 'in', (eb) =>
      eb.selectFrom('engagement_partners').select('engagement_id').where('partner_id', '=', partnerId),
    );
  return q.orderBy('engagements.occurred_at', 'desc').orderBy('engagements.id').limit(500).execute();
}

export const findEngagementRow = (db: Q, crisisId: string, id: string) =>
  db
    .selectFrom('engagements')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .where('id', '=', id)
    .executeTakeFirst();

export async function engagementLinks(db: Q, engagementIds: string[]) {
  const partners: { engagement_id: string; id: string; name: string }[] = [];
  const participants: { engagement_id: string; id: string; display_name: string }[] = [];
  for (const ids of chunks(engagementIds)) {
    partners.push(
      ...(await db
        .selectFrom('engagement_partners')
        .innerJoin('partners', 'partners.id', 'engagement_partners.partner_id')
        .select(['engagement_partners.engagement_id', 'partners.id', 'partners.name'])
        .where('engagement_partners.engagement_id', 'in', ids)
        .orderBy('partners.name')
        .execute()),
    );
    participants.push(
      ...(await db
        .selectFrom('engagement_participants')
        .innerJoin('staff', 'staff.id', 'engagement_participants.staff_id')
        .select(['engagement_participants.engagement_id', 'staff.id', 'staff.display_name'])
        .where('engagement_participants.engagement_id', 'in', ids)
        .orderBy('staff.display_name')
        .execute()),
    );
  }
  return { partners, participants };
}

export const insertEngagement = async (
  trx: W,
  row: EngagementRow,
  partnerIds: string[],
  participantIds: string[],
) => {
  await trx.insertInto('engagements').values(row).execute();
  await trx
    .insertInto('engagement_partners')
    .values(partnerIds.map((partner_id) => ({ engagement_id: row.id, partner_id })))
    .execute();
  if (participantIds.length > 0)
    await trx
      .insertInto('engagement_participants')
      .values(participantIds.map((staff_id) => ({ engagement_id: row.id, staff_id })))
      .execute();
};
export const updateEngagementRow = (trx: W, id: string, patch: Updateable<EngagementTable>) =>
  trx.updateTable('engagements').set(patch).where('id', '=', id).execute();

const followUpSelect = (db: Q) =>
  db
    .selectFrom('follow_ups')
    .innerJoin('staff', 'staff.id', 'follow_ups.owner_id')
    .innerJoin('engagements', 'engagements.id', 'follow_ups.engagement_id')
    .selectAll('follow_ups')
    .select(['staff.display_name as owner_name', 'engagements.subject as engagement_subject']);
export type FollowUpView = FollowUpRow & { owner_name: string; engagement_subject: string };

export async function followUpsOfEngagements(db: Q, engagementIds: string[]): Promise<FollowUpView[]> {
  const out: FollowUpView[] = [];
  for (const ids of chunks(engagementIds))
    out.push(
      ...(await followUpSelect(db)
        .where('follow_ups.engagement_id', 'in', ids)
        .orderBy('follow_ups.due_date')
        .orderBy('follow_ups.id')
        .execute()),
    );
  return out;
}

export function listFollowUpRows(
  db: Q,
  crisisId: string,
  f: { ownerId?: string | undefined; state?: string | undefined; dueBefore?: string | undefined },
): Promise<FollowUpView[]> {
  let q = followUpSelect(db).where('follow_ups.crisis_id', '=', crisisId);
  if (f.ownerId) q = q.where('follow_ups.owner_id', '=', f.ownerId);
  if (f.state) q = q.where('follow_ups.state', '=', f.state as FollowUpRow['state']);
  if (f.dueBefore) q = q.where('follow_ups.due_date', '<', f.dueBefore);
  return q.orderBy('follow_ups.due_date').orderBy('follow_ups.id').limit(1000).execute();
}

export const findFollowUpRow = (db: Q, crisisId: string, id: string) =>
  followUpSelect(db)
    .where('follow_ups.crisis_id', '=', crisisId)
    .where('follow_ups.id', '=', id)
    .executeTakeFirst();

export const insertFollowUps = (trx: W, rows: FollowUpRow[]) =>
  rows.length === 0 ? Promise.resolve() : trx.insertInto('follow_ups').values(rows).execute();
export const updateFollowUpRow = (trx: W, id: string, patch: Updateable<FollowUpTable>) =>
  trx.updateTable('follow_ups').set(patch).where('id', '=', id).execute();

// ---- requests ----

export function listRequestRows(db: Q, crisisId: string, partnerId?: string) {
  let q = db.selectFrom('partner_requests').selectAll().where('crisis_id', '=', crisisId);
  if (partnerId) q = q.where('partner_id', '=', partnerId);
  return q.orderBy('created_at', 'desc').orderBy('id').limit(1000).execute();
}

export const findRequestRow = (db: Q, crisisId: string, id: string) =>
  db
    .selectFrom('partner_requests')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .where('id', '=', id)
    .executeTakeFirst();

export const insertRequest = (trx: W, row: RequestRow) =>
  trx.insertInto('partner_requests').values(row).execute();

/** Applies the change only if nobody changed the request since `version`. */
export async function updateRequestIfVersion(
  trx: W,
  id: string,
  version: number,
  patch: Updateable<PartnerRequestTable>,
): Promise<boolean> {
  const result = await trx
    .updateTable('partner_requests')
    .set({ ...patch, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export const insertRequestEvent = (trx: W, row: Insertable<PartnerRequestEventTable>) =>
  trx.insertInto('partner_request_events').values(row).execute();

export const listRequestEvents = (db: Q, requestId: string) =>
  db
    .selectFrom('partner_request_events')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('at')
    .orderBy('id')
    .execute();

/** Packages and distinct persons sent per request. */
export async function requestPackageCounts(db: Q, requestIds: string[]) {
  const packages = new Map<string, number>();
  const persons = new Map<string, number>();
  for (const ids of chunks(requestIds)) {
    const p = await db
      .selectFrom('data_packages')
      .select(['request_id', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('request_id', 'in', ids)
      .groupBy('request_id')
      .execute();
    for (const r of p) if (r.request_id) packages.set(r.request_id, Number(r.n));
    const q = await db
      .selectFrom('package_persons')
      .innerJoin('data_packages', 'data_packages.id', 'package_persons.package_id')
      .select([
        'data_packages.request_id',
        (eb) => eb.fn.count<number | string>('package_persons.person_id').distinct().as('n'),
      ])
      .where('data_packages.request_id', 'in', ids)
      .groupBy('data_packages.request_id')
      .execute();
    for (const r of q) if (r.request_id) persons.set(r.request_id, Number(r.n));
  }
  return { packages, persons };
}

// ---- sharing profiles ----

export const listProfileRows = (db: Q, crisisId: string, partnerId: string) =>
  db
    .selectFrom('sharing_profiles')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .where('partner_id', '=', partnerId)
    .orderBy('name')
    .execute();

export const findProfileRow = (db: Q, crisisId: string, id: string) =>
  db
    .selectFrom('sharing_profiles')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .where('id', '=', id)
    .executeTakeFirst();

export const insertProfile = (trx: W, row: ProfileRow) =>
  trx.insertInto('sharing_profiles').values(row).execute();

export async function updateProfileIfVersion(
  trx: W,
  id: string,
  version: number,
  patch: Updateable<SharingProfileTable>,
): Promise<boolean> {
  const result = await trx
    .updateTable('sharing_profiles')
    .set({ ...patch, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export const requestSubjects = async (db: Q, ids: string[]) =>
  new Map(
    (ids.length === 0
      ? []
      : await db
          .selectFrom('partner_requests')
          .select(['id', 'subject'])
          .where('id', 'in', [...new Set(ids)])
          .execute()
    ).map((r) => [r.id, r.subject]),
  );
