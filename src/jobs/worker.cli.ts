import type { Command } from 'commander';
import { createAppContext } from '../app-context.js';
import { loadConfig } from '../config.js';
import { runOnce, runScheduler } from './scheduler.js';

/** `corridor worker [--once]`: run the background jobs (every minute, or one pass). */
export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description(
      'run background jobs: the message outbox (continuously), welfare-check follow-ups and call tasks (every --interval seconds)',
    )
    .option('--once', 'run one pass of the jobs, send every due message, and exit', false)
    .option('--interval <seconds>', 'seconds between passes', '60')
    .action(async (opts: { once: boolean; interval: string }) => {
      const ctx = await createAppContext(loadConfig());
      try {
        if (opts.once) {
          process.stdout.write(`${JSON.stringify(await runOnce(ctx))}\n`);
          return;
        }
        const stop = new AbortController();
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stop.abort());
        await runScheduler(ctx, Math.max(5, Number(opts.interval) || 60) * 1000, stop.signal);
      } finally {
        await ctx.db.close();
      }
    });
}
