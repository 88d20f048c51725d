import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from './database.js';

describe('SQLite statement cache', () => {
  it('compiles each query once, keeps the most recently used, and runs them through Kysely', async () => {
    const sqlite = new BetterSqlite3(':memory:');
    let compiled = 0;
    const prepare = sqlite.prepare.bind(sqlite);
    sqlite.prepare = ((text: string) => {
      compiled += 1;
      return prepare(text);
    }) as typeof sqlite.prepare;
    const cached = withStatementCache(sqlite, 2);
    const db = new Kysely<{ t: { id: number; name: string } }>({
      dialect: new SqliteDialect({ database: cached }),
    });
    await sql`create table t (id integer primary key, name text)`.execute(db);
    for (let i = 1; i <= 5; i += 1)
      await db
        .insertInto('t')
        .values({ id: i, name: `n${i}` })
        .execute();
    // One compile for the DDL, one for the insert run five times.
    expect(compiled).toBe(2);
    const byId = (id: number) => db.selectFrom('t').select('name').where('id', '=', id).executeTakeFirst();
    expect(await byId(3)).toEqual({ name: 'n3' });
    expect(await byId(4)).toEqual({ name: 'n4' });
    expect(compiled).toBe(3);
    // The same text gives the same statement; with room for two, the least recently used goes.
    expect(cached.prepare('select 1')).toBe(cached.prepare('select 1'));
    cached.prepare('select 2');
    cached.prepare('select 3');
    const before = compiled;
    cached.prepare('select 1');
    expect(compiled).toBe(before + 1);
    await db.destroy();
  });
});
