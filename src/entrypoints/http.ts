/** `npm start`: serves the portal, the console and the API. Composition only. */

import { buildApp } from '../app.js';
import { createAppContext } from '../app-context.js';
import { ConfigError, loadConfig } from '../config.js';
import { errorMessage } from '../lib/errors.js';
import { intakeFor } from '../modules/persons/registration-intake.js';
import { issueSetupLinkIfNeeded } from '../modules/staff/auth.service.js';

try {
  const config = loadConfig();
  const ctx = await createAppContext(config);
  const app = await buildApp(ctx);
  // The registration intake is ready before the first request (a surge may start with it).
  try {
    await intakeFor(ctx).warmUp();
  } catch (error) {
    ctx.logger.error(
      { err: { message: errorMessage(error) } },
      'registration intake could not start; it is tried again on the first registration',
    );
  }
  await app.listen({ port: config.port, host: config.host });
  const setup = await issueSetupLinkIfNeeded(ctx);
  if (setup) {
    // Printed to the terminal on purpose (not through the logger): it is the way in.
    process.stdout.write(
      `\n  Corridor has no administrator yet. Create the first one here (valid until ${setup.expiresAt}):\n\n    ${setup.url}\n\n`,
    );
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 15_000);
    timer.unref();
    await app.close();
    await ctx.db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
  throw error;
}
