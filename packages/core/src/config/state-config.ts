import { validateId, validateInputObject } from '../validation/primitives.js';
import { ValidationError } from '../errors/errors.js';
import { databaseConfigFromEnv, ENV_DEFAULTS } from './database-from-env.js';
import type { Environment } from './env.js';
import { EnvReader } from './env.js';
import { protectDatabaseConfig, redactedDatabaseConfig } from './protect.js';
import { INSPECT } from './redact.js';
import type { DatabaseConfig } from './types.js';

/** Input of the {@link StateConfig} constructor. */
export interface StateConfigInit {
  database: DatabaseConfig;
  /** Default `true`. */
  enablePersistence?: boolean | undefined;
  /** Default `'default_user'`. */
  userId?: string | undefined;
  /** Default `'default_org'`. */
  orgId?: string | undefined;
}

/**
 * Fluxibly State's configuration: the database to use, whether to persist conversations, and the default user
 * and organisation. Printing it (`JSON.stringify`, `String`, `console.log`/`util.inspect`) never shows a
 * password: see {@link protectDatabaseConfig}.
 */
export class StateConfig {
  /** The database to use; pass it to `createRepository`. Its secrets are non-enumerable and redacted in print. */
  readonly database: DatabaseConfig;
  /** Whether conversations should be persisted (e.g. `ConversationHistory`'s `persistToDb`). */
  readonly enablePersistence: boolean;
  /** The default user id. */
  readonly userId: string;
  /** The default organisation id. */
  readonly orgId: string;

  /** @throws ValidationError naming the bad field. */
  constructor(init: StateConfigInit) {
    validateInputObject(init, 'config');
    this.database = protectDatabaseConfig(init.database);
    if (init.enablePersistence !== undefined && typeof init.enablePersistence !== 'boolean') {
      throw new ValidationError('enablePersistence', 'must be a boolean');
    }
    this.enablePersistence = init.enablePersistence ?? ENV_DEFAULTS.ENABLE_DB_PERSISTENCE;
    this.userId = init.userId === undefined ? ENV_DEFAULTS.DEFAULT_USER_ID : validateId(init.userId, 'userId');
    this.orgId = init.orgId === undefined ? ENV_DEFAULTS.DEFAULT_ORG_ID : validateId(init.orgId, 'orgId');
    Object.freeze(this);
  }

  /**
   * Read the configuration from environment variables (see the README's table): `DB_BACKEND` (`memory`/`mock`,
   * `sqlite`, `postgresql`/`postgres`, `redis`, `mongodb`/`mongo`, or an adapter's npm package name such as
   * `@acme/fluxibly-sqlite`; default `memory`), `SQLITE_PATH` (default `./fluxibly.db`), `DB_HOST`, `DB_PORT`, `DB_NAME`,
   * `DB_USER`, `DB_PASSWORD`, `DATABASE_URL`, `REDIS_URL`, `MONGODB_URL`, `MONGODB_DB`, `ENABLE_DB_PERSISTENCE`
   * (`true`/`false`/`1`/`0`/`yes`/`no`), `DEFAULT_USER_ID`, `DEFAULT_ORG_ID`. Empty variables count as unset;
   * variables the chosen backend does not use are ignored. `database.env` is a snapshot of `env`, so an adapter
   * package reads its own variables there (never printed: see `DatabaseConfigBase.env`).
   * @throws ValidationError whose `field` is the bad variable's name (e.g. `DB_PORT`); it never quotes a secret.
   */
  static fromEnv(env: Environment = process.env): StateConfig {
    const reader = new EnvReader(env);
    const database = databaseConfigFromEnv(reader);
    return new StateConfig({
      database: { ...database, env },
      enablePersistence: reader.boolean('ENABLE_DB_PERSISTENCE', ENV_DEFAULTS.ENABLE_DB_PERSISTENCE),
      userId: reader.id('DEFAULT_USER_ID', ENV_DEFAULTS.DEFAULT_USER_ID),
      orgId: reader.id('DEFAULT_ORG_ID', ENV_DEFAULTS.DEFAULT_ORG_ID),
    });
  }

  /** The printable form: secrets redacted. */
  toJSON(): Record<string, unknown> {
    return {
      database: redactedDatabaseConfig(this.database),
      enablePersistence: this.enablePersistence,
      userId: this.userId,
      orgId: this.orgId,
    };
  }

  /** `StateConfig {…}` with secrets redacted. */
  toString(): string {
    return `StateConfig ${JSON.stringify(this.toJSON())}`;
  }

  /** What `console.log` and `util.inspect` show: secrets redacted. */
  [INSPECT](): Record<string, unknown> {
    return this.toJSON();
  }
}
