import type { Command } from 'commander';
import { withCliContext } from '../lib/cli-context.js';
import { verifyAuditChain } from './audit.service.js';

/** `corridor audit verify`: walks the hash chain; exit code 2 when a link is broken. */
export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('the audit trail');
  audit
    .command('verify')
    .description('verify the audit hash chain and report the first broken link')
    .action(async () => {
      const result = await withCliContext((ctx) => verifyAuditChain(ctx.db.db));
      if (result.ok) {
        process.stdout.write(`Audit chain intact: ${result.checked} entries verified.\n`);
      } else {
        process.stdout.write(
          `Audit chain BROKEN at entry ${result.firstBrokenSeq} (${result.checked} entries verified before it).\n`,
        );
        process.exitCode = 2;
      }
    });
}
