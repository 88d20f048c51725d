import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { canonicalJson } from '../audit/audit.service.js';
import type { Database } from './schema.js';

/**
 * A SHA-256 over every application table's rows in a stable order, identical on SQLite and
 * PostgreSQL for the same data. Used to prove that a backup restores to the same content.
 */
export async function databaseDigest(
  db: Kysely<Database>,
): Promise<{ digest: string; tables: Record<string, number> }> {
  const tables = (await db.introspection.getTables())
    .filter((t) => !t.isView && !t.name.startsWith('kysely_') && !t.name.startsWith('sqlite_'))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const hash = createHash('sha256');
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const columns = table.columns.map((c) => c.name).sort();
    const orderBy = sql.join(columns.map((c) => sql.ref(c)));
    const rows = await sql<
      Record<string, unknown>
    >`select * from ${sql.table(table.name)} order by ${orderBy}`.execute(db);
    counts[table.name] = rows.rows.length;
    hash.update(`${table.name}\n`);
    for (const row of rows.rows) {
      const normalised = Object.fromEntries(columns.map((c) => [c, row[c] ?? null]));
      hash.update(`${canonicalJson(normalised)}\n`);
    }
  }
  return { digest: hash.digest('hex'), tables: counts };
}
