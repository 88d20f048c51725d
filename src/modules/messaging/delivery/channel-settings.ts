import { z } from 'zod';
import type { MessageChannel, MessageProvider } from '../messaging.table.js';

/**
 * Non-secret settings of each provider, validated when a channel is saved and again when the
 * worker builds a sender. Secrets never appear here: `secret_env` names the variable holding them.
 */
const timeoutMs = z.number().int().min(100).max(120_000).default(10_000);
const concurrency = z.number().int().min(1).max(256).default(16);
const httpUrl = z.url({ protocol: /^https?$/, message: 'Use an http:// or https:// address.' });

export const smtpSettingsSchema = z.strictObject({
  host: z.string().trim().min(1).max(253),
  port: z.number().int().min(1).max(65535).default(587),
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: z.boolean().default(false),
  from: z.string().trim().min(3).max(200),
  user: z.string().trim().min(1).max(200).optional(),
  timeoutMs,
  concurrency,
});

export const webhookSettingsSchema = z.strictObject({
  url: httpUrl,
  from: z.string().trim().max(64).optional(),
  timeoutMs,
  concurrency,
});

export const twilioSettingsSchema = z.strictObject({
  baseUrl: httpUrl.default('https://api.twilio.com'),
  accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'An account SID is AC followed by 32 hex digits.'),
  /** Sender number in E.164 (the worker adds `whatsapp:` for WhatsApp channels). */
  from: z.string().regex(/^\+[1-9]\d{6,14}$/, 'Use an E.164 number such as +15005550006.'),
  timeoutMs,
  concurrency,
});

export const consoleSettingsSchema = z.strictObject({});

export const PROVIDERS_BY_CHANNEL: Record<MessageChannel, readonly MessageProvider[]> = {
  email: ['smtp', 'console'],
  sms: ['webhook', 'twilio', 'console'],
  whatsapp: ['webhook', 'twilio', 'console'],
};

export type SmtpSettings = z.output<typeof smtpSettingsSchema>;
export type WebhookSettings = z.output<typeof webhookSettingsSchema>;
export type TwilioSettings = z.output<typeof twilioSettingsSchema>;

export const settingsSchemaOf = (provider: MessageProvider) =>
  ({
    smtp: smtpSettingsSchema,
    webhook: webhookSettingsSchema,
    twilio: twilioSettingsSchema,
    console: consoleSettingsSchema,
  })[provider];

/** Providers that need a secret (gateway token, SMTP password when a user is set). */
export function needsSecret(provider: MessageProvider, settings: Record<string, unknown>): boolean {
  if (provider === 'webhook' || provider === 'twilio') return true;
  return provider === 'smtp' && typeof settings.user === 'string';
}
