/**
 * The registration intake threads (SQLite), two of them started together by intake-thread.ts and
 * linked by a message channel:
 *
 * - the **builder** receives batches of public registrations from the server's event loop, checks
 *   and builds them (rows, reference codes, secrets and hashes, sealed stored answers) and passes
 *   them on to the writer;
 * - the **writer** writes what queued up while it was writing as one transaction on its own
 *   connection (group commit) and answers the event loop once that transaction is durably
 *   committed.
 *
 * So the next batch is built while the previous one is inserted and waits for its fsync. Never
 * imported by anything else.
 */
import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { openSqliteConnection, sqliteKysely } from '../../db/database.js';
import { errorMessage } from '../../lib/errors.js';
import { SecretBox } from '../../lib/secret-box.js';
import type { FromIntakeThread, IntakeWorkerData, ToIntakeThread } from './intake-thread.js';
import { type IntakeStamps, sharedClock } from './intake-timings.js';
import { type IntakeEnv, type PreparedBatch, prepareIntakeBatch, writeIntakeBatch } from './public-intake.js';

const data = workerData as IntakeWorkerData;
if (!parentPort) throw new Error('intake-worker runs as a worker thread only');
const toServer = parentPort;
const link = data.link;

const sqlite = openSqliteConnection(data.file);
const db = sqliteKysely(sqlite);
const env: IntakeEnv = {
  db,
  dialect: 'sqlite',
  sqlite,
  box: new SecretBox(
    Buffer.from(data.secretKey),
    'idempotency',
    data.previousSecretKeys.map((k) => Buffer.from(k)),
  ),
  publicUrl: data.publicUrl,
  transaction: (job) => db.transaction().execute(job),
};

/** From the builder to the writer. */
type Built = { type: 'built'; id: number; batch: PreparedBatch; stamps: IntakeStamps } | { type: 'close' };

const answer = (message: FromIntakeThread) => toServer.postMessage(message);

/**
 * Runs `work` on the messages of `port` one at a time, taking every message that arrived while it
 * was busy together (without waiting for this thread's event loop to come round).
 */
function serve<M extends { type: string }>(
  port: MessagePort,
  work: (messages: Exclude<M, { type: 'close' }>[]) => Promise<void>,
  onClose: () => Promise<void>,
) {
  let queued: Exclude<M, { type: 'close' }>[] = [];
  let busy = false;
  let closing = false;
  const accept = (message: M) => {
    if (message.type === 'close') closing = true;
    else queued.push(message as Exclude<M, { type: 'close' }>);
  };
  const takeArrived = () => {
    for (let next = receiveMessageOnPort(port); next; next = receiveMessageOnPort(port))
      accept(next.message as M);
  };
  const run = async () => {
    busy = true;
    takeArrived();
    while (queued.length > 0) {
      const messages = queued;
      queued = [];
      await work(messages);
      takeArrived();
    }
    busy = false;
    if (closing) await onClose();
  };
  port.on('message', (message: M) => {
    accept(message);
    if (!busy) void run();
  });
}

toServer.postMessage({ ready: true } satisfies FromIntakeThread);

if (data.role === 'build') {
  serve<ToIntakeThread>(
    toServer as unknown as MessagePort,
    async (messages) => {
      for (const message of messages) {
        try {
          const buildStart = sharedClock();
          const batch = await prepareIntakeBatch(env, message.requests);
          const stamps = { ...message.stamps, buildStart, built: sharedClock() };
          link.postMessage({ type: 'built', id: message.id, batch, stamps } satisfies Built);
        } catch (error) {
          answer({ id: message.id, error: errorMessage(error) });
        }
      }
    },
    async () => {
      // The writer finishes what it was given, then stops; so does this thread.
      link.postMessage({ type: 'close' } satisfies Built);
      link.close();
      await db.destroy();
      toServer.close();
    },
  );
} else {
  serve<Built>(
    link,
    async (messages) => {
      // Everything that queued up is one transaction: one fsync for all of it.
      const merged: PreparedBatch = { outcomes: [], prepared: [] };
      for (const { batch } of messages) {
        const offset = merged.outcomes.length;
        for (const p of batch.prepared) merged.prepared.push({ ...p, index: p.index + offset });
        merged.outcomes.push(...batch.outcomes);
      }
      try {
        const writeStart = sharedClock();
        const outcomes = await writeIntakeBatch(env, merged);
        const committed = sharedClock();
        let offset = 0;
        for (const [i, { id, batch, stamps }] of messages.entries()) {
          answer({
            id,
            outcomes: outcomes.slice(offset, offset + batch.outcomes.length),
            stamps: {
              ...stamps,
              writeStart,
              committed,
              ...(i === 0 ? { transaction: merged.prepared.length } : {}),
            },
          });
          offset += batch.outcomes.length;
        }
      } catch (error) {
        for (const { id } of messages) answer({ id, error: errorMessage(error) });
      }
    },
    async () => {
      link.close();
      await db.destroy();
      toServer.close();
    },
  );
}
