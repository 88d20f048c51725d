import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

/**
 * Registry persons linked to a restricted (hostage, missing) case, as a subquery. Every staff
 * view of the registry — lists, searches, counts, exports, person pages, duplicate queues, list
 * matching, case subjects — leaves these ids out, so their existence shows nowhere outside the
 * restricted area: `.where('persons.id', 'not in', restrictedPersonIds(db))`.
 */
export const restrictedPersonIds = (db: Kysely<Database> | Transaction<Database>) =>
  db
    .selectFrom('restricted_cases')
    .select('restricted_cases.person_id')
    .where('restricted_cases.person_id', 'is not', null);
