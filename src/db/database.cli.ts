import type { Command } from 'commander';
import { systemActor } from '../access/actor.js';
import { recordAudit } from '../audit/audit.service.js';
import { loadConfig } from '../config.js';
import { withCliContext } from '../lib/cli-context.js';
import { backupDatabase, restoreDatabase } from './backup.js';
import { migrateToLatest, openDatabase } from './database.js';
import { databaseDigest } from './digest.js';

/** `corridor migrate`, `corridor backup <file>`, `corridor restore <file>`, `corridor db digest`. */
export function registerDatabaseCommands(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (the server also does this at start)')
    .action(async () => {
      const db = openDatabase(loadConfig().database);
      try {
        const applied = await migrateToLatest(db.db);
        process.stdout.write(
          applied.length ? `Applied: ${applied.join(', ')}\n` : 'Database is up to date.\n',
        );
      } finally {
        await db.close();
      }
    });

  program
    .command('backup <file>')
    .description('write a consistent backup while the server runs (SQLite online backup / pg_dump)')
    .action(async (file: string) => {
      await withCliContext(async (ctx) => {
        await ctx.db.writer.write((trx) =>
          recordAudit(trx, ctx.db.dialect, systemActor('cli'), {
            action: 'backup.created',
            entityType: 'database',
            entityId: null,
            crisisId: null,
          }),
        );
        await backupDatabase(ctx.db, ctx.config, file);
        const { digest } = await databaseDigest(ctx.db.db);
        process.stdout.write(`Backup written to ${file}\nDigest at backup: ${digest}\n`);
      });
    });

  program
    .command('restore <file>')
    .description('replace the database with a backup (stop the server first)')
    .action(async (file: string) => {
      const config = loadConfig();
      await restoreDatabase(config, file);
      const db = openDatabase(config.database);
      try {
        const { digest } = await databaseDigest(db.db);
        process.stdout.write(`Restored from ${file}\nDigest after restore: ${digest}\n`);
      } finally {
        await db.close();
      }
    });

  const dbCmd = program.command('db').description('database utilities');
  dbCmd
    .command('digest')
    .description('print a digest of all data (compare before backup and after restore)')
    .action(async () => {
      const db = openDatabase(loadConfig().database);
      try {
        const { digest, tables } = await databaseDigest(db.db);
        process.stdout.write(`${digest}\n${JSON.stringify(tables)}\n`);
      } finally {
        await db.close();
      }
    });
}
