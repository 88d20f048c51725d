/**
 * Matching benchmark: a synthetic registry with known truth (see lib/synthetic-registry.ts),
 * deduplicated and matched against a published list by the library, and by a plain baseline on a
 * sample in the same run. Progress goes to stderr; the last line of stdout is one JSON object.
 *
 *   npm run bench:matching -- --records 100000 --list 5000
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { dedupe, matchList, type NameRecord } from '../src/modules/matching/index.js';
import { baselineDedupe, baselineMatch } from './lib/baseline.js';
import { clusteringF1, listMatchQuality, round4, type ScoredCandidate } from './lib/cluster-metrics.js';
import { generateSyntheticData } from './lib/synthetic-registry.js';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '1000000' },
    list: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '20231101' },
    'baseline-records': { type: 'string', default: '2000' },
    'baseline-list': { type: 'string', default: '100' },
    'baseline-registry': { type: 'string', default: '20000' },
    'match-threshold': { type: 'string' },
    'review-threshold': { type: 'string' },
    'max-block-size': { type: 'string' },
  },
});
const size = (name: keyof typeof values): number => Number.parseInt(String(values[name]), 10);

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function peakMB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

const optional = (name: keyof typeof values): number | undefined =>
  values[name] === undefined ? undefined : Number(values[name]);
const thresholds = {
  ...(optional('match-threshold') === undefined ? {} : { match: optional('match-threshold') }),
  ...(optional('review-threshold') === undefined ? {} : { review: optional('review-threshold') }),
};
const tuning = {
  thresholds,
  ...(optional('max-block-size') === undefined ? {} : { maxBlockSize: optional('max-block-size') }),
};

const seconds = (since: number): number => round4((performance.now() - since) / 1000);

log(`generating ${size('records')} registrations and a list of ${size('list')}...`);
let started = performance.now();
const data = generateSyntheticData({ records: size('records'), listSize: size('list'), seed: size('seed') });
log(`  ${data.registry.length} registrations of ${data.persons} persons in ${seconds(started)} s`);
const registryIndex = new Map(data.registry.map((record, i) => [record.id, i]));
const listIndex = new Map(data.list.map((record, i) => [record.id, i]));
const registered = new Set(data.registryEntity);

// --- library: dedupe -------------------------------------------------------------------------
log('dedupe...');
started = performance.now();
const deduped = dedupe(data.registry, tuning);
const dedupeSeconds = seconds(started);
const dedupePeak = peakMB();
const labels = Int32Array.from(deduped.clusterIds, (id) => registryIndex.get(id) ?? -1);
const dedupeQuality = clusteringF1(labels, data.registryEntity);
log(
  `  ${dedupeSeconds} s, ${deduped.comparisons} comparisons, ${deduped.clusterCount} clusters, ${JSON.stringify(dedupeQuality)}`,
);

// --- library: list matching ------------------------------------------------------------------
log('list matching...');
started = performance.now();
const candidates = matchList(data.registry, data.list, tuning);
const listSeconds = seconds(started);
const scored: ScoredCandidate[] = candidates.map((candidate) => ({
  listIndex: listIndex.get(candidate.listId) ?? -1,
  registryIndex: registryIndex.get(candidate.registryId) ?? -1,
  score: candidate.score,
  match: candidate.decision === 'match',
}));
const listQuality = listMatchQuality(scored, data.listEntity, data.registryEntity, registered);
log(`  ${listSeconds} s, ${candidates.length} candidates, ${JSON.stringify(listQuality)}`);

// --- baseline on samples ---------------------------------------------------------------------
function sampleByEntity(limit: number): number[] {
  // Whole persons (all their registrations), so the sample's truth is complete.
  const sortedEntities = Int32Array.from(data.registryEntity).sort();
  const bound = sortedEntities[Math.min(limit, sortedEntities.length) - 1] ?? 0;
  const picked: number[] = [];
  data.registryEntity.forEach((entity, i) => {
    if (entity < bound) picked.push(i);
  });
  return picked;
}

log('baseline dedupe (sample)...');
const dedupeSample = sampleByEntity(size('baseline-records'));
const sampleRecords = dedupeSample.map((i) => data.registry[i] as NameRecord);
started = performance.now();
const baselineLabels = baselineDedupe(sampleRecords);
const baselineDedupeSeconds = seconds(started);
const baselineDedupeQuality = clusteringF1(
  baselineLabels,
  dedupeSample.map((i) => data.registryEntity[i] ?? -1),
);
log(
  `  ${sampleRecords.length} records, ${baselineDedupeSeconds} s, ${JSON.stringify(baselineDedupeQuality)}`,
);

log('baseline list matching (sample)...');
const listSample = Array.from({ length: Math.min(size('baseline-list'), data.list.length) }, (_, q) => q);
const wanted = new Set(listSample.map((q) => data.listEntity[q] ?? -1));
const registrySample: number[] = [];
data.registryEntity.forEach((entity, i) => {
  if (wanted.has(entity)) registrySample.push(i);
});
for (let i = 0; registrySample.length < size('baseline-registry') && i < data.registry.length; i++) {
  if (!wanted.has(data.registryEntity[i] ?? -1)) registrySample.push(i);
}
started = performance.now();
const baselineCandidates = baselineMatch(
  registrySample.map((i) => data.registry[i] as NameRecord),
  listSample.map((q) => data.list[q] as NameRecord),
);
const baselineListSeconds = seconds(started);
const baselineListQuality = listMatchQuality(
  baselineCandidates.map((candidate) => ({
    ...candidate,
    registryIndex: registrySample[candidate.registryIndex] ?? -1,
  })),
  Int32Array.from(listSample, (q) => data.listEntity[q] ?? -1),
  data.registryEntity,
  registered,
);
log(
  `  ${listSample.length} rows x ${registrySample.length} registrations, ${baselineListSeconds} s, ${JSON.stringify(baselineListQuality)}`,
);

console.log(
  JSON.stringify({
    dedupe: { records: data.registry.length, seconds: dedupeSeconds, peakMB: dedupePeak, ...dedupeQuality },
    listMatch: {
      listSize: data.list.length,
      registrySize: data.registry.length,
      seconds: listSeconds,
      ...listQuality,
    },
    baseline: {
      dedupe: {
        records: sampleRecords.length,
        seconds: baselineDedupeSeconds,
        peakMB: peakMB(),
        ...baselineDedupeQuality,
      },
      listMatch: {
        listSize: listSample.length,
        registrySize: registrySample.length,
        seconds: baselineListSeconds,
        ...baselineListQuality,
      },
    },
  }),
);
