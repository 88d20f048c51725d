import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestContext } from '../../../test/helpers/context.js';
import { createLogger } from '../../lib/logger.js';
import { IntakeThread } from './intake-thread.js';
import { RegistrationIntake } from './registration-intake.js';

const request = {
  body: '{}',
  idempotencyKey: undefined,
  channel: 'portal_self' as const,
  at: new Date().toISOString(),
};

describe('registration intake thread', () => {
  it('answers the batches of a thread that cannot start with an error, and tries again for the next one', async () => {
    const thread = new IntakeThread(
      {
        file: `/nonexistent-${randomBytes(4).toString('hex')}/corridor.sqlite`,
        secretKey: randomBytes(32),
        previousSecretKeys: [],
        publicUrl: 'http://127.0.0.1',
      },
      createLogger('silent'),
    );
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
    const thread = new IntakeThread(
      {
        file: ctx.db.file!,
        secretKey: randomBytes(32),
        previousSecretKeys: [],
        publicUrl: 'http://127.0.0.1',
      },
      createLogger('silent'),
    );
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

  it('turns a failed batch into a failure outcome for each of its registrations', async () => {
    const intake = new RegistrationIntake(async () => {
      throw new Error('disk I/O error');
    }, 1);
    const outcomes = await Promise.all([intake.submit(request), intake.submit(request)]);
    expect(outcomes).toEqual([{ failure: 'disk I/O error' }, { failure: 'disk I/O error' }]);
  });
});
