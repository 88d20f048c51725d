import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Grant } from '../../access/actor.js';
import type { AccountTokenTable, Database, SessionTable, StaffTable } from '../../db/schema.js';

export type StaffRow = Selectable<StaffTable>;
type Q = Kysely<Database> | Transaction<Database>;

export const findStaffById = (db: Q, id: string) =>
  db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();

export const findStaffByEmail = (db: Q, email: string) =>
  db.selectFrom('staff').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();

export const listStaff = (db: Q) => db.selectFrom('staff').selectAll().orderBy('email').execute();

export const countStaff = async (db: Q): Promise<number> => {
  const row = await db
    .selectFrom('staff')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
};

export const insertStaff = (trx: Transaction<Database>, row: StaffRow) =>
  trx.insertInto('staff').values(row).execute();

export const updateStaff = (trx: Transaction<Database>, id: string, patch: Partial<StaffRow>) =>
  trx.updateTable('staff').set(patch).where('id', '=', id).execute();

/** Grants for many staff at once; `crisis_id` '' is stored for "every crisis". */
export async function grantsByStaff(db: Q, staffIds: string[]): Promise<Map<string, Grant[]>> {
  const out = new Map<string, Grant[]>();
  if (staffIds.length === 0) return out;
  const rows = await db.selectFrom('staff_grants').selectAll().where('staff_id', 'in', staffIds).execute();
  for (const r of rows) {
    const list = out.get(r.staff_id) ?? [];
    list.push({ role: r.role_id, crisisId: r.crisis_id === '' ? null : r.crisis_id });
    out.set(r.staff_id, list);
  }
  return out;
}

export async function replaceGrants(
  trx: Transaction<Database>,
  staffId: string,
  grants: Grant[],
  newId: () => string,
): Promise<void> {
  await trx.deleteFrom('staff_grants').where('staff_id', '=', staffId).execute();
  const unique = new Map(grants.map((g) => [`${g.role}|${g.crisisId ?? ''}`, g]));
  if (unique.size === 0) return;
  await trx
    .insertInto('staff_grants')
    .values(
      [...unique.values()].map((g) => ({
        id: newId(),
        staff_id: staffId,
        role_id: g.role,
        crisis_id: g.crisisId ?? '',
      })),
    )
    .execute();
}

export const insertAccountToken = (trx: Transaction<Database>, row: Selectable<AccountTokenTable>) =>
  trx.insertInto('account_tokens').values(row).execute();

export const findAccountToken = (db: Q, tokenHash: string) =>
  db.selectFrom('account_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();

export const markAccountTokenUsed = (trx: Transaction<Database>, tokenHash: string, at: string) =>
  trx
    .updateTable('account_tokens')
    .set({ used_at: at })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();

/** Used, so that an earlier link of the same kind stops working when a new one is issued. */
export const expireOpenTokens = (trx: Transaction<Database>, staffId: string | null, at: string) =>
  (staffId === null
    ? trx.updateTable('account_tokens').set({ used_at: at }).where('staff_id', 'is', null)
    : trx.updateTable('account_tokens').set({ used_at: at }).where('staff_id', '=', staffId)
  )
    .where('used_at', 'is', null)
    .execute();

export const insertSession = (trx: Transaction<Database>, row: Selectable<SessionTable>) =>
  trx.insertInto('sessions').values(row).execute();

export const findSession = (db: Q, idHash: string) =>
  db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();

export const updateSession = (
  trx: Transaction<Database>,
  idHash: string,
  patch: Partial<Selectable<SessionTable>>,
) => trx.updateTable('sessions').set(patch).where('id_hash', '=', idHash).execute();

export const deleteSession = (trx: Transaction<Database>, idHash: string) =>
  trx.deleteFrom('sessions').where('id_hash', '=', idHash).execute();

export const deleteSessionsOfStaff = (trx: Transaction<Database>, staffId: string) =>
  trx.deleteFrom('sessions').where('staff_id', '=', staffId).execute();

export const replaceRecoveryCodes = async (
  trx: Transaction<Database>,
  staffId: string,
  rows: { id: string; code_hash: string }[],
) => {
  await trx.deleteFrom('recovery_codes').where('staff_id', '=', staffId).execute();
  await trx
    .insertInto('recovery_codes')
    .values(rows.map((r) => ({ ...r, staff_id: staffId, used_at: null })))
    .execute();
};

export const consumeRecoveryCode = (
  trx: Transaction<Database>,
  staffId: string,
  codeHash: string,
  at: string,
) =>
  trx
    .updateTable('recovery_codes')
    .set({ used_at: at })
    .where('staff_id', '=', staffId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
