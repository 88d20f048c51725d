import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, BusyError, type ErrorParams, type FieldError } from '../lib/errors.js';

export interface ErrorBody {
  error: { code: string; message: string; fields?: FieldError[]; params?: ErrorParams };
}

/** Turns zod issue paths like ['body','grants',0,'role'] into "grants.0.role". */
function fieldPath(instancePath: string): string {
  return instancePath.replace(/^\//, '').replaceAll('/', '.') || '(body)';
}

/**
 * One place that maps every failure to a status and a stable error code. Bad input names its
 * fields; unexpected errors are logged (without request bodies) and answered with a bare 500.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    if (error instanceof AppError) {
      const body: ErrorBody = { error: { code: error.code, message: error.message } };
      if (error.fields) body.error.fields = error.fields;
      if (error.params) body.error.params = error.params;
      if (error instanceof BusyError) reply.header('retry-after', String(error.retryAfterSeconds));
      return reply.status(error.status).send(body);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const fields = error.validation.flatMap((v) => {
        const base = fieldPath(v.instancePath);
        const keys = (v.params as { keys?: unknown }).keys;
        if (v.keyword === 'unrecognized_keys' && Array.isArray(keys)) {
          return keys.map((k) => ({
            path: base === '(body)' ? String(k) : `${base}.${String(k)}`,
            message: 'Unknown field.',
          }));
        }
        // The code and limits let a client say the same thing in the reader's language.
        const params = v.params as {
          minimum?: unknown;
          maximum?: unknown;
          expected?: unknown;
          format?: unknown;
        };
        const extra = Object.fromEntries(
          (['minimum', 'maximum', 'expected', 'format'] as const)
            .filter((k) => typeof params[k] === 'number' || typeof params[k] === 'string')
            .map((k) => [k, params[k] as number | string]),
        );
        return [{ path: base, message: v.message ?? 'Invalid value.', code: v.keyword, ...extra }];
      });
      const where = error.validationContext ?? 'body';
      return reply.status(400).send({
        error: { code: 'validation_failed', message: `The request ${where} has invalid fields.`, fields },
      });
    }
    const fe = error as FastifyError;
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fe.statusCode === 413) {
      return reply
        .status(413)
        .send({ error: { code: 'payload_too_large', message: 'The request body is too large.' } });
    }
    if (fe.statusCode === 429) {
      return reply
        .status(429)
        .send({ error: { code: 'rate_limited', message: 'Too many requests; slow down.' } });
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      const code =
        fe.statusCode === 415
          ? 'unsupported_media_type'
          : fe.statusCode === 404
            ? 'not_found'
            : 'bad_request';
      const message =
        fe.code?.startsWith('FST_ERR_CTP') || fe.name === 'SyntaxError'
          ? 'The request body is not valid.'
          : fe.message;
      return reply.status(fe.statusCode).send({ error: { code, message } });
    }
    request.log.error(
      { err: { type: error.name, message: error.message, stack: error.stack } },
      'request failed',
    );
    return reply
      .status(500)
      .send({ error: { code: 'internal', message: 'Something went wrong on our side.' } });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({
      error: { code: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0]}.` },
    });
  });
}
