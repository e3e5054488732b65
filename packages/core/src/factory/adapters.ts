import type { DatabaseBackend } from '../config/types.js';

/** The adapter package a backend needs, and the driver packages (its peer dependencies) it loads. */
export interface AdapterPackage {
  readonly backend: DatabaseBackend;
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
