export type { AdapterPackage } from './adapters.js';
export { ADAPTER_PACKAGES } from './adapters.js';
export type { AdapterLoader, AdapterRegistration, AdapterRegistry } from './registered-adapters.js';
export type { AdapterModule, CreateRepositoryOptions } from './create-repository.js';
export { createRepository } from './create-repository.js';
export type { AdapterLookup, ModuleImporter } from './load-adapter.js';
export type { MigratableRepository, MigrationResult } from './migrate-repository.js';
export { isMigratable, migrateRepository } from './migrate-repository.js';
