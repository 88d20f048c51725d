import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import {
  allocationCommitSchema,
  allocationRunParams,
  allocationRunRequestSchema,
  allocationRunSchema,
} from './allocation-run.schemas.js';
import { commitAllocation, getAllocationRun, proposeAllocation } from './allocation-run.service.js';
import { assignmentSchema, crisisParams } from './transport.schemas.js';

/** Allocation runs: the allocator's proposed seat plan over chosen legs, and its commit into offers. */
export async function allocationRunRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['transport'];
  const base = '/crises/:crisisId/allocation-runs';

  r.post(
    base,
    {
      config: { access: 'movement.manage' },
      schema: {
        tags,
        summary: 'Propose a seat plan over chosen legs (households together, priority first)',
        params: crisisParams,
        body: allocationRunRequestSchema,
        response: { 201: allocationRunSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await proposeAllocation(ctx, req.actor, req.params.crisisId, req.body)),
  );
  r.get(
    `${base}/:runId`,
    {
      config: { access: 'movement.manage' },
      schema: {
        tags,
        summary: 'One proposed or committed seat plan',
        params: allocationRunParams,
        response: { 200: allocationRunSchema },
      },
    },
    async (req) => getAllocationRun(ctx, req.actor, req.params.crisisId, req.params.runId),
  );
  r.post(
    `${base}/:runId/commit`,
    {
      config: { access: 'movement.manage' },
      schema: {
        tags,
        summary: 'Turn a proposed plan into offers, all in one transaction (refused when a leg changed)',
        params: allocationRunParams,
        body: allocationCommitSchema,
        response: { 200: z.object({ run: allocationRunSchema, offers: z.array(assignmentSchema) }) },
      },
    },
    async (req) => commitAllocation(ctx, req.actor, req.params.crisisId, req.params.runId, req.body),
  );
}
