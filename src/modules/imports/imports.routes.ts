import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { AppError, validationFailed } from '../../lib/errors.js';
import { crisisOnlyParams, personListQuerySchema } from '../persons/person.schemas.js';
import { exportPersons } from './person-export.service.js';
import { importPersons } from './person-import.service.js';

const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

const importQuery = z.strictObject({
  dryRun: z.enum(['true', 'false']).optional(),
  /** `column:field,column:field` */
  map: z.string().max(2000).optional(),
});

const importReply = z.object({
  rows: z.number(),
  households: z.number(),
  valid: z.number(),
  imported: z.number(),
  persons: z.number(),
  dryRun: z.boolean(),
  errors: z.array(z.object({ row: z.number(), column: z.string(), message: z.string() })),
});

/** Spreadsheet import of persons and export of the filtered registry list. */
export async function importRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(multipart, {
    limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 5, fieldSize: 10_000 },
  });
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['registry'];

  r.get(
    '/crises/:crisisId/persons/export',
    {
      config: { access: 'person.export' },
      schema: {
        tags,
        summary: 'Export the filtered list as CSV or XLSX (columns by role; audited)',
        params: crisisOnlyParams,
        querystring: personListQuerySchema
          .omit({ limit: true, offset: true })
          .extend({ format: z.enum(['csv', 'xlsx']).optional() }),
      },
    },
    async (req, reply) => {
      const { format, ...query } = req.query;
      const file = await exportPersons(ctx, req.actor, req.params.crisisId, query, format ?? 'csv');
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .header('cache-control', 'no-store')
        .send(file.body);
    },
  );

  r.post(
    '/crises/:crisisId/imports/persons',
    {
      config: { access: 'person.import' },
      schema: {
        tags,
        summary: 'Import persons from a CSV or XLSX file (multipart field "file"); dryRun=true only checks',
        params: crisisOnlyParams,
        querystring: importQuery,
        consumes: ['multipart/form-data'],
        response: { 200: importReply },
      },
    },
    async (req) => {
      if (!req.isMultipart())
        throw new AppError(415, 'unsupported_media_type', 'Send the file as multipart/form-data.');
      const part = await req.file();
      if (!part) throw validationFailed([{ path: 'file', message: 'Attach the CSV or XLSX file.' }]);
      const data = await part.toBuffer().catch((error: { code?: string }) => {
        if (error.code === 'FST_REQ_FILE_TOO_LARGE')
          throw new AppError(413, 'payload_too_large', 'The file is too large.');
        throw error;
      });
      const map = Object.fromEntries(
        (req.query.map ?? '')
          .split(',')
          .filter(Boolean)
          .map((pair) => {
            const at = pair.lastIndexOf(':');
            return [pair.slice(0, at), pair.slice(at + 1)];
          }),
      );
      return importPersons(ctx, req.actor, req.params.crisisId, {
        fileName: part.filename || 'import.csv',
        data,
        dryRun: req.query.dryRun === 'true',
        map,
      });
    },
  );
}
