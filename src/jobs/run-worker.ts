import { type Transferable, Worker } from 'node:worker_threads';

/**
 * Starts a worker thread on a module with `data` as its workerData (ports in `data` go in
 * `transferList`). From the TypeScript sources
 * (development, tests) the module is loaded through tsx (tsx-worker.mjs).
 */
export function startWorker(moduleUrl: URL, data: object, transferList: Transferable[] = []): Worker {
  return moduleUrl.pathname.endsWith('.ts')
    ? new Worker(new URL('./tsx-worker.mjs', import.meta.url), {
        workerData: { ...data, workerModule: moduleUrl.href },
        transferList,
      })
    : new Worker(moduleUrl, { workerData: data, transferList });
}

/**
 * Runs a worker module with `data` and resolves with the one message it posts. Heavy work
 * (matching a list against a whole registry) runs here so the server keeps answering meanwhile.
 * From the TypeScript sources (development, tests) the worker is loaded through tsx.
 */
export function runWorker<TIn, TOut>(moduleUrl: URL, data: TIn): Promise<TOut> {
  return new Promise<TOut>((resolve, reject) => {
    const worker = startWorker(moduleUrl, data as object);
    let settled = false;
    worker.once('message', (message: TOut) => {
      settled = true;
      resolve(message);
      void worker.terminate();
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`The worker stopped (exit code ${code}) without an answer.`));
    });
  });
}
