import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.js';
import {
  crisisOnlyParams,
  personListQuerySchema,
  personListReplySchema,
  personPageSchema,
  personParams,
  personPatchSchema,
} from './person.schemas.js';
import { getPersonPage, listPersonsFor, updatePerson } from './person.service.js';

/** The staff registry: list and search, the person page, edits with reasons. */
export async function personRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['registry'];

  r.get(
    '/crises/:crisisId/persons',
    {
      config: { access: 'person.read' },
      schema: {
        tags,
        summary: 'Registry list with search and filters (audited)',
        params: crisisOnlyParams,
        querystring: personListQuerySchema,
        response: { 200: personListReplySchema },
      },
    },
    async (req) => listPersonsFor(ctx, req.actor, req.params.crisisId, req.query),
  );
  r.get(
    '/crises/:crisisId/persons/:personId',
    {
      config: { access: 'person.read' },
      schema: {
        tags,
        summary: 'Person page: person, household, documents, history, audit (audited)',
        params: personParams,
        response: { 200: personPageSchema },
      },
    },
    async (req) => getPersonPage(ctx, req.actor, req.params.crisisId, req.params.personId),
  );
  r.patch(
    '/crises/:crisisId/persons/:personId',
    {
      config: { access: 'person.update' },
      schema: {
        tags,
        summary: 'Edit a person (a reason is required; kept in the history)',
        params: personParams,
        body: personPatchSchema,
        response: { 200: personPageSchema },
      },
    },
    async (req) => updatePerson(ctx, req.actor, req.params.crisisId, req.params.personId, req.body),
  );
}
