import type { Kysely } from 'kysely';

/**
 * The public "am I on the list?" check finds a person by document number and date of birth;
 * without this index that lookup would scan every document of every crisis.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen snapshots and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('person_documents_number')
    .on('person_documents')
    .column('number_normalised')
    .execute();
}
