import { systemActor } from '../../access/actor.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import type { SecretBox } from '../../lib/secret-box.js';
import { packageBox } from '../partners/package-link.service.js';

interface SealedColumn {
  table:
    | 'restricted_cases'
    | 'restricted_events'
    | 'restricted_liaisons'
    | 'restricted_tasks'
    | 'staff'
    | 'data_packages';
  key: 'id';
  column: 'sealed' | 'sealed_title' | 'totp_secret_enc' | 'content';
  box: (ctx: AppContext) => SecretBox;
  /** A 0/1 column telling sealed values from plain ones in the same column, when there is one. */
  sealedFlag?: 'content_sealed';
}

/** Every column that holds a sealed value, with the box that seals it. */
const SEALED_COLUMNS: SealedColumn[] = [
  { table: 'restricted_cases', key: 'id', column: 'sealed', box: (ctx) => ctx.restrictedBox },
  { table: 'restricted_events', key: 'id', column: 'sealed', box: (ctx) => ctx.restrictedBox },
  { table: 'restricted_liaisons', key: 'id', column: 'sealed', box: (ctx) => ctx.restrictedBox },
  { table: 'restricted_tasks', key: 'id', column: 'sealed_title', box: (ctx) => ctx.restrictedBox },
  { table: 'staff', key: 'id', column: 'totp_secret_enc', box: (ctx) => ctx.totpBox },
  // Shared data packages with personal data, while their download link lives (aggregates are plain).
  { table: 'data_packages', key: 'id', column: 'content', box: packageBox, sealedFlag: 'content_sealed' },
];

/**
 * Seals every value again under the current SECRET_KEY (values sealed under SECRET_KEY_PREVIOUS
 * are opened with it). Runs in batches so the server can keep writing meanwhile; safe to run
 * again (values already under the current key are skipped). Returns counts per table.
 */
export async function rotateSealedValues(ctx: AppContext, batchSize = 500): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const col of SEALED_COLUMNS) {
    const box = col.box(ctx);
    let resealed = 0;
    let after = '';
    for (;;) {
      // Dynamic table and column names are fixed by SEALED_COLUMNS above, never by input.
      let query = ctx.db.db
        .selectFrom(col.table)
        .select([`${col.key} as id`, `${col.column} as value`] as never)
        .where(col.key as never, '>', after as never);
      if (col.sealedFlag) query = query.where(col.sealedFlag as never, '=', 1 as never);
      const rows = (await query
        .orderBy(col.key as never)
        .limit(batchSize)
        .execute()) as unknown as {
        id: string;
        value: string | null;
      }[];
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.id;
      const stale = rows.filter((r) => r.value !== null && box.needsResealing(r.value));
      if (stale.length === 0) continue;
      await ctx.db.writer.write(async (trx) => {
        for (const r of stale) {
          await trx
            .updateTable(col.table)
            .set({ [col.column]: box.reseal(r.value!) } as never)
            .where(col.key as never, '=', r.id as never)
            // Only if unchanged meanwhile: a value purged or replaced since the read stays as it is.
            .where(col.column as never, '=', r.value as never)
            .execute();
        }
      });
      resealed += stale.length;
    }
    counts[`${col.table}.${col.column}`] = resealed;
  }
  await ctx.db.writer.write((trx) =>
    recordAudit(trx, ctx.db.dialect, systemActor('key rotation'), {
      action: 'keys.rotated',
      entityType: 'database',
      entityId: null,
      crisisId: null,
      change: counts,
    }),
  );
  return counts;
}
