import { ValidationError } from '../errors/errors.js';
import { describeValue } from '../validation/primitives.js';
import { backendWordProblem, builtInBackend } from './backend-name.js';
import { snapshotEnvironment } from './environment.js';
import { INSPECT, REDACTED, redactUrl } from './redact.js';
import type { DatabaseConfig } from './types.js';

/** A field holding a secret: `url`, or one whose name mentions one (`password`, `apiKey`, `authToken`…). */
const SECRET_KEY = /^url$|pass|pwd|secret|token|key|credential|auth/i;
/** Fields that are neither shown nor copied as plain data. */
const ENV_KEY = 'env';
/** The PostgreSQL fields a `url` replaces: a protected config with a `url` drops them (adapters ignore them). */
const POSTGRES_URL_REPLACES = new Set(['host', 'port', 'database', 'user', 'password']);

/** A config's printable form: non-secret fields, `url` redacted, other secrets as `***`, `env` left out. */
export function redactedDatabaseConfig(config: DatabaseConfig): Record<string, unknown> {
  const shown: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (!SECRET_KEY.test(key) && key !== ENV_KEY && typeof value !== 'function') shown[key] = value;
  }
  const source = config as Record<string, unknown>;
  for (const key of Object.getOwnPropertyNames(config)) {
    if (!SECRET_KEY.test(key) || source[key] === undefined) continue;
    shown[key] = key === 'url' && typeof source.url === 'string' ? redactUrl(source.url) : REDACTED;
  }
  return shown;
}

/**
 * A frozen copy of `config` that never shows its secrets: `url`, `password` and, for an adapter's own fields, every
 * field whose name mentions a secret (`apiKey`, `authToken`…) are non-enumerable properties (adapters read them as
 * usual), and `toJSON`, `toString` and `util.inspect` (so `console.log`) print `***` in their place. `env` (see
 * `DatabaseConfigBase.env`) becomes a frozen snapshot, non-enumerable and never printed. A built-in alias in
 * `backend` (`postgres`, `mongo`, `mock`, any letter case) becomes the canonical name. A PostgreSQL config with a
 * `url` keeps only `backend` and `url` (host, port, database, user and password are ignored by adapters then, so
 * they are dropped rather than shown). `StateConfig` and `createRepository` apply it to every config; apply it to
 * one you build by hand before logging it.
 * @throws ValidationError naming `backend` when the config has no backend name, or `env` when it is not an object.
 */
export function protectDatabaseConfig<C extends DatabaseConfig>(config: C): C {
  if (typeof config !== 'object' || config === null) {
    throw new ValidationError('config', `must be a DatabaseConfig object, got ${describeValue(config)}`);
  }
  const problem = backendWordProblem(config.backend);
  if (problem !== undefined) throw new ValidationError('backend', problem);
  const backend = builtInBackend(config.backend) ?? config.backend;
  const source = config as Record<string, unknown>;
  const ignored = (key: string): boolean =>
    backend === 'postgresql' && source.url !== undefined && POSTGRES_URL_REPLACES.has(key);
  const copy: Record<string | symbol, unknown> = {};
  const hidden = (value: unknown): PropertyDescriptor => ({ value, enumerable: false });
  // `url` and `password` are read even when inherited (a getter), as adapters read them.
  for (const key of new Set([...Object.getOwnPropertyNames(config), 'url', 'password'])) {
    const value = source[key];
    if (value === undefined || ignored(key) || typeof value === 'function' || key === ENV_KEY) continue;
    if (SECRET_KEY.test(key)) Object.defineProperty(copy, key, hidden(value));
    else if (Object.prototype.propertyIsEnumerable.call(config, key)) copy[key] = value;
  }
  copy.backend = backend;
  if (source.env !== undefined) Object.defineProperty(copy, ENV_KEY, hidden(snapshotEnvironment(source.env)));
  const printable = (): Record<string, unknown> => redactedDatabaseConfig(copy as unknown as DatabaseConfig);
  Object.defineProperties(copy, {
    toJSON: hidden(printable),
    toString: hidden(() => `DatabaseConfig ${JSON.stringify(printable())}`),
    [INSPECT]: hidden(printable),
  });
  return Object.freeze(copy) as C;
}
