import { inspect } from 'node:util';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ExternalDatabaseConfig, DatabaseConfig, RedisDatabaseConfig } from '../src/index.js';
import { StateConfig, ValidationError, isBuiltInConfig, protectDatabaseConfig } from '../src/index.js';
import { fieldOf } from './support/field-of.js';

/** A value that must never show in any printout of a config. */
const SECRET = 'sqlite-secret-4b1d';

/** Every printable surface of a value. */
function printouts(value: unknown): string[] {
  return [
    JSON.stringify(value),
    String(value),
    inspect(value),
    inspect(value, { showHidden: true, depth: Infinity, customInspect: true }),
  ];
}

describe('DB_BACKEND naming an adapter package', () => {
  it.each(['@acme/fluxibly-sqlite', 'fluxibly-sqlite', 'sqlite', '@a/b.c_d-e'])('%s selects that package', (name) => {
    expect(StateConfig.fromEnv({ DB_BACKEND: name }).database.backend).toBe(name);
  });

  it.each([
    ['Fluxibly-SQLite', 'fluxibly-sqlite'],
    ['@acme/', '@acme/x'],
    ['@acme/a/b', '@acme/a'],
    ['.hidden', 'hidden'],
    ['_private', 'private'],
    ['./adapter.js', 'adapter.js'],
    ['/abs/adapter.js', 'abs-adapter.js'],
    ['file:///adapter.js', 'adapter'],
    ['node:fs', 'node-fs'],
    ['fs', 'fs-adapter'],
    ['child_process', 'child-process'],
    ['node_modules', 'node-modules'],
    ['a~b', 'a-b'],
    ['x'.repeat(215), 'x'.repeat(214)],
  ])('%j, which npm would not install, is a ValidationError naming DB_BACKEND; %j is a package', (bad, good) => {
    expect(fieldOf(() => StateConfig.fromEnv({ DB_BACKEND: bad }))).toBe('DB_BACKEND');
    expect(StateConfig.fromEnv({ DB_BACKEND: good }).database.backend).toBe(good);
  });

  it('gives the adapter the environment, so it reads its own variables, and reads none of ours for it', () => {
    const env = { DB_BACKEND: '@acme/fluxibly-sqlite', SQLITE_FILE: '/data/chat.db', DB_PORT: 'not a port' };
    const { database } = StateConfig.fromEnv(env);
    expect(database.env?.SQLITE_FILE).toBe('/data/chat.db');
    expect({ ...database }).toEqual({ backend: '@acme/fluxibly-sqlite' });
  });

  it('keeps a frozen snapshot of the environment, taken when it was read', () => {
    const env: Record<string, string> = { DB_BACKEND: 'sqlite', SQLITE_FILE: 'a.db' };
    const { database } = StateConfig.fromEnv(env);
    env.SQLITE_FILE = 'b.db';
    expect(database.env?.SQLITE_FILE).toBe('a.db');
    expect(Object.isFrozen(database.env)).toBe(true);
    expect(Object.keys(database.env ?? {}).sort()).toEqual(['DB_BACKEND', 'SQLITE_FILE']);
  });

  it('gives built-in backends the environment too, and their config is otherwise what it was', () => {
    const { database } = StateConfig.fromEnv({ DB_BACKEND: 'Redis', REDIS_URL: 'redis://cache:6379', OTHER: 'x' });
    expect({ ...database }).toEqual({ backend: 'redis' });
    expect(database.env?.OTHER).toBe('x');
  });

  it('never prints the environment: not in the StateConfig, its database, nor the snapshot itself', () => {
    const config = StateConfig.fromEnv({ DB_BACKEND: '@acme/fluxibly-sqlite', SQLITE_TOKEN: SECRET });
    const surfaces = [...printouts(config), ...printouts(config.database), ...printouts(config.database.env)];
    for (const printed of surfaces) expect(printed).not.toContain(SECRET);
    expect(JSON.stringify(config.database.env)).toBe('"[Environment: 2 variables, not shown]"');
    expect(JSON.parse(JSON.stringify(config))).toMatchObject({ database: { backend: '@acme/fluxibly-sqlite' } });
  });
});

describe('an adapter config built by hand', () => {
  it("keeps the adapter's fields and hides those whose names mention a secret", () => {
    const config: ExternalDatabaseConfig = {
      backend: '@acme/fluxibly-sqlite',
      file: 'chat.db',
      apiKey: SECRET,
      authToken: SECRET,
      url: `libsql://u:${SECRET}@db.example`,
      env: { SQLITE_PASSWORD: SECRET },
    };
    const protectedConfig = protectDatabaseConfig(config);
    expect([protectedConfig.file, protectedConfig.apiKey, protectedConfig.authToken]).toEqual([
      'chat.db',
      SECRET,
      SECRET,
    ]);
    expect(protectedConfig.env?.SQLITE_PASSWORD).toBe(SECRET);
    for (const printed of printouts(protectedConfig)) expect(printed).not.toContain(SECRET);
    expect(JSON.parse(JSON.stringify(protectedConfig))).toEqual({
      backend: '@acme/fluxibly-sqlite',
      file: 'chat.db',
      apiKey: '***',
      authToken: '***',
      url: 'libsql://u:***@db.example',
    });
    expect(protectDatabaseConfig(protectedConfig).env).toBe(protectedConfig.env);
  });

  it.each([
    ['backend', { backend: 'two words' }, { backend: 'two-words' }],
    ['backend', { backend: '' }, { backend: 'LibSQL' }],
    ['backend', { backend: 42 }, { backend: '42' }],
    ['env', { backend: 'sqlite', env: 'DB_BACKEND=sqlite' }, { backend: 'sqlite', env: { DB_BACKEND: 'sqlite' } }],
  ])('a bad %s (%o) is a ValidationError naming it, and %o is accepted', (field, bad, good) => {
    expect(fieldOf(() => protectDatabaseConfig(bad as unknown as DatabaseConfig))).toBe(field);
    expect(protectDatabaseConfig(good as DatabaseConfig).backend).toBe(good.backend);
  });

  it('turns a built-in alias into its canonical name, as DB_BACKEND does', () => {
    expect(protectDatabaseConfig({ backend: 'postgres', url: 'postgres://h/db' }).backend).toBe('postgresql');
    expect(new StateConfig({ database: { backend: 'Mock' } }).database.backend).toBe('memory');
  });
});

describe('DatabaseConfig types', () => {
  it('narrow to a built-in variant after isBuiltInConfig', () => {
    const config = StateConfig.fromEnv({ DB_BACKEND: 'redis' }).database;
    expect(isBuiltInConfig(config)).toBe(true);
    expect(isBuiltInConfig({ backend: '@acme/fluxibly-sqlite' })).toBe(false);
    if (isBuiltInConfig(config) && config.backend === 'redis') {
      expectTypeOf(config).toEqualTypeOf<RedisDatabaseConfig>();
      expectTypeOf(config.url).toEqualTypeOf<string>();
    }
  });

  it('accept an adapter config with its own fields', () => {
    expectTypeOf({ backend: '@acme/fluxibly-sqlite', file: 'chat.db' }).toExtend<DatabaseConfig>();
    expect(() => new StateConfig({ database: { backend: '@acme/fluxibly-sqlite', file: 'x' } })).not.toThrow(
      ValidationError,
    );
  });
});
