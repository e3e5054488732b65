import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExternalDatabaseConfig, ConversationRepository, DatabaseConfig, ModuleImporter } from '../src/index.js';
import { StateConfig, UnsupportedError, ValidationError, createRepository } from '../src/index.js';

/** A stand-in repository: createRepository only hands it back. */
const fakeRepository = { capabilities: { fullTextSearch: false, ttl: false } } as unknown as ConversationRepository;

/** An adapter module that records the configs it is given. */
function recordingAdapter(): { module: unknown; configs: ExternalDatabaseConfig[] } {
  const configs: ExternalDatabaseConfig[] = [];
  const module = {
    createRepositoryFromConfig: async (config: ExternalDatabaseConfig) => {
      configs.push(config);
      return fakeRepository;
    },
  };
  return { module, configs };
}

function notFound(specifier: string): Error {
  return Object.assign(new Error(`Cannot find package '${specifier}' imported from /app/index.js`), {
    code: 'ERR_MODULE_NOT_FOUND',
  });
}

const emptyApp = mkdtempSync(path.join(tmpdir(), 'fluxibly-open-app-'));
afterAll(() => rmSync(emptyApp, { recursive: true, force: true }));

describe('createRepository with an adapter package by others', () => {
  it('imports the package DB_BACKEND names and hands it the config with its environment', async () => {
    const { module, configs } = recordingAdapter();
    const imported: string[] = [];
    const importModule: ModuleImporter = async (name) => (imported.push(name), module);
    const config = StateConfig.fromEnv({ DB_BACKEND: '@acme/fluxibly-sqlite', SQLITE_FILE: 'chat.db' });
    expect(await createRepository(config.database, { importModule })).toBe(fakeRepository);
    expect(imported).toEqual(['@acme/fluxibly-sqlite']);
    expect(configs[0]?.backend).toBe('@acme/fluxibly-sqlite');
    expect(configs[0]?.env?.SQLITE_FILE).toBe('chat.db');
  });

  it("passes a hand-built config's own fields and adapterOptions", async () => {
    const { module, configs } = recordingAdapter();
    const received: unknown[] = [];
    const importModule: ModuleImporter = async () => ({
      createRepositoryFromConfig: async (config: ExternalDatabaseConfig, options: unknown) => {
        received.push(options);
        return (
          module as { createRepositoryFromConfig: (c: ExternalDatabaseConfig) => unknown }
        ).createRepositoryFromConfig(config);
      },
    });
    await createRepository(
      { backend: 'fluxibly-sqlite', file: 'x.db', apiKey: 'k' },
      { importModule, adapterOptions: { wal: true } },
    );
    expect([configs[0]?.file, configs[0]?.apiKey]).toEqual(['x.db', 'k']);
    expect(received).toEqual([{ wal: true }]);
  });

  it('says which package to add when it is not installed, as for ours', async () => {
    const importModule: ModuleImporter = (name) => Promise.reject(notFound(name));
    const error = await createRepository(
      { backend: '@acme/fluxibly-sqlite' },
      { importModule, appDirectory: emptyApp },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedError);
    expect((error as Error).message).toBe(
      'DB_BACKEND=@acme/fluxibly-sqlite needs @acme/fluxibly-sqlite: npm install @acme/fluxibly-sqlite',
    );
  });

  it('with the real importer too', async () => {
    const error = await createRepository({ backend: '@acme/not-installed' }, { appDirectory: emptyApp }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toBe(
      'DB_BACKEND=@acme/not-installed needs @acme/not-installed: npm install @acme/not-installed',
    );
  });
});

describe('createRepository(config, { adapters })', () => {
  it('loads a registered adapter by any word, without importing a package by name', async () => {
    const { module, configs } = recordingAdapter();
    const importModule: ModuleImporter = () => Promise.reject(new Error('must not import by name'));
    const database = { backend: 'SQLite', env: { SQLITE_FILE: 'r.db' } };
    expect(await createRepository(database, { importModule, adapters: { SQLite: async () => module } })).toBe(
      fakeRepository,
    );
    expect(configs[0]?.env?.SQLITE_FILE).toBe('r.db');
  });

  it('serves DB_BACKEND=<registered name> from StateConfig.fromEnv', async () => {
    const { module, configs } = recordingAdapter();
    const { database } = StateConfig.fromEnv({ DB_BACKEND: 'sqlite', SQLITE_FILE: 'e.db' });
    await createRepository(database, { adapters: { sqlite: () => Promise.resolve(module) } });
    expect(configs[0]?.env?.SQLITE_FILE).toBe('e.db');
  });

  it('wins over a built-in backend of the same name, and takes the module itself', async () => {
    const { module, configs } = recordingAdapter();
    const importModule: ModuleImporter = () => Promise.reject(new Error('must not import @fluxibly/redis'));
    const config: DatabaseConfig = { backend: 'redis', url: 'redis://cache:6379' };
    await createRepository(config, { importModule, adapters: { redis: module as never } });
    expect((configs[0] as { url?: string } | undefined)?.url).toBe('redis://cache:6379');
  });

  it('ignores names only inherited by the registry object', async () => {
    const importModule: ModuleImporter = async () => ({ createRepositoryFromConfig: async () => fakeRepository });
    expect(await createRepository({ backend: 'constructor' }, { importModule, adapters: {} })).toBe(fakeRepository);
  });

  it('says which package to add when the registered import finds none', async () => {
    const error = await createRepository(
      { backend: 'sqlite' },
      { adapters: { sqlite: () => Promise.reject(notFound('@acme/fluxibly-sqlite')) } },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedError);
    expect((error as Error).message).toBe(
      'DB_BACKEND=sqlite needs @acme/fluxibly-sqlite: npm install @acme/fluxibly-sqlite',
    );
  });

  it('rejects a registration that is not an adapter', async () => {
    const error = await createRepository({ backend: 'sqlite' }, { adapters: { sqlite: async () => ({}) } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnsupportedError);
    expect((error as Error).message).toContain('adapters.sqlite does not export createRepositoryFromConfig');
  });

  it.each([
    ['adapters', 'not an object'],
    ['adapters', [() => null]],
    ['adapters.sqlite', { sqlite: '@acme/fluxibly-sqlite' }],
  ])('a bad registry is a ValidationError naming %s', async (field, adapters) => {
    const error = await createRepository({ backend: 'sqlite' }, { adapters: adapters as never }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(field);
  });
});
