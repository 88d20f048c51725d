/** Messaging authoring: templates, audiences, campaigns and approval, history (`docs/messaging.md`). */
import { queryOptions } from '@tanstack/react-query';
import { api, apiRequest } from './client';
import { crisisPath, personPath } from './registry';

const e = encodeURIComponent;

export const MESSAGE_LANGUAGES = ['en', 'fr', 'ar'] as const;
export type MessageLanguage = (typeof MESSAGE_LANGUAGES)[number];
export const MESSAGE_CHANNELS = ['sms', 'email', 'whatsapp'] as const;
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];
export const TEMPLATE_PURPOSES = ['general', 'welfare_check', 'list_notice', 'offer'] as const;
export const PERSON_VARIABLES = ['name', 'reference', 'updateLink'] as const;
export const CAMPAIGN_VARIABLES = [
  'crossing',
  'leg',
  'reportTime',
  'listDate',
  'deadline',
  'place',
  'question',
] as const;
export type CampaignVariable = (typeof CAMPAIGN_VARIABLES)[number];

export interface TemplateBody {
  subject?: string;
  body: string;
}
export type TemplateBodies = Partial<Record<MessageLanguage, TemplateBody>>;

export interface Template {
  id: string;
  crisisId: string;
  name: string;
  purpose: string;
  bodies: TemplateBodies;
  variables: string[];
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
}

export interface SmsInfo {
  encoding: 'GSM-7' | 'UCS-2';
  units: number;
  segments: number;
  perSegment: number;
  remaining: number;
}
export interface Rendered {
  language: MessageLanguage;
  subject: string | null;
  body: string;
  sms: SmsInfo;
}
export interface RenderReply {
  variables: string[];
  languages: Partial<Record<MessageLanguage, Rendered>>;
  person: Rendered | null;
}

export interface Audience {
  zoneId?: string;
  status?: string[];
  intention?: string[];
  eligibility?: string[];
  vulnerability?: string[];
  onList?: { listId?: string; listDate?: string; crossingPointId?: string };
  legId?: string;
  pendingOffer?: boolean;
  caseType?: string;
  caseState?: string[];
  personIds?: string[];
}
export interface AudienceCount {
  people: number;
  byChannel: Record<MessageChannel, number>;
  unreachable: number;
}
export type Variables = Partial<Record<CampaignVariable, string | Partial<Record<MessageLanguage, string>>>>;

export interface Progress {
  queued: number;
  sending: number;
  sent: number;
  delivered: number;
  failed: number;
  bounced: number;
  parked: number;
  cancelled: number;
  total: number;
}
export interface Campaign {
  id: string;
  crisisId: string;
  name: string;
  templateId: string;
  templateName: string;
  purpose: string;
  audience: Audience;
  channels: MessageChannel[];
  variables: Variables;
  status: string;
  recipientCount: number;
  source: string;
  sourceId: string | null;
  createdBy: string | null;
  submittedBy: string | null;
  approvedBy: string | null;
  approvedAt: string | null;
  scheduledAt: string | null;
  queuedAt: string | null;
  cancelledBy: string | null;
  cancelledAt: string | null;
  createdAt: string;
  updatedAt: string;
  progress: Progress;
}
export interface CampaignInput {
  name: string;
  templateId: string;
  audience: Audience;
  channels: MessageChannel[];
  variables: Variables;
  scheduledAt: string | null;
}
export interface RecipientPreview {
  personId: string;
  name: string;
  reference: string;
  channel: MessageChannel;
  address: string;
  rendered: Rendered;
}
export interface MessagingSettings {
  crisisId: string;
  approvalThreshold: number;
  updatedAt: string | null;
}
export interface HistoryItem {
  direction: 'out' | 'in';
  id: string;
  at: string;
  channel: MessageChannel;
  address: string;
  body: string;
  subject: string | null;
  language: string | null;
  status: string;
  campaignId: string | null;
  campaignName: string | null;
  viaHousehold: boolean;
  sentAt: string | null;
  deliveredAt: string | null;
  failedAt: string | null;
  lastError: string | null;
  keyword: string | null;
}

