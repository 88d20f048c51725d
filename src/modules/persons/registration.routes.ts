import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.js';
import {
  crisisOnlyParams,
  idempotencyHeaders,
  registrationBodySchema,
  registrationReplySchema,
} from './person.schemas.js';
import { refuseBusy, registerByStaff, registerPublic } from './registration.service.js';
import { intakeFor } from './registration-intake.js';

/** Registrations: the public intake (portal, partner apps) and the call-centre form. */
export async function registrationRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/public/registrations',
    {
      config: {
        access: 'public',
        rateLimit: { max: ctx.config.rateLimits.portalPerMinute, timeWindow: '1 minute' },
      },
      schema: {
        tags: ['public', 'registry'],
        summary: 'Register a household (self or on behalf). Answers after the data is durably stored.',
        description:
          'Send an `Idempotency-Key` header (8–200 printable characters) to make retries safe: the same key returns the first answer and never creates a second record. Under overload (registrations waiting too long to be stored) it is refused with 503 `intake_busy` and a `Retry-After` header, after a one-second pause and before the body is read; nothing is stored: send it again after that many seconds, with the same key.',
        headers: idempotencyHeaders,
        body: registrationBodySchema,
        response: { 201: registrationReplySchema },
      },
      // Under overload (intake-admission.ts) refused before the body is read or checked: turning
      // a registration away must cost less than taking it.
      onRequest: async () => {
        const admission = intakeFor(ctx).admission?.check();
        if (admission && !admission.admitted) await refuseBusy(admission.retryAfterSeconds);
      },
      // The reply is built by the service from stored values (strings and a count), so it is
      // written with plain JSON instead of being re-validated by zod on the hottest route.
      serializerCompiler: () => (data: unknown) => JSON.stringify(data),
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await registerPublic(ctx, req.body, { idempotencyKey: req.headers['idempotency-key'] })),
  );

  r.post(
    '/crises/:crisisId/registrations',
    {
      config: { access: 'person.create' },
      schema: {
        tags: ['registry'],
        summary: 'Call-centre registration of a household',
        params: crisisOnlyParams,
        body: registrationBodySchema,
        response: {
          201: registrationReplySchema.extend({
            householdId: registrationReplySchema.shape.reference,
            personIds: registrationReplySchema.shape.reference.array(),
          }),
        },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await registerByStaff(ctx, req.actor, req.params.crisisId, req.body)),
  );
}
