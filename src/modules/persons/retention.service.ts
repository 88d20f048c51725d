import { sql } from 'kysely';
import type { Actor } from '../../access/actor.js';
import { holdsGlobally } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import { forbidden } from '../../lib/errors.js';
import { listCrisesIn } from '../crises/crisis.service.js';
import { deleteIdempotencyKeysBefore } from './registration.repository.js';
import { IDEMPOTENCY_SCOPE } from './registration.service.js';

export interface RetentionReport {
  crises: { id: string; name: string; closedAt: string; persons: number; households: number }[];
  idempotencyKeysDeleted: number;
  dryRun: boolean;
}

/** Stored registration replies are only needed for retries: a day is plenty. */
const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

/**
 * Anonymises the people of every crisis closed for longer than its retention period: names,
 * dates and places of birth, documents, contacts, coordinates and free text are removed; what
 * remains (zone, status, intention, eligibility, channel) still counts in aggregate figures but
 * identifies nobody. Each crisis is done in one transaction and audited.
 */
export async function runRetention(
  ctx: AppContext,
  actor: Actor,
  options: { dryRun: boolean; now?: Date } = { dryRun: false },
): Promise<RetentionReport> {
  if (!holdsGlobally(actor, 'retention.run')) throw forbidden();
  const now = options.now ?? new Date();
  const due = (await listCrisesIn(ctx, 'all')).filter(
    (c) =>
      c.status === 'closed' &&
      c.closedAt !== null &&
      Date.parse(c.closedAt) + c.retentionDays * 86_400_000 <= now.getTime(),
  );
  const report: RetentionReport = { crises: [], idempotencyKeysDeleted: 0, dryRun: options.dryRun };
  for (const crisis of due) {
    const count = async (table: 'persons' | 'households') =>
      Number(
        (
          await ctx.db.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('crisis_id', '=', crisis.id)
            .where('anonymised_at', 'is', null)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const entry = {
      id: crisis.id,
      name: crisis.name,
      closedAt: crisis.closedAt!,
      persons: await count('persons'),
      households: await count('households'),
    };
    report.crises.push(entry);
    if (options.dryRun || (entry.persons === 0 && entry.households === 0)) continue;
    const at = now.toISOString();
    await ctx.db.writer.write(async (trx) => {
      await trx.deleteFrom('person_documents').where('crisis_id', '=', crisis.id).execute();
      await trx.deleteFrom('person_contacts').where('crisis_id', '=', crisis.id).execute();
      await trx
        .updateTable('person_history')
        .set({ changes: null, reason: null })
        .where('crisis_id', '=', crisis.id)
        .execute();
      await trx
        .updateTable('persons')
        .set({
          given_name: null,
          father_name: null,
          grandfather_name: null,
          family_name: null,
          full_name: null,
          given_name_ar: null,
          father_name_ar: null,
          grandfather_name_ar: null,
          family_name_ar: null,
          full_name_ar: null,
          // The year of birth alone is kept for age-band statistics.
          birth_date: sql<string | null>`substr(birth_date, 1, 4)`,
          birth_precision: sql<string>`case when birth_date is null then 'unknown' else 'year' end`,
          birth_place: null,
          nationalities: '[]',
          citizen_person_id: null,
          place: null,
          latitude: null,
          longitude: null,
          needs: null,
          search_text: '',
          anonymised_at: at,
          updated_at: at,
        })
        .where('crisis_id', '=', crisis.id)
        .where('anonymised_at', 'is', null)
        .execute();
      await trx
        .updateTable('households')
        .set({
          registrant_name: null,
          registrant_relationship: null,
          registrant_contact: null,
          update_secret_hash: 'anonymised',
          anonymised_at: at,
          updated_at: at,
        })
        .where('crisis_id', '=', crisis.id)
        .where('anonymised_at', 'is', null)
        .execute();
      await recordAudit(trx, ctx.db.dialect, actor, {
        action: 'retention.anonymised',
        entityType: 'crisis',
        entityId: crisis.id,
        crisisId: crisis.id,
        change: { persons: entry.persons, households: entry.households },
      });
    });
  }
  if (!options.dryRun) {
    const before = new Date(now.getTime() - IDEMPOTENCY_TTL_MS).toISOString();
    const deleted = await ctx.db.writer.write((trx) =>
      deleteIdempotencyKeysBefore(trx, IDEMPOTENCY_SCOPE, before),
    );
    report.idempotencyKeysDeleted = Number(deleted.numDeletedRows);
  }
  return report;
}
