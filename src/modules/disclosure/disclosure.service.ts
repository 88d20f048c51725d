import type { Actor } from '../../access/actor.js';
import type { Permission } from '../../access/permissions.js';
import { holdsInCrisis, requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import { runWorker } from '../../jobs/run-worker.js';
import { nowIso } from '../../lib/clock.js';
import { conflict, notFound, validationFailed } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { PortalLang } from '../../portal/i18n.js';
import { activeCrises } from '../persons/crisis-directory.js';
import { ELIGIBILITIES, INTENTIONS, PERSON_STATUSES } from '../persons/person.schemas.js';
import {
  countRegistry,
  type FrozenCounts,
  findCounts,
  findRules,
  insertCountsOnce,
  saveRules,
} from './disclosure.repository.js';
import { DEFAULT_RULES } from './disclosure.schemas.js';
import { type Sentence, sentencesFor } from './disclosure.sentences.js';
import type { DisclosureRulesTable } from './disclosure.table.js';
import {
  type AxisInput,
  type ProtectInput,
  type ProtectResult,
  type ProtectRules,
  ruleProblems,
  type TableInput,
  withoutReasons,
} from './protect.js';
import type { ProtectWorkerAnswer, ProtectWorkerInput } from './protect.worker.js';
import { BREAKDOWNS, type DisclosureRules, type PublishableTables, type PublishedTable } from './types.js';

// ── Rules ────────────────────────────────────────────────────────────────────────────────────────

export interface RulesView {
  crisisId: string;
  rules: DisclosureRules;
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
  isDefault: boolean;
}

/** Who may see figures and rules: analysts and managers (report.read), aggregate viewers, publishers. */
const FIGURE_READERS: Permission[] = ['report.read', 'person.aggregate', 'report.publish'];

async function requireCrisis(ctx: AppContext, actor: Actor, crisisId: string, permissions: Permission[]) {
  if (!permissions.some((p) => holdsInCrisis(actor, p, crisisId))) throw notFound('crisis');
  const crisis = await ctx.db.db
    .selectFrom('crises')
    .select(['id', 'status'])
    .where('id', '=', crisisId)
    .executeTakeFirst();
  if (!crisis) throw notFound('crisis');
  return crisis;
}

const toRules = (row: DisclosureRulesTable): DisclosureRules => ({
  minCount: row.min_count,
  roundingBase: row.rounding_base,
  bands: JSON.parse(row.bands) as DisclosureRules['bands'],
  breakdowns: JSON.parse(row.breakdowns) as DisclosureRules['breakdowns'],
  restricted: row.restricted,
  publicAdvice: JSON.parse(row.public_advice) as DisclosureRules['publicAdvice'],
});

async function rulesOf(ctx: AppContext, crisisId: string): Promise<RulesView> {
  const row = await findRules(ctx.db.db, crisisId);
  if (!row)
    return { crisisId, rules: DEFAULT_RULES, version: 0, updatedAt: null, updatedBy: null, isDefault: true };
  return {
    crisisId,
    rules: toRules(row),
    version: row.version,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
    isDefault: false,
  };
}

export async function getRules(ctx: AppContext, actor: Actor, crisisId: string): Promise<RulesView> {
  await requireCrisis(ctx, actor, crisisId, FIGURE_READERS);
  return rulesOf(ctx, crisisId);
}

/** Changes the rules (report.publish), audited with the new rules (they hold no personal data). */
export async function updateRules(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  input: { rules: DisclosureRules; version: number },
): Promise<RulesView> {
  await requireCrisis(ctx, actor, crisisId, FIGURE_READERS);
  requireAccess(actor, 'report.publish', crisisId);
  const problems = ruleProblems(input.rules);
  if (problems.length)
    throw validationFailed(problems.map((p) => ({ path: `rules.${p.field}`, message: p.message })));
  const rules: DisclosureRules = {
    ...input.rules,
    breakdowns: BREAKDOWNS.flatMap((key) => input.rules.breakdowns.filter((b) => b.key === key)),
  };
  const row: DisclosureRulesTable = {
    crisis_id: crisisId,
    min_count: rules.minCount,
    rounding_base: rules.roundingBase,
    bands: JSON.stringify(rules.bands),
    breakdowns: JSON.stringify(rules.breakdowns),
    restricted: rules.restricted,
    public_advice: JSON.stringify(rules.publicAdvice),
    version: input.version + 1,
    updated_by: actor.id,
    updated_at: nowIso(),
  };
  await ctx.db.writer.write(async (trx) => {
    const saved = await saveRules(trx, row, input.version);
    if (!saved) throw conflict('The rules were changed meanwhile; reload them and try again.');
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'disclosure.rules_updated',
      entityType: 'disclosure_rules',
      entityId: crisisId,
      crisisId,
      change: { version: row.version, rules },
    });
  });
  return rulesOf(ctx, crisisId);
}

