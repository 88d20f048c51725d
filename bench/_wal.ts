import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { createAppContext } from '../src/app-context.js';
import { loadConfig } from '../src/config.js';
import { openSqliteConnection } from '../src/db/database.js';
import type { Database } from '../src/db/schema.js';
import { createLogger } from '../src/lib/logger.js';
import { SecretBox } from '../src/lib/secret-box.js';
import { type IntakeEnv, processIntakeBatch } from '../src/modules/persons/public-intake.js';
import { singleRegistration } from '../test/fixtures/persons/registrations.js';
import { seedCrisis } from '../test/fixtures/persons/seed.js';

const dir = mkdtempSync(join(tmpdir(), 'wal-'));
const env0 = { DATA_DIR: dir, SECRET_KEY: 'a'.repeat(64), NODE_ENV: 'production' };
const ctx = await createAppContext(loadConfig(env0), createLogger('warn'));
const { crisis } = await seedCrisis(ctx, 'W');
const file = ctx.db.file!;
await ctx.db.close();
const sqlite = openSqliteConnection(file);
sqlite.pragma('wal_autocheckpoint = 0');
if (process.env.NOTRIG) sqlite.exec('drop trigger report_person_counts_insert');
if (process.env.WR) sqlite.exec(`drop table idempotency_keys; create table idempotency_keys (scope text not null, key text not null, request_digest text not null, response_status integer not null, response_body text not null, created_at text not null, primary key (scope, key)) without rowid`);
const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
const env: IntakeEnv = { db, dialect: 'sqlite', sqlite, box: new SecretBox(Buffer.alloc(32, 1), 'idempotency'), publicUrl: 'http://x', transaction: async (job) => { tS = performance.now(); const r = await db.transaction().execute(async (trx) => { const x = await job(trx); tJ = performance.now(); return x; }); tC = performance.now(); return r; } };
let tS = 0, tJ = 0, tC = 0; const build: number[] = [], ins: number[] = [], com: number[] = [];
const B = Number(process.env.B ?? 50), N = Number(process.env.N ?? 1600);
const pageSize = sqlite.pragma('page_size', { simple: true }) as number;
let i = 0; const times: number[] = []; const frames: number[] = [];
const pagesByTree = new Map<string, number>();
for (let c = 0; c < N; c++) {
  const reqs = Array.from({ length: B }, () => { i++; const b = { ...singleRegistration(i), crisis: crisis.slug ?? crisis.id }; return { body: JSON.stringify(b), idempotencyKey: process.env.RK ? `k-${Math.random().toString(36).slice(2)}-${i}` : `bench-${i}-abcdef123456`, channel: 'api' as const, at: new Date().toISOString() }; });
  const before = statSync(`${file}-wal`).size;
  const t = performance.now();
  const out = await processIntakeBatch(env, reqs);
  times.push(performance.now() - t); build.push(tS - t); ins.push(tJ - tS); com.push(tC - tJ);
  if (c === 0 && !('reply' in out[0]!)) { console.log(JSON.stringify(out[0])); process.exit(1); }
  const after = statSync(`${file}-wal`).size;
  const n = (after - before) / (pageSize + 24);
  frames.push(n);
  if (c === N - 1) {
    // which trees do the frames of the last commit belong to
    const wal = readFileSync(`${file}-wal`);
    const owner = new Map<number, string>(); const kinds = new Map<number,string>();
    for (const r of sqlite.prepare('select name, pageno, pagetype, ncell from dbstat').all() as { name: string; pageno: number; pagetype: string; ncell: number }[]) { owner.set(r.pageno, r.name); kinds.set(r.pageno, `${r.pagetype[0]}${r.ncell}`); }
    for (let off = before; off < after; off += pageSize + 24) { const pg = wal.readUInt32BE(off); const name = owner.get(pg) ?? `?${pg}`; if (process.env.SHOW && name.includes(process.env.SHOW)) console.log(name, pg, kinds.get(pg)); pagesByTree.set(name, (pagesByTree.get(name) ?? 0) + 1); }
  }
  if (c % 200 === 199) sqlite.pragma('wal_checkpoint(TRUNCATE)');
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
console.log(JSON.stringify({ B, regs: i, msPerBatch: med(times.slice(-400)), usPerReg: Math.round((med(times.slice(-400)) * 1000) / B), buildMs: med(build.slice(-400)), insertMs: med(ins.slice(-400)), commitMs: med(com.slice(-400)), framesPerCommit: med(frames.slice(-400)), lastCommit: Object.fromEntries([...pagesByTree].sort((a, b) => b[1] - a[1])) }));
