import type { Permission } from './permissions.js';

/** A grant: a role in one crisis, or in every crisis when `crisisId` is null. */
export interface Grant {
  role: string;
  crisisId: string | null;
}

/** Who is acting. Built once per request from the session; services trust nothing else. */
export type Actor =
  | {
      kind: 'staff';
      id: string;
      label: string;
      grants: Grant[];
      /** Permissions held in every crisis. */
      global: ReadonlySet<Permission>;
      /** Permissions held per crisis id (not including `global`). */
      byCrisis: ReadonlyMap<string, ReadonlySet<Permission>>;
    }
  | { kind: 'system'; id: null; label: string }
  | { kind: 'public'; id: null; label: 'public' };

export const systemActor = (label = 'system'): Actor => ({ kind: 'system', id: null, label });
export const publicActor: Actor = { kind: 'public', id: null, label: 'public' };

/** Builds a staff actor from its grants and each role's permissions. */
export function staffActor(
  id: string,
  label: string,
  grants: Grant[],
  rolePermissions: ReadonlyMap<string, readonly Permission[]>,
): Actor {
  const global = new Set<Permission>();
  const byCrisis = new Map<string, Set<Permission>>();
  for (const grant of grants) {
    const perms = rolePermissions.get(grant.role) ?? [];
    const target = grant.crisisId === null ? global : getOrCreate(byCrisis, grant.crisisId);
    for (const p of perms) target.add(p);
  }
  return { kind: 'staff', id, label, grants, global, byCrisis };
}

function getOrCreate(map: Map<string, Set<Permission>>, key: string): Set<Permission> {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  return set;
}
