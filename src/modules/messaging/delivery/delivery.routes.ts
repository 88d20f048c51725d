import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../../app-context.js';
import {
  channelCreateSchema,
  channelParams,
  channelSchema,
  channelTestResultSchema,
  channelTestSchema,
  channelUpdateSchema,
  crisisParams,
  dashboardSchema,
  inboundParams,
  linkSchema,
  messageListQuery,
  messageSchema,
  publicChannelParams,
  replySchema,
  resolveSchema,
  retrySchema,
  triageItemSchema,
  triageQuery,
} from './delivery.schemas.js';
import {
  createChannel,
  deliveryDashboard,
  listChannels,
  listMessages,
  retryMessages,
  testChannel,
  updateChannel,
} from './delivery.service.js';
import { linkTriage, listTriage, replyToTriage, resolveTriage } from './triage.service.js';
import { handleInboundWebhook, handleStatusWebhook, type WebhookRequest } from './webhook.service.js';

const WEBHOOK_BODY_LIMIT = 64 * 1024;

/**
 * Delivery under /api/v1: channels (read: message.send; configure and test: message.approve),
 * the delivery dashboard and parked-message retry (message.send), the triage queue of replies
 * (message.send with person.read; linking needs person.update), and the gateways' public, signed
 * webhooks for delivery status and inbound replies.
 */
