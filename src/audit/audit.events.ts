/** Typed audit action names. Reads of sensitive data are audited as well as every write. */
export type AuditAction =
  | 'setup.token_issued'
  | 'auth.login'
  | 'auth.login_failed'
  | 'auth.locked'
  | 'auth.mfa_failed'
  | 'auth.logout'
  | 'auth.logout_everywhere'
  | 'auth.totp_enrolled'
  | 'auth.recovery_code_used'
  | 'staff.created'
  | 'staff.invited'
  | 'staff.activated'
  | 'staff.updated'
  | 'staff.password_reset_issued'
  | 'staff.password_set'
  | 'crisis.created'
  | 'crisis.updated'
  | 'crisis.closed'
  | 'crisis.reopened'
  | 'zone.created'
  | 'zone.updated'
  | 'audit.viewed'
  | 'audit.verified'
  | 'backup.created'
  | 'backup.restored'
  | (string & { readonly __moduleAction?: never });

export interface AuditEvent {
  action: AuditAction;
  entityType: string;
  entityId: string | null;
  crisisId: string | null;
  /** The change (or what was read). Only its digest is kept in the log, never the values. */
  change?: unknown;
}
