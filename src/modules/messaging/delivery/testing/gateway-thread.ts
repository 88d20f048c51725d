/**
 * The fake gateway in its own thread (benchmark): it then answers on another core instead of
 * sharing the worker's event loop. Posts `{type:'ready', url, token}`, answers 'stats' with what it
 * accepted, and stops on 'close'.
 */
import { parentPort } from 'node:worker_threads';
import { startFakeGateway } from './fake-gateway.js';

const port = parentPort;
if (!port) throw new Error('gateway-thread runs as a worker thread');
const gateway = await startFakeGateway();
port.postMessage({ type: 'ready', url: gateway.url, token: gateway.token });
port.on('message', (message: string) => {
  if (message === 'stats') {
    port.postMessage({
      type: 'stats',
      requests: gateway.requests.length,
      replays: gateway.replays,
      accepted: [...gateway.accepted].map(([id, a]) => [id, a.count] as const),
      requested: [...gateway.requestCounts],
    });
  } else if (message === 'close') {
    void gateway.close().then(() => port.close());
  }
});
