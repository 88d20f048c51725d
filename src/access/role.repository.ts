import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { isPermission, type Permission } from './permissions.js';
import type { RoleDefinition } from './roles.js';

export interface StoredRole {
  id: string;
  name: string;
  requiresMfa: boolean;
  seesPersonalData: boolean;
  permissions: Permission[];
}

/** Writes the built-in role definitions into `roles` / `role_permissions` (idempotent). */
export async function upsertRoles(trx: Transaction<Database>, roles: RoleDefinition[]): Promise<void> {
  for (const role of roles) {
    const row = {
      id: role.id,
      name: role.name,
      requires_mfa: role.requiresMfa ? 1 : 0,
      sees_personal_data: role.seesPersonalData ? 1 : 0,
    };
    await trx
      .insertInto('roles')
      .values(row)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({
          name: row.name,
          requires_mfa: row.requires_mfa,
          sees_personal_data: row.sees_personal_data,
        }),
      )
      .execute();
    await trx.deleteFrom('role_permissions').where('role_id', '=', role.id).execute();
    if (role.permissions.length > 0) {
      await trx
        .insertInto('role_permissions')
        .values(role.permissions.map((permission) => ({ role_id: role.id, permission })))
        .execute();
    }
  }
}

/** All roles with their permissions. */
export async function listRoles(db: Kysely<Database>): Promise<StoredRole[]> {
  const roles = await db.selectFrom('roles').selectAll().orderBy('id').execute();
  const perms = await db.selectFrom('role_permissions').selectAll().execute();
  return roles.map((r) => ({
    id: r.id,
    name: r.name,
    requiresMfa: r.requires_mfa === 1,
    seesPersonalData: r.sees_personal_data === 1,
    permissions: perms
      .filter((p) => p.role_id === r.id)
      .map((p) => p.permission)
      .filter(isPermission),
  }));
}
