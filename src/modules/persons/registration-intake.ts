import type { AppContext } from '../../app-context.js';
import { GroupCommitWriter } from '../../db/write-batcher.js';
import { errorMessage } from '../../lib/errors.js';
import { SecretBox } from '../../lib/secret-box.js';
import { IntakeAdmission } from './intake-admission.js';
import { IntakeThread } from './intake-thread.js';
import { IntakeMonitor } from './intake-timings.js';
import {
  type IntakeEnv,
  type IntakeOutcome,
  type IntakeRequest,
  processIntakeBatch,
} from './public-intake.js';

interface Item {
  request: IntakeRequest;
  resolve: (outcome: IntakeOutcome) => void;
  /** When it was taken (Date.now()), for the admission's waits. */
  takenAt: number;
}

type BatchProcessor = (requests: IntakeRequest[]) => Promise<IntakeOutcome[]>;

export interface IntakeOptions {
  /**
   * While this many batches are on their way, new registrations wait and join the next, larger
   * batch instead of each becoming a small batch of its own (SQLite commits one at a time anyway;
   * PostgreSQL commits a few in parallel on the pool).
   */
  maxWriting: number;
  /** Registrations per batch at most. */
  maxBatch?: number;
  /** Gets ready to take batches (starts the intake threads); nothing to do by default. */
  warmUp?: () => Promise<void>;
  /** Receives each batch's stage timings (the processor reports them to it). */
  monitor?: IntakeMonitor;
  /** Load shedding (intake-admission.ts); without it every registration is taken. */
  admission?: IntakeAdmission;
}

/**
 * Coalesces public registrations that arrive together into one batch: one write per table and
 * one audit entry per crisis for the whole batch (public-intake.ts). Every caller is answered
 * only after that batch is durably committed.
 */
export class RegistrationIntake {
  private pending: Item[] = [];
  private scheduled = false;
  /** Batches on their way and not yet committed. */
  private writing = 0;
  /** Replies being produced, by idempotency key: a concurrent retry waits for the first. */
  readonly inFlight = new Map<string, Promise<IntakeOutcome>>();

  private readonly maxWriting: number;
  private readonly maxBatch: number;
  /** Gets ready to take batches (starts the intake threads). */
  readonly warmUp: () => Promise<void>;
  /** Where the batches spend their time (metrics). */
  readonly monitor: IntakeMonitor;
  /** Which registrations are taken when they come faster than they can be stored. */
  readonly admission: IntakeAdmission | undefined;

  constructor(
    private readonly process: BatchProcessor,
    options: IntakeOptions,
  ) {
    this.maxWriting = options.maxWriting;
    this.maxBatch = options.maxBatch ?? 1000;
    this.warmUp = options.warmUp ?? (async () => undefined);
    this.monitor = options.monitor ?? new IntakeMonitor();
    this.admission = options.admission;
  }

  /** Answered once the registration is durably stored, refused for its fields, or not taken (busy). */
  submit(request: IntakeRequest): Promise<IntakeOutcome> {
    const admission = this.admission?.admit();
    if (admission && !admission.admitted) return Promise.resolve({ busy: admission.retryAfterSeconds });
    return new Promise<IntakeOutcome>((resolve) => {
      this.pending.push({ request, resolve, takenAt: Date.now() });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.writing >= this.maxWriting || this.pending.length === 0) return;
    this.scheduled = true;
    // Let the other requests that arrived in this tick join the batch.
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const items = this.pending;
    this.pending = [];
    for (let i = 0; i < items.length; i += this.maxBatch) {
      const batch = items.slice(i, i + this.maxBatch);
      this.writing += 1;
      this.process(batch.map((item) => item.request))
        .then(
          (outcomes) => {
            batch.forEach((item, j) => {
              item.resolve(outcomes[j] ?? { failure: 'No outcome.' });
            });
          },
          (error: unknown) => {
            const failure = errorMessage(error);
            for (const item of batch) item.resolve({ failure });
          },
        )
        .finally(() => {
          if (this.admission) {
            let newest = 0;
            for (const item of batch) if (item.takenAt > newest) newest = item.takenAt;
            this.admission.answered(batch.length, Date.now() - newest);
          }
          this.writing -= 1;
          this.schedule();
        });
    }
  }
}

const intakes = new WeakMap<AppContext, RegistrationIntake>();

/**
 * The intake of this process for this context. On a SQLite file the batches are built and
 * written in the intake thread, in the writer's turn; otherwise (PostgreSQL) in this event loop
 * through the writer.
 */
export function intakeFor(ctx: AppContext): RegistrationIntake {
  let intake = intakes.get(ctx);
  if (intake) return intake;
  const { db, config, logger } = ctx;
  const writer = db.writer;
  const monitor = new IntakeMonitor();
  if (db.dialect === 'sqlite' && db.file && db.file !== ':memory:' && writer instanceof GroupCommitWriter) {
    const thread = new IntakeThread(
      {
        file: db.file,
        secretKey: config.secretKey,
        previousSecretKeys: [...config.previousSecretKeys],
        publicUrl: config.publicUrl,
      },
      logger,
      (timings) => monitor.record(timings),
    );
    db.onClose(() => thread.close());
    // Several batches may be on their way: the thread writes the ones that queued up together.
    intake = new RegistrationIntake((requests) => writer.shared(() => thread.run(requests)), {
      maxWriting: 64,
      admission: new IntakeAdmission(config.intake),
      warmUp: () => thread.warmUp(),
      monitor,
    });
  } else {
    const env: IntakeEnv = {
      db: db.db,
      dialect: db.dialect,
      sqlite: db.sqlite,
      box: new SecretBox(config.secretKey, 'idempotency', config.previousSecretKeys),
      publicUrl: config.publicUrl,
      transaction: (job) => writer.write(job),
    };
    intake = new RegistrationIntake((requests) => processIntakeBatch(env, requests, monitor), {
      maxWriting: db.dialect === 'sqlite' ? 1 : 4,
      monitor,
      admission: new IntakeAdmission(config.intake),
    });
  }
  intakes.set(ctx, intake);
  return intake;
}
