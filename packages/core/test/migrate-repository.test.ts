import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ConversationRepository, MigrationResult } from '../src/index.js';
import { UnavailableError, createRepository, isMigratable, migrateRepository } from '../src/index.js';

/** A repository stand-in, with or without `migrate()`. */
function repositoryWith(migrate?: () => Promise<readonly string[]>): ConversationRepository {
  const repository = { capabilities: { fullTextSearch: false, ttl: false } } as Record<string, unknown>;
  if (migrate !== undefined) repository.migrate = migrate;
  return repository as unknown as ConversationRepository;
}

describe('migrateRepository', () => {
  it('on a backend without a schema: nothing to migrate', async () => {
    const repository = repositoryWith();
    expect(isMigratable(repository)).toBe(false);
    expect(await migrateRepository(repository)).toEqual({ hasSchema: false, applied: [] });
  });

  it('reports what migrate() applied, then that the schema is up to date', async () => {
    const pending = ['0001-threads', '0002-messages'];
    const repository = repositoryWith(async () => pending.splice(0));
    expect(isMigratable(repository)).toBe(true);
    expect(await migrateRepository(repository)).toEqual({
      hasSchema: true,
      applied: ['0001-threads', '0002-messages'],
    });
    expect(await migrateRepository(repository)).toEqual({ hasSchema: true, applied: [] });
  });

  it("passes the adapter's error through", async () => {
    const down = new UnavailableError('server down');
    await expect(migrateRepository(repositoryWith(() => Promise.reject(down)))).rejects.toBe(down);
  });

  it('is typed on what createRepository returns, and the contract declares migrate as optional', async () => {
    const repository = await createRepository(
      { backend: 'memory' },
      {
        importModule: async () => ({ createRepositoryFromConfig: async () => repositoryWith() }),
      },
    );
    expectTypeOf(migrateRepository(repository)).resolves.toEqualTypeOf<MigrationResult>();
    expectTypeOf(repository.migrate).toEqualTypeOf<(() => Promise<readonly string[]>) | undefined>();
    if (isMigratable(repository)) expectTypeOf(repository.migrate).toEqualTypeOf<() => Promise<readonly string[]>>();
    expect(await migrateRepository(repository)).toEqual({ hasSchema: false, applied: [] });
  });
});
