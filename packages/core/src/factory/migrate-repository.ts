import type { ConversationRepository } from '../contract/repository.js';

/** What {@link migrateRepository} did. */
export interface MigrationResult {
  /** `false` for a backend without a schema (memory, Redis): there was nothing to migrate. */
  readonly hasSchema: boolean;
  /**
   * The names of what this call applied (PostgreSQL: migrations; MongoDB: `collection.index`), in order. Empty when
   * the schema was already up to date, or when there is no schema.
   */
  readonly applied: readonly string[];
}

/** A repository whose backend has a schema, so `migrate()` is there. */
export type MigratableRepository = ConversationRepository & Required<Pick<ConversationRepository, 'migrate'>>;

/** Whether `repository`'s backend has a schema to migrate (it implements `migrate()`). */
export function isMigratable(repository: ConversationRepository): repository is MigratableRepository {
  return typeof repository.migrate === 'function';
}

/**
 * Bring the store of any repository up to date — typically the one `createRepository(config)` opened, whatever
 * backend the config names — as a deployment step before the application serves requests. On PostgreSQL it applies
 * the shipped migrations, on MongoDB it creates the indexes; on memory and Redis there is nothing to do. Idempotent,
 * and safe to run from several processes at once (see each adapter's `migrate()`).
 *
 * @example
 * const repository = await createRepository(StateConfig.fromEnv().database);
 * const { hasSchema, applied } = await migrateRepository(repository);
 * console.log(!hasSchema ? 'no schema' : applied.length > 0 ? `applied ${applied.join(', ')}` : 'up to date');
 * @throws UnavailableError when the backend cannot be reached (the adapter's own error).
 */
export async function migrateRepository(repository: ConversationRepository): Promise<MigrationResult> {
  if (!isMigratable(repository)) return { hasSchema: false, applied: [] };
  const applied = await repository.migrate();
  // An adapter written before migrate() reported anything may return nothing: that says nothing was listed.
  return { hasSchema: true, applied: Array.isArray(applied) ? (applied as readonly string[]).slice() : [] };
}
