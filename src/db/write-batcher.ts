import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/** A unit of work that runs inside one database transaction. It must only touch the database:
 * awaiting anything else (network, timers) inside a job holds up every write batched with it. */
export type WriteJob<T> = (trx: Transaction<Database>) => Promise<T>;

export interface Writer {
  /** Runs `job` in a transaction; resolves only after that transaction is durably committed. */
  write<T>(job: WriteJob<T>): Promise<T>;
  /** Waits for queued writes, then refuses new ones. */
  close(): Promise<void>;
}

export interface WriterStats {
  batches: number;
  jobs: number;
  largestBatch: number;
}

type Pending = {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
} & ({ job: WriteJob<unknown>; task?: undefined } | { task: () => Promise<unknown>; job?: undefined });

/**
 * Group commit for SQLite. SQLite has one writer at a time and each durable commit costs an
 * fsync, so concurrent writes are queued and run back to back inside one transaction; each
 * job gets its own savepoint, so a job that fails is rolled back alone while the others
 * commit. Every caller is answered only after the shared COMMIT has returned, which with
 * `synchronous=FULL` means the data is on disk. A new batch starts as soon as the previous
 * one commits, so a lone write waits for nothing.
 */
export class GroupCommitWriter implements Writer {
  private queue: Pending[] = [];
  private draining = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  readonly stats: WriterStats = { batches: 0, jobs: 0, largestBatch: 0 };

  constructor(
    private readonly db: Kysely<Database>,
    private readonly maxBatch: number,
  ) {}

  write<T>(job: WriteJob<T>): Promise<T> {
    return this.enqueue<T>({ job });
  }

  private enqueue<T>(work: { job: WriteJob<unknown> } | { task: () => Promise<unknown> }): Promise<T> {
    if (this.closed) return Promise.reject(new Error('The database writer is closed.'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ ...work, resolve: resolve as (v: unknown) => void, reject });
      if (!this.draining) {
        this.draining = true;
        // Let the other requests that arrived in this tick join the batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  /**
   * Runs `task` in the writer's turn with no transaction open on this connection: for a write
   * that another connection to the same file makes (the registration intake thread). Queued
   * like any write; the jobs queued before it commit first, the ones after wait for it.
   */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    return this.enqueue<T>({ task });
  }

  /**
   * Takes the writer's turn and keeps it until the returned function is called (see exclusive):
   * for a writer that runs several batches back to back on another connection.
   */
  hold(): Promise<() => void> {
    return new Promise((gotTurn, failed) => {
      this.exclusive(() => new Promise<void>((release) => gotTurn(release))).catch(failed);
    });
  }

  private lease: { turn: Promise<() => void>; users: number; acquired: boolean; closed: boolean } | undefined;

  /**
   * Runs `task` in a turn it may share with other shared tasks (see exclusive): tasks that
   * overlap run under one turn, which ends when the last of them finishes. Once the turn is
   * held and other writes are waiting, new shared tasks queue for a fresh turn behind them, so a
   * steady stream of shared tasks never starves ordinary writes.
   */
  async shared<T>(task: () => Promise<T>): Promise<T> {
    let lease = this.lease;
    if (!lease || lease.closed || (lease.acquired && this.queue.length > 0)) {
      if (lease) lease.closed = true;
      const fresh = { turn: this.hold(), users: 0, acquired: false, closed: false };
      fresh.turn.then(
        () => {
          fresh.acquired = true;
        },
        () => undefined,
      );
      lease = fresh;
      this.lease = fresh;
    }
    const current = lease;
    current.users += 1;
    let release: () => void;
    try {
      release = await current.turn;
    } catch (error) {
      current.users -= 1;
      throw error;
    }
    try {
      return await task();
    } finally {
      current.users -= 1;
      if (current.users === 0) {
        current.closed = true;
        if (this.lease === current) this.lease = undefined;
        release();
      }
    }
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const first = this.queue[0]!;
      if (first.task) {
        this.queue.shift();
        await first.task().then(first.resolve, first.reject);
        continue;
      }
      const end = this.queue.findIndex((item) => item.task !== undefined);
      const batch = this.queue.splice(0, Math.min(this.maxBatch, end === -1 ? this.queue.length : end));
      await this.runBatch(batch);
    }
    this.draining = false;
    for (const wake of this.idleWaiters.splice(0)) wake();
  }

  private async runBatch(batch: Pending[]): Promise<void> {
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      const trx = await this.db.startTransaction().execute();
      try {
        for (const item of batch) {
          const sp = await trx.savepoint('job').execute();
          try {
            // Only jobs reach a batch: drain() runs exclusive tasks on their own.
            const value = await item.job!(sp);
            await sp.releaseSavepoint('job').execute();
            outcomes.push({ ok: true, value });
          } catch (error) {
            await sp.rollbackToSavepoint('job').execute();
            await sp.releaseSavepoint('job').execute();
            outcomes.push({ ok: false, error });
          }
        }
        await trx.commit().execute();
      } catch (error) {
        await trx
          .rollback()
          .execute()
          .catch(() => undefined);
        throw error;
      }
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    this.stats.batches += 1;
    this.stats.jobs += batch.length;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.draining) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }
}

/** PostgreSQL handles concurrent commits itself: one ordinary transaction per write, pooled. */
export class TransactionWriter implements Writer {
  private inFlight = new Set<Promise<unknown>>();
  private closed = false;

  constructor(private readonly db: Kysely<Database>) {}

  write<T>(job: WriteJob<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('The database writer is closed.'));
    const p = this.db.transaction().execute(job);
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p)).catch(() => undefined);
    return p;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
  }
}
