import { fieldOf } from './support/field-of.js';
import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import type { DatabaseConfig, PostgresDatabaseConfig } from '../src/index.js';
import { StateConfig, protectDatabaseConfig, redactUrl } from '../src/index.js';

const asString = (value: unknown): string => String(value);

describe('StateConfig.fromEnv', () => {
  it('uses the documented defaults for an empty environment', () => {
    const config = StateConfig.fromEnv({});
    expect(config.database).toEqual({ backend: 'memory' });
    expect(config.enablePersistence).toBe(true);
    expect(config.userId).toBe('default_user');
    expect(config.orgId).toBe('default_org');
  });

  it('treats empty variables as unset', () => {
    const config = StateConfig.fromEnv({
      DB_BACKEND: '',
      DB_PORT: '  ',
      ENABLE_DB_PERSISTENCE: '',
      DEFAULT_USER_ID: '',
    });
    expect(config.database.backend).toBe('memory');
    expect(config.enablePersistence).toBe(true);
    expect(config.userId).toBe('default_user');
  });

  it.each([
    ['mock', 'memory'],
    ['memory', 'memory'],
    ['sqlite', 'sqlite'],
    ['SQLite', 'sqlite'],
    ['postgresql', 'postgresql'],
    ['postgres', 'postgresql'],
    ['POSTGRES', 'postgresql'],
    ['redis', 'redis'],
    ['mongodb', 'mongodb'],
    ['mongo', 'mongodb'],
    [' Mongo ', 'mongodb'],
  ])('DB_BACKEND=%j selects %s', (value, backend) => {
    expect(StateConfig.fromEnv({ DB_BACKEND: value }).database.backend).toBe(backend);
  });

  it('builds a postgres config with defaults, and reads every variable', () => {
    const defaults = StateConfig.fromEnv({ DB_BACKEND: 'postgres' }).database as PostgresDatabaseConfig;
    expect(defaults).toEqual({
      backend: 'postgresql',
      host: 'localhost',
      port: 5432,
      database: 'fluxibly',
      user: 'postgres',
    });
    expect(defaults.password).toBeUndefined();
    expect(defaults.url).toBeUndefined();
    const custom = StateConfig.fromEnv({
      DB_BACKEND: 'postgresql',
      DB_HOST: 'db.internal',
      DB_PORT: '6543',
      DB_NAME: 'chat',
      DB_USER: 'app',
      DB_PASSWORD: ' s3cret pass ',
    }).database as PostgresDatabaseConfig;
    expect(custom).toMatchObject({ host: 'db.internal', port: 6543, database: 'chat', user: 'app' });
    expect(custom.password).toBe(' s3cret pass ');
    expect(custom.url).toBeUndefined();
    const byUrl = StateConfig.fromEnv({
      DB_BACKEND: 'postgresql',
      DB_HOST: 'ignored-host',
      DB_PASSWORD: 'ignored-password',
      DATABASE_URL: 'postgresql://app:url-secret@db.internal:6543/chat',
    }).database as PostgresDatabaseConfig;
    expect(byUrl).toEqual({ backend: 'postgresql' });
    expect(byUrl.url).toBe('postgresql://app:url-secret@db.internal:6543/chat');
    expect(byUrl.password).toBeUndefined();
  });

  it('builds a sqlite config: SQLITE_PATH (trimmed, :memory: allowed), default ./fluxibly.db', () => {
    expect(StateConfig.fromEnv({ DB_BACKEND: 'sqlite' }).database).toEqual({
      backend: 'sqlite',
      path: './fluxibly.db',
    });
    expect(StateConfig.fromEnv({ DB_BACKEND: 'sqlite', SQLITE_PATH: ' /tmp/my chats.db ' }).database).toEqual({
      backend: 'sqlite',
      path: '/tmp/my chats.db',
    });
    expect(StateConfig.fromEnv({ DB_BACKEND: 'sqlite', SQLITE_PATH: ':memory:' }).database).toEqual({
      backend: 'sqlite',
      path: ':memory:',
    });
    expect(() => StateConfig.fromEnv({ DB_BACKEND: 'sqlite', SQLITE_PATH: 'a\u0000b' })).toThrow(/SQLITE_PATH/);
    // Variables of other backends are not read.
    expect(StateConfig.fromEnv({ DB_BACKEND: 'memory', SQLITE_PATH: 'a\u0000b' }).database.backend).toBe('memory');
  });

  it('builds redis and mongo configs with defaults and overrides', () => {
    expect(StateConfig.fromEnv({ DB_BACKEND: 'redis' }).database).toMatchObject({ backend: 'redis' });
    expect((StateConfig.fromEnv({ DB_BACKEND: 'redis' }).database as { url: string }).url).toBe(
      'redis://127.0.0.1:6379',
    );
    const mongo = StateConfig.fromEnv({
      DB_BACKEND: 'mongo',
      MONGODB_URL: 'mongodb://u:p@a.example:27017,b.example:27018/?replicaSet=rs0',
      MONGODB_DB: 'chats',
    }).database;
    expect(mongo).toMatchObject({ backend: 'mongodb', database: 'chats' });
    expect((mongo as { url: string }).url).toBe('mongodb://u:p@a.example:27017,b.example:27018/?replicaSet=rs0');
    expect((StateConfig.fromEnv({ DB_BACKEND: 'mongodb' }).database as { url: string }).url).toBe(
      'mongodb://127.0.0.1:27017',
    );
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    ['false', false],
    ['0', false],
    ['No', false],
  ])('ENABLE_DB_PERSISTENCE=%j is %s', (value, expected) => {
    expect(StateConfig.fromEnv({ ENABLE_DB_PERSISTENCE: value }).enablePersistence).toBe(expected);
  });

  it('reads the default user and organisation', () => {
    const config = StateConfig.fromEnv({ DEFAULT_USER_ID: 'alice', DEFAULT_ORG_ID: 'acme:corp' });
    expect([config.userId, config.orgId]).toEqual(['alice', 'acme:corp']);
  });

  it.each([
    ['DB_BACKEND', { DB_BACKEND: 'my sql' }],
    ['DB_BACKEND', { DB_BACKEND: '../adapter' }],
    ['DB_BACKEND', { DB_BACKEND: '@acme' }],
    ['DB_BACKEND', { DB_BACKEND: 'Acme-Adapter' }],
    ['DB_PORT', { DB_BACKEND: 'postgres', DB_PORT: 'abc' }],
    ['DB_PORT', { DB_BACKEND: 'postgres', DB_PORT: '0' }],
    ['DB_PORT', { DB_BACKEND: 'postgres', DB_PORT: '65536' }],
    ['DB_PORT', { DB_BACKEND: 'postgres', DB_PORT: '54.32' }],
    ['DB_HOST', { DB_BACKEND: 'postgres', DB_HOST: 'two words' }],
    ['DB_NAME', { DB_BACKEND: 'postgres', DB_NAME: 'x'.repeat(300) }],
    ['DB_USER', { DB_BACKEND: 'postgres', DB_USER: 'a\tb' }],
    ['DATABASE_URL', { DB_BACKEND: 'postgres', DATABASE_URL: 'mysql://u:p@h/db' }],
    ['DATABASE_URL', { DB_BACKEND: 'postgres', DATABASE_URL: 'not a url' }],
    ['DATABASE_URL', { DB_BACKEND: 'postgres', DATABASE_URL: 'postgres://h:notaport/db' }],
    ['REDIS_URL', { DB_BACKEND: 'redis', REDIS_URL: 'http://localhost:6379' }],
    ['REDIS_URL', { DB_BACKEND: 'redis', REDIS_URL: 'localhost:6379' }],
    ['MONGODB_URL', { DB_BACKEND: 'mongo', MONGODB_URL: 'postgres://localhost' }],
    ['MONGODB_URL', { DB_BACKEND: 'mongo', MONGODB_URL: 'mongodb://' }],
    ['MONGODB_DB', { DB_BACKEND: 'mongo', MONGODB_DB: 'has space' }],
    ['ENABLE_DB_PERSISTENCE', { ENABLE_DB_PERSISTENCE: 'maybe' }],
    ['DEFAULT_USER_ID', { DEFAULT_USER_ID: 'x'.repeat(256) }],
    ['DEFAULT_ORG_ID', { DEFAULT_ORG_ID: 'x'.repeat(256) }],
  ])('a bad %s names itself', (variable, env) => {
    expect(fieldOf(() => StateConfig.fromEnv(env))).toBe(variable);
  });

  it('ignores variables the chosen backend does not use', () => {
    expect(
      StateConfig.fromEnv({ DB_BACKEND: 'redis', DB_PORT: 'abc', DATABASE_URL: 'mysql://x' }).database.backend,
    ).toBe('redis');
  });

  it('never quotes a URL in an error (it may hold a password)', () => {
    expect(() => StateConfig.fromEnv({ DB_BACKEND: 'redis', REDIS_URL: 'http://:hunter2-secret@h' })).toThrow(
      /^(?!.*hunter2)/s,
    );
    try {
      StateConfig.fromEnv({ DB_BACKEND: 'postgres', DATABASE_URL: 'mysql://u:hunter2-secret@h/db' });
    } catch (error) {
      expect(String(error)).not.toContain('hunter2');
      expect(inspect(error)).not.toContain('hunter2');
    }
  });

  it('reads process.env by default', () => {
    vi.stubEnv('DB_BACKEND', 'mongo');
    vi.stubEnv('DEFAULT_ORG_ID', 'from-process-env');
    try {
      const config = StateConfig.fromEnv();
      expect(config.database.backend).toBe('mongodb');
      expect(config.orgId).toBe('from-process-env');
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('secrets never show', () => {
  const SECRETS = ['pw-field-secret', 'url-secret-1', 'redis-secret-2', 'mongo-secret-3'];
  const configs: Array<[string, StateConfig]> = [
    [
      'postgres',
      StateConfig.fromEnv({
        DB_BACKEND: 'postgres',
        DB_PASSWORD: 'pw-field-secret',
        DATABASE_URL: 'postgres://app:url-secret-1@db:5432/chat?sslmode=require',
      }),
    ],
    ['redis', StateConfig.fromEnv({ DB_BACKEND: 'redis', REDIS_URL: 'rediss://default:redis-secret-2@cache:6380/0' })],
    [
      'mongo',
      StateConfig.fromEnv({ DB_BACKEND: 'mongo', MONGODB_URL: 'mongodb+srv://app:mongo-secret-3@cluster.example/' }),
    ],
  ];

  function printouts(value: unknown): string[] {
    const logged: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      logged.push(args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg))).join(' '));
    });
    try {
      console.log(value);
      console.log('config: %o', value);
      console.log('config: %s', value);
    } finally {
      spy.mockRestore();
    }
    return [
      JSON.stringify(value),
      JSON.stringify({ nested: value }),
      String(value),
      `${value as string}`,
      inspect(value),
      inspect(value, { showHidden: true, depth: 10 }),
      inspect({ wrapped: [value] }),
      ...logged,
    ];
  }

  it.each(configs)('%s: JSON.stringify, String, util.inspect and console.log never contain a password', (_, config) => {
    for (const target of [config, config.database]) {
      for (const text of printouts(target)) {
        for (const secret of SECRETS) expect(text).not.toContain(secret);
      }
      for (const text of [JSON.stringify(target), asString(target), inspect(target)]) expect(text).toContain('***');
    }
  });

  it('keeps the real values readable by adapters', () => {
    const postgres = configs[0]![1].database as PostgresDatabaseConfig;
    expect(postgres.url).toBe('postgres://app:url-secret-1@db:5432/chat?sslmode=require');
    expect(Object.keys(postgres)).not.toContain('url');
    const byFields = StateConfig.fromEnv({ DB_BACKEND: 'postgres', DB_PASSWORD: 'pw-field-secret' }).database;
    expect((byFields as PostgresDatabaseConfig).password).toBe('pw-field-secret');
    expect(Object.keys(byFields)).not.toContain('password');
    expect((configs[1]![1].database as { url: string }).url).toContain('redis-secret-2');
  });

  it('shows the non-secret parts', () => {
    const shown = JSON.parse(JSON.stringify(configs[0]![1])) as { database: Record<string, unknown> };
    expect(shown.database).toEqual({
      backend: 'postgresql',
      url: 'postgres://app:***@db:5432/chat?sslmode=require',
    });
  });

  it('protects a config written by hand', () => {
    const config: DatabaseConfig = { backend: 'redis', url: 'redis://:hand-secret@localhost:6379' };
    const safe = protectDatabaseConfig(config);
    for (const text of printouts(safe)) expect(text).not.toContain('hand-secret');
    expect((safe as { url: string }).url).toBe(config.url);
    expect(Object.isFrozen(safe)).toBe(true);
    const viaConstructor = new StateConfig({ database: config });
    for (const text of printouts(viaConstructor)) expect(text).not.toContain('hand-secret');
  });
});

