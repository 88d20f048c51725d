import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { AppContext } from '../app-context.js';
import { isDatabaseReachable } from '../db/database.js';
import { GroupCommitWriter } from '../db/write-batcher.js';
import { intakeFor } from '../modules/persons/registration-intake.js';

/** Liveness, readiness and Prometheus metrics (outside /api/v1, no session). */
export async function opsRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'corridor_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'corridor_http_server_errors_total',
    help: 'Responses with status 500 or above',
    registers: [registry],
  });
  if (ctx.db.writer instanceof GroupCommitWriter) {
    const writer = ctx.db.writer;
    new Gauge({
      name: 'corridor_write_batches_total',
      help: 'Group-commit transactions committed',
      registers: [registry],
      collect() {
        this.set(writer.stats.batches);
      },
    });
    new Gauge({
      name: 'corridor_write_jobs_total',
      help: 'Writes committed through group commit',
      registers: [registry],
      collect() {
        this.set(writer.stats.jobs);
      },
    });
  }

  // The public intake: where each batch of registrations spends its time (intake-timings.ts).
  const stages = new Histogram({
    name: 'corridor_intake_stage_seconds',
    help: 'Time a batch of public registrations spends in each intake stage (to_builder, build, to_writer, write, to_loop)',
    labelNames: ['stage'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  const transactions = new Histogram({
    name: 'corridor_intake_transaction_registrations',
    help: 'Public registrations written per intake transaction (one COMMIT and fsync each)',
    buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000],
    registers: [registry],
  });
  // The intake's load shedding (intake-admission.ts): backlog, waits, refusals.
  const intake = intakeFor(ctx);
  const admission = intake.admission;
  if (admission) {
    const gauges: [string, string, () => number][] = [
      ['corridor_intake_queued', 'Public registrations taken and not yet answered', () => admission.queued],
      [
        'corridor_intake_shortest_wait_seconds',
        'Shortest wait to be stored among the public registrations answered in the last second',
        () => admission.shortestWaitSeconds,
      ],
      [
        'corridor_intake_refusing',
        '1 while public registrations wait longer than INTAKE_MAX_WAIT_SECONDS (new ones beyond INTAKE_MIN_QUEUED are refused)',
        () => (admission.refusing ? 1 : 0),
      ],
    ];
    for (const [name, help, value] of gauges)
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          this.set(value());
        },
      });
    let refusedSeen = 0;
    new Counter({
      name: 'corridor_intake_refused_total',
      help: 'Public registrations refused with 503 because registrations waited too long to be stored',
      registers: [registry],
      collect() {
        this.inc(admission.refused - refusedSeen);
        refusedSeen = admission.refused;
      },
    });
  }

  const stopListening = intake.monitor.listen((timings) => {
    for (const [stage, ms] of Object.entries(timings.stages)) stages.observe({ stage }, ms / 1000);
    if (timings.transaction) transactions.observe(timings.transaction);
  });
  app.addHook('onClose', async () => {
    stopListening();
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    if (reply.statusCode >= 500) errors.inc();
  });

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    const ok = await isDatabaseReachable(ctx.db.db);
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'database unreachable' });
  });
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
}
