/**
 * Disclosure benchmark: protects the full set of breakdowns (total, zone, intention,
 * zone × intention, status, eligibility, departed, on today's list) of synthetic crises with
 * 10, 30 and 60 zones and a sparse population (most combinations empty, many small counts), in
 * both restricted modes. Progress goes to stderr; the last line of stdout is a JSON array with one
 * object per run: zones, mode, people, figures, hidden (small / complement / restricted), the
 * narrowest attacker interval of a hidden small count, and milliseconds.
 *
 *   npm run bench:disclosure
 */
import { performance } from 'node:perf_hooks';
import type { FrozenCounts } from '../src/modules/disclosure/disclosure.repository.js';
import { DEFAULT_RULES } from '../src/modules/disclosure/disclosure.schemas.js';
import { tablesFromCounts } from '../src/modules/disclosure/disclosure.service.js';
import { protect } from '../src/modules/disclosure/protect.js';
import { BREAKDOWNS, type DisclosureRules } from '../src/modules/disclosure/types.js';
import { ELIGIBILITIES, INTENTIONS, PERSON_STATUSES } from '../src/modules/persons/person.schemas.js';

let seed = 20231107;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};

function syntheticCounts(zoneCount: number): FrozenCounts {
  const zones = Array.from({ length: zoneCount }, (_, i) => ({ id: `zone-${i}`, name: `Zone ${i}` }));
  const rows: FrozenCounts['rows'] = [];
  for (const z of zones)
    for (const i of INTENTIONS)
      for (const s of PERSON_STATUSES)
        for (const e of ELIGIBILITIES)
          for (const l of [0, 1] as const)
            for (const d of [0, 1] as const) {
              const r = random();
              const n = r < 0.95 ? 0 : r < 0.985 ? 1 + Math.floor(random() * 3) : Math.floor(random() * 30);
              if (n > 0) rows.push({ z: z.id, i, s, e, l, d, n });
            }
  return { rows, restricted: 3, zones };
}

const results: Record<string, unknown>[] = [];
for (const zones of [10, 30, 60]) {
  const counts = syntheticCounts(zones);
  const people = counts.rows.reduce((n, r) => n + r.n, 0);
  for (const restricted of ['exclude', 'total_only'] as const) {
    const rules: DisclosureRules = {
      ...DEFAULT_RULES,
      breakdowns: BREAKDOWNS.map((key) => ({ key, style: 'rounded' as const })),
      restricted,
    };
    const started = performance.now();
    const result = await protect(
      { tables: tablesFromCounts(counts, rules), restrictedCount: counts.restricted },
      rules,
    );
    const ms = Math.round(performance.now() - started);
    const hidden = { small: 0, complement: 0, restricted: 0 };
    for (const f of result.figures)
      if (f.cell.status === 'suppressed' && f.cell.reason) hidden[f.cell.reason] += 1;
    const widths = result.audit.map((a) => (a.high === null ? Number.POSITIVE_INFINITY : a.high - a.low));
    const narrowest = widths.length ? Math.min(...widths) : null;
    const row = {
      zones,
      restricted,
      people,
      figures: result.figures.length,
      hidden,
      narrowestInterval: narrowest === Number.POSITIVE_INFINITY ? 'unbounded' : narrowest,
      minCount: rules.minCount,
      ms,
    };
    process.stderr.write(`${JSON.stringify(row)}\n`);
    results.push(row);
  }
}
console.log(JSON.stringify(results));
