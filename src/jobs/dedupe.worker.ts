/** Worker: finds registrations of one person in a registry and explains each pair. */
import { parentPort, workerData } from 'node:worker_threads';
import {
  compareRecords,
  dedupe,
  type FieldExplanation,
  NameLexicon,
  type NameRecord,
  prepareRecords,
} from '../modules/matching/index.js';

export interface DedupeInput {
  /** Records with ids `<personId>|l` / `<personId>|a` (one per script). */
  records: NameRecord[];
}

export interface DuplicatePair {
  personA: string;
  personB: string;
  score: number;
  band: 'match' | 'review';
  fields: FieldExplanation[];
}

const owner = (id: string) => id.replace(/\|[la]$/, '');
const { records } = workerData as DedupeInput;
const prepared = prepareRecords(records, { lexicon: new NameLexicon() });
const result = dedupe(prepared);
const byId = new Map(records.map((r) => [r.id, r]));
const best = new Map<string, DuplicatePair>();

function consider(idA: string, idB: string, band: 'match' | 'review') {
  const [pa, pb] = [owner(idA), owner(idB)];
  if (pa === pb) return;
  const [personA, personB, ra, rb] = pa < pb ? [pa, pb, idA, idB] : [pb, pa, idB, idA];
  const explained = compareRecords(byId.get(ra)!, byId.get(rb)!, { context: prepared });
  const key = `${personA}|${personB}`;
  const seen = best.get(key);
  const pairBand = seen?.band === 'match' ? 'match' : band;
  if (!seen || explained.score > seen.score)
    best.set(key, { personA, personB, score: explained.score, band: pairBand, fields: explained.fields });
  else if (pairBand !== seen.band) seen.band = pairBand;
}

// Clusters (match band, guarded against chaining across conflicts): pair each member with the first.
const clusters = new Map<string, string[]>();
result.clusterIds.forEach((cluster, i) => {
  const members = clusters.get(cluster) ?? [];
  members.push(records[i]!.id);
  clusters.set(cluster, members);
});
for (const members of clusters.values()) {
  for (let i = 1; i < members.length; i++) consider(members[0]!, members[i]!, 'match');
}
for (const [a, b] of result.reviewPairs) consider(a, b, 'review');
parentPort?.postMessage([...best.values()]);
