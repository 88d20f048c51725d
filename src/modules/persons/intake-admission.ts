/**
 * Load shedding for the public intake. When registrations arrive faster than they can be stored
 * for long enough, the backlog (registrations taken and not yet answered) grows until phones time
 * out and send again, and the server spends itself on answers nobody waits for any more. Instead,
 * a registration that would wait longer than `maxWaitSeconds` behind the backlog is refused at
 * once — nothing stored, 503 with `Retry-After` — and the portal keeps what was typed.
 *
 * The backlog allowed is what the intake has recently stored in `maxWaitSeconds`, and never less
 * than `minQueued` (so a quiet server takes a surge's first wave, and a stalled database still
 * takes a few before refusing). The rate is measured, not configured: it follows the machine, the
 * database and the batch sizes, and falls towards zero while nothing gets stored.
 */

export interface AdmissionOptions {
  /** The longest a registration should wait behind the backlog before being stored. */
  maxWaitSeconds: number;
  /** Backlog always allowed, whatever the measured rate (at least 1). */
  minQueued: number;
  /** Milliseconds clock (tests). */
  now?: () => number;
}

export type Admission = { admitted: true } | { admitted: false; retryAfterSeconds: number };

/** How often the stored rate is measured, milliseconds. */
const WINDOW_MS = 1000;
/** Weight of the newest window in the smoothed rate. */
const SMOOTHING = 0.5;
/** Retry-After never asks for more than this many seconds. */
const MAX_RETRY_AFTER = 60;

export class IntakeAdmission {
  /** Registrations taken and not yet answered. */
  private backlog = 0;
  /** Registrations refused since the start. */
  private refusedTotal = 0;
  /** Registrations answered per second, smoothed over the recent windows that had work. */
  private rate = 0;
  private windowStart: number;
  private answeredInWindow = 0;
  /** Whether the current window had a backlog at some point (the rate then measures capacity). */
  private busyInWindow = false;
  private readonly maxWaitSeconds: number;
  private readonly minQueued: number;
  private readonly now: () => number;

  constructor(options: AdmissionOptions) {
    if (!(options.maxWaitSeconds > 0)) throw new RangeError('maxWaitSeconds must be positive.');
    this.maxWaitSeconds = options.maxWaitSeconds;
    this.minQueued = Math.max(1, Math.floor(options.minQueued));
    this.now = options.now ?? Date.now;
    this.windowStart = this.now();
  }

  /** Takes one registration into the backlog, or says when to send it again. */
  admit(): Admission {
    this.measure();
    if (this.backlog >= this.limit()) {
      this.refusedTotal += 1;
      return { admitted: false, retryAfterSeconds: this.retryAfter() };
    }
    this.backlog += 1;
    this.busyInWindow = true;
    return { admitted: true };
  }

  /** `count` registrations of the backlog were answered (stored, refused for their fields, or failed). */
  answered(count: number): void {
    this.backlog = Math.max(0, this.backlog - count);
    this.answeredInWindow += count;
    this.measure();
  }

  /** The backlog allowed now. */
  limit(): number {
    return Math.max(this.minQueued, Math.floor(this.rate * this.maxWaitSeconds));
  }

  get queued(): number {
    return this.backlog;
  }

  get refused(): number {
    return this.refusedTotal;
  }

  /** Registrations answered per second, as last measured. */
  get answeredPerSecond(): number {
    return this.rate;
  }

  private measure(): void {
    const now = this.now();
    const elapsed = now - this.windowStart;
    if (elapsed < WINDOW_MS) return;
    // A window without any backlog says how much came, not how much could be stored: skip it.
    if (this.busyInWindow || this.backlog > 0) {
      const measured = (this.answeredInWindow * 1000) / elapsed;
      this.rate = this.rate === 0 ? measured : SMOOTHING * measured + (1 - SMOOTHING) * this.rate;
    }
    this.windowStart = now;
    this.answeredInWindow = 0;
    this.busyInWindow = this.backlog > 0;
  }

  /** Seconds until the backlog ahead would be stored at the measured rate (1–60). */
  private retryAfter(): number {
    const seconds = this.rate > 0 ? Math.ceil(this.backlog / this.rate) : MAX_RETRY_AFTER / 2;
    return Math.min(MAX_RETRY_AFTER, Math.max(1, seconds));
  }
}
