/**
 * `corridor match` and `corridor dedupe`: the matching library on CSV files. The contract (flags,
 * columns, exit codes) is documented in docs/matching.md and tested by spawning the CLI.
 */
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import cliProgress from 'cli-progress';
import { type Command, InvalidArgumentError } from 'commander';
import { CsvInputError, formatCsv, readPeopleCsv, writeCsvAtomic } from './csv-io.js';
import { matchList } from './list-matching.js';
import { dedupe } from './matching.js';
import { DEFAULT_THRESHOLDS, type Thresholds } from './types.js';

/** Exit code for bad input files (usage errors exit 1 through commander). */
export const EXIT_BAD_INPUT = 2;

function parseBits(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number)) throw new InvalidArgumentError('expected a number (bits)');
  return number;
}

/** A progress reporter that draws a bar only for a person watching a terminal. */
function progress(label: string): { update: (done: number, total: number) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total}`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update: (done, total) => {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

function thresholdsFrom(options: { threshold?: number; reviewThreshold?: number }): Thresholds {
  const match = options.threshold ?? DEFAULT_THRESHOLDS.match;
  const review = options.reviewThreshold ?? Math.min(DEFAULT_THRESHOLDS.review, match);
  return { match, review: Math.min(review, match) };
}

/** Runs a command body, turning input errors into one clear line and a non-zero exit. */
function guarded(body: () => void): void {
  try {
    body();
  } catch (error) {
    if (error instanceof CsvInputError) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = EXIT_BAD_INPUT;
      return;
    }
    throw error;
  }
}

interface MatchCommandOptions {
  registry: string;
  list: string;
  out: string;
  threshold?: number;
  reviewThreshold?: number;
}

function runMatch(options: MatchCommandOptions): void {
  guarded(() => {
    const started = performance.now();
    const registry = readPeopleCsv(options.registry);
    const list = readPeopleCsv(options.list);
    const bar = progress('matching');
    const candidates = matchList(registry, list, {
      thresholds: thresholdsFrom(options),
      onProgress: bar.update,
    });
    bar.stop();
    const rows: Array<Array<string | number>> = [['list_id', 'registry_id', 'score', 'decision']];
    const listRows = new Set<string>();
    const matchedRows = new Set<string>();
    for (const candidate of candidates) {
      rows.push([candidate.listId, candidate.registryId, candidate.score.toFixed(2), candidate.decision]);
      listRows.add(candidate.listId);
      if (candidate.decision === 'match') matchedRows.add(candidate.listId);
    }
    writeCsvAtomic(options.out, formatCsv(rows));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stderr.write(
      `match: ${list.length} list rows against ${registry.length} registrations: ${matchedRows.size} with a match, ` +
        `${listRows.size - matchedRows.size} to review, ${list.length - listRows.size} without candidate; ` +
        `wrote ${candidates.length} rows to ${basename(options.out)} in ${seconds} s\n`,
    );
  });
}

interface DedupeCommandOptions {
  input: string;
  out: string;
  threshold?: number;
  reviewThreshold?: number;
}

function runDedupe(options: DedupeCommandOptions): void {
  guarded(() => {
    const started = performance.now();
    const records = readPeopleCsv(options.input);
    const bar = progress('deduplicating');
    const result = dedupe(records, { thresholds: thresholdsFrom(options), onProgress: bar.update });
    bar.stop();
    const rows: string[][] = [['id', 'cluster_id']];
    for (let i = 0; i < records.length; i++) rows.push([records[i]?.id ?? '', result.clusterIds[i] ?? '']);
    writeCsvAtomic(options.out, formatCsv(rows));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stderr.write(
      `dedupe: ${records.length} records in ${result.clusterCount} clusters ` +
        `(${records.length - result.clusterCount} duplicates, ${result.reviewPairs.length} pairs to review); ` +
        `wrote ${basename(options.out)} in ${seconds} s\n`,
    );
  });
}

/** Registers `match` and `dedupe` on the corridor command line. */
export function registerMatchingCommands(program: Command): void {
  program
    .command('match')
    .description('match a published list of names against the registry')
    .requiredOption('--registry <file>', 'registry CSV (id,full_name, optional parts, date_of_birth...)')
    .requiredOption('--list <file>', 'list CSV, same columns')
    .requiredOption('--out <file>', 'output CSV: list_id,registry_id,score,decision')
    .option(
      '--threshold <bits>',
      `score from which a candidate is a match (default ${DEFAULT_THRESHOLDS.match})`,
      parseBits,
    )
    .option(
      '--review-threshold <bits>',
      `score from which a candidate is worth review (default ${DEFAULT_THRESHOLDS.review})`,
      parseBits,
    )
    .action(runMatch);
  program
    .command('dedupe')
    .description('group registrations that describe the same person')
    .requiredOption('--input <file>', 'people CSV (same columns as the registry)')
    .requiredOption('--out <file>', 'output CSV: id,cluster_id')
    .option(
      '--threshold <bits>',
      `score from which two records are merged (default ${DEFAULT_THRESHOLDS.match})`,
      parseBits,
    )
    .action(runDedupe);
}
