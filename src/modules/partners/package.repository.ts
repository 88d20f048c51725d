import type { Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { DataPackageTable } from './partner.table.js';

type Q = Kysely<Database> | Transaction<Database>;
type W = Transaction<Database>;
export type PackageRow = Selectable<DataPackageTable>;

const chunks = <T>(items: T[], size = 500): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

// ---- persons conditions used by profiles (read-only views of the crossings and transport records) ----

/** Of `personIds`, those holding a place on a leg (offered, confirmed, checked in or boarded), with the leg. */
export async function legsOfPersons(db: Q, crisisId: string, personIds: string[]) {
  const out = new Map<string, { legId: string; legName: string; departureAt: string }>();
  for (const ids of chunks(personIds)) {
    const rows = await db
      .selectFrom('seat_assignments')
      .innerJoin('transport_legs', 'transport_legs.id', 'seat_assignments.leg_id')
      .select([
        'seat_assignments.person_id',
        'transport_legs.id as leg_id',
        'transport_legs.name',
        'transport_legs.departure_at',
      ])
      .where('seat_assignments.crisis_id', '=', crisisId)
      .where('seat_assignments.person_id', 'in', ids)
      .where('seat_assignments.status', 'in', ['offered', 'confirmed', 'checked_in', 'boarded'])
      .orderBy('transport_legs.departure_at')
      .execute();
    for (const r of rows)
      if (!out.has(r.person_id))
        out.set(r.person_id, { legId: r.leg_id, legName: r.name, departureAt: r.departure_at });
  }
  return out;
}

// ---- packages ----

export const insertPackage = async (trx: W, row: PackageRow, personIds: string[]) => {
  await trx.insertInto('data_packages').values(row).execute();
  for (const ids of chunks(personIds))
    await trx
      .insertInto('package_persons')
      .values(ids.map((person_id) => ({ package_id: row.id, person_id, crisis_id: row.crisis_id })))
      .execute();
};

export function listPackageRows(
  db: Q,
  crisisId: string,
  f: { partnerId?: string | undefined; requestId?: string | undefined },
) {
  let q = db.selectFrom('data_packages').selectAll().where('crisis_id', '=', crisisId);
  if (f.partnerId) q = q.where('partner_id', '=', f.partnerId);
  if (f.requestId) q = q.where('request_id', '=', f.requestId);
  return q.orderBy('created_at', 'desc').orderBy('id').limit(1000).execute();
}

export const findPackageRow = (db: Q, crisisId: string, id: string) =>
  db
    .selectFrom('data_packages')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .where('id', '=', id)
    .executeTakeFirst();

export const findPackageByLink = (db: Q, linkHash: string) =>
  db.selectFrom('data_packages').selectAll().where('link_hash', '=', linkHash).executeTakeFirst();

/**
 * Counts one download if the link is still good — not revoked, not expired, under its limit and
 * still stored — in one conditional update, so two simultaneous downloads cannot both take the last one.
 */
export async function claimDownload(trx: W, packageId: string, now: string): Promise<boolean> {
  const result = await trx
    .updateTable('data_packages')
    .set((eb) => ({ downloads: eb('downloads', '+', 1) }))
    .where('id', '=', packageId)
    .where('revoked_at', 'is', null)
    .where('purged_at', 'is', null)
    .where('content', 'is not', null)
    .where('expires_at', '>', now)
    .where((eb) => eb.or([eb('max_downloads', 'is', null), eb('downloads', '<', eb.ref('max_downloads'))]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export const insertDownload = (
  trx: W,
  row: { id: string; package_id: string; at: string; address_hash: string },
) => trx.insertInto('package_downloads').values(row).execute();

export const listDownloads = (db: Q, packageId: string) =>
  db
    .selectFrom('package_downloads')
    .select(['at', 'address_hash'])
    .where('package_id', '=', packageId)
    .orderBy('at')
    .orderBy('id')
    .execute();

export const updatePackageRow = (trx: W, id: string, patch: Updateable<DataPackageTable>) =>
  trx.updateTable('data_packages').set(patch).where('id', '=', id).execute();

/** Stored files whose link can no longer be used: expired, revoked or out of downloads. */
export const listPurgeablePackages = (db: Q, now: string) =>
  db
    .selectFrom('data_packages')
    .select(['id', 'crisis_id'])
    .where('purged_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('expires_at', '<=', now),
        eb('revoked_at', 'is not', null),
        eb.and([eb('max_downloads', 'is not', null), eb('downloads', '>=', eb.ref('max_downloads'))]),
      ]),
    )
    .limit(1000)
    .execute();

/** Deletes the stored files of these packages; answers the ones this call purged (not already purged). */
export const purgePackageContent = (trx: W, ids: string[], now: string) =>
  trx
    .updateTable('data_packages')
    .set({ content: null, purged_at: now })
    .where('id', 'in', ids)
    .where('purged_at', 'is', null)
    .returning(['id', 'crisis_id'])
    .execute();

/** Packages that carried a person's data, newest first. */
export const packagesOfPerson = (db: Q, crisisId: string, personId: string) =>
  db
    .selectFrom('package_persons')
    .innerJoin('data_packages', 'data_packages.id', 'package_persons.package_id')
    .selectAll('data_packages')
    .where('package_persons.crisis_id', '=', crisisId)
    .where('package_persons.person_id', '=', personId)
    .orderBy('data_packages.created_at', 'desc')
    .execute();

// ---- settings ----

export const findSharingSettings = (db: Q, crisisId: string) =>
  db.selectFrom('sharing_settings').selectAll().where('crisis_id', '=', crisisId).executeTakeFirst();

export const upsertSharingSettings = (
  trx: W,
  row: { crisis_id: string; default_link_hours: number; max_link_hours: number; updated_at: string },
) =>
  trx
    .insertInto('sharing_settings')
    .values(row)
    .onConflict((oc) =>
      oc.column('crisis_id').doUpdateSet({
        default_link_hours: row.default_link_hours,
        max_link_hours: row.max_link_hours,
        updated_at: row.updated_at,
      }),
    )
    .execute();

export const legExists = async (db: Q, crisisId: string, legId: string) =>
  Boolean(
    await db
      .selectFrom('transport_legs')
      .select('id')
      .where('crisis_id', '=', crisisId)
      .where('id', '=', legId)
      .executeTakeFirst(),
  );

/** Of `personIds`, those linked to a restricted case (a last check before anything leaves). */
export async function restrictedAmong(db: Q, personIds: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const ids of chunks(personIds)) {
    const rows = await db
      .selectFrom('restricted_cases')
      .select('person_id')
      .where('person_id', 'in', ids)
      .execute();
    for (const r of rows) if (r.person_id) out.add(r.person_id);
  }
  return out;
}
