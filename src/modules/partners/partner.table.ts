/** Tables of the partners module (portable column conventions: see src/db/schema.ts). */

export interface PartnerTable {
  id: string;
  crisis_id: string;
  name: string;
  kind: 'government' | 'un_agency' | 'icrc' | 'ngo' | 'airline' | 'crossing_authority' | 'other';
  /** ISO 3166 alpha-2 code, when the partner belongs to one country. */
  country: string | null;
  notes: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** A person working for a partner: personal data, so reading contacts is audited. */
export interface PartnerContactTable {
  id: string;
  partner_id: string;
  crisis_id: string;
  name: string;
  role: string;
  email: string | null;
  phone: string | null;
  language: string | null;
  created_at: string;
  updated_at: string;
}

export interface EngagementTable {
  id: string;
  crisis_id: string;
  occurred_at: string;
  channel: 'meeting' | 'call' | 'email' | 'visit';
  subject: string;
  outcome: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface EngagementPartnerTable {
  engagement_id: string;
  partner_id: string;
}

export interface EngagementParticipantTable {
  engagement_id: string;
  staff_id: string;
}

export interface FollowUpTable {
  id: string;
  engagement_id: string;
  crisis_id: string;
  text: string;
  owner_id: string;
  /** YYYY-MM-DD; overdue once the day has passed while still open. */
  due_date: string;
  state: 'open' | 'done';
  done_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface PartnerRequestTable {
  id: string;
  crisis_id: string;
  partner_id: string;
  kind: 'crossing_list_submission' | 'landing_permission' | 'transit_visa' | 'information' | 'other';
  subject: string;
  details: string;
  state: 'draft' | 'submitted' | 'acknowledged' | 'answered' | 'closed' | 'rejected';
  submitted_at: string | null;
  version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface PartnerRequestEventTable {
  id: string;
  request_id: string;
  at: string;
  from_state: string | null;
  to_state: string;
  note: string;
  actor_id: string | null;
  actor_label: string;
}

export interface SharingProfileTable {
  id: string;
  crisis_id: string;
  partner_id: string;
  name: string;
  /** `persons`: named rows from the registry; `aggregates`: publishable figures only (HXL). */
  kind: 'persons' | 'aggregates';
  /** JSON array of field codes from the fixed catalogue (or of publishable table keys). */
  fields: string;
  /** JSON: which people (registry filters, list and leg conditions, explicit ids). */
  selection: string;
  version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface DataPackageTable {
  id: string;
  crisis_id: string;
  partner_id: string;
  request_id: string | null;
  profile_id: string | null;
  /** The profile's name when the package was built (the profile may change later). */
  profile_name: string;
  kind: 'persons' | 'aggregates';
  format: 'csv' | 'xlsx' | 'hxl';
  /** JSON array of the fields (columns) sent. */
  fields: string;
  /** JSON copy of the selection used. */
  selection: string;
  row_count: number;
  person_count: number;
  byte_size: number;
  /** SHA-256 (hex) of the exact bytes handed out. */
  sha256: string;
  file_name: string;
  content_type: string;
  /** The file (base64, sealed when it holds personal data) while its link lives; null once purged. */
  content: string | null;
  content_sealed: number;
  /** SHA-256 of the link secret; the secret itself is shown once and never stored. */
  link_hash: string;
  expires_at: string;
  max_downloads: number | null;
  downloads: number;
  revoked_at: string | null;
  revoked_by: string | null;
  purged_at: string | null;
  created_by: string | null;
  created_by_label: string;
  created_at: string;
}

export interface PackagePersonTable {
  package_id: string;
  person_id: string;
  crisis_id: string;
}

export interface PackageDownloadTable {
  id: string;
  package_id: string;
  at: string;
  /** Keyed hash of the client address: lets repeated downloads be told apart without keeping the address. */
  address_hash: string;
}

export interface SharingSettingsTable {
  crisis_id: string;
  default_link_hours: number;
  max_link_hours: number;
  updated_at: string;
}

export interface PartnerTables {
  partners: PartnerTable;
  partner_contacts: PartnerContactTable;
  engagements: EngagementTable;
  engagement_partners: EngagementPartnerTable;
  engagement_participants: EngagementParticipantTable;
  follow_ups: FollowUpTable;
  partner_requests: PartnerRequestTable;
  partner_request_events: PartnerRequestEventTable;
  sharing_profiles: SharingProfileTable;
  data_packages: DataPackageTable;
  package_persons: PackagePersonTable;
  package_downloads: PackageDownloadTable;
  sharing_settings: SharingSettingsTable;
}
