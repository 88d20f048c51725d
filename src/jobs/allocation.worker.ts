/** Worker: solves a seat allocation problem (see src/modules/transport/allocation). */
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../lib/errors.js';
import {
  AllocationInputError,
  type AllocationOptions,
  type AllocationPlan,
  type AllocationProblem,
  allocateSeats,
  type InputIssue,
} from '../modules/transport/allocation/index.js';

export interface AllocationWorkerInput {
  problem: AllocationProblem;
  options: AllocationOptions;
}

export type AllocationWorkerAnswer =
  | { ok: true; plan: AllocationPlan }
  | { ok: false; issues?: InputIssue[]; message: string };

const input = workerData as AllocationWorkerInput;
allocateSeats(input.problem, input.options).then(
  (plan) => parentPort?.postMessage({ ok: true, plan } satisfies AllocationWorkerAnswer),
  (error: unknown) =>
    parentPort?.postMessage(
      (error instanceof AllocationInputError
        ? { ok: false, issues: [...error.issues], message: error.message }
        : {
            ok: false,
            message: errorMessage(error),
          }) satisfies AllocationWorkerAnswer,
    ),
);
