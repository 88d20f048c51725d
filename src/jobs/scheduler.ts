import { systemActor } from '../access/actor.js';
import type { AppContext } from '../app-context.js';
import { errorMessage } from '../lib/errors.js';
import { advanceWelfareRuns } from '../modules/cases/welfare.service.js';
import { queueDueCampaigns } from '../modules/messaging/campaign.service.js';
import { type OutboxOptions, OutboxWorker } from '../modules/messaging/delivery/outbox-worker.js';
import { purgeSpentPackages } from '../modules/partners/package-link.service.js';
import { runReportingPass } from '../modules/reporting/dashboard.service.js';
import { expireOffers } from '../modules/transport/index.js';

/** One pass of the periodic jobs over every active crisis. Returns what each job did. */
export async function runPeriodicJobs(ctx: AppContext, now = new Date()) {
  const actor = systemActor('worker');
  const crises = await ctx.db.db.selectFrom('crises').select('id').where('status', '=', 'active').execute();
  const welfare = { runs: 0, followUps: 0, calls: 0 };
  for (const { id } of crises) {
    const r = await advanceWelfareRuns(ctx, actor, id, now);
    welfare.runs += r.runs;
    welfare.followUps += r.followUps;
    welfare.calls += r.calls;
  }
  const offers = await expireOffers(ctx, now);
  // Scheduled campaigns whose time has come go to the outbox; finished ones are marked done.
  const campaigns = await queueDueCampaigns(ctx, now);
  // Folds the reporting counters; the first pass of each UTC day also stores the day's figures.
  const reporting = await runReportingPass(ctx, actor, now);
  // Shared data packages whose link expired, was revoked or used up lose their stored file.
  const packagesPurged = await purgeSpentPackages(ctx);
  return { crises: crises.length, welfare, offers, campaigns, reporting, packagesPurged };
}

/** `corridor worker --once`: the periodic jobs, then the outbox drained of everything due. */
export async function runOnce(ctx: AppContext, outbox: Partial<OutboxOptions> = {}) {
  const jobs = await runPeriodicJobs(ctx);
  const worker = new OutboxWorker(ctx, outbox);
  try {
    return { ...jobs, outbox: await worker.drainUntilIdle() };
  } finally {
    worker.close();
  }
}

/**
 * Runs the periodic jobs every `intervalMs` until `signal` aborts, and beside them the outbox
 * worker (continuously, one lane per channel) unless `outbox` is false. A failing pass is logged
 * and the next one runs as planned.
 */
export async function runScheduler(
  ctx: AppContext,
  intervalMs: number,
  signal: AbortSignal,
  outbox: Partial<OutboxOptions> | false = {},
): Promise<void> {
  const sending = outbox === false ? Promise.resolve() : new OutboxWorker(ctx, outbox).run(signal);
  await Promise.all([periodic(ctx, intervalMs, signal), sending]);
}

async function periodic(ctx: AppContext, intervalMs: number, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    try {
      const result = await runPeriodicJobs(ctx);
      ctx.logger.info({ jobs: result }, 'periodic jobs done');
    } catch (error) {
      ctx.logger.error({ err: { message: errorMessage(error) } }, 'periodic jobs failed');
    }
    if (signal.aborted) break;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, intervalMs);
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
  }
}
