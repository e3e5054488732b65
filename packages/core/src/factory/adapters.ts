import type { DatabaseBackend } from '../config/types.js';

/** The adapter package a backend needs, and the driver packages (its peer dependencies) it loads. */
export interface AdapterPackage {
  /** The backend as configured: a built-in name, or the package's own name. */
  readonly backend: string;
  /** The npm package, imported on demand by `createRepository`. */
  readonly packageName: string;
  /** Its driver peer dependencies, which the application installs too. */
  readonly drivers: readonly string[];
}

/** Which package serves which backend. Core depends on none of them: they are loaded only when asked for. */
export const ADAPTER_PACKAGES: Readonly<Record<DatabaseBackend, AdapterPackage>> = {
  memory: { backend: 'memory', packageName: '@fluxibly/memory', drivers: [] },
  postgresql: { backend: 'postgresql', packageName: '@fluxibly/postgres', drivers: ['typeorm', 'pg'] },
  redis: { backend: 'redis', packageName: '@fluxibly/redis', drivers: ['ioredis'] },
  mongodb: { backend: 'mongodb', packageName: '@fluxibly/mongo', drivers: ['mongodb'] },
};

/** The package serving `backend`: ours for a built-in backend, else the package `backend` names. */
export function adapterPackageFor(backend: string): AdapterPackage {
  return (
    (ADAPTER_PACKAGES as Readonly<Record<string, AdapterPackage>>)[backend] ?? {
      backend,
      packageName: backend,
      drivers: [],
    }
  );
}
