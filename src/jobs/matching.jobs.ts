import type { DedupeInput, DuplicatePair } from './dedupe.worker.js';
import type { ExplainedCandidate, ListMatchingInput } from './list-matching.worker.js';
import { runWorker } from './run-worker.js';

/** Matches a list against a registry in a worker thread (see list-matching.worker.ts). */
export function runListMatching(input: ListMatchingInput): Promise<ExplainedCandidate[]> {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return runWorker<ListMatchingInput, ExplainedCandidate[]>(
    new URL(`./list-matching.worker${ext}`, import.meta.url),
    input,
  );
}

/** Finds duplicate registrations in a worker thread (see dedupe.worker.ts). */
export function runDedupe(input: DedupeInput): Promise<DuplicatePair[]> {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return runWorker<DedupeInput, DuplicatePair[]>(new URL(`./dedupe.worker${ext}`, import.meta.url), input);
}