describe('redactUrl', () => {
  it.each([
    ['postgres://user:pass@host:5432/db', 'postgres://user:***@host:5432/db'],
    ['redis://:pass@host:6379', 'redis://:***@host:6379'],
    ['redis://justauser@host', 'redis://justauser@host'],
    ['mongodb://u:p@a:1,b:2/db?replicaSet=x', 'mongodb://u:***@a:1,b:2/db?replicaSet=x'],
    ['postgres://u:p@h/db?application_name=a@b', 'postgres://u:***@b'],
    ['postgres://h/db?sslpassword=hunter4&sslmode=require', 'postgres://h/db?sslpassword=***&sslmode=require'],
    ['mongodb://h/db?tlsCertificateKeyFilePassword=KeyPass99', 'mongodb://h/db?tlsCertificateKeyFilePassword=***'],
    [
      'mongodb://h/db?authMechanism=MONGODB-AWS&authMechanismProperties=AWS_SESSION_TOKEN:abc',
      'mongodb://h/db?authMechanism=***&authMechanismProperties=***',
    ],
    ['postgres://h/db?user=u&password=qwerty', 'postgres://h/db?user=u&password=***'],
    ['redis://localhost:6379', 'redis://localhost:6379'],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it.each([
    'postgres://u:pa/ss@host/db',
    'postgres://u:p?a#ss@host/db',
    'postgres://u:p@ss@host/db',
    'postgres://u:Tr0ub@dor/x9@host/db',
    'postgres://u:a/b@c@host/db',
  ])('hides a password holding URL delimiters: %s', (url) => {
    const password = /^postgres:\/\/u:(.*)@host\/db$/.exec(url)![1]!;
    expect(redactUrl(url)).not.toContain(password);
    expect(redactUrl(url)).toContain('host/db');
  });
});
