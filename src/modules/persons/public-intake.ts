import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { type Insertable, type Kysely, sql, type Transaction } from 'kysely';
import { publicActor } from '../../access/actor.js';
import { recordAudit } from '../../audit/audit.service.js';
import type { DialectName } from '../../db/database.js';
import type { Database, IdempotencyTable } from '../../db/schema.js';
import { AppError, errorMessage, type FieldError } from '../../lib/errors.js';
import type { SecretBox } from '../../lib/secret-box.js';
import type { ReportPersonCountTable } from '../reporting/reporting.table.js';
import { resolveActiveCrisisIn } from './crisis-directory.js';
import type { IntakeMonitor } from './intake-timings.js';
import type { Channel, RegistrationBody, RegistrationReply } from './person.schemas.js';
import { findIdempotentReply, insertRegistrations, referenceExists } from './registration.repository.js';
import { buildRegistrationRows, type RegistrationRows } from './registration-rows.js';

/**
 * The public intake's work on a batch of registrations, the same wherever it runs: on SQLite in
 * the intake thread (its own connection, see intake-thread.ts), on PostgreSQL in the server's
 * event loop. Everything that costs CPU per registration (rows, reference code, secret and its
 * hash, the sealed stored answer, the request digest) happens here, in one tight loop per batch.
 */

export const IDEMPOTENCY_SCOPE = 'public.registrations';

/** One public registration as the intake receives it. */
export interface IntakeRequest {
  /** The validated body as JSON (the validator emits keys in schema order: canonical). */
  body: string;
  idempotencyKey?: string | undefined;
  channel: Channel;
  /** When the server received it (ISO-8601). */
  at: string;
}

export type IntakeOutcome =
  /**
   * `digest` belongs to the registration `reply` answers (a stored one for a repeated key);
   * both digests are empty without an idempotency key.
   */
  | { reply: RegistrationReply; digest: string; bodyDigest: string }
  | { errors: FieldError[] }
  /** Not the caller's fault (the database refused the write): the caller may retry. */
  | { failure: string }
  /** Not taken: the backlog is full (load shedding); send again after this many seconds. */
  | { busy: number };

