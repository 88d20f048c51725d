/**
 * The registration intake thread (SQLite): receives batches of public registrations from the
 * server's event loop, builds, seals and writes them on a connection of its own, and answers once
 * the batch is durably committed. Started by intake-thread.ts; never imported by anything else.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { Kysely, SqliteDialect } from 'kysely';
import { openSqliteConnection } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { SecretBox } from '../../lib/secret-box.js';
import type { IntakeThreadData, ToIntakeThread } from './intake-thread.js';
import { type IntakeEnv, processIntakeBatch } from './public-intake.js';

const data = workerData as IntakeThreadData;
if (!parentPort) throw new Error('intake-worker runs as a worker thread only');
const port = parentPort;

const sqlite = openSqliteConnection(data.file);
const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
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

type Batch = Extract<ToIntakeThread, { type: 'batch' }>;

// Batches that arrive while one is being written wait and are then written together, as one
// transaction (group commit). The server holds the database writer's turn while any batch is on
// its way to this thread.
let queued: Batch[] = [];
let writing = false;
let closing = false;

function accept(message: ToIntakeThread): void {
  if (message.type === 'close') closing = true;
  else queued.push(message);
}

/** Takes the batches that arrived while this thread was writing, without waiting for the event loop. */
function takeArrived(): void {
  for (let next = receiveMessageOnPort(port); next; next = receiveMessageOnPort(port)) {
    accept(next.message as ToIntakeThread);
  }
}

async function writeQueued(): Promise<void> {
  writing = true;
  takeArrived();
  while (queued.length > 0) {
    const batches = queued;
    queued = [];
    try {
      const outcomes = await processIntakeBatch(
        env,
        batches.flatMap((b) => b.requests),
      );
      let offset = 0;
      for (const batch of batches) {
        port.postMessage({ id: batch.id, outcomes: outcomes.slice(offset, offset + batch.requests.length) });
        offset += batch.requests.length;
      }
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      for (const batch of batches) port.postMessage({ id: batch.id, error: text });
    }
    takeArrived();
  }
  writing = false;
  if (closing) {
    await db.destroy();
    port.close();
  }
}

port.on('message', (message: ToIntakeThread) => {
  accept(message);
  if (!writing) void writeQueued();
});
