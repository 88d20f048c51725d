import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { singleRegistration } from '../../../test/fixtures/persons/registrations.js';
import { seedCrisis } from '../../../test/fixtures/persons/seed.js';
import { createTestContext } from '../../../test/helpers/context.js';
import { createLogger } from '../../lib/logger.js';
import { IntakeThread } from './intake-thread.js';
import { INTAKE_STAGES, IntakeMonitor, type IntakeTimings } from './intake-timings.js';
import { registrationBodySchema } from './person.schemas.js';
import { RegistrationIntake } from './registration-intake.js';

const request = {
  body: '{}',
  idempotencyKey: undefined,
  channel: 'portal_self' as const,
  at: new Date().toISOString(),
};

/** Intake threads on `file`, with a fresh key and no logging. */
const threadOn = (file: string, onTimings?: (timings: IntakeTimings) => void) =>
  new IntakeThread(
    { file, secretKey: randomBytes(32), previousSecretKeys: [], publicUrl: 'http://127.0.0.1' },
    createLogger('silent'),
    onTimings,
  );

describe('registration intake thread', () => {
  it('answers the batches of a thread that cannot start with an error, and tries again for the next one', async () => {
    const thread = threadOn(`/nonexistent-${randomBytes(4).toString('hex')}/corridor.sqlite`);
    try {
      await expect(thread.warmUp()).rejects.toThrow(/unable to open|directory does not exist/i);
      await expect(thread.run([request])).rejects.toThrow(/unable to open|directory does not exist/i);
      // The next batch starts a new thread (and fails the same way: nothing stays stuck).
      await expect(thread.run([request])).rejects.toThrow(/unable to open|directory does not exist/i);
    } finally {
      await thread.close();
    }
  });

  it('starts both threads ahead of the first batch, and stops them', async () => {
    const { ctx, close } = await createTestContext('sqlite');
    const thread = threadOn(ctx.db.file!);
    try {
      await thread.warmUp();
      // Ready threads answer a batch (here: a body that names no crisis zone, refused per field).
      const [outcome] = await thread.run([{ ...request, body: JSON.stringify({ members: [] }) }]);
      expect(outcome).toBeDefined();
    } finally {
      await thread.close();
      await close();
    }
  });

  it('reports where each batch spent its time, stage by stage, with the size of its transaction', async () => {
    const { ctx, close } = await createTestContext('sqlite');
    await seedCrisis(ctx);
    const seen: IntakeTimings[] = [];
    const thread = threadOn(ctx.db.file!, (timings) => seen.push(timings));
    try {
      const valid = JSON.stringify(registrationBodySchema.parse(singleRegistration(1)));
      const before = Date.now();
      const outcomes = await thread.run([
        { ...request, body: valid },
        // Refused per field (no such zone): answered, not written.
        { ...request, body: JSON.stringify({ ...JSON.parse(valid), location: { zone: 'NOWHERE' } }) },
      ]);
      const took = Date.now() - before;
      expect(outcomes[0]).toHaveProperty('reply');
      expect(outcomes[1]).toHaveProperty('errors');
      expect(seen).toHaveLength(1);
      const [timings] = seen;
      expect(timings!.registrations).toBe(2);
      // One of the two was written: the transaction held one registration.
      expect(timings!.transaction).toBe(1);
      expect(Object.keys(timings!.stages).sort()).toEqual([...INTAKE_STAGES].sort());
      const stages = Object.values(timings!.stages);
      for (const ms of stages) expect(ms).toBeGreaterThanOrEqual(0);
      // The stages follow each other: together they fit in the time the batch took.
      expect(stages.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(took + 2);
    } finally {
      await thread.close();
      await close();
    }
  });

  it('answers the batch even when a timings listener throws', async () => {
    const monitor = new IntakeMonitor();
    monitor.listen(() => {
      throw new Error('listener bug');
    });
    const intake = new RegistrationIntake(
      async (requests) => {
        monitor.record({ registrations: requests.length, stages: { write: 1 } });
        return requests.map(() => ({ failure: 'refused here' }));
      },
      { maxWriting: 1, monitor },
    );
    expect(await intake.submit(request)).toEqual({ failure: 'refused here' });
  });

  it('turns a failed batch into a failure outcome for each of its registrations', async () => {
    const intake = new RegistrationIntake(
      async () => {
        throw new Error('disk I/O error');
      },
      { maxWriting: 1 },
    );
    const outcomes = await Promise.all([intake.submit(request), intake.submit(request)]);
    expect(outcomes).toEqual([{ failure: 'disk I/O error' }, { failure: 'disk I/O error' }]);
  });
});