export async function deliveryRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['messaging'];
  const base = '/crises/:crisisId/messaging';

  r.get(
    `${base}/channels`,
    {
      config: { access: 'message.send' },
      schema: {
        tags,
        summary: 'Message channels of a crisis (secrets are never shown: only the variable name)',
        params: crisisParams,
        response: { 200: z.object({ items: z.array(channelSchema) }) },
      },
    },
    async (req) => ({ items: await listChannels(ctx, req.actor, req.params.crisisId) }),
  );
  r.post(
    `${base}/channels`,
    {
      config: { access: 'message.approve' },
      schema: {
        tags,
        summary: 'Configure the email, SMS or WhatsApp channel of a crisis',
        params: crisisParams,
        body: channelCreateSchema,
        response: { 201: channelSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await createChannel(ctx, req.actor, req.params.crisisId, req.body)),
  );
  r.patch(
    `${base}/channels/:channelId`,
    {
      config: { access: 'message.approve' },
      schema: {
        tags,
        summary: 'Change a channel (provider, settings, secret variable, rate, enabled)',
        params: channelParams,
        body: channelUpdateSchema,
        response: { 200: channelSchema },
      },
    },
    async (req) => updateChannel(ctx, req.actor, req.params.crisisId, req.params.channelId, req.body),
  );
  r.post(
    `${base}/channels/:channelId/test`,
    {
      config: { access: 'message.approve' },
      schema: {
        tags,
        summary: 'Send one test message through the channel now and report the gateway’s answer',
        params: channelParams,
        body: channelTestSchema,
        response: { 200: channelTestResultSchema },
      },
    },
    async (req) => testChannel(ctx, req.actor, req.params.crisisId, req.params.channelId, req.body),
  );
  r.get(
    `${base}/delivery`,
    {
      config: { access: 'message.send' },
      schema: {
        tags,
        summary: 'Delivery dashboard: counts by status per campaign and channel, failure reasons',
        params: crisisParams,
        response: { 200: dashboardSchema },
      },
    },
    async (req) => deliveryDashboard(ctx, req.actor, req.params.crisisId),
  );
  r.get(
    `${base}/messages`,
    {
      config: { access: 'message.send' },
      schema: {
        tags,
        summary: 'Outbox messages, newest change first (e.g. parked ones, or the console outbox)',
        params: crisisParams,
        querystring: messageListQuery,
        response: { 200: z.object({ items: z.array(messageSchema) }) },
      },
    },
    async (req) => ({ items: await listMessages(ctx, req.actor, req.params.crisisId, req.query) }),
  );
  r.post(
    `${base}/messages/retry`,
    {
      config: { access: 'message.send' },
      schema: {
        tags,
        summary: 'Queue parked or failed messages again (chosen ones, or all of a channel or campaign)',
        params: crisisParams,
        body: retrySchema,
        response: { 200: z.object({ requeued: z.number() }) },
      },
    },
    async (req) => retryMessages(ctx, req.actor, req.params.crisisId, req.body),
  );
  r.get(
    `${base}/triage`,
    {
      config: { access: 'message.send' },
      schema: {
        tags,
        summary: 'Replies waiting for a person: free text, unknown senders, shared phones',
        params: crisisParams,
        querystring: triageQuery,
        response: { 200: z.object({ items: z.array(triageItemSchema), open: z.number() }) },
      },
    },
    async (req) => listTriage(ctx, req.actor, req.params.crisisId, req.query),
  );
  r.post(
    `${base}/triage/:inboundId/resolve`,
    {
      config: { access: 'message.send' },
      schema: {
        tags,
        summary: 'Close a triage item with a note',
        params: inboundParams,
        body: resolveSchema,
        response: { 200: z.object({ id: z.string(), triageStatus: z.literal('resolved') }) },
      },
    },
    async (req) => resolveTriage(ctx, req.actor, req.params.crisisId, req.params.inboundId, req.body),
  );
  r.post(
    `${base}/triage/:inboundId/link`,
    {
      config: { access: 'person.update' },
      schema: {
        tags,
        summary: 'Link a reply to a person (its keyword is then applied to that person)',
        params: inboundParams,
        body: linkSchema,
        response: { 200: z.object({ id: z.string(), personId: z.string() }) },
      },
    },
    async (req) => linkTriage(ctx, req.actor, req.params.crisisId, req.params.inboundId, req.body),
  );
  r.post(
    `${base}/triage/:inboundId/reply`,
    {
      config: { access: 'message.send' },
      schema: {
        tags,
        summary: 'Answer the sender (queued in the outbox on the channel the reply came in on)',
        params: inboundParams,
        body: replySchema,
        response: { 200: z.object({ messageId: z.string() }) },
      },
    },
    async (req) => replyToTriage(ctx, req.actor, req.params.crisisId, req.params.inboundId, req.body),
  );

  // Gateway webhooks: public but signed. The body is kept raw, because that is what is signed.
  await app.register(async (pub) => {
    const types = ['application/json', 'application/x-www-form-urlencoded'];
    pub.removeContentTypeParser(types);
    pub.addContentTypeParser(
      types,
      { parseAs: 'string', bodyLimit: WEBHOOK_BODY_LIMIT },
      (_req, body, done) => done(null, body),
    );
    const p = pub.withTypeProvider<ZodTypeProvider>();
    const limit = {
      max: Math.max(6_000, ctx.config.rateLimits.apiPerMinute * 10),
      timeWindow: '1 minute',
    };
    const asWebhook = (req: FastifyRequest): WebhookRequest => ({
      rawBody: typeof req.body === 'string' ? req.body : '',
      url: req.url,
      headers: req.headers,
    });
    p.post(
      '/public/messaging/:channelId/status',
      {
        config: { access: 'public', rateLimit: limit },
        schema: {
          tags: ['public', 'messaging'],
          summary:
            'Delivery status from a gateway (generic: X-Corridor-Signature; Twilio: X-Twilio-Signature)',
          params: publicChannelParams,
          response: {
            200: z.object({ outcome: z.enum(['applied', 'ignored', 'duplicate', 'unknown_message']) }),
          },
        },
      },
      async (req) => ({ outcome: await handleStatusWebhook(ctx, req.params.channelId, asWebhook(req)) }),
    );
    p.post(
      '/public/messaging/:channelId/inbound',
      {
        config: { access: 'public', rateLimit: limit },
        schema: {
          tags: ['public', 'messaging'],
          summary: 'A reply from a person, forwarded by the gateway (signed like status callbacks)',
          params: publicChannelParams,
        },
      },
      async (req, reply) => {
        const { channel, outcome } = await handleInboundWebhook(ctx, req.params.channelId, asWebhook(req));
        if (channel.provider === 'twilio') {
          // Twilio expects TwiML; the confirmation goes through the outbox, not this answer.
          return reply.type('text/xml').send('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
        }
        return reply.send({ id: outcome.id, duplicate: outcome.duplicate, outcome: outcome.outcome });
      },
    );
  });
}
