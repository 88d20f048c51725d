import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, rmSync, statSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import type { Config } from '../config.js';
import { errorMessage } from '../lib/errors.js';
import type { Db } from './database.js';

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', (error) => reject(new Error(`${command} could not start: ${error.message}`)));
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} failed (exit ${code}): ${stderr.trim()}`)),
    );
  });
}

/**
 * Writes a consistent backup while Corridor keeps running: SQLite's online backup API, or
 * `pg_dump --format=custom` on PostgreSQL.
 */
export async function backupDatabase(db: Db, config: Config, file: string): Promise<void> {
  if (config.database.kind === 'postgres') {
    await run('pg_dump', [
      '--format=custom',
      '--no-owner',
      `--file=${file}`,
      `--dbname=${config.database.url}`,
    ]);
    return;
  }
  if (!db.sqlite) throw new Error('No SQLite handle to back up.');
  await db.sqlite.backup(file);
}

/**
 * Replaces the database with a backup. Stop the server first. SQLite: the backup is checked
 * for integrity, then copied over the database file; PostgreSQL: `pg_restore --clean`.
 */
export async function restoreDatabase(config: Config, file: string): Promise<void> {
  if (!existsSync(file) || statSync(file).size === 0)
    throw new Error(`${file}: no such backup file (or empty).`);
  if (config.database.kind === 'postgres') {
    await run('pg_restore', [
      '--clean',
      '--if-exists',
      '--no-owner',
      '--single-transaction',
      `--dbname=${config.database.url}`,
      file,
    ]);
    return;
  }
  let check: BetterSqlite3.Database | undefined;
  try {
    check = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    const result = check.pragma('integrity_check', { simple: true });
    if (result !== 'ok') throw new Error(`${file}: the backup is damaged (${String(result)}).`);
  } catch (error) {
    if (error instanceof Error && error.message.includes('backup is damaged')) throw error;
    throw new Error(`${file}: not a Corridor SQLite backup (${errorMessage(error)}).`);
  } finally {
    check?.close();
  }
  const target = config.database.file;
  for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
  copyFileSync(file, target);
}
