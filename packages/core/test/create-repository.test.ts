import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConversationRepository, DatabaseConfig, ModuleImporter } from '../src/index.js';
import { ADAPTER_PACKAGES, StateConfig, UnsupportedError, ValidationError, createRepository } from '../src/index.js';

/** A stand-in repository: createRepository only hands it back. */
const fakeRepository = { capabilities: { fullTextSearch: false, ttl: false } } as unknown as ConversationRepository;

/** An error shaped like Node's for a package that cannot be found. */
function notFound(specifier: string, importer = '/app/index.js'): Error {
  return Object.assign(new Error(`Cannot find package '${specifier}' imported from ${importer}`), {
    code: 'ERR_MODULE_NOT_FOUND',
  });
}

/** An app directory that has none of the adapters installed. */
const emptyApp = mkdtempSync(path.join(tmpdir(), 'fluxibly-empty-app-'));
afterAll(() => rmSync(emptyApp, { recursive: true, force: true }));

const configs: Array<[DatabaseConfig, string, string]> = [
  [{ backend: 'memory' }, '@fluxibly/memory', 'npm install @fluxibly/memory'],
  [
    { backend: 'sqlite', path: './chats.db' },
    '@fluxibly/sqlite',
    'npm install @fluxibly/sqlite typeorm better-sqlite3',
  ],
  [
    {
      backend: 'postgresql',
      host: 'localhost',
      port: 5432,
      database: 'fluxibly',
      user: 'postgres',
      password: 'pw-secret',
    },
    '@fluxibly/postgres',
    'npm install @fluxibly/postgres typeorm pg',
  ],
  [
    { backend: 'redis', url: 'redis://:pw-secret@localhost:6379' },
    '@fluxibly/redis',
    'npm install @fluxibly/redis ioredis',
  ],
  [
    { backend: 'mongodb', url: 'mongodb://u:pw-secret@localhost:27017', database: 'fluxibly' },
    '@fluxibly/mongo',
    'npm install @fluxibly/mongo mongodb',
  ],
];

