import type { Command } from 'commander';
import { withCliContext } from '../../lib/cli-context.js';
import { rotateSealedValues } from './key-rotation.service.js';

/** `corridor keys rotate`: seal every encrypted value again under the current SECRET_KEY. */
export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description('encryption keys of data at rest');
  keys
    .command('rotate')
    .description(
      're-encrypt sealed values under SECRET_KEY (set SECRET_KEY_PREVIOUS to the old key while rotating)',
    )
    .action(async () => {
      const counts = await withCliContext((ctx) => rotateSealedValues(ctx));
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      process.stdout.write(`Re-encrypted ${total} values: ${JSON.stringify(counts)}\n`);
    });
}
