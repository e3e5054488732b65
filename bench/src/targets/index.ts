import type { AdapterTarget } from './target.js';

/** A target the harness knows by name; loaded only when selected, so a missing driver never breaks the others. */
export interface TargetEntry {
  readonly name: string;
  load(): Promise<AdapterTarget>;
}

/** Every benchmarkable adapter. A new adapter adds its target file and one line here. */
export const TARGETS: readonly TargetEntry[] = [
  { name: 'memory', load: async () => (await import('./memory.js')).memoryTarget },
  { name: 'sqlite', load: async () => (await import('./sqlite.js')).sqliteTarget },
  { name: 'redis', load: async () => (await import('./redis.js')).redisTarget },
  { name: 'redis-cluster', load: async () => (await import('./redis.js')).redisClusterTarget },
  { name: 'postgres', load: async () => (await import('./postgres.js')).postgresTarget },
  { name: 'postgres-nosearch', load: async () => (await import('./postgres.js')).postgresNoSearchTarget },
  { name: 'mongo', load: async () => (await import('./mongo.js')).mongoTarget },
];
