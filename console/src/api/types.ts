/** Shapes of the staff API (`docs/api.md`). Keep in step with the server's schemas. */

export type Locale = 'en' | 'fr' | 'ar';

export interface Grant {
  role: string;
  crisisId: string | null;
}

export interface CrisisSummary {
  id: string;
  name: string;
  status: CrisisStatus;
}

export interface Me {
  id: string;
  email: string;
  displayName: string;
  locale: Locale;
  csrfToken: string;
  grants: Grant[];
  crises: CrisisSummary[];
  abilities: { global: string[]; byCrisis: Record<string, string[]> };
}

export type CrisisStatus = 'active' | 'closed';

export const ELIGIBILITY_CATEGORIES = [
  'citizen',
  'permanent_resident',
  'immediate_family',
  'other_person_of_interest',
] as const;
export type EligibilityCategory = (typeof ELIGIBILITY_CATEGORIES)[number];

export interface EligibilityPolicy {
  eligibleCategories: EligibilityCategory[];
  permanentResidentsOnlyWithCitizenFamily: boolean;
}

export interface PrivacyNotice {
  en: string;
  fr: string;
  ar: string;
}

export interface Crisis {
  id: string;
  name: string;
  slug: string;
  status: CrisisStatus;
  description: string;
  eligibilityPolicy: EligibilityPolicy;
  privacyNotice: PrivacyNotice;
  retentionDays: number;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CrisisInput {
  name: string;
  slug?: string;
  description?: string;
  eligibilityPolicy?: EligibilityPolicy;
  privacyNotice?: PrivacyNotice;
  retentionDays?: number;
}

export type ZoneStatus = 'active' | 'archived';

export interface Zone {
  id: string;
  crisisId: string;
  name: string;
  code: string;
  description: string;
  status: ZoneStatus;
  createdAt: string;
}

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

export interface Role {
  id: string;
  name: string;
  permissions: string[];
  requiresMfa: boolean;
}

export type StaffStatus = 'invited' | 'active' | 'disabled';

export interface Staff {
  id: string;
  email: string;
  displayName: string;
  status: StaffStatus;
  mfaEnabled: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  grants: Grant[];
}

export interface Invitation {
  staff: Staff;
  invitationUrl: string;
  expiresAt: string;
}

export interface PasswordReset {
  resetUrl: string;
  expiresAt: string;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  crisisId: string | null;
  digest: string;
  hash: string;
}

export interface AuditPage {
  items: AuditEntry[];
  nextBefore: number | null;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  firstBrokenSeq: number | null;
}

export interface TokenInfo {
  purpose: 'setup' | 'invitation' | 'reset';
  email: string | null;
  displayName: string | null;
}

export interface Enrollment {
  secret: string;
  otpauthUrl: string;
  qrDataUrl: string;
}

export interface FieldError {
  path: string;
  message: string;
  /** zod's issue code (`too_small`, `invalid_format`, …), so the message can be worded on screen. */
  code?: string;
  minimum?: number | string;
  maximum?: number | string;
}

/** The facts behind a refusal (legs' names, statuses as codes), to word it in the language on screen. */
export type ErrorParams = Record<string, string | number | Record<string, string | number>[]>;

export interface ErrorBody {
  error: { code: string; message: string; fields?: FieldError[]; params?: ErrorParams };
}