export const messagingPath = (crisisId: string) => `${crisisPath(crisisId)}/messaging`;
export const templatePath = (crisisId: string, id: string) => `${messagingPath(crisisId)}/templates/${e(id)}`;
export const campaignPath = (crisisId: string, id: string) => `${messagingPath(crisisId)}/campaigns/${e(id)}`;

export const messagingKeys = {
  all: (crisisId: string) => ['messaging', crisisId] as const,
  templates: (crisisId: string) => ['messaging', crisisId, 'templates'] as const,
  campaigns: (crisisId: string) => ['messaging', crisisId, 'campaigns'] as const,
  campaign: (crisisId: string, id: string) => ['messaging', crisisId, 'campaign', id] as const,
  preview: (crisisId: string, id: string) => ['messaging', crisisId, 'campaign', id, 'preview'] as const,
  settings: (crisisId: string) => ['messaging', crisisId, 'settings'] as const,
  history: (crisisId: string, personId: string) => ['messaging', crisisId, 'history', personId] as const,
};

export const templatesQuery = (crisisId: string) =>
  queryOptions({
    queryKey: messagingKeys.templates(crisisId),
    queryFn: async ({ signal }) =>
      (await api.get<{ items: Template[] }>(`${messagingPath(crisisId)}/templates`, undefined, signal)).items,
  });

export const campaignsQuery = (crisisId: string) =>
  queryOptions({
    queryKey: messagingKeys.campaigns(crisisId),
    queryFn: async ({ signal }) =>
      (await api.get<{ items: Campaign[] }>(`${messagingPath(crisisId)}/campaigns`, { limit: 100 }, signal))
        .items,
  });

/** A campaign; while its messages are on their way the counts refresh every few seconds. */
export const campaignQuery = (crisisId: string, id: string) =>
  queryOptions({
    queryKey: messagingKeys.campaign(crisisId, id),
    queryFn: ({ signal }) => api.get<Campaign>(campaignPath(crisisId, id), undefined, signal),
    refetchInterval: (query) => {
      const c = query.state.data;
      return c && (c.status === 'queued' || c.status === 'sending') ? 2000 : false;
    },
  });

export const campaignPreviewQuery = (crisisId: string, id: string) =>
  queryOptions({
    queryKey: messagingKeys.preview(crisisId, id),
    queryFn: async ({ signal }) =>
      (
        await api.get<{ items: RecipientPreview[] }>(
          `${campaignPath(crisisId, id)}/preview`,
          { limit: 5 },
          signal,
        )
      ).items,
  });

export const settingsQuery = (crisisId: string) =>
  queryOptions({
    queryKey: messagingKeys.settings(crisisId),
    queryFn: ({ signal }) =>
      api.get<MessagingSettings>(`${messagingPath(crisisId)}/settings`, undefined, signal),
  });

export const historyQuery = (crisisId: string, personId: string) =>
  queryOptions({
    queryKey: messagingKeys.history(crisisId, personId),
    queryFn: async ({ signal }) =>
      (
        await api.get<{ items: HistoryItem[] }>(
          `${personPath(crisisId, personId)}/messages`,
          undefined,
          signal,
        )
      ).items,
  });

export const renderTemplate = (
  crisisId: string,
  input: { bodies: TemplateBodies; variables?: Variables; personId?: string },
  signal?: AbortSignal,
) => apiRequest<RenderReply>('POST', `${messagingPath(crisisId)}/templates/render`, { body: input, signal });

export const countAudience = (
  crisisId: string,
  input: { audience: Audience; channels: MessageChannel[] },
  signal?: AbortSignal,
) => apiRequest<AudienceCount>('POST', `${messagingPath(crisisId)}/audience/count`, { body: input, signal });

export const saveSettings = (crisisId: string, approvalThreshold: number) =>
  apiRequest<MessagingSettings>('PUT', `${messagingPath(crisisId)}/settings`, {
    body: { approvalThreshold },
  });
