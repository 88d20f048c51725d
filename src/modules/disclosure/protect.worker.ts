/** Worker: protects a publication (src/modules/disclosure/protect.ts) off the request loop. */
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../../lib/errors.js';
import { type ProtectInput, type ProtectResult, type ProtectRules, protect } from './protect.js';

export interface ProtectWorkerInput {
  input: ProtectInput;
  rules: ProtectRules;
}

export type ProtectWorkerAnswer = { ok: true; result: ProtectResult } | { ok: false; message: string };

const data = workerData as ProtectWorkerInput;
protect(data.input, data.rules).then(
  (result) => parentPort?.postMessage({ ok: true, result } satisfies ProtectWorkerAnswer),
  (error: unknown) =>
    parentPort?.postMessage({
      ok: false,
      message: errorMessage(error),
    } satisfies ProtectWorkerAnswer),
);
