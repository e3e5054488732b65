import { protectDatabaseConfig } from '../config/protect.js';
import type { DatabaseConfig } from '../config/types.js';
import type { ConversationRepository } from '../contract/repository.js';
import { UnsupportedError } from '../errors/errors.js';
import { adapterPackageFor } from './adapters.js';
import type { AdapterLookup, ModuleImporter } from './load-adapter.js';
import { importAdapter } from './load-adapter.js';
import type { AdapterRegistry } from './registered-adapters.js';
import { findRegistration, loadRegistration } from './registered-adapters.js';

/**
 * What an adapter package (`@fluxibly/memory`, `@fluxibly/postgres`, `@fluxibly/redis`, `@fluxibly/mongo`, or a
 * third party's) exports so that `createRepository` can load it. A third party's adapter types its config as
 * `AdapterModule<ExternalDatabaseConfig>` and reads its own variables from `config.env`.
 */
export interface AdapterModule<C extends DatabaseConfig = DatabaseConfig> {
  /**
   * Open a repository for `config` (its `backend` is the adapter's own: its package name, or the name it was
   * registered under). The config is protected (`protectDatabaseConfig`): its secrets and its `env` are
   * non-enumerable, so read them directly rather than spreading the config. The repository owns what it opens:
   * `close()` releases it. `options` are `CreateRepositoryOptions.adapterOptions`, passed through untouched.
   */
  createRepositoryFromConfig(config: C, options?: Readonly<Record<string, unknown>>): Promise<ConversationRepository>;
}

/** Options of {@link createRepository}. */
export interface CreateRepositoryOptions extends AdapterLookup {
  /** Backend-specific options handed to the adapter's `createRepositoryFromConfig` (see its README). */
  adapterOptions?: Readonly<Record<string, unknown>> | undefined;
  /** Replaces `import()` (for tests, or bundlers that need static imports). */
  importModule?: ModuleImporter | undefined;
  /**
   * Adapters registered by backend name (any word), checked before any package lookup, so a registration wins
   * over a built-in backend of the same name: `{ sqlite: () => import('@acme/fluxibly-sqlite') }` serves
   * `DB_BACKEND=sqlite`, and `{ postgresql: () => import('@fluxibly/postgres') }` lets a bundler that cannot
   * resolve a package name at run time see the import. The name is matched against `config.backend` as written,
   * then as a protected config holds it (a built-in's canonical name: `postgresql`, not `postgres`).
   */
  adapters?: AdapterRegistry | undefined;
}

/**
 * Open the repository a {@link DatabaseConfig} selects, loading only the adapter package its backend needs, on
 * demand: an adapter registered in `options.adapters` under that name; else `memory` → `@fluxibly/memory`,
 * `sqlite` → `@fluxibly/sqlite`, `postgresql` → `@fluxibly/postgres`, `redis` → `@fluxibly/redis`, `mongodb` → `@fluxibly/mongo`; else the npm
 * package the backend names (`@acme/fluxibly-sqlite`). Core depends on none of them; the application installs the
 * one it uses. The adapter's `createRepositoryFromConfig` receives the protected config, `env` included.
 *
 * @example
 * const repository = await createRepository(StateConfig.fromEnv().database);
 * const sqlite = await createRepository(config, { adapters: { sqlite: () => import('@acme/fluxibly-sqlite') } });
 * @throws UnsupportedError naming the package to install when the adapter or its driver is missing, e.g.
 *   `DB_BACKEND=redis needs @fluxibly/redis: npm install @fluxibly/redis ioredis`.
 * @throws ValidationError naming `backend` for a backend that is neither built in, registered nor an npm package
 *   name, or `adapters` for a bad registration.
 */
export async function createRepository(
  config: DatabaseConfig,
  options: CreateRepositoryOptions = {},
): Promise<ConversationRepository> {
  const protectedConfig = protectDatabaseConfig(config);
  const registered = findRegistration(options.adapters, [config.backend, protectedConfig.backend]);
  let loaded: unknown;
  let source: string;
  if (registered !== undefined) {
    loaded = await loadRegistration(registered);
    source = `The adapter registered as adapters.${registered.name}`;
  } else {
    const adapter = adapterPackageFor(protectedConfig.backend);
    loaded = await importAdapter(adapter, options);
    source = adapter.packageName;
  }
  const create = adapterFactory(loaded);
  if (create === undefined) {
    throw new UnsupportedError(
      `${source} does not export createRepositoryFromConfig(config, options): ` +
        'it is not a Fluxibly State adapter, or its version does not match @fluxibly/core',
    );
  }
  return create(protectedConfig, options.adapterOptions);
}

/** The module's `createRepositoryFromConfig`, also through a CommonJS `default` export. */
function adapterFactory(loaded: unknown): AdapterModule['createRepositoryFromConfig'] | undefined {
  for (const candidate of [loaded, (loaded as { default?: unknown } | null)?.default]) {
    const create = (candidate as Partial<AdapterModule> | null | undefined)?.createRepositoryFromConfig;
    if (typeof create === 'function') return create.bind(candidate);
  }
  return undefined;
}