export interface IntakeEnv {
  db: Kysely<Database>;
  dialect: DialectName;
  /** The raw handle of `db`'s connection on SQLite: cached prepared inserts. */
  sqlite?: BetterSqlite3.Database | undefined;
  /** Seals stored answers (they hold the update secret). */
  box: SecretBox;
  publicUrl: string;
  /** Runs a write transaction, resolving after a durable commit. */
  transaction<T>(job: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
}

export const digestOf = (json: string) => createHash('sha256').update(json).digest('hex');

/** The private update link: the reference (which household) and the secret (the proof). */
export const updateUrlFor = (publicUrl: string, reference: string, secret: string) =>
  `${publicUrl}/u/${reference.replaceAll('-', '')}/${secret}`;

export function replyFor(publicUrl: string, rows: RegistrationRows): RegistrationReply {
  return {
    reference: rows.household.reference,
    updateSecret: rows.updateSecret,
    updateUrl: updateUrlFor(publicUrl, rows.household.reference, rows.updateSecret),
    receivedAt: rows.household.created_at,
    members: rows.persons.length,
  };
}

/** A registration checked and built, ready to write (plain data: it may cross to another thread). */
export interface Prepared {
  index: number;
  request: IntakeRequest;
  bodyDigest: string;
  rows: RegistrationRows;
  reply: RegistrationReply;
  idempotency: Insertable<IdempotencyTable> | undefined;
}

/** The answer stored for an idempotency key, if any. */
async function storedOutcome(
  env: Pick<IntakeEnv, 'box'>,
  db: Kysely<Database> | Transaction<Database>,
  key: string | undefined,
  bodyDigest: string,
): Promise<IntakeOutcome | undefined> {
  if (key === undefined) return undefined;
  const row = await findIdempotentReply(db, IDEMPOTENCY_SCOPE, key);
  if (!row) return undefined;
  return {
    reply: JSON.parse(env.box.open(row.response_body)) as RegistrationReply,
    digest: row.request_digest,
    bodyDigest,
  };
}

/** Checks one registration against its crisis and builds its rows and answer; `errors` otherwise. */
async function prepare(
  env: Pick<IntakeEnv, 'db' | 'box' | 'publicUrl'>,
  index: number,
  request: IntakeRequest,
  body: RegistrationBody,
  bodyDigest: string,
): Promise<Prepared | { errors: FieldError[] }> {
  let resolved: Awaited<ReturnType<typeof resolveActiveCrisisIn>>;
  try {
    resolved = await resolveActiveCrisisIn(env.db, body.crisis, body.location?.zone);
  } catch (error) {
    if (error instanceof AppError && error.fields) return { errors: error.fields };
    throw error;
  }
  const built = buildRegistrationRows(body, resolved.crisis, resolved.zones, {
    channel: request.channel,
    actorId: null,
    actorLabel: 'public',
    staffId: null,
    at: request.at,
  });
  if ('errors' in built) return built;
  const reply = replyFor(env.publicUrl, built.rows);
  return {
    index,
    request,
    bodyDigest,
    rows: built.rows,
    reply,
    idempotency:
      request.idempotencyKey === undefined
        ? undefined
        : {
            scope: IDEMPOTENCY_SCOPE,
            key: request.idempotencyKey,
            request_digest: bodyDigest,
            response_status: 201,
            response_body: env.box.seal(JSON.stringify(reply)),
            created_at: request.at,
          },
  };
}

/** Inserts the registrations and one audit entry per crisis ("these households came in"). */
async function writeAll(
  env: IntakeEnv,
  trx: Transaction<Database>,
  items: readonly Prepared[],
): Promise<void> {
  // The persons are counted here, one counter row per cell for the whole batch, instead of one
  // row per person by the insert trigger (ADR 0007): fewer pages in every commit.
  const cells = new Map<string, Insertable<ReportPersonCountTable>>();
  for (const { rows } of items) {
    for (const person of rows.persons) {
      person.counted_in_batch = 1;
      if (person.anonymised_at) continue;
      const cell = {
        crisis_id: person.crisis_id,
        zone_id: person.zone_id ?? '',
        intention: person.intention,
        status: person.status,
        eligibility: person.eligibility,
        n: 0,
      };
      const key = `${cell.crisis_id}\u0000${cell.zone_id}\u0000${cell.intention}\u0000${cell.status}\u0000${cell.eligibility}`;
      const counted = cells.get(key) ?? cell;
      counted.n += 1;
      cells.set(key, counted);
    }
  }
  await insertRegistrations(
    trx,
    items.map((i) => i.rows),
    items.flatMap((i) => (i.idempotency ? [i.idempotency] : [])),
    env.sqlite,
    [...cells.values()],
  );
  const byCrisis = new Map<string, string[]>();
  for (const { rows } of items) {
    const list = byCrisis.get(rows.household.crisis_id) ?? [];
    list.push(rows.household.id);
    byCrisis.set(rows.household.crisis_id, list);
  }
  for (const [crisisId, households] of byCrisis) {
    await recordAudit(trx, env.dialect, publicActor, {
      action: 'registration.received',
      entityType: 'household',
      entityId: households.length === 1 ? households[0]! : null,
      crisisId,
      change: { households },
    });
  }
}

/** A batch checked and built: answers for the registrations refused, rows for the others. */
export interface PreparedBatch {
  /** One slot per request; filled for the refused ones (field errors, or a stored answer). */
  outcomes: (IntakeOutcome | undefined)[];
  prepared: Prepared[];
}

/**
 * Checks and builds a batch: everything that costs CPU per registration (rows, reference code,
 * secret and its hash, the sealed stored answer, the request digest). Reads only (the crisis
 * snapshot, and stored answers for refused retries): it may run beside the writer.
 */
export async function prepareIntakeBatch(
  env: Omit<IntakeEnv, 'transaction' | 'sqlite'>,
  requests: readonly IntakeRequest[],
): Promise<PreparedBatch> {
  const outcomes: (IntakeOutcome | undefined)[] = new Array(requests.length);
  const prepared: Prepared[] = [];
  for (const [index, request] of requests.entries()) {
    const body = JSON.parse(request.body) as RegistrationBody;
    // Only an idempotency key needs the digest (to tell a retry from a different registration).
    const bodyDigest = request.idempotencyKey === undefined ? '' : digestOf(request.body);
    const item = await prepare(env, index, request, body, bodyDigest);
    if ('errors' in item) {
      // A retry of an accepted registration whose crisis or zone has changed since still gets its answer.
      outcomes[index] = (await storedOutcome(env, env.db, request.idempotencyKey, bodyDigest)) ?? item;
    } else prepared.push(item);
  }
  return { outcomes, prepared };
}

/**
 * Durably writes a prepared batch and completes its outcomes (in request order). The batch is one
 * transaction; if it fails (a key or a reference code taken meanwhile), each registration is
 * written alone in its own savepoint, so one bad row never costs the others their registration:
 * a repeated idempotency key gets the stored answer, a reference code that clashes is drawn again.
 */
export async function writeIntakeBatch(env: IntakeEnv, batch: PreparedBatch): Promise<IntakeOutcome[]> {
  const outcomes = batch.outcomes;
  const prepared = batch.prepared;
  // Array.from, not map: a slot never filled (a hole) must still get an outcome.
  const done = () => Array.from(outcomes, (o) => o ?? { failure: 'No outcome.' });
  if (prepared.length === 0) return done();

  try {
    await env.transaction((trx) => writeAll(env, trx, prepared));
    for (const p of prepared)
      outcomes[p.index] = { reply: p.reply, digest: p.bodyDigest, bodyDigest: p.bodyDigest };
    return done();
  } catch {
    // Written one by one below.
  }

  const alone = env.transaction(async (trx) => {
    for (let p of prepared) {
      for (let attempt = 0; ; attempt += 1) {
        await sql`savepoint registration`.execute(trx);
        try {
          await writeAll(env, trx, [p]);
          await sql`release savepoint registration`.execute(trx);
          outcomes[p.index] = { reply: p.reply, digest: p.bodyDigest, bodyDigest: p.bodyDigest };
          break;
        } catch (error) {
          await sql`rollback to savepoint registration`.execute(trx);
          await sql`release savepoint registration`.execute(trx);
          const stored = await storedOutcome(env, trx, p.request.idempotencyKey, p.bodyDigest);
          if (stored) {
            outcomes[p.index] = stored;
            break;
          }
          if (attempt < 3 && (await referenceExists(trx, p.rows.household.reference))) {
            const body = JSON.parse(p.request.body) as RegistrationBody;
            // Through the transaction: on SQLite the connection is held by it, and a crisis
            // snapshot that has to be reloaded through `env.db` would wait for it for ever.
            const again = await prepare({ ...env, db: trx }, p.index, p.request, body, p.bodyDigest);
            if (!('errors' in again)) {
              p = again;
              continue;
            }
          }
          outcomes[p.index] = { failure: errorMessage(error) };
          break;
        }
      }
    }
  });
  try {
    await alone;
  } catch (error) {
    // The commit itself failed: nothing of this batch is stored.
    for (const p of prepared) outcomes[p.index] = { failure: errorMessage(error) };
  }
  return done();
}

/**
 * Checks, builds and durably writes a batch of public registrations, one outcome per request in
 * order, reporting its build and write times to `monitor` if given (the intake threads report
 * theirs stage by stage themselves).
 */
export async function processIntakeBatch(
  env: IntakeEnv,
  requests: readonly IntakeRequest[],
  monitor?: IntakeMonitor,
): Promise<IntakeOutcome[]> {
  const start = performance.now();
  const batch = await prepareIntakeBatch(env, requests);
  const built = performance.now();
  const outcomes = await writeIntakeBatch(env, batch);
  monitor?.record({
    registrations: requests.length,
    stages: { build: built - start, write: performance.now() - built },
    transaction: batch.prepared.length,
  });
  return outcomes;
}
