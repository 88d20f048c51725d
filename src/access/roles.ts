import type { Permission } from './permissions.js';

export const ROLE_IDS = [
  'administrator',
  'crisis_manager',
  'consular_officer',
  'call_centre_agent',
  'movement_coordinator',
  'restricted_cases_officer',
  'analyst',
  'partner_liaison',
] as const;

export type RoleId = (typeof ROLE_IDS)[number];

export interface RoleDefinition {
  id: RoleId;
  name: string;
  /** A role that can see personal data always needs a second factor. */
  seesPersonalData: boolean;
  requiresMfa: boolean;
  permissions: Permission[];
}

/**
 * The built-in roles. The administrator runs the platform (staff, crises, audit, retention)
 * and deliberately does not read people's records; restricted (hostage / missing) cases belong
 * to the restricted-cases officer alone.
 */
export const BUILT_IN_ROLES: RoleDefinition[] = [
  {
    id: 'administrator',
    name: 'Administrator',
    seesPersonalData: false,
    requiresMfa: true,
    permissions: [
      'crisis.read',
      'crisis.create',
      'crisis.update',
      'crisis.close',
      'zone.manage',
      'staff.read',
      'staff.manage',
      'audit.read',
      'retention.run',
    ],
  },
  {
    id: 'crisis_manager',
    name: 'Crisis manager',
    seesPersonalData: true,
    requiresMfa: true,
    permissions: [
      'crisis.read',
      'crisis.update',
      'zone.manage',
      'audit.read',
      'person.read',
      'person.export',
      'person.aggregate',
      'case.read',
      'movement.read',
      'message.send',
      'message.approve',
      'report.read',
      'report.publish',
      'partner.read',
      'partner.manage',
    ],
  },
  {
    id: 'consular_officer',
    name: 'Consular officer',
    seesPersonalData: true,
    requiresMfa: true,
    permissions: [
      'crisis.read',
      'person.read',
      'person.create',
      'person.update',
      'person.import',
      'person.export',
      'person.aggregate',
      'matching.review',
      'case.read',
      'case.update',
      'movement.read',
      'message.send',
    ],
  },
  {
    id: 'call_centre_agent',
    name: 'Call-centre agent',
    seesPersonalData: true,
    requiresMfa: true,
    permissions: ['crisis.read', 'person.read', 'person.create', 'person.update', 'case.read', 'case.update'],
  },
  {
    id: 'movement_coordinator',
    name: 'Movement coordinator',
    seesPersonalData: true,
    requiresMfa: true,
    permissions: [
      'crisis.read',
      'person.read',
      'person.aggregate',
      'matching.review',
      'movement.read',
      'movement.manage',
      'message.send',
    ],
  },
  {
    id: 'restricted_cases_officer',
    name: 'Restricted-cases officer',
    seesPersonalData: true,
    requiresMfa: true,
    permissions: [
      'crisis.read',
      'person.read',
      'restricted.read',
      'restricted.update',
      'case.read',
      'case.update',
    ],
  },
  {
    id: 'analyst',
    name: 'Analyst',
    seesPersonalData: false,
    requiresMfa: false,
    permissions: ['crisis.read', 'person.aggregate', 'report.read'],
  },
  {
    id: 'partner_liaison',
    name: 'Partner liaison',
    seesPersonalData: true,
    requiresMfa: true,
    permissions: ['crisis.read', 'partner.read', 'partner.manage', 'share.create', 'report.read'],
  },
];
