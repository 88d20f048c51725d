/**
 * Every permission a route or service can ask for. Roles (roles.ts) are bundles of these,
 * stored as data in `roles` / `role_permissions` and synchronised at start.
 */
export const PERMISSIONS = [
  'crisis.read',
  'crisis.create',
  'crisis.update',
  'crisis.close',
  'zone.manage',
  'staff.read',
  'staff.manage',
  'audit.read',
  'person.read',
  'person.create',
  'person.update',
  'person.import',
  'person.export',
  'person.aggregate',
  'matching.review',
  'case.read',
  'case.update',
  'restricted.read',
  'restricted.update',
  'movement.read',
  'movement.manage',
  'message.send',
  'message.approve',
  'report.read',
  'report.publish',
  'partner.read',
  'partner.manage',
  'share.create',
  'retention.run',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const isPermission = (value: string): value is Permission =>
  (PERMISSIONS as readonly string[]).includes(value);