describe('createRepository', () => {
  it.each(configs)('imports only the package its backend needs (%o → %s)', async (config, specifier) => {
    const imported: string[] = [];
    const received: unknown[] = [];
    const importModule: ModuleImporter = async (name) => {
      imported.push(name);
      return {
        createRepositoryFromConfig: async (given: DatabaseConfig, options: unknown) => {
          received.push(given, options);
          return fakeRepository;
        },
      };
    };
    const repository = await createRepository(config, { importModule, adapterOptions: { poolSize: 3 } });
    expect(repository).toBe(fakeRepository);
    expect(imported).toEqual([specifier]);
    const [given, options] = received as [DatabaseConfig & { password?: string; url?: string }, unknown];
    // Every field reaches the adapter, secrets included (they are non-enumerable there, hence the explicit reads).
    for (const [key, value] of Object.entries(config)) expect(given[key as keyof typeof given]).toBe(value);
    expect(JSON.stringify(given)).not.toContain('pw-secret');
    expect(options).toEqual({ poolSize: 3 });
  });

  it.each(configs)('says which package to add when %o has no adapter installed', async (config, specifier, hint) => {
    const importModule: ModuleImporter = (name) => Promise.reject(notFound(name));
    const error = await createRepository(config, { importModule, appDirectory: emptyApp }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedError);
    expect((error as Error).message).toBe(`DB_BACKEND=${config.backend} needs ${specifier}: ${hint}`);
    expect((error as Error).message).not.toContain('pw-secret');
  });

  it('names the driver when the adapter is there but its driver peer is missing', async () => {
    const importModule: ModuleImporter = () =>
      Promise.reject(notFound('ioredis', '/app/node_modules/@fluxibly/redis/dist/index.js'));
    const error = await createRepository({ backend: 'redis', url: 'redis://localhost' }, { importModule }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnsupportedError);
    expect((error as Error).message).toBe(
      'DB_BACKEND=redis needs ioredis, the driver @fluxibly/redis uses: npm install ioredis',
    );
  });

  it('understands CommonJS and Vite not-found messages', async () => {
    const messages = [
      Object.assign(new Error("Cannot find module 'mongodb'\nRequire stack: ..."), { code: 'MODULE_NOT_FOUND' }),
      new Error('Failed to load url mongodb (resolved id: mongodb) in /app/node_modules/@fluxibly/mongo/dist/index.js'),
    ];
    for (const failure of messages) {
      const error = await createRepository(
        { backend: 'mongodb', url: 'mongodb://localhost', database: 'x' },
        { importModule: () => Promise.reject(failure) },
      ).catch((e: unknown) => e);
      expect((error as Error).message).toBe(
        'DB_BACKEND=mongodb needs mongodb, the driver @fluxibly/mongo uses: npm install mongodb',
      );
    }
  });

  it('rethrows an import error that is not a missing module', async () => {
    const broken = new SyntaxError('Unexpected token in adapter');
    const error = await createRepository({ backend: 'memory' }, { importModule: () => Promise.reject(broken) }).catch(
      (e: unknown) => e,
    );
    expect(error).toBe(broken);
  });

  it('rejects a module that is not an adapter', async () => {
    const error = await createRepository({ backend: 'memory' }, { importModule: async () => ({ other: 1 }) }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnsupportedError);
    expect((error as Error).message).toContain('@fluxibly/memory does not export createRepositoryFromConfig');
  });

  it('accepts a CommonJS module whose exports sit on default', async () => {
    const module = { default: { createRepositoryFromConfig: async () => fakeRepository } };
    expect(await createRepository({ backend: 'memory' }, { importModule: async () => module })).toBe(fakeRepository);
  });

  it('rejects a backend that is neither built in nor a package name', async () => {
    for (const backend of ['my sql', 'MySQL', '../x', 42, '']) {
      const error = await createRepository({ backend } as unknown as DatabaseConfig).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe('backend');
    }
  });

  it('another backend is the package it names: missing, it says what to install', async () => {
    const error = await createRepository({ backend: '@acme/fluxibly-missing' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedError);
    expect((error as Error).message).toBe(
      'DB_BACKEND=@acme/fluxibly-missing needs @acme/fluxibly-missing: npm install @acme/fluxibly-missing',
    );
  });

  it('a registered adapter wins, gets the protected config with its env and the adapter options', async () => {
    let received: { config?: Record<string, unknown>; options?: unknown } = {};
    const module = {
      createRepositoryFromConfig: async (config: Record<string, unknown>, options: unknown) => {
        received = { config, options };
        return { capabilities: { fullTextSearch: false, ttl: false } } as unknown as ConversationRepository;
      },
    };
    const config = StateConfig.fromEnv({ DB_BACKEND: 'sqlite', SQLITE_PASSWORD: 'hunter2-SECRET' }).database;
    await createRepository(config, { adapters: { sqlite: async () => module }, adapterOptions: { x: 1 } });
    expect(received.config?.backend).toBe('sqlite');
    expect((received.config?.env as Record<string, string>).SQLITE_PASSWORD).toBe('hunter2-SECRET');
    expect(received.options).toEqual({ x: 1 });
    const toText = (config as unknown as { toString(): string }).toString();
    for (const printed of [JSON.stringify(config), toText, inspect(config, { depth: null, showHidden: true })]) {
      expect(printed).not.toContain('hunter2-SECRET');
    }
    // A registered name wins over a built-in backend too.
    await createRepository({ backend: 'memory' }, { adapters: { memory: async () => ({ default: module }) } });
    expect(received.config?.backend).toBe('memory');
  });

  it('with the real importer: a package core cannot see is missing, with the install hint', async () => {
    const error = await createRepository(
      { backend: 'redis', url: 'redis://localhost' },
      { appDirectory: emptyApp },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedError);
    expect((error as Error).message).toBe(
      'DB_BACKEND=redis needs @fluxibly/redis: npm install @fluxibly/redis ioredis',
    );
  });

  describe("resolving from the application's directory (pnpm's strict layout)", () => {
    const app = mkdtempSync(path.join(tmpdir(), 'fluxibly-app-'));
    afterAll(() => rmSync(app, { recursive: true, force: true }));
    const install = (name: string, source: string): void => {
      const dir = path.join(app, 'node_modules', ...name.split('/'));
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        path.join(dir, 'package.json'),
        JSON.stringify({ name, type: 'module', exports: { '.': './index.js' } }),
      );
      writeFileSync(path.join(dir, 'index.js'), source);
    };
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', type: 'module' }));
    install(
      '@fluxibly/mongo',
      'export async function createRepositoryFromConfig(config) { return { loadedFrom: "app", database: config.database }; }',
    );
    install('@fluxibly/redis', "import 'ioredis-not-installed'; export async function createRepositoryFromConfig() {}");

    it('finds an adapter installed in the app when core cannot import it', async () => {
      const imported: string[] = [];
      const importModule: ModuleImporter = async (specifier) => {
        imported.push(specifier);
        if (!specifier.startsWith('file:')) throw notFound(specifier);
        return import(specifier) as Promise<unknown>;
      };
      const config: DatabaseConfig = { backend: 'mongodb', url: 'mongodb://localhost', database: 'chats' };
      const repository = await createRepository(config, { importModule, appDirectory: app });
      expect(repository).toEqual({ loadedFrom: 'app', database: 'chats' });
      expect(imported).toEqual([
        '@fluxibly/mongo',
        pathToFileURL(path.join(app, 'node_modules', '@fluxibly', 'mongo', 'index.js')).href,
      ]);
    });

    it('without appDirectory, finds the adapter beside the entry script when the working directory lacks it', async () => {
      const entry = process.argv[1];
      process.argv[1] = path.join(app, 'main.js');
      try {
        const config: DatabaseConfig = { backend: 'mongodb', url: 'mongodb://localhost', database: 'entry' };
        const importModule: ModuleImporter = async (specifier) => {
          if (!specifier.startsWith('file:')) throw notFound(specifier);
          return import(specifier) as Promise<unknown>;
        };
        expect(process.cwd()).not.toBe(app);
        expect(await createRepository(config, { importModule })).toEqual({ loadedFrom: 'app', database: 'entry' });
      } finally {
        process.argv[1] = entry as string;
      }
    });

    it("with the real importer, and names the missing driver of the app's adapter", async () => {
      const config: DatabaseConfig = { backend: 'mongodb', url: 'mongodb://localhost', database: 'real' };
      expect(await createRepository(config, { appDirectory: app })).toEqual({ loadedFrom: 'app', database: 'real' });
      const error = await createRepository({ backend: 'redis', url: 'redis://localhost' }, { appDirectory: app }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UnsupportedError);
      expect((error as Error).message).toContain('needs ioredis-not-installed, the driver @fluxibly/redis uses');
    });
  });

  it('knows one package per backend, none of them a dependency of core', async () => {
    const pkg = (await import('../package.json', { with: { type: 'json' } })).default as Record<string, unknown>;
    const declared = JSON.stringify([pkg.dependencies, pkg.peerDependencies, pkg.optionalDependencies]);
    for (const adapter of Object.values(ADAPTER_PACKAGES)) expect(declared).not.toContain(adapter.packageName);
  });
});
