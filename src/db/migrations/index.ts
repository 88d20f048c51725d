import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-foundation.js';
import * as m0002 from './0002-persons.js';
import * as m0003 from './0003-crossings.js';
import * as m0004 from './0004-duplicates.js';
import * as m0005 from './0005-document-number-index.js';
import * as m0006 from './0006-cases.js';
import * as m0007 from './0007-restricted.js';
import * as m0008 from './0008-transport.js';
import * as m0009 from './0009-allocation-runs.js';
import * as m0010 from './0010-messaging.js';
import * as m0012 from './0012-messaging-delivery.js';
import * as m0013 from './0013-reporting.js';
import * as m0014 from './0014-disclosure.js';
import * as m0015 from './0015-partners.js';
import * as m0016 from './0016-intake-counts.js';

/**
 * Migrations are listed in code (not read from a folder) so they run the same from the
 * TypeScript sources and from the compiled build. Names sort in the order they apply.
 */
const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-persons': m0002,
  '0003-crossings': m0003,
  '0004-duplicates': m0004,
  '0005-document-number-index': m0005,
  '0006-cases': m0006,
  '0007-restricted': m0007,
  '0008-transport': m0008,
  '0009-allocation-runs': m0009,
  '0010-messaging': m0010,
  '0012-messaging-delivery': m0012,
  '0013-reporting': m0013,
  '0014-disclosure': m0014,
  '0015-partners': m0015,
  '0016-intake-counts': m0016,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
