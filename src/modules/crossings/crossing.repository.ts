import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { CrossingPointTable, CrossingSideTable, CrossingStatusEventTable } from './crossing.table.js';

type Q = Kysely<Database> | Transaction<Database>;
export type CrossingRow = Selectable<CrossingPointTable>;
export type SideRow = Selectable<CrossingSideTable>;
export type StatusEventRow = Selectable<CrossingStatusEventTable>;

export const listCrossingRows = (db: Q, crisisId: string) =>
  db.selectFrom('crossing_points').selectAll().where('crisis_id', '=', crisisId).orderBy('name').execute();

export const findCrossingRow = (db: Q, crisisId: string, id: string) =>
  db
    .selectFrom('crossing_points')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .where('id', '=', id)
    .executeTakeFirst();

export const findCrossingByCode = (db: Q, crisisId: string, code: string) =>
  db
    .selectFrom('crossing_points')
    .selectAll()
    .where('crisis_id', '=', crisisId)
    .where('code', '=', code)
    .executeTakeFirst();

export const sidesOf = (db: Q, crossingIds: string[]) =>
  crossingIds.length === 0
    ? Promise.resolve([] as SideRow[])
    : db
        .selectFrom('crossing_sides')
        .selectAll()
        .where('crossing_point_id', 'in', crossingIds)
        .orderBy('position')
        .execute();

export const insertCrossing = (trx: Transaction<Database>, row: CrossingRow) =>
  trx.insertInto('crossing_points').values(row).execute();

export const updateCrossingRow = (trx: Transaction<Database>, id: string, patch: Partial<CrossingRow>) =>
  trx.updateTable('crossing_points').set(patch).where('id', '=', id).execute();

export const insertSide = (trx: Transaction<Database>, row: SideRow) =>
  trx.insertInto('crossing_sides').values(row).execute();

export const updateSideRow = (trx: Transaction<Database>, id: string, patch: Partial<SideRow>) =>
  trx.updateTable('crossing_sides').set(patch).where('id', '=', id).execute();

export const insertStatusEvent = (trx: Transaction<Database>, row: StatusEventRow) =>
  trx.insertInto('crossing_status_events').values(row).execute();

export const statusEventsOf = (db: Q, sideIds: string[], limit: number) =>
  sideIds.length === 0
    ? Promise.resolve([] as StatusEventRow[])
    : db
        .selectFrom('crossing_status_events')
        .selectAll()
        .where('side_id', 'in', sideIds)
        .orderBy('at', 'desc')
        .limit(limit)
        .execute();
