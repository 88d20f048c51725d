import type { Generated } from 'kysely';
import type { CaseTables } from '../modules/cases/case.table.js';
import type { CrossingTables } from '../modules/crossings/crossing.table.js';
import type { DisclosureTables } from '../modules/disclosure/disclosure.table.js';
import type { DuplicateTables } from '../modules/duplicates/duplicate.table.js';
import type { DeliveryTables } from '../modules/messaging/delivery/delivery.table.js';
import type { MessagingTables } from '../modules/messaging/messaging.table.js';
import type { PartnerTables } from '../modules/partners/partner.table.js';
import type { ReportingTables } from '../modules/reporting/reporting.table.js';
import type { RestrictedTables } from '../modules/restricted/restricted.table.js';
import type { AllocationRunTables } from '../modules/transport/allocation-run.table.js';
import type { TransportTables } from '../modules/transport/transport.table.js';

/**
 * Kysely table types. Portable column conventions: ids are text, times are ISO-8601 UTC text,
 * booleans are integers 0/1, structured values are JSON text. See docs/adr/0001.
 */
export interface CrisisTable {
  id: string;
  name: string;
  slug: string;
  status: 'active' | 'closed';
  description: string;
  eligibility_policy: string;
  privacy_notice: string;
  retention_days: number;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ZoneTable {
  id: string;
  crisis_id: string;
  name: string;
  code: string;
  description: string;
  status: 'active' | 'archived';
  created_at: string;
  updated_at: string;
}

export interface RoleTable {
  id: string;
  name: string;
  requires_mfa: number;
  sees_personal_data: number;
}

export interface RolePermissionTable {
  role_id: string;
  permission: string;
}

export interface StaffTable {
  id: string;
  email: string;
  display_name: string;
  status: 'invited' | 'active' | 'disabled';
  password_hash: string | null;
  totp_secret_enc: string | null;
  totp_enabled: number;
  totp_last_step: number;
  failed_logins: number;
  locked_until: string | null;
  locale: 'en' | 'fr' | 'ar';
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
}

export interface StaffGrantTable {
  id: string;
  staff_id: string;
  role_id: string;
  /** Empty string means every crisis (portable alternative to a nullable unique key). */
  crisis_id: string;
}

export interface RecoveryCodeTable {
  id: string;
  staff_id: string;
  code_hash: string;
  used_at: string | null;
}

export interface AccountTokenTable {
  token_hash: string;
  purpose: 'setup' | 'invitation' | 'reset';
  staff_id: string | null;
  created_by: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface SessionTable {
  id_hash: string;
  staff_id: string;
  /** 'enrol' (may only confirm TOTP), 'password' (second factor pending), 'full'. */
  stage: 'enrol' | 'password' | 'full';
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actor_id: string | null;
  actor_label: string;
  crisis_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  digest: string;
  prev_hash: string;
  hash: string;
}

export interface IdempotencyTable {
  scope: string;
  key: string;
  request_digest: string;
  response_status: number;
  response_body: string;
  created_at: string;
}

/** One intake event: a household as registered through one channel (see docs/registry.md). */
export interface HouseholdTable {
  id: string;
  crisis_id: string;
  reference: string;
  update_secret_hash: string;
  channel: string;
  registered_by: string;
  registrant_name: string | null;
  registrant_relationship: string | null;
  registrant_contact: string | null;
  registered_by_staff_id: string | null;
  locale: string;
  head_person_id: string | null;
  safe_reported_at: string | null;
  created_at: string;
  updated_at: string;
  anonymised_at: string | null;
}

export interface PersonTable {
  id: string;
  crisis_id: string;
  household_id: string;
  relationship: string;
  given_name: string | null;
  father_name: string | null;
  grandfather_name: string | null;
  family_name: string | null;
  full_name: string | null;
  given_name_ar: string | null;
  father_name_ar: string | null;
  grandfather_name_ar: string | null;
  family_name_ar: string | null;
  full_name_ar: string | null;
  sex: string;
  birth_date: string | null;
  birth_precision: string;
  birth_place: string | null;
  /** JSON array of ISO 3166 codes. */
  nationalities: string;
  eligibility_category: string | null;
  citizen_person_id: string | null;
  eligibility: string;
  eligibility_reason: string;
  zone_id: string | null;
  place: string | null;
  latitude: number | null;
  longitude: number | null;
  location_confirmed_at: string | null;
  intention: string;
  /** JSON array of vulnerability codes. */
  vulnerabilities: string;
  needs: string | null;
  status: string;
  channel: string;
  /** Folded names, phones, document numbers and the reference, for one LIKE search. */
  search_text: string;
  created_at: string;
  updated_at: string;
  anonymised_at: string | null;
  /** 1 when the public intake counted this person in its batch's counter rows (the insert trigger skips it). */
  counted_in_batch: Generated<number>;
}

export interface PersonDocumentTable {
  id: string;
  person_id: string;
  crisis_id: string;
  type: string;
  number: string;
  number_normalised: string;
  issuing_country: string | null;
  expiry_date: string | null;
  created_at: string;
}

export interface PersonContactTable {
  id: string;
  household_id: string;
  person_id: string | null;
  crisis_id: string;
  kind: string;
  value: string;
  whatsapp: number;
  created_at: string;
}

export interface PersonHistoryTable {
  id: string;
  person_id: string;
  crisis_id: string;
  at: string;
  kind: string;
  status: string | null;
  reason: string | null;
  /** JSON object of changed fields (new values) or null. */
  changes: string | null;
  actor_id: string | null;
  actor_label: string;
}

export interface Database
  extends AllocationRunTables,
    CaseTables,
    CrossingTables,
    DeliveryTables,
    DisclosureTables,
    DuplicateTables,
    MessagingTables,
    PartnerTables,
    ReportingTables,
    RestrictedTables,
    TransportTables {
  crises: CrisisTable;
  zones: ZoneTable;
  roles: RoleTable;
  role_permissions: RolePermissionTable;
  staff: StaffTable;
  staff_grants: StaffGrantTable;
  recovery_codes: RecoveryCodeTable;
  account_tokens: AccountTokenTable;
  sessions: SessionTable;
  audit_log: AuditLogTable;
  idempotency_keys: IdempotencyTable;
  households: HouseholdTable;
  persons: PersonTable;
  person_documents: PersonDocumentTable;
  person_contacts: PersonContactTable;
  person_history: PersonHistoryTable;
}
