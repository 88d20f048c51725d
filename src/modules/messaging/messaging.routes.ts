import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import {
  approveCampaign,
  cancelCampaign,
  countAudience,
  createCampaign,
  getCampaign,
  listCampaigns,
  previewCampaign,
  sendCampaign,
  submitCampaign,
  updateCampaign,
} from './campaign.service.js';
import { sendListNotices } from './hooks.js';
import { personMessageHistory } from './message-history.service.js';
import {
  audienceCountRequestSchema,
  audienceCountSchema,
  campaignInputSchema,
  campaignListQuerySchema,
  campaignParams,
  campaignPatchSchema,
  campaignPreviewQuerySchema,
  campaignSchema,
  crisisParams,
  historyItemSchema,
  listNoticeInputSchema,
  personParams,
  recipientPreviewSchema,
  renderReplySchema,
  renderRequestSchema,
  sendSchema,
  settingsInputSchema,
  settingsSchema,
  templateInputSchema,
  templateParams,
  templatePatchSchema,
  templateSchema,
} from './messaging.schemas.js';
import { getMessagingSettings, updateMessagingSettings } from './messaging-settings.service.js';
import {
  archiveTemplate,
  createTemplate,
  getTemplate,
  listTemplates,
  renderPreview,
  updateTemplate,
} from './template.service.js';

