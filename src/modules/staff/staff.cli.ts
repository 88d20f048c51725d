import type { Command } from 'commander';
import { systemActor } from '../../access/actor.js';
import { readStdin, withCliContext } from '../../lib/cli-context.js';
import { AppError } from '../../lib/errors.js';
import { totpFor } from './credentials.js';
import { inviteBody } from './staff.schemas.js';
import { createActiveStaff } from './staff.service.js';

/** `corridor admin create --email E --password-stdin`: scripted set-up of an administrator. */
export function registerStaffCommands(program: Command): void {
  const admin = program.command('admin').description('staff administration');
  admin
    .command('create')
    .description('create an active administrator; prints the TOTP secret to enrol in an authenticator app')
    .requiredOption('--email <email>', 'email address (the sign-in name)')
    .option('--name <name>', 'display name', 'Administrator')
    .option('--password-stdin', 'read the password from standard input', false)
    .action(async (opts: { email: string; name: string; passwordStdin: boolean }) => {
      if (!opts.passwordStdin) throw new Error('Give the password on standard input with --password-stdin.');
      const password = (await readStdin()).replace(/\r?\n$/, '');
      if (password.length < 12) throw new Error('password: use at least 12 characters.');
      const parsed = inviteBody.safeParse({
        email: opts.email,
        displayName: opts.name,
        grants: [{ role: 'administrator', crisisId: null }],
      });
      if (!parsed.success)
        throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      await withCliContext(async (ctx) => {
        try {
          const created = await createActiveStaff(ctx, systemActor('cli'), {
            email: parsed.data.email,
            displayName: parsed.data.displayName,
            password,
            grants: parsed.data.grants,
          });
          process.stdout.write(
            `Administrator created: ${parsed.data.email}\nTOTP secret: ${created.totpSecret}\nTOTP URI: ${totpFor(created.totpSecret, parsed.data.email).toString()}\n`,
          );
        } catch (error) {
          if (error instanceof AppError) throw new Error(error.message);
          throw error;
        }
      });
    });
}
