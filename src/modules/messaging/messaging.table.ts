/** Tables of messaging (portable column conventions: see src/db/schema.ts). */

export type MessageChannel = 'email' | 'sms' | 'whatsapp';
export type MessageProvider = 'smtp' | 'webhook' | 'twilio' | 'console';
export type MessagePurpose = 'general' | 'welfare_check' | 'list_notice' | 'offer' | 'reply';

/** How one crisis reaches people on one channel. Credentials are never stored: `secret_env` names the variable. */
export interface MessageChannelTable {
  id: string;
  crisis_id: string;
  channel: MessageChannel;
  provider: MessageProvider;
  /** JSON: non-secret settings (gateway URL, sender, SMTP host and port, account id…). */
  settings: string;
  /** Name of the environment variable that holds the gateway token or SMTP password, or null. */
  secret_env: string | null;
  /** Messages per second this channel may send (throttle shared by all workers). */
  rate_per_second: number;
  enabled: number;
  created_at: string;
  updated_at: string;
}

/** Per-crisis messaging settings. */
export interface MessageSettingsTable {
  crisis_id: string;
  /** Campaigns with more recipients than this need a second person's approval. */
  approval_threshold: number;
  updated_at: string;
}

export interface MessageTemplateTable {
  id: string;
  crisis_id: string;
  name: string;
  purpose: MessagePurpose;
  /** JSON: { en?: { subject?, body }, fr?: …, ar?: … } with {{variables}}. */
  bodies: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  archived_at: string | null;
}

export type CampaignStatus =
  | 'draft'
  | 'awaiting_approval'
  | 'approved'
  | 'queued'
  | 'sending'
  | 'done'
  | 'cancelled';

export interface MessageCampaignTable {
  id: string;
  crisis_id: string;
  name: string;
  template_id: string;
  purpose: MessagePurpose;
  /** JSON: registry filters choosing the audience (zone, status, intention, eligibility, on list, …). */
  audience: string;
  /** JSON: channel preference order, e.g. ["sms","email"]. */
  channels: string;
  /** JSON: extra variables for every recipient (crossing, report time, …). */
  variables: string;
  status: CampaignStatus;
  recipient_count: number;
  /** Where the campaign came from: staff, or another module's hook. */
  source: 'staff' | 'welfare_run' | 'list_notice' | 'offer';
  source_id: string | null;
  created_by: string | null;
  submitted_by: string | null;
  approved_by: string | null;
  approved_at: string | null;
  scheduled_at: string | null;
  queued_at: string | null;
  cancelled_by: string | null;
  cancelled_at: string | null;
  created_at: string;
  updated_at: string;
}

export type MessageStatus =
  | 'queued'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'failed'
  | 'bounced'
  | 'parked'
  | 'cancelled';

/** The durable outbox: one row per campaign and person (never two), sent by `corridor worker`. */
export interface MessageTable {
  id: string;
  crisis_id: string;
  campaign_id: string | null;
  person_id: string | null;
  household_id: string | null;
  channel: MessageChannel;
  address: string;
  language: 'en' | 'fr' | 'ar';
  subject: string | null;
  body: string;
  segments: number;
  status: MessageStatus;
  attempts: number;
  next_attempt_at: string;
  locked_by: string | null;
  locked_until: string | null;
  provider: MessageProvider | null;
  provider_message_id: string | null;
  last_error: string | null;
  queued_at: string;
  sent_at: string | null;
  delivered_at: string | null;
  failed_at: string | null;
  updated_at: string;
}

/** Delivery events from gateway callbacks; `provider_event_id` makes duplicate callbacks harmless. */
export interface MessageEventTable {
  id: string;
  message_id: string;
  status: MessageStatus;
  provider_event_id: string | null;
  detail: string | null;
  at: string;
}

export interface InboundMessageTable {
  id: string;
  crisis_id: string;
  channel: MessageChannel;
  from_address: string;
  body: string;
  provider_message_id: string | null;
  received_at: string;
  /** The person the reply was applied to, when it could be told. */
  person_id: string | null;
  /** JSON array of person ids sharing the sender's phone (ask which member when more than one). */
  candidate_person_ids: string;
  keyword: 'safe' | 'leave' | 'stay' | 'help' | null;
  outcome: 'applied' | 'ask_member' | 'triage' | 'unmatched';
  triage_status: 'open' | 'resolved' | 'none';
  resolved_by: string | null;
  resolved_at: string | null;
  note: string | null;
  reply_message_id: string | null;
}

export interface MessagingTables {
  message_channels: MessageChannelTable;
  message_settings: MessageSettingsTable;
  message_templates: MessageTemplateTable;
  message_campaigns: MessageCampaignTable;
  messages: MessageTable;
  message_events: MessageEventTable;
  inbound_messages: InboundMessageTable;
}
