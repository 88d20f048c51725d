import type { Kysely, Selectable, Transaction } from 'kysely';
import type { CrisisTable, Database, ZoneTable } from '../../db/schema.js';

type Q = Kysely<Database> | Transaction<Database>;
export type CrisisRow = Selectable<CrisisTable>;
export type ZoneRow = Selectable<ZoneTable>;

export const findCrisisById = (db: Q, id: string) =>
  db.selectFrom('crises').selectAll().where('id', '=', id).executeTakeFirst();

export const findCrisisBySlug = (db: Q, slug: string) =>
  db.selectFrom('crises').selectAll().where('slug', '=', slug).executeTakeFirst();

/** Crises in scope; an empty scope returns nothing rather than everything. */
export const listCrises = (db: Q, scope: 'all' | string[]) => {
  if (scope !== 'all' && scope.length === 0) return Promise.resolve([] as CrisisRow[]);
  let q = db.selectFrom('crises').selectAll().orderBy('created_at', 'desc');
  if (scope !== 'all') q = q.where('id', 'in', scope);
  return q.execute();
};

export const insertCrisis = (trx: Transaction<Database>, row: CrisisRow) =>
  trx.insertInto('crises').values(row).execute();

export const updateCrisisRow = (trx: Transaction<Database>, id: string, patch: Partial<CrisisRow>) =>
  trx.updateTable('crises').set(patch).where('id', '=', id).execute();

export const listZones = (db: Q, crisisId: string) =>
  db.selectFrom('zones').selectAll().where('crisis_id', '=', crisisId).orderBy('name').execute();

export const findZone = (db: Q, crisisId: string, zoneId: string) =>
  db
    .selectFrom('zones')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .where('id', '=', zoneId)
    .executeTakeFirst();

export const findZoneByCode = (db: Q, crisisId: string, code: string) =>
  db
    .selectFrom('zones')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .where('code', '=', code)
    .executeTakeFirst();

export const insertZone = (trx: Transaction<Database>, row: ZoneRow) =>
  trx.insertInto('zones').values(row).execute();

export const updateZoneRow = (trx: Transaction<Database>, id: string, patch: Partial<ZoneRow>) =>
  trx.updateTable('zones').set(patch).where('id', '=', id).execute();
