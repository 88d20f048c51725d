import { Worker } from 'node:worker_threads';

/**
 * Runs a worker module with `data` and resolves with the one message it posts. Heavy work
 * (matching a list against a whole registry) runs here so the server keeps answering meanwhile.
 * From the TypeScript sources (development, tests) the worker is loaded through tsx.
 */
export function runWorker<TIn, TOut>(moduleUrl: URL, data: TIn): Promise<TOut> {
  const fromSources = moduleUrl.pathname.endsWith('.ts');
  return new Promise<TOut>((resolve, reject) => {
    const worker = fromSources
      ? new Worker(new URL('./tsx-worker.mjs', import.meta.url), {
          workerData: { ...data, workerModule: moduleUrl.href },
        })
      : new Worker(moduleUrl, { workerData: data });
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
