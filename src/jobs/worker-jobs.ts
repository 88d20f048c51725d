import type { RawTable } from '../modules/crossings/list-parsing/list-table.js';
import { ListFormatError } from '../modules/crossings/list-parsing/list-table.js';
import { AllocationInputError, type AllocationPlan } from '../modules/transport/allocation/index.js';
import type { AllocationWorkerAnswer, AllocationWorkerInput } from './allocation.worker.js';
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

type PdfAnswer =
  | { ok: true; table: RawTable }
  | {
      ok: false;
      listError?: { file: string; message: string; row?: string; column?: string };
      message?: string;
    };

/** Reads a text PDF's table in a worker thread (see pdf-table.worker.ts). */
export async function runPdfTable(file: string, data: Uint8Array): Promise<RawTable> {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const answer = await runWorker<{ file: string; data: Uint8Array }, PdfAnswer>(
    new URL(`./pdf-table.worker${ext}`, import.meta.url),
    { file, data },
  );
  if (answer.ok) return answer.table;
  if (answer.listError)
    throw new ListFormatError(
      answer.listError.file,
      answer.listError.message,
      answer.listError.row,
      answer.listError.column,
    );
  throw new Error(answer.message ?? 'The PDF could not be read.');
}

/** Solves a seat allocation in a worker thread (see allocation.worker.ts); bad input throws AllocationInputError. */
export async function runAllocation(input: AllocationWorkerInput): Promise<AllocationPlan> {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const answer = await runWorker<AllocationWorkerInput, AllocationWorkerAnswer>(
    new URL(`./allocation.worker${ext}`, import.meta.url),
    input,
  );
  if (answer.ok) return answer.plan;
  if (answer.issues) throw new AllocationInputError(answer.issues);
  throw new Error(answer.message);
}
