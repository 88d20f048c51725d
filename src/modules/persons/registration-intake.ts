import type { Insertable } from 'kysely';
import { publicActor } from '../../access/actor.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import type { IdempotencyTable } from '../../db/schema.js';
import { insertRegistrations } from './registration.repository.js';
import type { RegistrationRows } from './registration-rows.js';

interface Item {
  rows: RegistrationRows;
  idempotency: Insertable<IdempotencyTable> | undefined;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Coalesces public registrations that arrive together into one write job: one multi-row INSERT
 * per table and one audit entry per crisis for the whole batch, inside the group-commit writer.
 * Every caller is answered only after that job's transaction is durably committed. If the batch
 * fails (a reference code or idempotency key taken by another instance in the meantime), each
 * registration is retried alone, so one bad row never costs the others their registration.
 */
export class RegistrationIntake {
  private pending: Item[] = [];
  private scheduled = false;
  /** Batch jobs handed to the writer and not yet committed. */
  private writing = 0;
  /**
   * While this many jobs are on their way, new registrations wait and join the next, larger
   * batch instead of each becoming a small job of its own (SQLite commits one at a time anyway;
   * PostgreSQL commits a few in parallel on the pool).
   */
  private readonly maxWriting: number;
  /** Replies being produced, by idempotency key: a concurrent retry waits for the first. */
  readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly ctx: AppContext,
    private readonly maxBatch = 1000,
  ) {
    this.maxWriting = ctx.db.dialect === 'sqlite' ? 1 : 4;
  }

  submit(rows: RegistrationRows, idempotency?: Insertable<IdempotencyTable>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ rows, idempotency, resolve, reject });
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
      this.writing += 1;
      void this.writeBatch(items.slice(i, i + this.maxBatch)).finally(() => {
        this.writing -= 1;
        this.schedule();
      });
    }
  }

  private async writeBatch(items: Item[]): Promise<void> {
    try {
      await this.ctx.db.writer.write(async (trx) => {
        await insertRegistrations(
          trx,
          items.map((i) => i.rows),
          items.flatMap((i) => (i.idempotency ? [i.idempotency] : [])),
          this.ctx.db.sqlite,
        );
        const byCrisis = new Map<string, string[]>();
        for (const { rows } of items) {
          const list = byCrisis.get(rows.household.crisis_id) ?? [];
          list.push(rows.household.id);
          byCrisis.set(rows.household.crisis_id, list);
        }
        for (const [crisisId, households] of byCrisis) {
          await recordAudit(trx, this.ctx.db.dialect, publicActor, {
            action: 'registration.received',
            entityType: 'household',
            entityId: households.length === 1 ? households[0]! : null,
            crisisId,
            change: { households },
          });
        }
      });
    } catch (error) {
      if (items.length === 1) {
        items[0]!.reject(error);
        return;
      }
      await Promise.all(items.map((item) => this.writeBatch([item])));
      return;
    }
    for (const item of items) item.resolve();
  }
}

const intakes = new WeakMap<AppContext, RegistrationIntake>();

/** The intake of this process for this context. */
export function intakeFor(ctx: AppContext): RegistrationIntake {
  let intake = intakes.get(ctx);
  if (!intake) {
    intake = new RegistrationIntake(ctx);
    intakes.set(ctx, intake);
  }
  return intake;
}
