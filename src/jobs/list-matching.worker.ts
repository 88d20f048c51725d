/** Worker: matches an approved list against a registry and explains each candidate. */
import { parentPort, workerData } from 'node:worker_threads';
import {
  compareRecords,
  type FieldExplanation,
  matchList,
  type NameRecord,
  prepareRegistry,
} from '../modules/matching/index.js';

export interface ListMatchingInput {
  registry: NameRecord[];
  list: NameRecord[];
  maxCandidates: number;
}

export interface ExplainedCandidate {
  listId: string;
  registryId: string;
  score: number;
  decision: 'match' | 'review';
  fields: FieldExplanation[];
}

const input = workerData as ListMatchingInput;
const prepared = prepareRegistry(input.registry);
const registryById = new Map(input.registry.map((r) => [r.id, r]));
const listById = new Map(input.list.map((r) => [r.id, r]));
const candidates = matchList(prepared, input.list, { maxCandidates: input.maxCandidates });
const explained: ExplainedCandidate[] = candidates.map((c) => {
  const a = registryById.get(c.registryId);
  const b = listById.get(c.listId);
  const fields = a && b ? compareRecords(a, b, { context: prepared.records }).fields : [];
  return { ...c, fields };
});
parentPort?.postMessage(explained);
