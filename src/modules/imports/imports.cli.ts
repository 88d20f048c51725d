import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { systemActor } from '../../access/actor.js';
import { withCliContext } from '../../lib/cli-context.js';
import { AppError } from '../../lib/errors.js';
import { listCrisesIn } from '../crises/crisis.service.js';
import { importPersons } from './person-import.service.js';

/** Exit code when some rows were refused (the others were imported unless --dry-run). */
export const EXIT_ROW_ERRORS = 2;

const collect = (value: string, previous: string[]) => [...previous, value];

/** `corridor import persons FILE --crisis C [--dry-run] [--map col=field]…` */
export function registerImportCommands(program: Command): void {
  const imp = program.command('import').description('import data from files');
  imp
    .command('persons')
    .description(
      'import persons from a CSV or XLSX file (a partner spreadsheet); rows with the same "household" value form one household',
    )
    .argument('<file>', 'CSV (UTF-8) or XLSX file')
    .option('--crisis <crisis>', 'crisis id or short name (optional when one crisis is active)')
    .option('--dry-run', 'check every row and report, write nothing', false)
    .option(
      '--map <column=field>',
      'map a column to a field (repeatable), e.g. --map "Nom=family_name"',
      collect,
      [] as string[],
    )
    .action(async (file: string, opts: { crisis?: string; dryRun: boolean; map: string[] }) => {
      const map = Object.fromEntries(
        opts.map.map((m) => {
          const at = m.lastIndexOf('=');
          if (at <= 0) throw new Error(`--map ${m}: use column=field`);
          return [m.slice(0, at), m.slice(at + 1)];
        }),
      );
      const data = readFileSync(file);
      await withCliContext(async (ctx) => {
        const crises = (await listCrisesIn(ctx, 'all')).filter((c) => c.status === 'active');
        const crisis = opts.crisis
          ? crises.find((c) => c.id === opts.crisis || c.slug === opts.crisis)
          : crises.length === 1
            ? crises[0]
            : undefined;
        if (!crisis)
          throw new Error(
            opts.crisis
              ? `no active crisis "${opts.crisis}"`
              : 'several (or no) active crises: give --crisis',
          );
        const bar = process.stderr.isTTY
          ? new cliProgress.SingleBar(
              { format: 'import [{bar}] {percentage}% | {value}/{total} households', stream: process.stderr },
              cliProgress.Presets.shades_classic,
            )
          : undefined;
        let started = false;
        try {
          const report = await importPersons(ctx, systemActor(`cli import ${basename(file)}`), crisis.id, {
            fileName: file,
            data,
            dryRun: opts.dryRun,
            map,
            onProgress: (done, total) => {
              if (!bar) return;
              if (!started) {
                bar.start(total, 0);
                started = true;
              }
              bar.update(done);
            },
          });
          bar?.stop();
          for (const e of report.errors)
            process.stdout.write(`row ${e.row}, column "${e.column}": ${e.message}\n`);
          process.stdout.write(
            `${report.dryRun ? 'Dry run: ' : ''}${report.rows} rows, ${report.households} households; ${report.dryRun ? 'would import' : 'imported'} ${report.dryRun ? report.valid : report.imported} households${report.dryRun ? '' : ` (${report.persons} persons)`}; ${report.errors.length} errors\n`,
          );
          if (report.errors.length > 0) process.exitCode = EXIT_ROW_ERRORS;
        } catch (error) {
          bar?.stop();
          if (error instanceof AppError)
            throw new Error(
              `${error.message} ${(error.fields ?? []).map((f) => `${f.path}: ${f.message}`).join('; ')}`.trim(),
            );
          throw error;
        }
      });
    });
}
