import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { systemActor } from '../../src/access/actor.js';
import { buildApp } from '../../src/app.js';
import type { AppContext } from '../../src/app-context.js';
import type { DialectName } from '../../src/db/database.js';
import { createCrisis } from '../../src/modules/crises/crisis.service.js';
import { issueSetupLinkIfNeeded } from '../../src/modules/staff/auth.service.js';
import { createActiveStaff } from '../../src/modules/staff/staff.service.js';
import { createTestContext } from './context.js';

export interface StaffInput {
  email: string;
  password: string;
  displayName?: string;
  grants: { role: string; crisisId: string | null }[];
}

export interface TestServer {
  url: string;
  app: FastifyInstance;
  ctx: AppContext;
  close(): Promise<void>;
  createStaff(input: StaffInput): Promise<{ id: string; totpSecret: string }>;
  createCrisis(input: { name: string }): Promise<{ id: string }>;
  setupUrl(): Promise<string>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts the real application on 127.0.0.1 with a random port and a fresh database (SQLite in
 * a temp folder, or a scratch PostgreSQL database). Serves the built console when present.
 */
export async function startTestServer(
  opts: { dialect?: DialectName; env?: Record<string, string> } = {},
): Promise<TestServer> {
  const port = await freePort();
  const { ctx, close } = await createTestContext(opts.dialect ?? 'sqlite', {
    PORT: String(port),
    HOST: '127.0.0.1',
    ...opts.env,
  });
  const app = await buildApp(ctx);
  await app.listen({ port, host: '127.0.0.1' });
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    ctx,
    close: async () => {
      await app.close();
      await close();
    },
    createStaff: (input) =>
      createActiveStaff(ctx, systemActor('test'), {
        email: input.email,
        password: input.password,
        displayName: input.displayName ?? input.email.split('@')[0]!,
        grants: input.grants,
      }),
    createCrisis: async (input) => ({
      id: (await createCrisis(ctx, systemActor('test'), { name: input.name })).id,
    }),
    setupUrl: async () => {
      const link = await issueSetupLinkIfNeeded(ctx);
      if (!link) throw new Error('Corridor already has staff; no setup link.');
      return link.url;
    },
  };
}
