import { type AppContext, createAppContext } from '../app-context.js';
import { loadConfig } from '../config.js';
import { createLogger } from './logger.js';

/**
 * Runs a CLI action with a migrated application context from the environment, closing the
 * database afterwards. Logs go to stderr at warn level so command output stays clean.
 */
export async function withCliContext<T>(action: (ctx: AppContext) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const ctx = await createAppContext(config, createLogger(process.env.LOG_LEVEL ?? 'warn'));
  try {
    return await action(ctx);
  } finally {
    await ctx.db.close();
  }
}

/** Reads all of standard input as text (for --password-stdin). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