// ── Tables from counts ───────────────────────────────────────────────────────────────────────────

const sum = (rows: FrozenCounts['rows'], keep: (r: FrozenCounts['rows'][number]) => boolean) =>
  rows.reduce((total, r) => (keep(r) ? total + r.n : total), 0);

const fixedAxis = (dimension: string, values: readonly string[]): AxisInput => ({
  dimension,
  categories: values.map((v) => ({ key: v, label: v })),
});

/** The breakdown tables the rules allow, as true counts for the disclosure library. */
export function tablesFromCounts(
  counts: FrozenCounts,
  rules: Pick<DisclosureRules, 'breakdowns'>,
): TableInput[] {
  const zoneIds = new Set(counts.zones.map((z) => z.id));
  const zoneKey = (id: string | null) => (id !== null && zoneIds.has(id) ? id : 'none');
  const zoneAxis: AxisInput = {
    dimension: 'zone',
    categories: [
      ...counts.zones.map((z) => ({ key: z.id, label: z.name })),
      ...(counts.zones.length === 0 || counts.rows.some((r) => zoneKey(r.z) === 'none')
        ? [{ key: 'none', label: 'none' }]
        : []),
    ],
  };
  // Values outside today's vocabularies (older data) count under the nearest safe bucket: never lost.
  const known = (values: readonly string[], v: string, fallback: string) =>
    values.includes(v) ? v : fallback;
  const intention = (r: FrozenCounts['rows'][number]) => known(INTENTIONS, r.i, 'undecided');
  const status = (r: FrozenCounts['rows'][number]) => known(PERSON_STATUSES, r.s, 'registered');
  const eligibility = (r: FrozenCounts['rows'][number]) => known(ELIGIBILITIES, r.e, 'to_verify');
  const rows = counts.rows;
  const zoneKeys = zoneAxis.categories.map((c) => c.key);

  const tables: TableInput[] = [];
  for (const { key, style } of rules.breakdowns) {
    switch (key) {
      case 'total':
        tables.push({ id: key, style, counts: [[sum(rows, () => true)]] });
        break;
      case 'zone':
        tables.push({
          id: key,
          style,
          rows: zoneAxis,
          counts: zoneKeys.map((z) => [sum(rows, (r) => zoneKey(r.z) === z)]),
        });
        break;
      case 'intention':
        tables.push({
          id: key,
          style,
          rows: fixedAxis('intention', INTENTIONS),
          counts: INTENTIONS.map((v) => [sum(rows, (r) => intention(r) === v)]),
        });
        break;
      case 'zone_intention':
        tables.push({
          id: key,
          style,
          rows: zoneAxis,
          columns: fixedAxis('intention', INTENTIONS),
          counts: zoneKeys.map((z) =>
            INTENTIONS.map((v) => sum(rows, (r) => zoneKey(r.z) === z && intention(r) === v)),
          ),
        });
        break;
      case 'status':
        tables.push({
          id: key,
          style,
          rows: fixedAxis('status', PERSON_STATUSES),
          counts: PERSON_STATUSES.map((v) => [sum(rows, (r) => status(r) === v)]),
        });
        break;
      case 'eligibility':
        tables.push({
          id: key,
          style,
          rows: fixedAxis('eligibility', ELIGIBILITIES),
          counts: ELIGIBILITIES.map((v) => [sum(rows, (r) => eligibility(r) === v)]),
        });
        break;
      case 'departed':
        tables.push({
          id: key,
          style,
          rows: fixedAxis('departed', ['departed', 'not_departed']),
          counts: [[sum(rows, (r) => r.d === 1)], [sum(rows, (r) => r.d === 0)]],
        });
        break;
      case 'on_list':
        tables.push({
          id: key,
          style,
          rows: fixedAxis('on_list', ['listed', 'not_listed']),
          counts: [[sum(rows, (r) => r.l === 1)], [sum(rows, (r) => r.l === 0)]],
        });
        break;
    }
  }
  return tables;
}

