import { forbidden, notFound } from '../lib/errors.js';
import type { Actor } from './actor.js';
import type { Permission } from './permissions.js';

/** True when the actor holds `permission` in at least one crisis (route-level check). */
export function holdsAnywhere(actor: Actor, permission: Permission): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind !== 'staff') return false;
  if (actor.global.has(permission)) return true;
  for (const perms of actor.byCrisis.values()) if (perms.has(permission)) return true;
  return false;
}

/** True when the actor holds `permission` in `crisisId` (resource-level check). */
export function holdsInCrisis(actor: Actor, permission: Permission, crisisId: string): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind !== 'staff') return false;
  return actor.global.has(permission) || (actor.byCrisis.get(crisisId)?.has(permission) ?? false);
}

/** True when the actor holds `permission` in every crisis (platform-wide actions). */
export function holdsGlobally(actor: Actor, permission: Permission): boolean {
  if (actor.kind === 'system') return true;
  return actor.kind === 'staff' && actor.global.has(permission);
}

/**
 * Resource scope check, batched over crisis ids: fails closed. With `hide`, a caller with no
 * access gets the same answer as for a missing record, so existence does not leak.
 */
export function requireAccess(
  actor: Actor,
  permission: Permission,
  crisisIds: string | readonly string[],
  options: { hide?: string } = {},
): void {
  const ids = typeof crisisIds === 'string' ? [crisisIds] : crisisIds;
  for (const id of new Set(ids)) {
    if (!holdsInCrisis(actor, permission, id)) throw options.hide ? notFound(options.hide) : forbidden();
  }
}

/** Crisis ids in which the actor holds `permission`; `'all'` for global holders. */
export function crisesWhere(actor: Actor, permission: Permission): 'all' | string[] {
  if (actor.kind === 'system') return 'all';
  if (actor.kind !== 'staff') return [];
  if (actor.global.has(permission)) return 'all';
  return [...actor.byCrisis.entries()].filter(([, perms]) => perms.has(permission)).map(([id]) => id);
}
