import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, type SqliteDatabase, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import { errorMessage } from '../lib/errors.js';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';
import { GroupCommitWriter, TransactionWriter, type Writer } from './write-batcher.js';

export type DialectName = 'sqlite' | 'postgres';

/** The database handle every module receives: queries through `db`, writes through `writer`. */
export interface Db {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  readonly writer: Writer;
  /** The raw SQLite handle (online backup); undefined on PostgreSQL. */
  readonly sqlite?: BetterSqlite3.Database;
  /** The SQLite file (for a thread that opens its own connection); undefined on PostgreSQL. */
  readonly file?: string;
  /**
   * Runs `hook` when the database closes, after the queued writes and before the connection
   * closes: for threads that hold a connection of their own (the registration intake).
   */
  onClose(hook: () => Promise<void>): void;
  close(): Promise<void>;
}

/**
 * A SQLite connection as Corridor uses it. WAL lets readers run beside the writer; FULL makes
 * every COMMIT reach the disk before it returns, which is what "an acknowledged write is on disk"
 * needs. Every connection to the file (the intake thread's too) must be opened this way.
 */
export function openSqliteConnection(file: string): BetterSqlite3.Database {
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -32768');
  sqlite.pragma('temp_store = MEMORY');
  // Checkpoints copy the WAL into the database file and fsync it. Run inside a COMMIT they would
  // stall the event loop (better-sqlite3 is synchronous), so a worker thread checkpoints on its own
  // connection; the automatic checkpoint stays only as a backstop if that thread ever stops.
  sqlite.pragma('wal_autocheckpoint = 20000');
  return sqlite;
}

/**
 * better-sqlite3 compiles a statement on every `prepare()`, and Kysely prepares every query it runs:
 * for a short indexed query that doubled its cost. This keeps the most recently used statements
 * (least recently used go first). Safe because Kysely runs one query at a time on the connection,
 * and a streamed query keeps the connection until it ends.
 */
export function withStatementCache(sqlite: BetterSqlite3.Database, max = 500): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (text) => {
      let statement = cache.get(text);
      if (statement) {
        cache.delete(text);
      } else {
        statement = sqlite.prepare(text);
        if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      }
      cache.set(text, statement);
      return statement;
    },
  };
}

/** A Kysely handle on a SQLite connection (with the statement cache). */
export const sqliteKysely = (sqlite: BetterSqlite3.Database): Kysely<Database> =>
  new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });

// int8 (bigint) columns hold sequence numbers well below 2^53: read them as numbers.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

/** Opens the configured database (SQLite file or PostgreSQL pool). Does not migrate. */
export function openDatabase(
  database: Config['database'],
  writeBatchMax = 512,
  onPoolError: (error: Error) => void = () => undefined,
): Db {
  if (database.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: database.url, max: database.poolSize });
    // An idle pooled connection that the server drops (restart, failover) emits 'error'; without
    // a listener that would end the process. The pool replaces the connection on next use.
    pool.on('error', onPoolError);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const writer = new TransactionWriter(db);
    const hooks: (() => Promise<void>)[] = [];
    return {
      db,
      dialect: 'postgres',
      writer,
      onClose: (hook) => hooks.push(hook),
      close: async () => {
        await writer.close();
        for (const hook of hooks.splice(0)) await hook();
        await db.destroy();
      },
    };
  }
  mkdirSync(dirname(database.file), { recursive: true });
  const sqlite = openSqliteConnection(database.file);
  const checkpointer = startCheckpointer(database.file);
  const db = sqliteKysely(sqlite);
  const writer = new GroupCommitWriter(db, writeBatchMax);
  const hooks: (() => Promise<void>)[] = [];
  return {
    db,
    dialect: 'sqlite',
    writer,
    sqlite,
    file: database.file,
    onClose: (hook) => hooks.push(hook),
    close: async () => {
      await writer.close();
      for (const hook of hooks.splice(0)) await hook();
      await checkpointer.terminate();
      await db.destroy();
    },
  };
}

const CHECKPOINTER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage(String(error)); }
}, workerData.intervalMs);
parentPort.on('close', () => { clearInterval(timer); db.close(); });
`;

/** A worker thread that runs passive WAL checkpoints every second (never blocks writers). */
function startCheckpointer(file: string, intervalMs = 1000): Worker {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(CHECKPOINTER, { eval: true, workerData: { file, driver, intervalMs } });
  worker.unref();
  return worker;
}

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Migration ${failed} failed: ${errorMessage(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** True when the database answers a trivial query (readiness). */
export async function isDatabaseReachable(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
