/**
 * Intake batch benchmark: what one group commit of public registrations writes to the SQLite WAL
 * (synchronous=FULL), and how long building, inserting and committing a batch take, without HTTP.
 * Every durable commit pays for the pages it dirties (written and fsynced), so pages per commit
 * are the figure to watch; unlike throughput they do not move with a noisy machine.
 *
 * The baseline, in the same run, is the same batches with fully random reference codes (each
 * household's code redrawn after building): the layout before reference codes shared a prefix
 * per run (ADR 0007).
 *
 *   npm run bench:intake-batch      (BENCH_BATCH=50 BENCH_BATCHES=600 BENCH_KEYS=sequential|random)
 *
 * Prints one JSON line.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppContext } from '../src/app-context.js';
import { loadConfig } from '../src/config.js';
import { openSqliteConnection, sqliteKysely } from '../src/db/database.js';
import { createLogger } from '../src/lib/logger.js';
import { randomView } from '../src/lib/random-pool.js';
import { SecretBox } from '../src/lib/secret-box.js';
import { registrationBodySchema } from '../src/modules/persons/person.schemas.js';
import {
  type IntakeEnv,
  type IntakeRequest,
  prepareIntakeBatch,
  writeIntakeBatch,
} from '../src/modules/persons/public-intake.js';
import { normaliseReferenceCode, REFERENCE_ALPHABET } from '../src/modules/persons/reference-code.js';
import { singleRegistration } from '../test/fixtures/persons/registrations.js';
import { seedCrisis } from '../test/fixtures/persons/seed.js';

const batchSize = Number(process.env.BENCH_BATCH ?? 50);
const batches = Number(process.env.BENCH_BATCHES ?? 600);
const randomKeys = process.env.BENCH_KEYS === 'random';

/** A fully random reference code with a valid check character (the layout before ADR 0007). */
function randomReference(): string {
  for (;;) {
    const bytes = randomView(8);
    const body = [...bytes].map((b) => REFERENCE_ALPHABET[b % REFERENCE_ALPHABET.length]).join('');
    // Try each last character until the check character fits (one of 24 does).
    for (const check of REFERENCE_ALPHABET) {
      const code = normaliseReferenceCode(body + check);
      if (code) return code;
    }
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

interface Measured {
  framesPerCommit: number;
  framesByTree: Record<string, number>;
  buildMs: number;
  writeMs: number;
}

async function measure(randomCodes: boolean): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'corridor-batch-'));
  const env0 = { DATA_DIR: dir, SECRET_KEY: '7'.repeat(64), NODE_ENV: 'production', LOG_LEVEL: 'warn' };
  const ctx = await createAppContext(loadConfig(env0), createLogger('warn'));
  await seedCrisis(ctx, 'Bench crisis');
  const file = ctx.db.file!;
  await ctx.db.close();

  const sqlite = openSqliteConnection(file);
  // Checkpoints are run by hand below, so each commit's frames can be counted from the file size.
  sqlite.pragma('wal_autocheckpoint = 0');
  const db = sqliteKysely(sqlite);
  const env: IntakeEnv = {
    db,
    dialect: 'sqlite',
    sqlite,
    box: new SecretBox(Buffer.alloc(32, 7), 'idempotency'),
    publicUrl: 'http://127.0.0.1',
    transaction: (job) => db.transaction().execute(job),
  };
  const pageSize = sqlite.pragma('page_size', { simple: true }) as number;
  const wal = `${file}-wal`;
  const frames: number[] = [];
  const build: number[] = [];
  const write: number[] = [];
  const byTree = new Map<string, number>();
  let n = 0;
  for (let b = 0; b < batches; b += 1) {
    const requests: IntakeRequest[] = Array.from({ length: batchSize }, () => {
      n += 1;
      return {
        body: JSON.stringify(registrationBodySchema.parse(singleRegistration(n))),
        idempotencyKey: randomKeys ? `key-${randomView(12).toString('base64url')}` : `bench-${1e9 + n}`,
        channel: 'portal_self',
        at: new Date().toISOString(),
      };
    });
    const t0 = performance.now();
    const prepared = await prepareIntakeBatch(env, requests);
    const t1 = performance.now();
    if (randomCodes) for (const p of prepared.prepared) p.rows.household.reference = randomReference();
    const before = statSync(wal).size;
    const t2 = performance.now();
    const outcomes = await writeIntakeBatch(env, prepared);
    const t3 = performance.now();
    if (!outcomes.every((o) => 'reply' in o))
      throw new Error(
        `a registration was not stored: ${JSON.stringify(outcomes.find((o) => !('reply' in o)))}`,
      );
    const after = statSync(wal).size;
    // The first half fills the tables; the second half is measured.
    if (b >= batches / 2) {
      frames.push((after - before) / (pageSize + 24));
      build.push(t1 - t0);
      write.push(t3 - t2);
    }
    if (b === batches - 1) {
      // Which table or index each page of the last commit belongs to.
      const owner = new Map<number, string>();
      for (const row of sqlite.prepare('select name, pageno from dbstat').all() as {
        name: string;
        pageno: number;
      }[])
        owner.set(row.pageno, row.name);
      const bytes = readFileSync(wal);
      for (let at = before; at < after; at += pageSize + 24) {
        const name = owner.get(bytes.readUInt32BE(at)) ?? 'other';
        byTree.set(name, (byTree.get(name) ?? 0) + 1);
      }
    }
    if (b % 100 === 99) sqlite.pragma('wal_checkpoint(TRUNCATE)');
  }
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
  return {
    framesPerCommit: median(frames),
    framesByTree: Object.fromEntries([...byTree].sort((a, b) => b[1] - a[1]).slice(0, 6)),
    buildMs: Math.round(median(build) * 100) / 100,
    writeMs: Math.round(median(write) * 100) / 100,
  };
}

const baseline = await measure(true);
const intake = await measure(false);
process.stdout.write(
  `${JSON.stringify({
    framesPerCommit: intake.framesPerCommit,
    baselineFramesPerCommit: baseline.framesPerCommit,
    ratio: Math.round((intake.framesPerCommit / baseline.framesPerCommit) * 100) / 100,
    buildMsPerBatch: intake.buildMs,
    writeMsPerBatch: intake.writeMs,
    baselineWriteMsPerBatch: baseline.writeMs,
    writeRatio: Math.round((intake.writeMs / baseline.writeMs) * 100) / 100,
    largestInLastCommit: intake.framesByTree,
    baselineLargestInLastCommit: baseline.framesByTree,
    batchSize,
    batches,
    keys: randomKeys ? 'random' : 'sequential',
  })}\n`,
);
