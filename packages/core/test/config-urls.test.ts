import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { DatabaseConfig, Environment } from '../src/index.js';
import { StateConfig, ValidationError, protectDatabaseConfig, redactUrl } from '../src/index.js';

/** A password holding every character that breaks an unencoded URL or a naive redaction: `@`, `/`, `:`, spaces. */
const PASSWORD = 'Zq9@Xk/Vm:Wj Yp';
const ENCODED = encodeURIComponent(PASSWORD); // Zq9%40Xk%2FVm%3AWj%20Yp

/** Every 4-character piece of the password, raw and encoded: none may show anywhere. */
const PIECES = [PASSWORD, ENCODED].flatMap((secret) =>
  Array.from({ length: secret.length - 3 }, (_, i) => secret.slice(i, i + 4)),
);

function expectNoPiece(text: string): void {
  for (const piece of PIECES) expect(text, `contains ${JSON.stringify(piece)}`).not.toContain(piece);
}

/** The error `fromEnv(env)` throws (fails the test when it throws none, or not a ValidationError). */
function errorOf(env: Environment): ValidationError {
  try {
    StateConfig.fromEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error(`accepted: ${JSON.stringify(env)}`);
}

const VARIABLE = { postgres: 'DATABASE_URL', redis: 'REDIS_URL', mongo: 'MONGODB_URL' } as const;
type Backend = keyof typeof VARIABLE;
const env = (backend: Backend, url: string): Environment => ({ DB_BACKEND: backend, [VARIABLE[backend]]: url });

describe('connection URLs whose user info is ambiguous are refused (an unencoded @, /, ? or # in the password)', () => {
  it.each<[Backend, string]>([
    // The URL: WHATWG parsers (and so the drivers) connect to `host`, a piece of the password.
    ['postgres', 'postgres://u:abc@host/xyz@127.0.0.1:5434/db'],
    ['postgres', 'postgresql://u:p@ss@db:5432/chat'],
    ['postgres', 'postgres://u:a/b@db/chat'],
    ['postgres', 'postgres://u:a?b@db/chat'],
    ['postgres', 'postgres://u:a#b@db/chat'],
    ['postgres', 'postgres://u:a?b=c@db/chat'],
    ['postgres', 'postgres://u:bad%zzescape@db/chat'],
    ['postgres', 'postgres://u:p@db/chat?application_name=a@b'], // with user info, any later @ is ambiguous
    ['redis', 'redis://:p@ss@cache:6379'],
    ['redis', 'rediss://default:a/b@cache:6380/0'],
    ['mongo', 'mongodb://app:p@ss@a:1,b:2/chat?replicaSet=rs'],
    ['mongo', 'mongodb+srv://app:a/b@cluster.example/'],
  ])('%s: %s', (backend, url) => {
    const error = errorOf(env(backend, url));
    expect(error.field).toBe(VARIABLE[backend]);
    expect(error.message).toMatch(/percent-encode the user name and password \(@ as %40, \/ as %2F/);
    expect(error.message).toContain('value not shown');
    // Nothing of the URL is quoted: the message is the same as for an unrelated ambiguous URL.
    const reference = { postgres: 'postgres://x:y@z@w/v', redis: 'redis://x:y@z@w', mongo: 'mongodb://x:y@z@w/v' };
    expect(error.message).toBe(errorOf(env(backend, reference[backend])).message);
  });

  it.each<[Backend, string]>([
    ['postgres', 'postgres://u:abc%40host%2Fxyz@127.0.0.1:5434/db'],
    ['postgres', 'postgres://u@db/chat'],
    ['postgres', 'postgres://u:a:b@db/chat'], // a `:` in the password is unambiguous
    ['postgres', 'postgres://db/chat?application_name=a@b'], // an @ in a query value, without user info
    ['postgres', 'postgres://u:p@db/chat?application_name=a%40b'],
    ['postgres', 'postgres://[::1]:5432/chat'],
    ['redis', 'redis://:p%40ss@cache:6379/0'],
    ['mongo', 'mongodb://app:p%40ss@a:1,b:2/chat?replicaSet=rs'],
    ['mongo', 'mongodb+srv://app:p%2Fss@cluster.example/'],
  ])('accepts a correctly encoded or unambiguous %s URL: %s', (backend, url) => {
    const database = StateConfig.fromEnv(env(backend, url)).database as { url: string };
    expect(database.url).toBe(url);
  });

  it.each<[Backend, string]>([
    ['postgres', 'postgres://db/chat?x@y'], // an @ outside a query value: `u:pw?x@y` or a bad query?
    ['postgres', 'postgres://db:notaport?a=b@host/chat'], // `db:notaport?a=b` can only be a user and password
    ['postgres', 'postgres://u:secret/x@db/chat'],
  ])('refuses an @ after the authority that may end a password: %s', (backend, url) => {
    expect(errorOf(env(backend, url)).message).toContain('percent-encode');
  });

  it.each<[Backend, string]>([
    ['postgres', 'postgres://u:p@/chat'],
    ['postgres', 'postgres://u:p@:5432/chat'],
    ['postgres', 'postgres://db:0/chat'],
    ['redis', 'redis://:p@:6379'],
    ['mongo', 'mongodb://u:p@/chat'],
    ['mongo', 'mongodb://u:p@a:1,,b:2/chat'],
    ['mongo', 'mongodb://a:1,b:99999/chat'],
  ])('refuses an empty host or a bad port: %s %s', (backend, url) => {
    const error = errorOf(env(backend, url));
    expect(error.field).toBe(VARIABLE[backend]);
    expect(error.message).toContain('non-empty host');
    expect(error.message).not.toContain(':p@');
  });
});

describe('redaction: a user name shows, a password never does', () => {
  it.each([
    ['postgres://postgres@host/db', 'postgres://postgres@host/db'],
    ['postgres://postgres:pw@host/db', 'postgres://postgres:***@host/db'],
    ['postgres://postgres:@host/db', 'postgres://postgres:***@host/db'],
    ['redis://default@cache:6379', 'redis://default@cache:6379'],
    ['mongodb://app@a:1,b:2/db', 'mongodb://app@a:1,b:2/db'],
    ['postgres://h/db?application_name=a@b', 'postgres://h/db?application_name=a@b'],
  ])('redactUrl(%s) = %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it('prints a DATABASE_URL without a password as is, as the DB_* form prints its user', () => {
    const byUrl = StateConfig.fromEnv({ DB_BACKEND: 'postgres', DATABASE_URL: 'postgres://postgres@db:5432/chat' });
    expect(JSON.stringify(byUrl.database)).toBe('{"backend":"postgresql","url":"postgres://postgres@db:5432/chat"}');
    expect(String(byUrl)).toContain('postgres://postgres@db:5432/chat');
    expect(inspect(byUrl.database)).toContain('postgres://postgres@db:5432/chat');
  });

  it('with DATABASE_URL, shows none of the DB_* fields it ignores, and neither does a hand-written config', () => {
    const fromEnv = StateConfig.fromEnv({
      DB_BACKEND: 'postgres',
      DB_HOST: 'ignored-host',
      DB_USER: 'ignored-user',
      DATABASE_URL: 'postgres://app:pw@db:5432/chat',
    });
    const byHand = protectDatabaseConfig({
      backend: 'postgresql',
      url: 'postgres://app:pw@db:5432/chat',
      host: 'ignored-host',
      port: 1,
      database: 'ignored-db',
      user: 'ignored-user',
      password: 'ignored-password',
    });
    for (const database of [fromEnv.database, byHand]) {
      expect(JSON.parse(JSON.stringify(database))).toEqual({
        backend: 'postgresql',
        url: 'postgres://app:***@db:5432/chat',
      });
      expect(Object.keys(database)).toEqual(['backend']);
      expect((database as { host?: string }).host).toBeUndefined();
      expect((database as { url?: string }).url).toBe('postgres://app:pw@db:5432/chat');
      expect(inspect(database, { showHidden: true, depth: null })).not.toContain('ignored');
    }
    const printed = JSON.parse(JSON.stringify(fromEnv)) as { database: Record<string, unknown> };
    expect(Object.keys(printed.database).sort()).toEqual(['backend', 'url']);
  });
});

describe('a password with @, /, : and spaces never shows on any printable surface', () => {
  /** Every way a config, or an error, gets printed. */
  function surfaces(value: unknown): string[] {
    return [
      String(value),
      `${value as string}`,
      JSON.stringify(value),
      JSON.stringify({ nested: [value] }),
      inspect(value),
      inspect(value, { depth: null, showHidden: true }),
      inspect({ nested: [value] }, { depth: null, showHidden: true }),
    ];
  }

  const configs: Array<[string, Environment]> = [
    ['DB_PASSWORD', { DB_BACKEND: 'postgres', DB_USER: 'app', DB_PASSWORD: PASSWORD }],
    ['DATABASE_URL', { DB_BACKEND: 'postgres', DATABASE_URL: `postgres://app:${ENCODED}@db:5432/chat` }],
    ['REDIS_URL', { DB_BACKEND: 'redis', REDIS_URL: `redis://app:${ENCODED}@cache:6379/0` }],
    ['MONGODB_URL', { DB_BACKEND: 'mongo', MONGODB_URL: `mongodb://app:${ENCODED}@a:1,b:2/chat?replicaSet=rs` }],
  ];

  it.each(configs)('%s, encoded as it must be: the config and its database', (_, environment) => {
    const config = StateConfig.fromEnv(environment);
    const database: DatabaseConfig = config.database;
    for (const value of [config, database]) {
      const texts = surfaces(value);
      for (const text of texts) expectNoPiece(text);
      for (const text of texts.slice(0, 6)) expect(text).toContain('app'); // the user still shows
      expect(JSON.stringify(value)).toContain('***');
    }
    // The adapters still read the real secret.
    const secret = (database as { password?: string }).password ?? (database as { url?: string }).url;
    expect(secret).toContain(database.backend === 'postgresql' && 'password' in database ? PASSWORD : ENCODED);
  });

  it.each([
    ['DATABASE_URL', { DB_BACKEND: 'postgres', DATABASE_URL: `postgres://app:${PASSWORD}@db:5432/chat` }],
    ['DATABASE_URL', { DB_BACKEND: 'postgres', DATABASE_URL: `postgres://app:${PASSWORD.replace(' ', '')}@db/chat` }],
    ['REDIS_URL', { DB_BACKEND: 'redis', REDIS_URL: `redis://app:${PASSWORD.replace(' ', '')}@cache:6379` }],
    ['MONGODB_URL', { DB_BACKEND: 'mongo', MONGODB_URL: `mongodb://app:${PASSWORD.replace(' ', '')}@a:1,b:2/db` }],
  ] satisfies Array<[string, Environment]>)(
    '%s, unencoded: the ValidationError, its stack and printouts',
    (name, environment) => {
      const error = errorOf(environment);
      expect(error.field).toBe(name);
      expect(error.message).toContain('%');
      for (const text of [...surfaces(error), error.stack ?? '', error.message]) expectNoPiece(text);
    },
  );
});
