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

export interface Database {
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
}
