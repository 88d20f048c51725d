import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { startWorker } from '../../jobs/run-worker.js';
import { type IntakeStamps, type IntakeTimings, sharedClock, timingsFrom } from './intake-timings.js';
import type { IntakeOutcome, IntakeRequest } from './public-intake.js';

/** What the intake threads are started with (see intake-worker.ts). */
export interface IntakeThreadData {
  file: string;
  secretKey: Uint8Array;
  previousSecretKeys: Uint8Array[];
  publicUrl: string;
}

/** Each of the two threads also gets its role and its end of the builder → writer channel. */
export interface IntakeWorkerData extends IntakeThreadData {
  role: 'build' | 'write';
  link: MessagePort;
}

export type ToIntakeThread =
  | { type: 'batch'; id: number; requests: IntakeRequest[]; stamps: IntakeStamps }
  | { type: 'close' };
export type FromIntakeThread =
  | { id: number; outcomes: IntakeOutcome[]; stamps: IntakeStamps }
  | { id: number; error: string }
  /** The thread has opened its connection and takes batches. */
  | { ready: true };

// The compiled worker next to this file, or its TypeScript source when running from the sources.
const workerUrl = new URL(
  import.meta.url.endsWith('.ts') ? './intake-worker.ts' : './intake-worker.js',
  import.meta.url,
);

interface Waiter {
  resolve: (outcomes: IntakeOutcome[]) => void;
  reject: (error: Error) => void;
}

/** A builder and a writer thread, started and stopped together. */
interface Pair {
  builder: Worker;
  writer: Worker;
  /** The batches this pair holds: a pair that stops fails its own batches, not a successor's. */
  waiting: Map<number, Waiter>;
  stopped: boolean;
  /** Settles when both threads have opened their connections (or one of them failed). */
  ready: Promise<void>;
}

/**
 * The server's side of the registration intake threads on SQLite. A surge of public
 * registrations costs CPU per registration (rows, reference codes, hashes, sealing) and a
 * synchronous COMMIT with an fsync per batch; in the threads all of that runs beside the event
 * loop, which keeps HTTP and validation. A builder thread builds each batch while a writer thread
 * writes the previous ones through a connection of its own, so the caller must hold the database
 * writer's turn while batches are on their way (GroupCommitWriter.shared). If either thread dies,
 * both are stopped and started again for the next batch; the batches they held are answered with
 * a failure (the caller retries, and an idempotency key then finds the stored answer).
 */
export class IntakeThread {
  private pair: Pair | undefined;
  private nextId = 1;

  constructor(
    private readonly data: IntakeThreadData,
    private readonly logger: Logger,
    /** Where each answered batch spent its time (intake-timings.ts). */
    private readonly onTimings: (timings: IntakeTimings) => void = () => undefined,
  ) {}

  private start(): Pair {
    const { port1, port2 } = new MessageChannel();
    const builder = startWorker(workerUrl, { ...this.data, role: 'build', link: port1 }, [port1]);
    const writer = startWorker(workerUrl, { ...this.data, role: 'write', link: port2 }, [port2]);
    let readyThreads = 0;
    let markReady = () => {};
    let markFailed: (error: Error) => void = () => {};
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      markFailed = reject;
    });
    // Nobody may be waiting for readiness: a failure is reported to the batches instead.
    ready.catch(() => undefined);
    const pair: Pair = { builder, writer, waiting: new Map(), stopped: false, ready };
    const settle = (message: FromIntakeThread) => {
      if ('ready' in message) {
        readyThreads += 1;
        if (readyThreads === 2) markReady();
        return;
      }
      const waiter = pair.waiting.get(message.id);
      if (!waiter) return;
      pair.waiting.delete(message.id);
      if (pair.waiting.size === 0) {
        builder.unref();
        writer.unref();
      }
      if ('error' in message) waiter.reject(new Error(`The registration intake failed: ${message.error}`));
      else {
        this.onTimings(timingsFrom(message.stamps, message.outcomes.length, sharedClock()));
        waiter.resolve(message.outcomes);
      }
    };
    const fail = (error: Error) => {
      markFailed(error);
      if (this.pair === pair) this.pair = undefined;
      for (const waiter of pair.waiting.values()) waiter.reject(error);
      pair.waiting.clear();
      if (!pair.stopped) {
        pair.stopped = true;
        void builder.terminate();
        void writer.terminate();
      }
    };
    for (const worker of [builder, writer]) {
      worker.on('message', settle);
      worker.on('error', (error) => {
        this.logger.error({ err: { message: error.message } }, 'registration intake thread failed');
        fail(error);
      });
      worker.on('exit', (code) =>
        fail(new Error(`The registration intake thread stopped (exit code ${code}).`)),
      );
      // Idle, the threads do not keep the process alive; while a batch is on its way they do.
      worker.unref();
    }
    return pair;
  }

  /**
   * Starts the threads now and resolves once both have opened their connections, so that the
   * first registrations of a surge do not wait for them (from the sources, loading them takes a
   * second or two). Rejects if they cannot start; the next batch tries again.
   */
  warmUp(): Promise<void> {
    this.pair ??= this.start();
    const pair = this.pair;
    // Kept alive while starting: before the server listens, nothing else holds the process.
    pair.builder.ref();
    pair.writer.ref();
    return pair.ready.finally(() => {
      if (pair.waiting.size > 0) return;
      pair.builder.unref();
      pair.writer.unref();
    });
  }

  /** Builds and writes one batch in the threads; resolves after its durable commit. */
  run(requests: IntakeRequest[]): Promise<IntakeOutcome[]> {
    this.pair ??= this.start();
    const pair = this.pair;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      pair.waiting.set(id, { resolve, reject });
      pair.builder.ref();
      pair.writer.ref();
      const stamps = { sent: sharedClock() };
      pair.builder.postMessage({ type: 'batch', id, requests, stamps } satisfies ToIntakeThread);
    });
  }

  /** Lets the threads finish what they were given, then stops them. */
  async close(): Promise<void> {
    const pair = this.pair;
    if (!pair) return;
    this.pair = undefined;
    const exited = Promise.all(
      [pair.builder, pair.writer].map((w) => new Promise<void>((resolve) => w.once('exit', () => resolve()))),
    );
    pair.stopped = true;
    pair.builder.postMessage({ type: 'close' } satisfies ToIntakeThread);
    const timer = setTimeout(() => {
      void pair.builder.terminate();
      void pair.writer.terminate();
    }, 10_000);
    await exited;
    clearTimeout(timer);
  }
}
