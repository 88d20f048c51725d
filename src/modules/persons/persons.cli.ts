import type { Command } from 'commander';
import { systemActor } from '../../access/actor.js';
import { withCliContext } from '../../lib/cli-context.js';
import { loadDemo } from './demo.service.js';
import { runRetention } from './retention.service.js';

/** `corridor retention run` and `corridor demo`. */
export function registerPersonCommands(program: Command): void {
  const retention = program.command('retention').description('data retention');
  retention
    .command('run')
    .description('anonymise the people of crises closed for longer than their retention period')
    .option('--dry-run', 'report what would be anonymised, change nothing', false)
    .action(async (opts: { dryRun: boolean }) => {
      await withCliContext(async (ctx) => {
        const report = await runRetention(ctx, systemActor('cli retention'), { dryRun: opts.dryRun });
        for (const c of report.crises) {
          process.stdout.write(
            `${opts.dryRun ? 'would anonymise' : 'anonymised'} ${c.persons} persons in ${c.households} households of "${c.name}" (closed ${c.closedAt})\n`,
          );
        }
        if (report.crises.length === 0) process.stdout.write('no crisis is past its retention period\n');
        if (!opts.dryRun)
          process.stdout.write(
            `deleted ${report.idempotencyKeysDeleted} stored registration replies older than a day\n`,
          );
      });
    });

  program
    .command('demo')
    .description('load the synthetic "Israel–Gaza, October 2023" demonstration crisis (made-up people only)')
    .option('--households <n>', 'number of households', '3000')
    .action(async (opts: { households: string }) => {
      const count = Number.parseInt(opts.households, 10);
      if (!Number.isInteger(count) || count < 1 || count > 200_000)
        throw new Error('--households: a number from 1 to 200000');
      await withCliContext(async (ctx) => {
        const result = await loadDemo(ctx, count);
        process.stdout.write(
          `Demo crisis ${result.crisisId}: ${result.households} registrations, ${result.persons} persons (synthetic)\n`,
        );
      });
    });
}
