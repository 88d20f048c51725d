/**
 * Where a batch of public registrations spends its time on the way to its durable commit, for
 * the metrics (`corridor_intake_stage_seconds`) and the intake bench. On SQLite a batch crosses
 * three threads (event loop → builder → writer → event loop, see intake-thread.ts), and the
 * waits between them are as much part of a registration's latency as the work.
 */
export type IntakeStage =
  /** From the event loop handing the batch over to the builder starting it (its queue included). */
  | 'to_builder'
  /** Checking and building the rows, codes, secrets and sealed answers. */
  | 'build'
  /** From built to the writer starting the transaction that holds it (waiting for the previous one). */
  | 'to_writer'
  /** The transaction: inserts, audit, COMMIT and its fsync. */
  | 'write'
  /** From the commit to the event loop taking the answers (it may be busy with HTTP). */
  | 'to_loop';

export const INTAKE_STAGES: readonly IntakeStage[] = ['to_builder', 'build', 'to_writer', 'write', 'to_loop'];

export interface IntakeTimings {
  /** Registrations in the batch. */
  registrations: number;
  /** Milliseconds per stage; the stages a path does not have are absent (PostgreSQL: build, write). */
  stages: Partial<Record<IntakeStage, number>>;
  /** Registrations in the transaction, on the first batch of each transaction only (several merge). */
  transaction?: number | undefined;
}

/** Milliseconds on a clock shared by all threads of the process (performance.now is per thread). */
export const sharedClock = (): number => performance.timeOrigin + performance.now();

/** Stamps a batch picks up on its way through the intake threads (shared clock). */
export interface IntakeStamps {
  sent: number;
  buildStart?: number;
  built?: number;
  writeStart?: number;
  committed?: number;
  /** Registrations in the transaction, on the first batch of each transaction. */
  transaction?: number;
}

/** The stage durations of a batch answered at `answered` (shared clock). */
export function timingsFrom(stamps: IntakeStamps, registrations: number, answered: number): IntakeTimings {
  const { sent, buildStart, built, writeStart, committed } = stamps;
  const stages: Partial<Record<IntakeStage, number>> = {};
  const span = (stage: IntakeStage, from: number | undefined, to: number | undefined) => {
    if (from !== undefined && to !== undefined) stages[stage] = Math.max(0, to - from);
  };
  span('to_builder', sent, buildStart);
  span('build', buildStart, built);
  span('to_writer', built, writeStart);
  span('write', writeStart, committed);
  span('to_loop', committed, answered);
  return { registrations, stages, transaction: stamps.transaction };
}

/** Hands each answered batch's timings to whoever listens (the metrics); nothing by default. */
export class IntakeMonitor {
  private readonly listeners = new Set<(timings: IntakeTimings) => void>();

  listen(listener: (timings: IntakeTimings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Never throws: a listener's failure must not cost a batch its answers. */
  record(timings: IntakeTimings): void {
    for (const listener of this.listeners) {
      try {
        listener(timings);
      } catch {
        // a metrics listener failed: the registrations are committed all the same
      }
    }
  }
}
