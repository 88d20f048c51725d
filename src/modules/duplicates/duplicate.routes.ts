import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import {
  decideDuplicate,
  duplicateQueue,
  findDuplicates,
  identityOf,
  revokeIdentityDecision,
} from './duplicate.service.js';

const id = z.string().min(1).max(100);
const crisisParams = z.strictObject({ crisisId: id });
const personSummary = z.object({
  id: z.string(),
  householdId: z.string(),
  reference: z.string(),
  fullName: z.string().nullable(),
  fullNameAr: z.string().nullable(),
  dateOfBirth: z.string().nullable(),
  sex: z.string(),
  passportNumber: z.string().nullable(),
});
const explanation = z.array(
  z.object({ field: z.string(), level: z.string(), weight: z.number(), detail: z.string().optional() }),
);
const status = z.enum(['pending', 'same', 'not_same', 'unsure']);
const decisionBody = z.strictObject({
  decision: z.enum(['same', 'not_same', 'unsure']),
  note: z.string().max(1000).optional(),
});
const decisionReply = z.object({
  decisionId: z.string(),
  status: z.enum(['same', 'not_same', 'unsure']),
  decidedAt: z.string(),
});

/** The duplicates review queue and identity decisions under /api/v1. */
export async function duplicateRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['duplicates'];

  r.post(
    '/crises/:crisisId/duplicates/search',
    {
      config: { access: 'matching.review' },
      schema: {
        tags,
        summary: 'Find duplicate registrations in the registry and queue new pairs for review',
        params: crisisParams,
        body: z.strictObject({}).optional(),
        response: {
          200: z.object({
            registrations: z.number(),
            pairsFound: z.number(),
            newlyQueued: z.number(),
            seconds: z.number(),
          }),
        },
      },
    },
    async (req) => findDuplicates(ctx, req.actor, req.params.crisisId),
  );
  r.get(
    '/crises/:crisisId/duplicates',
    {
      config: { access: 'person.read' },
      schema: {
        tags,
        summary: 'Candidate pairs with the evidence for each, best first (audited)',
        params: crisisParams,
        querystring: z.strictObject({
          status: status.default('pending'),
          band: z.enum(['match', 'review']).optional(),
          offset: z.coerce.number().int().min(0).default(0),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.string(),
                score: z.number(),
                band: z.enum(['match', 'review']),
                status,
                foundAt: z.string(),
                explanation,
                a: personSummary,
                b: personSummary,
              }),
            ),
          }),
        },
      },
    },
    async (req) => ({ items: await duplicateQueue(ctx, req.actor, req.params.crisisId, req.query) }),
  );
  r.post(
    '/crises/:crisisId/duplicates/:candidateId/decision',
    {
      config: { access: 'matching.review' },
      schema: {
        tags,
        summary: 'Same person (merge), not the same person, or unsure',
        params: crisisParams.extend({ candidateId: id }),
        body: decisionBody,
        response: { 200: decisionReply },
      },
    },
    async (req) => decideDuplicate(ctx, req.actor, req.params.crisisId, req.params.candidateId, req.body),
  );
  r.post(
    '/crises/:crisisId/duplicates/bulk-decision',
    {
      config: { access: 'matching.review' },
      schema: {
        tags,
        summary: 'One decision for several pairs, all or nothing (e.g. merge every "likely the same")',
        params: crisisParams,
        body: z.strictObject({
          ids: z.array(id).min(1, 'Choose at least one pair.').max(200),
          decision: decisionBody.shape.decision,
        }),
        response: { 200: z.object({ decided: z.number() }) },
      },
    },
    async (req) => {
      for (const candidateId of req.body.ids) {
        await decideDuplicate(ctx, req.actor, req.params.crisisId, candidateId, {
          decision: req.body.decision,
        });
      }
      return { decided: req.body.ids.length };
    },
  );
  r.post(
    '/crises/:crisisId/identity-decisions/:decisionId/revoke',
    {
      config: { access: 'matching.review' },
      schema: {
        tags,
        summary: 'Undo a decision (split a wrong merge); the pair returns to the queue',
        params: crisisParams.extend({ decisionId: id }),
        body: z.strictObject({}).optional(),
        response: { 200: z.object({ decisionId: z.string(), revokedAt: z.string() }) },
      },
    },
    async (req) => revokeIdentityDecision(ctx, req.actor, req.params.crisisId, req.params.decisionId),
  );
  r.get(
    '/crises/:crisisId/persons/:personId/registrations',
    {
      config: { access: 'person.read' },
      schema: {
        tags,
        summary: 'Every registration behind a person, and the decisions joining them',
        params: crisisParams.extend({ personId: id }),
        response: {
          200: z.object({
            personId: z.string(),
            registrations: z.array(personSummary),
            decisions: z.array(
              z.object({
                id: z.string(),
                personA: z.string(),
                personB: z.string(),
                decidedBy: z.string().nullable(),
                decidedByName: z.string().nullable(),
                decidedAt: z.string(),
                note: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => identityOf(ctx, req.actor, req.params.crisisId, req.params.personId),
  );
}
