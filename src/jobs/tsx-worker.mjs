// Worker bootstrap used only when running from the TypeScript sources (development, tests):
// registers tsx in this thread, then loads the real worker module.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.workerModule);
