import type { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { startWorker } from '../../jobs/run-worker.js';
import type { IntakeOutcome, IntakeRequest } from './public-intake.js';

/** What the intake thread is started with (see intake-worker.ts). */
export interface IntakeThreadData {
  file: string;
  secretKey: Uint8Array;
  previousSecretKeys: Uint8Array[];
  publicUrl: string;
}

export type ToIntakeThread = { type: 'batch'; id: number; requests: IntakeRequest[] } | { type: 'close' };
type FromIntakeThread = { id: number; outcomes: IntakeOutcome[] } | { id: number; error: string };

// The compiled worker next to this file, or its TypeScript source when running from the sources.
const workerUrl = new URL(
  import.meta.url.endsWith('.ts') ? './intake-worker.ts' : './intake-worker.js',
  import.meta.url,
);

/**
 * The server's side of the registration intake thread on SQLite. A surge of public
 * registrations costs CPU per registration (rows, reference codes, hashes, sealing) and a
 * synchronous COMMIT with an fsync per batch; in the thread all of that runs beside the event
 * loop, which keeps HTTP and validation. The thread writes through a connection of its own, so
 * the caller must hold the database writer's turn while batches are on their way
 * (GroupCommitWriter.shared). A thread that dies is started again for the next batch; the
 * batches it held are answered with a failure (the caller retries, and an idempotency key then
 * finds the stored answer).
 */
export class IntakeThread {
  private worker: Worker | undefined;
  private nextId = 1;
  /** The batches each thread holds: a thread that stops fails its own batches, not a successor's. */
  private readonly waiting = new Map<
    Worker,
    Map<number, { resolve: (outcomes: IntakeOutcome[]) => void; reject: (error: Error) => void }>
  >();

  constructor(
    private readonly data: IntakeThreadData,
    private readonly logger: Logger,
  ) {}

  private start(): Worker {
    const worker = startWorker(workerUrl, this.data);
    const waiting = new Map<
      number,
      { resolve: (outcomes: IntakeOutcome[]) => void; reject: (error: Error) => void }
    >();
    this.waiting.set(worker, waiting);
    worker.on('message', (message: FromIntakeThread) => {
      const waiter = waiting.get(message.id);
      if (!waiter) return;
      waiting.delete(message.id);
      if (waiting.size === 0) worker.unref();
      if ('error' in message) waiter.reject(new Error(`The registration intake failed: ${message.error}`));
      else waiter.resolve(message.outcomes);
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const waiter of waiting.values()) waiter.reject(error);
      waiting.clear();
    };
    worker.on('error', (error) => {
      this.logger.error({ err: { message: error.message } }, 'registration intake thread failed');
      fail(error);
    });
    worker.on('exit', (code) => {
      fail(new Error(`The registration intake thread stopped (exit code ${code}).`));
      this.waiting.delete(worker);
    });
    // Idle, the thread does not keep the process alive; while a batch is on its way it does.
    worker.unref();
    return worker;
  }

  /** Builds and writes one batch in the thread; resolves after its durable commit. */
  run(requests: IntakeRequest[]): Promise<IntakeOutcome[]> {
    this.worker ??= this.start();
    const worker = this.worker;
    const waiting = this.waiting.get(worker)!;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ type: 'batch', id, requests } satisfies ToIntakeThread);
    });
  }

  /** Lets the thread finish what it was given, then stops it. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'close' } satisfies ToIntakeThread);
    const timer = setTimeout(() => void worker.terminate(), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
