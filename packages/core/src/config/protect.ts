import { ValidationError } from '../errors/errors.js';
import { describeValue } from '../validation/primitives.js';
import { backendWordProblem, builtInBackend } from './backend-name.js';
import { snapshotEnvironment } from './environment.js';
import { scrubSecrets } from '../errors/safe-cause.js';
import { INSPECT, REDACTED, redactUrl } from './redact.js';
import { URL_SCHEMES, validateConnectionUrl } from './url-check.js';
import type { DatabaseConfig } from './types.js';

/**
 * A field holding a secret: `url`/`uri`/`dsn`/`connectionString`, or one whose name mentions one (`password`,
 * `apiKey`, `authToken`, `privateKey`…). Not `keyPrefix` and the like: a plain "key" is no secret.
 */
const SECRET_KEY =
  /^(?:url|uri|dsn)$|connection(?:string|uri|url)|pass|pwd|secret|token|(?:api|private|access|signing|encryption)[-_]?key|credential|auth/i;
/** Fields that are neither shown nor copied as plain data. */
const ENV_KEY = 'env';
/** The PostgreSQL fields a `url` replaces: a protected config with a `url` drops them (adapters ignore them). */
const POSTGRES_URL_REPLACES = new Set(['host', 'port', 'database', 'user', 'password']);

/**
 * What a non-secret field prints as: strings with any URL user info or `password=…` pair scrubbed, nested objects
 * and arrays redacted by the same rules (secret-named fields as `***`).
 */
function printableValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (typeof value !== 'object' || value === null || depth > 4) return value;
  if (Array.isArray(value)) return value.map((item: unknown) => printableValue(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (typeof item === 'function') continue;
    out[key] = SECRET_KEY.test(key) ? REDACTED : printableValue(item, depth + 1);
  }
  return out;
}

/** A config's printable form: non-secret fields, `url` redacted, other secrets as `***`, `env` left out. */
export function redactedDatabaseConfig(config: DatabaseConfig): Record<string, unknown> {
  const shown: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (!SECRET_KEY.test(key) && key !== ENV_KEY && typeof value !== 'function') shown[key] = printableValue(value, 0);
  }
  const source = config as Record<string, unknown>;
  for (const key of Object.getOwnPropertyNames(config)) {
    if (!SECRET_KEY.test(key) || source[key] === undefined) continue;
    const value = source[key];
    shown[key] = /^(?:url|uri)$/i.test(key) && typeof value === 'string' ? redactUrl(value) : REDACTED;
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
  // A built-in backend's url must read unambiguously (as DATABASE_URL/REDIS_URL/MONGODB_URL must).
  const schemes = URL_SCHEMES[backend];
  if (schemes !== undefined && source.url !== undefined) validateConnectionUrl(source.url, 'url', schemes);
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