/** Messaging authoring under /api/v1: templates, audiences, campaigns and approval, settings, history. */
export async function messagingRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['messaging'];
  const base = '/crises/:crisisId/messaging';

  r.get(
    `${base}/templates`,
    {
      config: { access: 'message.send' },
      schema: {
        tags,
        summary: 'Message templates of a crisis (archived ones with ?archived=true)',
        params: crisisParams,
        querystring: z.strictObject({ archived: z.enum(['true', 'false']).optional() }),
        response: { 200: z.object({ items: z.array(templateSchema) }) },
      },
    },
    async (req) => ({
      items: await listTemplates(ctx, req.actor, req.params.crisisId, req.query.archived === 'true'),
    }),
  );
  r.post(
    `${base}/templates`,
    {
      config: { access: 'message.send' },
      schema: {
        tags,
        summary: 'Write a template in English, French and/or Arabic with {{variables}}',
        params: crisisParams,
        body: templateInputSchema,
        response: { 201: templateSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await createTemplate(ctx, req.actor, req.params.crisisId, req.body)),
  );
  r.post(
    `${base}/templates/render`,
    {
      config: { access: 'message.send' },
      schema: {
        tags,
        summary: 'Render a draft template: text, SMS length, encoding and segments per language or person',
        params: crisisParams,
        body: renderRequestSchema,
        response: { 200: renderReplySchema },
      },
    },
    async (req) => renderPreview(ctx, req.actor, req.params.crisisId, req.body),
  );
  r.get(
    `${base}/templates/:templateId`,
    {
      config: { access: 'message.send' },
      schema: { tags, summary: 'One template', params: templateParams, response: { 200: templateSchema } },
    },
    async (req) => getTemplate(ctx, req.actor, req.params.crisisId, req.params.templateId),
  );
  r.patch(
    `${base}/templates/:templateId`,
    {
      config: { access: 'message.send' },
      schema: {
        tags,
        summary: 'Edit a template (campaigns already queued keep the text they were queued with)',
        params: templateParams,
        body: templatePatchSchema,
        response: { 200: templateSchema },
      },
    },
    async (req) => updateTemplate(ctx, req.actor, req.params.crisisId, req.params.templateId, req.body),
  );
  r.post(
    `${base}/templates/:templateId/archive`,
    {
      config: { access: 'message.send' },
      schema: {
        tags,
        summary: 'Archive a template',
        params: templateParams,
        response: { 200: templateSchema },
      },
    },
    async (req) => archiveTemplate(ctx, req.actor, req.params.crisisId, req.params.templateId),
  );

  r.post(
    `${base}/audience/count`,
    {
      config: { access: 'message.send' },
      schema: {
        tags,
        summary: 'How many people an audience reaches, by channel, and how many cannot be reached',
        params: crisisParams,
        body: audienceCountRequestSchema,
        response: { 200: audienceCountSchema },
      },
    },
    async (req) => countAudience(ctx, req.actor, req.params.crisisId, req.body),
  );

  r.get(
    `${base}/campaigns`,
    {
      config: { access: 'message.send' },
      schema: {
        tags,
        summary: 'Campaigns of a crisis, newest first, with progress counts',
        params: crisisParams,
        querystring: campaignListQuerySchema,
        response: { 200: z.object({ items: z.array(campaignSchema) }) },
      },
    },
    async (req) => ({ items: await listCampaigns(ctx, req.actor, req.params.crisisId, req.query) }),
  );
  r.post(
    `${base}/campaigns`,
    {
      config: { access: 'message.send' },
      schema: {
        tags,
        summary: 'Draft a campaign: template, audience, channel preference, variables, schedule',
        params: crisisParams,
        body: campaignInputSchema,
        response: { 201: campaignSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await createCampaign(ctx, req.actor, req.params.crisisId, req.body)),
  );
  r.get(
    `${base}/campaigns/:campaignId`,
    {
      config: { access: 'message.send' },
      schema: {
        tags,
        summary: 'One campaign with progress',
        params: campaignParams,
        response: { 200: campaignSchema },
      },
    },
    async (req) => getCampaign(ctx, req.actor, req.params.crisisId, req.params.campaignId),
  );
  r.patch(
    `${base}/campaigns/:campaignId`,
    {
      config: { access: 'message.send' },
      schema: {
        tags,
        summary: 'Edit a draft campaign',
        params: campaignParams,
        body: campaignPatchSchema,
        response: { 200: campaignSchema },
      },
    },
    async (req) => updateCampaign(ctx, req.actor, req.params.crisisId, req.params.campaignId, req.body),
  );
  r.get(
    `${base}/campaigns/:campaignId/preview`,
    {
      config: { access: 'message.send' },
      schema: {
        tags,
        summary: 'What the first recipients (or one person) will read, rendered in their language',
        params: campaignParams,
        querystring: campaignPreviewQuerySchema,
        response: { 200: z.object({ items: z.array(recipientPreviewSchema) }) },
      },
    },
    async (req) => previewCampaign(ctx, req.actor, req.params.crisisId, req.params.campaignId, req.query),
  );
  r.post(
    `${base}/campaigns/:campaignId/submit`,
    {
      config: { access: 'message.send' },
      schema: {
        tags,
        summary: 'Submit a draft: approved at once up to the threshold, else awaiting a second person',
        params: campaignParams,
        response: { 200: campaignSchema },
      },
    },
    async (req) => submitCampaign(ctx, req.actor, req.params.crisisId, req.params.campaignId),
  );
  r.post(
    `${base}/campaigns/:campaignId/approve`,
    {
      config: { access: 'message.approve' },
      schema: {
        tags,
        summary: 'Approve a campaign (not one you created or submitted)',
        params: campaignParams,
        response: { 200: campaignSchema },
      },
    },
    async (req) => approveCampaign(ctx, req.actor, req.params.crisisId, req.params.campaignId),
  );
  r.post(
    `${base}/campaigns/:campaignId/send`,
    {
      config: { access: 'message.send' },
      schema: {
        tags,
        summary: 'Send an approved campaign now (queue its messages) or schedule it',
        params: campaignParams,
        body: sendSchema,
        response: { 200: campaignSchema },
      },
    },
    async (req) => sendCampaign(ctx, req.actor, req.params.crisisId, req.params.campaignId, req.body),
  );
  r.post(
    `${base}/campaigns/:campaignId/cancel`,
    {
      config: { access: 'message.send' },
      schema: {
        tags,
        summary: 'Cancel a campaign not yet done; its still-queued messages are cancelled',
        params: campaignParams,
        response: { 200: campaignSchema },
      },
    },
    async (req) => cancelCampaign(ctx, req.actor, req.params.crisisId, req.params.campaignId),
  );

  r.post(
    `${base}/list-notices`,
    {
      config: { access: 'message.send' },
      schema: {
        tags,
        summary: '"You are on the list" to the people matched to an approved list (once per person and list)',
        params: crisisParams,
        body: listNoticeInputSchema,
        response: {
          200: z.object({ campaign: campaignSchema.nullable(), alreadyNotified: z.number() }),
        },
      },
    },
    async (req) => sendListNotices(ctx, req.actor, req.params.crisisId, req.body),
  );

  r.get(
    `${base}/settings`,
    {
      config: { access: 'message.send' },
      schema: {
        tags,
        summary: 'Messaging settings of a crisis',
        params: crisisParams,
        response: { 200: settingsSchema },
      },
    },
    async (req) => getMessagingSettings(ctx, req.actor, req.params.crisisId),
  );
  r.put(
    `${base}/settings`,
    {
      config: { access: 'message.approve' },
      schema: {
        tags,
        summary: 'Set the size above which a campaign needs a second person’s approval',
        params: crisisParams,
        body: settingsInputSchema,
        response: { 200: settingsSchema },
      },
    },
    async (req) => updateMessagingSettings(ctx, req.actor, req.params.crisisId, req.body),
  );

  r.get(
    '/crises/:crisisId/persons/:personId/messages',
    {
      config: { access: 'person.read' },
      schema: {
        tags,
        summary: 'Every message sent to a person and every reply linked to them (audited)',
        params: personParams,
        response: { 200: z.object({ items: z.array(historyItemSchema) }) },
      },
    },
    async (req) => ({
      items: await personMessageHistory(ctx, req.actor, req.params.crisisId, req.params.personId),
    }),
  );
}
