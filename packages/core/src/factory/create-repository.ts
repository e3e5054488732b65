import { protectDatabaseConfig } from '../config/protect.js';
import type { DatabaseConfig } from '../config/types.js';
import type { ConversationRepository } from '../contract/repository.js';
import { UnsupportedError } from '../errors/errors.js';
import { adapterPackageFor } from './adapters.js';
import type { AdapterLookup, ModuleImporter } from './load-adapter.js';
import { importAdapter } from './load-adapter.js';

/**
 * What an adapter package (`@fluxibly/memory`, `@fluxibly/postgres`, `@fluxibly/redis`, `@fluxibly/mongo`, or a
 * third party's) exports so that `createRepository` can load it.
 */
export interface AdapterModule<C extends DatabaseConfig = DatabaseConfig> {
  /**
   * Open a repository for `config` (its `backend` is the adapter's own). The repository owns what it opens:
   * `close()` releases it. `options` are `CreateRepositoryOptions.adapterOptions`, passed through untouched.
   */
  createRepositoryFromConfig(config: C, options?: Readonly<Record<string, unknown>>): Promise<ConversationRepository>;
}

/** Loads an adapter module: `() => import('@acme/fluxibly-sqlite')`. */
export type AdapterLoader = () => Promise<unknown>;

/** Options of {@link createRepository}. */
export interface CreateRepositoryOptions extends AdapterLookup {
  /**
   * Adapters registered by name: `{ sqlite: () => import('@acme/fluxibly-sqlite') }`. A config whose `backend` is
   * a registered name uses that module (it wins over the built-in lookup) — for bundlers that cannot resolve a
   * package name at run time, or to name a backend as you like.
   */
  adapters?: Readonly<Record<string, AdapterLoader>> | undefined;
  /** Backend-specific options handed to the adapter's `createRepositoryFromConfig` (see its README). */
  adapterOptions?: Readonly<Record<string, unknown>> | undefined;
  /** Replaces `import()` (for tests, or bundlers that need static imports). */
  importModule?: ModuleImporter | undefined;
}

/**
 * Open the repository a {@link DatabaseConfig} selects, loading only the adapter package its backend needs, on
 * demand: `memory` → `@fluxibly/memory`, `postgresql` → `@fluxibly/postgres`, `redis` → `@fluxibly/redis`,
 * `mongodb` → `@fluxibly/mongo`, any other backend → the npm package it names (`DB_BACKEND=@acme/fluxibly-sqlite`),
 * or the module `options.adapters` registers under that name. Core depends on none of them; the application
 * installs the one it uses. The adapter gets the protected config (for another package's backend, with the
 * environment it was read from as `env`) and `options.adapterOptions`.
 *
 * @example
 * const repository = await createRepository(StateConfig.fromEnv().database);
 * const sqlite = await createRepository({ backend: 'sqlite' }, { adapters: { sqlite: () => import('@acme/fluxibly-sqlite') } });
 * @throws UnsupportedError naming the package to install when the adapter or its driver is missing, e.g.
 *   `DB_BACKEND=redis needs @fluxibly/redis: npm install @fluxibly/redis ioredis`.
 * @throws ValidationError naming `backend` for an unknown backend.
 */
export async function createRepository(
  config: DatabaseConfig,
  options: CreateRepositoryOptions = {},
): Promise<ConversationRepository> {
  const protectedConfig = protectDatabaseConfig(config);
  const adapter = adapterPackageFor(protectedConfig.backend);
  const registered = options.adapters?.[protectedConfig.backend];
  const loaded = registered === undefined ? await importAdapter(adapter, options) : await registered();
  const create = adapterFactory(loaded);
  if (create === undefined) {
    throw new UnsupportedError(
      `${adapter.packageName} does not export createRepositoryFromConfig(config, options): ` +
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
