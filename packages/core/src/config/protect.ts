import { ValidationError } from '../errors/errors.js';
import { describeValue } from '../validation/primitives.js';
import { INSPECT, REDACTED, redactUrl } from './redact.js';
import type { DatabaseConfig } from './types.js';
import { DATABASE_BACKENDS, PACKAGE_NAME } from './types.js';

/** Kept as non-enumerable properties and never printed as they are (`env` is never printed at all). */
const SECRET_KEYS = new Set(['password', 'url', 'env']);
/** The PostgreSQL fields a `url` replaces: a protected config with a `url` drops them (adapters ignore them). */
const POSTGRES_URL_REPLACES = new Set(['host', 'port', 'database', 'user', 'password']);

/** A config's printable form: non-secret fields, `url` redacted, `password` as `***`. */
export function redactedDatabaseConfig(config: DatabaseConfig): Record<string, unknown> {
  const shown: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (!SECRET_KEYS.has(key) && typeof value !== 'function') shown[key] = value;
  }
  const { url, password } = config as { url?: unknown; password?: unknown };
  if (typeof url === 'string') shown.url = redactUrl(url);
  if (password !== undefined) shown.password = REDACTED;
  return shown;
}

/**
 * A frozen copy of `config` that never shows its secrets: `password` and `url` are non-enumerable properties
 * (adapters read them as usual), and `toJSON`, `toString` and `util.inspect` (so `console.log`) print `***` in
 * their place. A PostgreSQL config with a `url` keeps only `backend` and `url` (host, port, database, user and
 * password are ignored by adapters then, so they are dropped rather than shown). `StateConfig` and
 * `createRepository` apply it to every config; apply it to one you build by hand before logging it.
 * A backend that is not built in must be an npm package name (the adapter package that serves it, or a name
 * registered with `createRepository(config, { adapters })`); its `env` is kept, non-enumerable, and never printed.
 * @throws ValidationError naming `backend` when the config has no valid backend.
 */
export function protectDatabaseConfig<C extends DatabaseConfig>(config: C): C {
  if (typeof config !== 'object' || config === null) {
    throw new ValidationError('config', `must be a DatabaseConfig object, got ${describeValue(config)}`);
  }
  const { backend } = config as { backend?: unknown };
  const builtIn = (DATABASE_BACKENDS as readonly unknown[]).includes(backend);
  if (!builtIn && (typeof backend !== 'string' || backend.length > 214 || !PACKAGE_NAME.test(backend))) {
    throw new ValidationError(
      'backend',
      `must be one of ${DATABASE_BACKENDS.join(', ')}, or an adapter's npm package name, got ${describeValue(backend)}`,
    );
  }
  const source = config as unknown as Record<string, unknown>;
  const ignored = (key: string): boolean =>
    config.backend === 'postgresql' && source.url !== undefined && POSTGRES_URL_REPLACES.has(key);
  const copy: Record<string | symbol, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (!SECRET_KEYS.has(key) && !ignored(key) && typeof value !== 'function') copy[key] = value;
  }
  const hidden = (value: unknown): PropertyDescriptor => ({ value, enumerable: false });
  for (const key of SECRET_KEYS) {
    const value = source[key];
    if (value !== undefined && !ignored(key)) Object.defineProperty(copy, key, hidden(value));
  }
  const printable = (): Record<string, unknown> => redactedDatabaseConfig(copy as unknown as DatabaseConfig);
  Object.defineProperties(copy, {
    toJSON: hidden(printable),
    toString: hidden(() => `DatabaseConfig ${JSON.stringify(printable())}`),
    [INSPECT]: hidden(printable),
  });
  return Object.freeze(copy) as C;
}
