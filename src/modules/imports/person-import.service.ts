import type { Actor } from '../../access/actor.js';
import { requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { nowIso } from '../../lib/clock.js';
import { AppError, notFound, validationFailed } from '../../lib/errors.js';
import { findCrisisById } from '../crises/crisis.repository.js';
import { listZonesFor, toCrisis } from '../crises/crisis.service.js';
import { registerByStaff } from '../persons/registration.service.js';
import { buildRegistrationRows } from '../persons/registration-rows.js';
import {
  checkGroup,
  groupRows,
  type ImportField,
  mapColumns,
  type RowError,
  rowErrorsFrom,
} from './person-import.mapping.js';
import { readTable, TableFormatError } from './table-reader.js';

export interface ImportOptions {
  fileName: string;
  data: Uint8Array;
  dryRun: boolean;
  /** Column → field overrides (`--map col=field`). */
  map?: Record<string, string>;
  onProgress?: (done: number, total: number) => void;
}

export interface ImportReport {
  rows: number;
  households: number;
  /** Households that passed every check. */
  valid: number;
  /** Households written (0 on a dry run). */
  imported: number;
  /** Persons written (0 on a dry run). */
  persons: number;
  errors: RowError[];
  dryRun: boolean;
}

const CONCURRENCY = 32;

/**
 * Imports a partner's spreadsheet into a crisis. Each household (rows sharing the `household`
 * column, or a single row) is checked as a whole and written in its own transaction, so a bad row
 * never half-writes a person or a household; every error names its row and column. A dry run
 * checks everything and writes nothing.
 */
export async function importPersons(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  options: ImportOptions,
): Promise<ImportReport> {
  requireAccess(actor, 'person.read', crisisId, { hide: 'crisis' });
  requireAccess(actor, 'person.import', crisisId);
  const crisisRow = await findCrisisById(ctx.db.db, crisisId);
  if (!crisisRow) throw notFound('crisis');
  const crisis = toCrisis(crisisRow);
  if (crisis.status !== 'active')
    throw validationFailed([{ path: 'crisis', message: 'The crisis is closed.' }]);
  const zones = await listZonesFor(ctx, actor, crisisId);

  let table: Awaited<ReturnType<typeof readTable>>;
  try {
    table = await readTable(options.fileName, options.data);
  } catch (error) {
    if (error instanceof TableFormatError) throw validationFailed([{ path: 'file', message: error.message }]);
    throw error;
  }
  const { columns, errors: mapErrors } = mapColumns(table.headers, options.map);
  if (mapErrors.length > 0) throw validationFailed(mapErrors.map((message) => ({ path: 'map', message })));
  const mapped = new Set(columns.values());
  if (
    !['given_name', 'full_name', 'given_name_ar', 'full_name_ar'].some((f) => mapped.has(f as ImportField))
  ) {
    throw validationFailed([
      { path: 'map', message: 'No name column found: map one with --map "Column=full_name".' },
    ]);
  }
  const headerOf = new Map<string, string>([...columns].map(([i, f]) => [f, table.headers[i] ?? f]));
  const named = (e: RowError): RowError => ({ ...e, column: headerOf.get(e.column) ?? e.column });

  const groups = groupRows(table, columns);
  const errors: RowError[] = [];
  const valid: { body: Parameters<typeof registerByStaff>[3]; group: (typeof groups)[number] }[] = [];
  for (const group of groups) {
    const checked = checkGroup(group);
    if ('errors' in checked) {
      errors.push(...checked.errors.map(named));
      continue;
    }
    const built = buildRegistrationRows(checked.body, crisis, zones, {
      channel: 'import',
      actorId: actor.id,
      actorLabel: actor.label,
      staffId: null,
      at: nowIso(),
    });
    if ('errors' in built) errors.push(...rowErrorsFrom(group, built.errors).map(named));
    else valid.push({ body: checked.body, group });
  }

  let imported = 0;
  let persons = 0;
  let done = 0;
  options.onProgress?.(0, valid.length);
  if (!options.dryRun) {
    for (let i = 0; i < valid.length; i += CONCURRENCY) {
      await Promise.all(
        valid.slice(i, i + CONCURRENCY).map(async ({ body, group }) => {
          try {
            const result = await registerByStaff(ctx, actor, crisisId, body, 'import');
            imported += 1;
            persons += result.personIds.length;
          } catch (error) {
            if (!(error instanceof AppError)) throw error;
            errors.push(
              ...rowErrorsFrom(group, error.fields ?? [{ path: 'row', message: error.message }]).map(named),
            );
          }
          done += 1;
          options.onProgress?.(done, valid.length);
        }),
      );
    }
  }
  errors.sort((a, b) => a.row - b.row);
  return {
    rows: table.rows.length,
    households: groups.length,
    valid: valid.length,
    imported,
    persons,
    errors,
    dryRun: options.dryRun,
  };
}
