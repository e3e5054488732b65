import { randomUUID } from 'node:crypto';
import type { ConversationRepository, DatabaseConfig } from '@fluxibly/core';
import { createRepository, isBuiltInConfig, redactUrl, StateConfig } from '@fluxibly/core';

/** A repository for a resumed session, and how to let go of it. */
export interface SessionRepository {
  readonly repository: ConversationRepository;
  /** `true` when it is a second repository instance (a separate connection), `false` when it is the same one. */
  readonly isNewInstance: boolean;
  /** One line saying which of the two it is, for the program's output. */
  readonly explanation: string;
  /** Close it if it is a new instance (the shared one is closed by the program at the end). */
  release(): Promise<void>;
}

/** The backend an example program runs on, chosen by the environment. */
export interface Backend {
  /** The configuration read from the environment (`DB_BACKEND`, …). */
  readonly config: StateConfig;
  /** The repository `createRepository(config.database)` opened. */
  readonly repository: ConversationRepository;
  /** A short random id of this run, so that repeated runs on a shared database never meet each other's data. */
  readonly runId: string;
  /**
   * Whether another process can open the same store from the environment alone (a SQLite file): the RAG suite then
   * resumes its session 3 in a second Node process. Not on memory (nothing is shared) — and on the server backends
   * a second repository from `createRepository` already shows the same thing with its own connection.
   */
  readonly sharedWithOtherProcesses: boolean;
  /** `name-<runId>`: a user or organisation id unique to this run (print `name`, store this). */
  scoped(name: string): string;
  /**
   * A repository for a "new session", as a new process would get one: on a real backend a second instance from
   * `createRepository` (its own connection, the same data). On `memory` it is the same instance, because a new
   * in-memory repository starts empty and shares nothing with this one.
   */
  openSession(): Promise<SessionRepository>;
}

/**
 * The `adapterOptions` the environment asks for: on Redis, `REDIS_KEY_PREFIX` (e.g. `myapp:`) becomes `keyPrefix`,
 * so the programs can share a Redis with other applications (the adapter's default prefix is `fluxibly:`). On
 * SQLite, `migrate: true`: the file gets its tables on first use, so a new file needs no separate step.
 */
export function adapterOptionsFromEnv(
  database: DatabaseConfig,
  env: NodeJS.ProcessEnv = process.env,
): { adapterOptions?: Record<string, unknown> } {
  if (database.backend === 'sqlite') return { adapterOptions: { migrate: true } };
  const keyPrefix = env.REDIS_KEY_PREFIX;
  if (database.backend !== 'redis' || keyPrefix === undefined || keyPrefix === '') return {};
  return { adapterOptions: { keyPrefix } };
}

/** Read the config from the environment and open its repository. Throws `ValidationError` naming a bad variable. */
export async function openBackend(env: NodeJS.ProcessEnv = process.env): Promise<Backend> {
  const config = StateConfig.fromEnv(env);
  const options = adapterOptionsFromEnv(config.database, env);
  const repository = await createRepository(config.database, options);
  const runId = randomUUID().slice(0, 8);
  return {
    config,
    repository,
    runId,
    sharedWithOtherProcesses: config.database.backend === 'sqlite' && config.database.path !== ':memory:',
    scoped: (name) => `${name}-${runId}`,
    openSession: async () => {
      const database = config.database;
      if (database.backend === 'memory' || (database.backend === 'sqlite' && database.path === ':memory:')) {
        return {
          repository,
          isNewInstance: false,
          explanation:
            'a new StateManager on the same in-memory repository (a new memory repository would start empty)',
          release: async () => undefined,
        };
      }
      const second = await createRepository(config.database, options);
      return {
        repository: second,
        isNewInstance: true,
        explanation: 'a new StateManager on a second repository from createRepository (its own connection)',
        release: () => second.close(),
      };
    },
  };
}

/**
 * One line naming the backend and where it is, with secrets redacted, e.g. `Backend: redis at redis://127.0.0.1:6379`
 * (and `, key prefix "myapp:"` when `REDIS_KEY_PREFIX` sets one).
 */
export function describeBackend(database: DatabaseConfig, env: NodeJS.ProcessEnv = process.env): string {
  if (!isBuiltInConfig(database)) return `Backend: ${database.backend} (an adapter package)`;
  switch (database.backend) {
    case 'memory':
      return 'Backend: memory (in-process; nothing survives the process)';
    case 'sqlite':
      return `Backend: sqlite file ${database.path}`;
    case 'postgresql': {
      const where =
        database.url === undefined
          ? `${database.user}@${database.host}:${database.port}/${database.database}`
          : redactUrl(database.url);
      return `Backend: postgresql at ${where}`;
    }
    case 'redis': {
      const keyPrefix = adapterOptionsFromEnv(database, env).adapterOptions?.keyPrefix;
      const prefix = keyPrefix === undefined ? '' : `, key prefix ${JSON.stringify(keyPrefix)}`;
      return `Backend: redis at ${redactUrl(database.url)}${prefix}`;
    }
    case 'mongodb':
      return `Backend: mongodb at ${redactUrl(database.url)}, database ${database.database}`;
  }
}