// ── Publication ──────────────────────────────────────────────────────────────────────────────────

const today = () => new Date().toISOString().slice(0, 10);

/** The parts of the rules that shape the tables (everything but the advice text). */
type TableRules = Omit<DisclosureRules, 'publicAdvice'>;
const tableRules = (r: DisclosureRules): TableRules => ({
  minCount: r.minCount,
  roundingBase: r.roundingBase,
  bands: r.bands,
  breakdowns: r.breakdowns,
  restricted: r.restricted,
});

/** A day's publication: its counts and the rules in force when they were frozen. */
interface Publication {
  computedAt: string;
  counts: FrozenCounts;
  rules: TableRules;
}

/**
 * The publication of `day`: the registry's counts and the table rules, taken together at the first
 * request of the UTC day and frozen. Public figures change at most once a day, and a change of the
 * rules applies from the next day's publication — two protections of the same counts under
 * different rules (other complements, another rounding, with and without restricted persons) could
 * otherwise be set against each other. The advice text is not frozen.
 */
async function publicationOf(ctx: AppContext, crisisId: string, day: string): Promise<Publication> {
  const read = (row: { computed_at: string; counts: string }): Publication => {
    const stored = JSON.parse(row.counts) as { counts: FrozenCounts; rules: TableRules };
    return { computedAt: row.computed_at, counts: stored.counts, rules: stored.rules };
  };
  const existing = await findCounts(ctx.db.db, crisisId, day);
  if (existing) return read(existing);
  const { rules } = await rulesOf(ctx, crisisId);
  const counts = await countRegistry(ctx.db.db, crisisId, day);
  const row = {
    id: newId(),
    crisis_id: crisisId,
    day,
    computed_at: nowIso(),
    counts: JSON.stringify({ counts, rules: tableRules(rules) }),
  };
  await ctx.db.writer.write(async (trx) => {
    if (await insertCountsOnce(trx, row)) {
      await recordAudit(
        trx,
        ctx.db.dialect,
        { kind: 'system', id: null, label: 'disclosure' },
        {
          action: 'disclosure.counts_frozen',
          entityType: 'disclosure_counts',
          entityId: row.id,
          crisisId,
          change: { day, rules: tableRules(rules) },
        },
      );
    }
  });
  const stored = await findCounts(ctx.db.db, crisisId, day);
  if (!stored) throw new Error('The day’s counts were not stored.');
  return read(stored);
}

interface Derived {
  day: string;
  computedAt: string;
  rules: TableRules;
  result: ProtectResult;
  /** Current zone names (labels) by id. */
  zoneNames: Map<string, string>;
  /** The advice text in force now. */
  advice: DisclosureRules['publicAdvice'];
  /** The saved rules differ from those of the day's publication (they apply from tomorrow). */
  pendingChange: boolean;
}

type Protected = Pick<Derived, 'day' | 'computedAt' | 'rules' | 'result'>;

/**
 * Protected publications by crisis and day. The day's counts and rules are frozen, so the linear
 * programmes run once per crisis per day; the HTTP answers on top are cached for a minute by
 * clients and proxies.
 */
const MAX_CACHED = 256;
const cache = new Map<string, Promise<Protected>>();

/** Runs the linear programmes in a worker thread (they can take a second or two on large crises). */
async function protectOffLoop(input: ProtectInput, rules: ProtectRules): Promise<ProtectResult> {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const answer = await runWorker<ProtectWorkerInput, ProtectWorkerAnswer>(
    new URL(`./protect.worker${ext}`, import.meta.url),
    { input, rules },
  );
  if (!answer.ok) throw new Error(answer.message);
  return answer.result;
}

async function protectCounts(publication: Publication, day: string): Promise<Protected> {
  const { counts, rules } = publication;
  const result = await protectOffLoop(
    {
      tables: tablesFromCounts(counts, rules),
      ...(rules.restricted === 'total_only' ? { restrictedCount: counts.restricted } : {}),
    },
    rules,
  );
  return { day, computedAt: publication.computedAt, rules, result };
}

