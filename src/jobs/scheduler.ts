import { systemActor } from '../access/actor.js';
import type { AppContext } from '../app-context.js';
import { advanceWelfareRuns } from '../modules/cases/welfare.service.js';
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
  return { crises: crises.length, welfare, offers };
}

/**
 * Runs the periodic jobs every `intervalMs` until `signal` aborts. A failing pass is logged
 * and the next one runs as planned.
 */
export async function runScheduler(ctx: AppContext, intervalMs: number, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    try {
      const result = await runPeriodicJobs(ctx);
      ctx.logger.info({ jobs: result }, 'periodic jobs done');
    } catch (error) {
      ctx.logger.error(
        { err: { message: error instanceof Error ? error.message : String(error) } },
        'periodic jobs failed',
      );
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
