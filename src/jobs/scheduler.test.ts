import { describe, expect, it } from 'vitest';
import { createTestContext } from '../../test/helpers/context.js';
import { systemActor } from '../access/actor.js';
import { createCrisis } from '../modules/crises/crisis.service.js';
import { runPeriodicJobs, runScheduler } from './scheduler.js';

describe('periodic jobs', () => {
  it('passes over every active crisis and stops when asked', async () => {
    const { ctx, close } = await createTestContext('sqlite');
    try {
      await createCrisis(ctx, systemActor(), { name: 'Scheduler crisis' });
      expect(await runPeriodicJobs(ctx)).toEqual({
        crises: 1,
        welfare: { runs: 0, followUps: 0, calls: 0 },
        offers: { expired: 0 },
        campaigns: { queued: 0, done: 0 },
        reporting: { snapshotsTaken: 1, counterRowsFolded: 0 },
        packagesPurged: 0,
      });
      const stop = new AbortController();
      const started = Date.now();
      const running = runScheduler(ctx, 60_000, stop.signal);
      stop.abort();
      await expect(running).resolves.toBeUndefined();
      // Stopping does not wait for the next pass.
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await close();
    }
  });
});
