/** Delivery: channels, the delivery dashboard, parked messages, and the triage queue of replies. */
import { queryOptions } from '@tanstack/react-query';
import { api } from './client';
import { crisisPath } from './registry';

const e = encodeURIComponent;

export const CHANNEL_KINDS = ['sms', 'whatsapp', 'email'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export const PROVIDERS = ['webhook', 'twilio', 'smtp', 'console'] as const;
export type Provider = (typeof PROVIDERS)[number];
export const PROVIDERS_BY_CHANNEL: Record<ChannelKind, readonly Provider[]> = {
  email: ['smtp', 'console'],
  sms: ['webhook', 'twilio', 'console'],
  whatsapp: ['webhook', 'twilio', 'console'],
};
export const MESSAGE_STATUSES = [
  'queued',
  'sending',
  'sent',
  'delivered',
  'failed',
  'bounced',
  'parked',
  'cancelled',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export interface Channel {
  id: string;
  crisisId: string;
  channel: ChannelKind;
  provider: Provider;
  settings: Record<string, unknown>;
  secretEnv: string | null;
  secretSet: boolean;
  ratePerSecond: number;
  enabled: boolean;
  pausedUntil: string | null;
  statusUrl: string;
  inboundUrl: string;
  createdAt: string;
  updatedAt: string;
}

export interface ChannelInput {
  channel?: ChannelKind;
  provider: Provider;
  settings: Record<string, unknown>;
  secretEnv: string | null;
  ratePerSecond: number;
  enabled: boolean;
}

export interface ChannelTestResult {
  ok: boolean;
  providerMessageId: string | null;
  error: string | null;
  permanent: boolean | null;
}

export type Counts = Partial<Record<MessageStatus, number>>;

export interface Dashboard {
  campaigns: { id: string; name: string; status: string; counts: Counts; total: number }[];
  replies: Counts;
  channels: {
    id: string;
    channel: ChannelKind;
    provider: Provider;
    enabled: boolean;
    pausedUntil: string | null;
    counts: Counts;
  }[];
  failures: { status: string; reason: string; count: number }[];
}

export interface OutboxMessage {
  id: string;
  campaignId: string | null;
  personId: string | null;
  channel: ChannelKind;
  provider: string | null;
  address: string;
  language: string;
  subject: string | null;
  body: string;
  status: MessageStatus;
  attempts: number;
  lastError: string | null;
  queuedAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
  failedAt: string | null;
}

export interface TriageItem {
  id: string;
  channel: ChannelKind;
  from: string;
  body: string;
  receivedAt: string;
  keyword: string | null;
  outcome: 'applied' | 'ask_member' | 'triage' | 'unmatched';
  triageStatus: 'open' | 'resolved' | 'none';
  person: { id: string; name: string } | null;
  candidates: { id: string; name: string }[];
  note: string | null;
  resolvedAt: string | null;
  replyMessageId: string | null;
}

export const deliveryPath = (crisisId: string) => `${crisisPath(crisisId)}/messaging`;

export const deliveryKeys = {
  all: (crisisId: string) => ['delivery', crisisId] as const,
  channels: (crisisId: string) => ['delivery', crisisId, 'channels'] as const,
  dashboard: (crisisId: string) => ['delivery', crisisId, 'dashboard'] as const,
  messages: (crisisId: string, filter: MessageFilter) => ['delivery', crisisId, 'messages', filter] as const,
  triage: (crisisId: string, status: string) => ['delivery', crisisId, 'triage', status] as const,
};

export interface MessageFilter {
  status?: MessageStatus | undefined;
  provider?: Provider | undefined;
  channel?: ChannelKind | undefined;
  campaignId?: string | undefined;
}

export const channelsQuery = (crisisId: string) =>
  queryOptions({
    queryKey: deliveryKeys.channels(crisisId),
    queryFn: async ({ signal }) =>
      (await api.get<{ items: Channel[] }>(`${deliveryPath(crisisId)}/channels`, undefined, signal)).items,
  });

export const dashboardQuery = (crisisId: string) =>
  queryOptions({
    queryKey: deliveryKeys.dashboard(crisisId),
    queryFn: ({ signal }) => api.get<Dashboard>(`${deliveryPath(crisisId)}/delivery`, undefined, signal),
    refetchInterval: 5_000,
  });

export const messagesQuery = (crisisId: string, filter: MessageFilter) =>
  queryOptions({
    queryKey: deliveryKeys.messages(crisisId, filter),
    queryFn: async ({ signal }) =>
      (
        await api.get<{ items: OutboxMessage[] }>(
          `${deliveryPath(crisisId)}/messages`,
          { ...filter, limit: 50 },
          signal,
        )
      ).items,
  });

export const triageQuery = (crisisId: string, status: 'open' | 'resolved' | 'all') =>
  queryOptions({
    queryKey: deliveryKeys.triage(crisisId, status),
    queryFn: ({ signal }) =>
      api.get<{ items: TriageItem[]; open: number }>(
        `${deliveryPath(crisisId)}/triage`,
        { status, limit: 100 },
        signal,
      ),
  });

export const createChannel = (crisisId: string, input: ChannelInput) =>
  api.post<Channel>(`${deliveryPath(crisisId)}/channels`, input);
export const updateChannel = (crisisId: string, id: string, input: Partial<ChannelInput>) =>
  api.patch<Channel>(`${deliveryPath(crisisId)}/channels/${e(id)}`, input);
export const testChannel = (crisisId: string, id: string, to: string) =>
  api.post<ChannelTestResult>(`${deliveryPath(crisisId)}/channels/${e(id)}/test`, { to });
export const retryMessages = (
  crisisId: string,
  input: { messageIds?: string[]; channel?: ChannelKind; campaignId?: string },
) => api.post<{ requeued: number }>(`${deliveryPath(crisisId)}/messages/retry`, input);
export const resolveTriage = (crisisId: string, id: string, note: string) =>
  api.post<{ id: string }>(`${deliveryPath(crisisId)}/triage/${e(id)}/resolve`, { note });
export const linkTriage = (crisisId: string, id: string, personId: string) =>
  api.post<{ id: string }>(`${deliveryPath(crisisId)}/triage/${e(id)}/link`, { personId });
export const replyTriage = (crisisId: string, id: string, text: string) =>
  api.post<{ messageId: string }>(`${deliveryPath(crisisId)}/triage/${e(id)}/reply`, { text });
