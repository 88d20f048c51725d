import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.js';
import { getDashboard, listSnapshots, takeSnapshot } from './dashboard.service.js';
import {
  archiveListSchema,
  crisisParams,
  dashboardQuerySchema,
  dashboardSchema,
  dayParams,
  langQuerySchema,
  narrativeSchema,
  situationReportSchema,
  snapshotListSchema,
  snapshotResultSchema,
} from './reporting.schemas.js';
import { getSituationReport, listArchive, renderSituationReport, saveNarrative } from './sitrep.service.js';

/** Dashboard, daily snapshots and situation reports under /api/v1. */
export async function reportingRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['reporting'];

  r.get(
    '/crises/:crisisId/dashboard',
    {
      // Either report.read or person.aggregate in the crisis: decided by the service (one
      // permission per route can be declared), which answers 404 to anyone else.
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: "Today's figures and the time series of a date range (report.read or person.aggregate)",
        params: crisisParams,
        querystring: dashboardQuerySchema,
        response: { 200: dashboardSchema },
      },
    },
    async (req) => getDashboard(ctx, req.actor, req.params.crisisId, req.query),
  );
  r.get(
    '/crises/:crisisId/snapshots',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Days with a stored snapshot of the figures (report.read or person.aggregate)',
        params: crisisParams,
        response: { 200: snapshotListSchema },
      },
    },
    async (req) => ({ items: await listSnapshots(ctx, req.actor, req.params.crisisId) }),
  );
  r.post(
    '/crises/:crisisId/snapshots',
    {
      config: { access: 'report.publish' },
      schema: {
        tags,
        summary: "Take today's snapshot now (once per day: a second call changes nothing)",
        params: crisisParams,
        response: { 200: snapshotResultSchema, 201: snapshotResultSchema },
      },
    },
    async (req, reply) => {
      const result = await takeSnapshot(ctx, req.actor, req.params.crisisId);
      return reply.status(result.taken ? 201 : 200).send(result);
    },
  );

  r.get(
    '/crises/:crisisId/sitreps',
    {
      config: { access: 'report.read' },
      schema: {
        tags,
        summary: 'Archived situation reports, latest first',
        params: crisisParams,
        response: { 200: archiveListSchema },
      },
    },
    async (req) => ({ items: await listArchive(ctx, req.actor, req.params.crisisId) }),
  );
  r.get(
    '/crises/:crisisId/sitreps/:day',
    {
      config: { access: 'report.read' },
      schema: {
        tags,
        summary: "A day's situation report (today's is live until archived)",
        params: dayParams,
        response: { 200: situationReportSchema },
      },
    },
    async (req) => getSituationReport(ctx, req.actor, req.params.crisisId, req.params.day),
  );
  r.put(
    '/crises/:crisisId/sitreps/:day',
    {
      config: { access: 'report.publish' },
      schema: {
        tags,
        summary: "Write the day's narrative (archives the day with its figures on first save)",
        params: dayParams,
        body: narrativeSchema,
        response: { 200: situationReportSchema },
      },
    },
    async (req) => saveNarrative(ctx, req.actor, req.params.crisisId, req.params.day, req.body),
  );
  for (const format of ['html', 'pdf'] as const) {
    r.get(
      `/crises/:crisisId/sitreps/:day/${format}`,
      {
        config: { access: 'report.read' },
        schema: {
          tags,
          summary:
            format === 'pdf'
              ? 'Download the situation report as PDF (en, fr, ar); logged with its SHA-256'
              : 'The situation report as one HTML page (en, fr, ar)',
          params: dayParams,
          querystring: langQuerySchema,
          produces: [format === 'pdf' ? 'application/pdf' : 'text/html'],
        },
      },
      async (req, reply) => {
        const out = await renderSituationReport(
          ctx,
          req.actor,
          req.params.crisisId,
          req.params.day,
          req.query.lang,
          format,
        );
        reply
          .header('content-type', out.contentType)
          .header('cache-control', 'no-store')
          .header('x-content-sha256', out.sha256);
        if (format === 'pdf') reply.header('content-disposition', `attachment; filename="${out.fileName}"`);
        return reply.send(out.file);
      },
    );
  }
}
