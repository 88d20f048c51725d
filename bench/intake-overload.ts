/**
 * Overload benchmark: what the public intake's load shedding (intake-admission.ts) does when more
 * registrations arrive than can be stored. The same server (SQLite, synchronous=FULL) is loaded
 * twice by many more clients than it stores in the allowed wait: once with load shedding, once with
 * it switched off (the baseline, the intake before it: every registration queued, however long).
 * The wait is scaled down so a loopback load generator can overfill it (BENCH_MAX_WAIT_SECONDS
 * 0.05 instead of the 5 s default, BENCH_MIN_QUEUED 100 instead of 1,000; 1,000 connections); the
 * mechanism is the same at full scale.
 *
 *   npm run bench:intake-overload   (BENCH_SECONDS=10 BENCH_CONNECTIONS=1000
 *                                    BENCH_MAX_WAIT_SECONDS=0.05 BENCH_MIN_QUEUED=100)
 *
 * Prints one JSON line: stored and refused per second, latency of stored and of refused answers
 * (p50/p99, ms), for both runs, and the ratio of the stored answers' p99 (shedding / baseline).
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { singleRegistration } from '../test/fixtures/persons/registrations.js';
import { freePort, root, seededServerEnv, startNode, waitFor } from './lib/server.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 1000);
const maxWait = process.env.BENCH_MAX_WAIT_SECONDS ?? '0.05';
const minQueued = process.env.BENCH_MIN_QUEUED ?? '100';

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? null
    : Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!);

interface Run {
  storedPerSec: number;
  refusedPerSec: number;
  otherAnswers: number;
  stored: { p50Ms: number | null; p99Ms: number | null };
  refused: { p50Ms: number | null; p99Ms: number | null };
  refusedWithRetryAfter: boolean;
}

let counter = 0;
const salt = randomBytes(4).toString('hex');

async function run(shedding: boolean): Promise<Run> {
  const env = await seededServerEnv('overload', {
    LOG_LEVEL: 'error',
    INTAKE_MAX_WAIT_SECONDS: maxWait,
    // Off: a backlog no load generator reaches.
    INTAKE_MIN_QUEUED: shedding ? minQueued : '1000000',
  });
  const port = await freePort();
  const server = startNode(['--max-semi-space-size=64', join(root, 'src/entrypoints/http.ts')], {
    ...env,
    PORT: String(port),
    HOST: '127.0.0.1',
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/readyz`, server);

  // Bodies are made before the load, so the generator spends the measured seconds sending.
  const bodies = Array.from({ length: 4000 }, (_, i) => JSON.stringify(singleRegistration(i + 1)));
  const latencies = { stored: [] as number[], refused: [] as number[] };
  let other = 0;
  let retryAfter = true;
  let measuring = false;
  const requests: autocannon.Request[] = [
    {
      method: 'POST',
      path: '/api/v1/public/registrations',
      setupRequest: (req, context) => {
        counter += 1;
        (context as { sentAt?: number }).sentAt = performance.now();
        return {
          ...req,
          headers: { 'content-type': 'application/json', 'idempotency-key': `overload-${salt}-${counter}` },
          body: bodies[counter % bodies.length]!,
        };
      },
      onResponse: (status, _body, context, headers) => {
        if (!measuring) return;
        const ms = performance.now() - ((context as { sentAt?: number }).sentAt ?? 0);
        if (status === 201) latencies.stored.push(ms);
        else if (status === 503) {
          latencies.refused.push(ms);
          if (!headers?.['retry-after']) retryAfter = false;
        } else other += 1;
      },
    },
  ];
  const load = (duration: number, conns: number) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      autocannon({ url, connections: conns, duration, requests, timeout: 30 }, (error, result) =>
        error ? reject(error) : resolve(result),
      );
    });
  await load(2, 100); // warm-up: JIT, statement caches, the measured storing rate
  measuring = true;
  const result = await load(seconds, connections);
  measuring = false;
  server.kill('SIGKILL');
  await new Promise((r) => server.once('exit', r));
  rmSync(env.DATA_DIR!, { recursive: true, force: true });

  const stored = latencies.stored.sort((a, b) => a - b);
  const refused = latencies.refused.sort((a, b) => a - b);
  return {
    storedPerSec: Math.round(stored.length / result.duration),
    refusedPerSec: Math.round(refused.length / result.duration),
    otherAnswers: other + result.errors + result.timeouts,
    stored: { p50Ms: percentile(stored, 0.5), p99Ms: percentile(stored, 0.99) },
    refused: { p50Ms: percentile(refused, 0.5), p99Ms: percentile(refused, 0.99) },
    refusedWithRetryAfter: refused.length > 0 && retryAfter,
  };
}

const baseline = await run(false);
const shedding = await run(true);
process.stdout.write(
  `${JSON.stringify({
    shedding,
    baseline,
    storedP99Ratio:
      shedding.stored.p99Ms !== null && baseline.stored.p99Ms
        ? Math.round((shedding.stored.p99Ms / baseline.stored.p99Ms) * 100) / 100
        : null,
    storedPerSecRatio:
      baseline.storedPerSec > 0
        ? Math.round((shedding.storedPerSec / baseline.storedPerSec) * 100) / 100
        : null,
    connections,
    seconds,
    maxWaitSeconds: Number(maxWait),
    minQueued: Number(minQueued),
  })}\n`,
);
