import { packageNameProblem } from '../config/backend-name.js';
import { shown } from '../config/env.js';
import type { DatabaseBackend } from '../config/types.js';
import { ValidationError } from '../errors/errors.js';

/** The adapter package a backend needs, and the driver packages (its peer dependencies) it loads. */
export interface AdapterPackage {
  /** The backend as `DB_BACKEND` or `config.backend` names it. */
  readonly backend: string;
  /** The npm package, imported on demand by `createRepository`. */
  readonly packageName: string;
  /** Its driver peer dependencies, which the application installs too. */
  readonly drivers: readonly string[];
}

/** Which package serves which built-in backend. Core depends on none of them: they are loaded only when asked for. */
export const ADAPTER_PACKAGES: Readonly<Record<DatabaseBackend, AdapterPackage>> = {
  memory: { backend: 'memory', packageName: '@fluxibly/memory', drivers: [] },
  sqlite: { backend: 'sqlite', packageName: '@fluxibly/sqlite', drivers: ['typeorm', 'better-sqlite3'] },
  postgresql: { backend: 'postgresql', packageName: '@fluxibly/postgres', drivers: ['typeorm', 'pg'] },
  redis: { backend: 'redis', packageName: '@fluxibly/redis', drivers: ['ioredis'] },
  mongodb: { backend: 'mongodb', packageName: '@fluxibly/mongo', drivers: ['mongodb'] },
};

/**
 * The package serving `backend` (a canonical name, as on a protected config): a built-in one's, else the package
 * of that name (an adapter by others, whose drivers are its own dependencies).
 * @throws ValidationError naming `backend` when it is not a built-in backend and not an npm package name.
 */
export function adapterPackageFor(backend: string): AdapterPackage {
  if (Object.hasOwn(ADAPTER_PACKAGES, backend)) return ADAPTER_PACKAGES[backend as DatabaseBackend];
  const problem = packageNameProblem(backend);
  if (problem !== undefined) {
    throw new ValidationError('backend', `${problem} (or a name registered in adapters), got ${shown(backend)}`);
  }
  return { backend, packageName: backend, drivers: [] };
}
