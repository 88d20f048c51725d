import type { Logger } from 'pino';
import type { Permission } from './access/permissions.js';
import { listRoles, type StoredRole, upsertRoles } from './access/role.repository.js';
import { BUILT_IN_ROLES } from './access/roles.js';
import type { Config } from './config.js';
import { type Db, migrateToLatest, openDatabase } from './db/database.js';
import { createLogger } from './lib/logger.js';
import { SecretBox } from './lib/secret-box.js';

/** Everything a service needs, built once per process and passed down explicitly. */
export interface AppContext {
  readonly config: Config;
  readonly db: Db;
  readonly logger: Logger;
  readonly roles: readonly StoredRole[];
  readonly rolePermissions: ReadonlyMap<string, readonly Permission[]>;
  readonly totpBox: SecretBox;
  /** Seals restricted-case (hostage, missing person) fields. */
  readonly restrictedBox: SecretBox;
}

/** Opens and migrates the database, synchronises the built-in roles, and builds the context. */
export async function createAppContext(
  config: Config,
  logger: Logger = createLogger(config.logLevel),
): Promise<AppContext> {
  const db = openDatabase(config.database, config.writeBatchMax, (error) =>
    logger.warn({ err: { message: error.message } }, 'database connection dropped'),
  );
  try {
    await migrateToLatest(db.db);
    await db.writer.write((trx) => upsertRoles(trx, BUILT_IN_ROLES));
    const roles = await listRoles(db.db);
    return {
      config,
      db,
      logger,
      roles,
      rolePermissions: new Map(roles.map((r) => [r.id, r.permissions])),
      totpBox: new SecretBox(config.secretKey, 'totp', config.previousSecretKeys),
      restrictedBox: new SecretBox(config.secretKey, 'restricted', config.previousSecretKeys),
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
