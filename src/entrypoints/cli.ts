#!/usr/bin/env node
/** The `corridor` command line: composition only; each module registers its own commands. */
import { Command } from 'commander';
import { registerMatchingCommands } from '../modules/matching/matching.cli.js';

const program = new Command();
program.name('corridor').description('Corridor command line').showHelpAfterError();
registerMatchingCommands(program);

await program.parseAsync(process.argv);
