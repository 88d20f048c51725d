#!/usr/bin/env node
/** The `corridor` command line: composition only; each module registers its own commands. */
import { Command } from 'commander';
import { registerAuditCommands } from '../audit/audit.cli.js';
import { registerDatabaseCommands } from '../db/database.cli.js';
import { registerWorkerCommand } from '../jobs/worker.cli.js';
import { errorMessage } from '../lib/errors.js';
import { registerImportCommands } from '../modules/imports/imports.cli.js';
import { registerKeyCommands } from '../modules/keys/keys.cli.js';
import { registerMatchingCommands } from '../modules/matching/matching.cli.js';
import { registerPersonCommands } from '../modules/persons/persons.cli.js';
import { registerStaffCommands } from '../modules/staff/staff.cli.js';

const program = new Command();
program.name('corridor').description('Corridor command line').showHelpAfterError();
registerStaffCommands(program);
registerDatabaseCommands(program);
registerAuditCommands(program);
registerMatchingCommands(program);
registerKeyCommands(program);
registerWorkerCommand(program);
registerImportCommands(program);
registerPersonCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`corridor: ${errorMessage(error)}\n`);
  process.exitCode = process.exitCode || 1;
}
