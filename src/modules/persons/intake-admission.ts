/**
 * Load shedding for the public intake. When registrations arrive faster than they can be stored
 * for long enough, the backlog (registrations taken and not yet answered) grows until phones time
 * out and send again, and the server spends itself on answers nobody waits for any more. Instead,
 * once registrations have been waiting longer than `maxWaitSeconds` to be stored, new ones are
 * refused at once — nothing stored, 503 with `Retry-After` — and the portal keeps what was typed.
 *
 * The signal is the waiting itself, not a throughput estimate (a limit derived from the rate it
 * lets through feeds on itself: fewer taken, lower rate, lower limit — measured, it collapsed to a
 * tenth). Like CoDel, it looks at the shortest wait of the registrations answered in the last
 * second (or the last allowed wait, if shorter): if even the quickest waited longer than
 * `maxWaitSeconds`, there is a standing backlog, and new registrations are refused while more than
 * `minQueued` are waiting; once the waits fall back, they are taken again. A backlog that gets no
 * answer for longer than `maxWaitSeconds` (a stalled database) counts as waiting too. Refusals only
 * begin above `minQueued` waiting, so group commits stay large while the rest is turned away; the
 * public API refuses before reading the body (`check`), so turning a registration away costs little
 * more than answering it. See ADR 0008.
 */

export interface AdmissionOptions {
  /** The longest registrations should wait to be stored before new ones are turned away. */
  maxWaitSeconds: number;
  /** Backlog always taken, however long the waits (at least 1). */
  minQueued: number;
  /** Milliseconds clock (tests). */
  now?: () => number;
}

export type Admission = { admitted: true } | { admitted: false; retryAfterSeconds: number };

/** How often the waits are judged, milliseconds: every second, or every allowed wait if shorter (≥ 0.1 s). */
const intervalFor = (maxWaitMs: number) => Math.min(1000, Math.max(100, maxWaitMs));
/** Retry-After never asks for more than this many seconds. */
const MAX_RETRY_AFTER = 60;

export class IntakeAdmission {
  /** Registrations taken and not yet answered. */
  private backlog = 0;
  private refusedTotal = 0;
  /** True while registrations wait longer than allowed (new ones beyond `minQueued` are refused). */
  private overloaded = false;
  /** Shortest wait of the registrations answered in the current interval, milliseconds. */
  private shortestWait = Number.POSITIVE_INFINITY;
  /** Shortest wait of the last judged interval, milliseconds (what /metrics shows). */
  private lastShortestWait = 0;
  private intervalStart: number;
  /** When the backlog last moved: an answer came, or it started from empty. */
  private lastProgress: number;
  private readonly maxWaitMs: number;
  private readonly intervalMs: number;
  private readonly minQueued: number;
  private readonly now: () => number;

  constructor(options: AdmissionOptions) {
    if (!(options.maxWaitSeconds > 0)) throw new RangeError('maxWaitSeconds must be positive.');
    this.maxWaitMs = options.maxWaitSeconds * 1000;
    this.intervalMs = intervalFor(this.maxWaitMs);
    this.minQueued = Math.max(1, Math.floor(options.minQueued));
    this.now = options.now ?? Date.now;
    this.intervalStart = this.now();
    this.lastProgress = this.intervalStart;
  }

  /** Whether a registration would be taken now; a refusal is counted. Takes nothing. */
  check(): Admission {
    this.judge();
    if (this.overloaded && this.backlog >= this.minQueued) {
      this.refusedTotal += 1;
      return { admitted: false, retryAfterSeconds: this.retryAfter() };
    }
    return { admitted: true };
  }

  /** Takes one registration into the backlog, or says when to send it again. */
  admit(): Admission {
    const admission = this.check();
    if (admission.admitted) {
      if (this.backlog === 0) this.lastProgress = this.now();
      this.backlog += 1;
    }
    return admission;
  }

  /**
   * `count` registrations of the backlog were answered (stored, refused for their fields, or
   * failed); the one that waited least in them waited `shortestWaitMs`.
   */
  answered(count: number, shortestWaitMs: number): void {
    this.backlog = Math.max(0, this.backlog - count);
    this.lastProgress = this.now();
    if (shortestWaitMs < this.shortestWait) this.shortestWait = shortestWaitMs;
    this.judge();
  }

  get queued(): number {
    return this.backlog;
  }

  get refused(): number {
    return this.refusedTotal;
  }

  /** Whether new registrations beyond `minQueued` are being refused. */
  get refusing(): boolean {
    return this.overloaded;
  }

  /** The shortest wait to be stored in the last judged second, in seconds. */
  get shortestWaitSeconds(): number {
    return this.lastShortestWait / 1000;
  }

  private judge(): void {
    const now = this.now();
    const stalledFor = this.backlog > 0 ? now - this.lastProgress : 0;
    if (now - this.intervalStart >= this.intervalMs) {
      if (Number.isFinite(this.shortestWait)) {
        this.lastShortestWait = this.shortestWait;
        this.overloaded = this.shortestWait > this.maxWaitMs;
      } else {
        // No answer in this interval: an idle intake, unless it is stuck (just below).
        this.overloaded = false;
        this.lastShortestWait = 0;
      }
      this.shortestWait = Number.POSITIVE_INFINITY;
      this.intervalStart = now;
    }
    if (stalledFor > this.maxWaitMs) {
      // Nothing answered for longer than the allowed wait: everyone in the backlog waits too long.
      this.overloaded = true;
      this.lastShortestWait = stalledFor;
    }
  }

  /** Seconds to wait before sending again: how long registrations are waiting now (1–60). */
  private retryAfter(): number {
    return Math.min(MAX_RETRY_AFTER, Math.max(1, Math.ceil(this.lastShortestWait / 1000)));
  }
}