async function derive(ctx: AppContext, crisisId: string, source: 'published' | 'live'): Promise<Derived> {
  const current = (await rulesOf(ctx, crisisId)).rules;
  const day = today();
  let protectedFigures: Protected;
  if (source === 'live') {
    protectedFigures = await protectCounts(
      {
        computedAt: nowIso(),
        counts: await countRegistry(ctx.db.db, crisisId, day),
        rules: tableRules(current),
      },
      day,
    );
  } else {
    const key = `${crisisId}|${day}`;
    let pending = cache.get(key);
    if (!pending) {
      pending = publicationOf(ctx, crisisId, day).then((publication) => protectCounts(publication, day));
      cache.set(key, pending);
      pending.catch(() => cache.delete(key));
      while (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
    }
    protectedFigures = await pending;
  }
  const zones = await ctx.db.db
    .selectFrom('zones')
    .select(['id', 'name'])
    .where('crisis_id', '=', crisisId)
    .execute();
  return {
    ...protectedFigures,
    zoneNames: new Map(zones.map((z) => [z.id, z.name])),
    advice: current.publicAdvice,
    pendingChange: JSON.stringify(tableRules(current)) !== JSON.stringify(protectedFigures.rules),
  };
}

/** Zone names as they read today (a zone renamed since the morning shows its new name). */
function relabel(table: PublishedTable, names: Map<string, string>): PublishedTable {
  const fix = (dimension: string | null) => (c: PublishedTable['rows'][number]) =>
    dimension === 'zone' ? { ...c, label: names.get(c.key) ?? c.label } : c;
  return {
    ...table,
    rows: table.rows.map(fix(table.rowDimension)),
    columns: table.columns.map(fix(table.columnDimension)),
  };
}

function publicShape(crisisId: string, d: Derived, withReasons: boolean): PublishableTables {
  return {
    crisisId,
    computedAt: d.computedAt,
    day: d.day,
    rules: {
      minCount: d.rules.minCount,
      roundingBase: d.rules.roundingBase,
      bands: d.rules.bands,
      restricted: d.rules.restricted,
    },
    tables: d.result.tables.map((t) => relabel(withReasons ? t : withoutReasons(t), d.zoneNames)),
  };
}

/**
 * What the crisis's rules allow to be made public today, for other modules (the partners' HXL
 * export, the public page): see `PublishableTables`. No access check — the result is public by
 * construction; callers decide who receives it. Hidden cells carry no reason.
 */
export async function publishableTables(ctx: AppContext, crisisId: string): Promise<PublishableTables> {
  const crisis = await ctx.db.db
    .selectFrom('crises')
    .select('id')
    .where('id', '=', crisisId)
    .executeTakeFirst();
  if (!crisis) throw notFound('crisis');
  return publicShape(crisisId, await derive(ctx, crisisId, 'published'), false);
}

export interface PublicFigures extends PublishableTables {
  sentences: Sentence[];
  advice: string;
  crisisName: string;
}

/** The public figures of an active crisis, by id or short name, with sentences in `lang`. */
export async function publicFigures(
  ctx: AppContext,
  crisisKey: string,
  lang: PortalLang,
): Promise<PublicFigures> {
  const { crises } = await activeCrises(ctx);
  const crisis = crises.find((c) => c.slug === crisisKey || c.id === crisisKey);
  if (!crisis) throw notFound('crisis');
  const d = await derive(ctx, crisis.id, 'published');
  const shaped = publicShape(crisis.id, d, false);
  return {
    ...shaped,
    sentences: sentencesFor(lang, shaped.tables, d.rules.roundingBase),
    advice: d.advice[lang],
    crisisName: crisis.name,
  };
}

export interface AnalystFigures extends PublishableTables {
  source: 'published' | 'live';
  /** The saved rules differ from those of today's publication: they apply from tomorrow. */
  pendingChange: boolean;
  sentences: Sentence[];
  protection: { figure: string; low: number; high: number | null }[];
}

/**
 * The analyst view: the same tables with the reason of every suppression (small count,
 * complement, restricted) and the attacker's interval of each hidden small count — never the
 * hidden values. `live` previews the rules on the registry as it is now (not published).
 */
export async function analystFigures(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  options: { source: 'published' | 'live'; lang: PortalLang },
): Promise<AnalystFigures> {
  await requireCrisis(ctx, actor, crisisId, FIGURE_READERS);
  const d = await derive(ctx, crisisId, options.source);
  const shaped = publicShape(crisisId, d, true);
  return {
    ...shaped,
    source: options.source,
    pendingChange: d.pendingChange,
    sentences: sentencesFor(options.lang, shaped.tables, d.rules.roundingBase),
    protection: d.result.audit.map((a) => ({ figure: a.key, low: a.low, high: a.high })),
  };
}
