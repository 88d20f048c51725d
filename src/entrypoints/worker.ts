/** `corridor worker` / `npm run worker`: background jobs (the message outbox, welfare-check follow-ups, …). Composition only. */
import { createAppContext } from '../app-context.js';
import { ConfigError, loadConfig } from '../config.js';
import { runScheduler } from '../jobs/scheduler.js';

try {
  const config = loadConfig();
  const ctx = await createAppContext(config);
  const stop = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stop.abort());
  ctx.logger.info('worker started');
  await runScheduler(ctx, Number(process.env.WORKER_INTERVAL_SECONDS ?? 60) * 1000, stop.signal);
  await ctx.db.close();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
  throw error;
}
