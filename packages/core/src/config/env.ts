import { ValidationError } from '../errors/errors.js';
import { validateId } from '../validation/primitives.js';
import type { DatabaseBackend } from './types.js';
import { PACKAGE_NAME } from './types.js';
import { splitUrl } from './url-parts.js';

/** An environment: `process.env` or any map of variable names to strings. */
export type Environment = Readonly<Record<string, string | undefined>>;

const BACKEND_ALIASES: Readonly<Record<string, DatabaseBackend>> = {
  mock: 'memory',
  memory: 'memory',
  postgresql: 'postgresql',
  postgres: 'postgresql',
  redis: 'redis',
  mongodb: 'mongodb',
  mongo: 'mongodb',
};

const BOOLEANS: Readonly<Record<string, boolean>> = {
  true: true,
  '1': true,
  yes: true,
  false: false,
  '0': false,
  no: false,
};

/** A non-secret value for an error message: quoted and cut short. */
function shown(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

/**
 * Reads and checks environment variables. An unset or empty (all-blank) variable counts as unset. Every error is a
 * `ValidationError` whose `field` is the variable's name; secrets (passwords, URLs) are never quoted in it.
 */
export class EnvReader {
  readonly #env: Environment;

  constructor(env: Environment) {
    this.#env = env;
  }

  /** The trimmed value, or `undefined` when unset or blank. */
  raw(name: string): string | undefined {
    const value = this.#env[name];
    if (value === undefined || value.trim() === '') return undefined;
    return value.trim();
  }

  /** A secret, untrimmed (spaces may belong to it); `undefined` when unset or empty. */
  secret(name: string): string | undefined {
    const value = this.#env[name];
    return value === undefined || value === '' ? undefined : value;
  }

  /**
   * A built-in backend (by any of its names, any case), or else an npm package name (an adapter package by
   * someone else, or a name registered with `createRepository(config, { adapters })`), returned as written.
   */
  backend(name: string, fallback: DatabaseBackend): string {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const backend = BACKEND_ALIASES[value.toLowerCase()];
    if (backend !== undefined) return backend;
    if (value.length > 214 || !PACKAGE_NAME.test(value)) {
      const names = Object.keys(BACKEND_ALIASES).join(', ');
      throw new ValidationError(name, `must be one of ${names}, or an adapter's npm package name, got ${shown(value)}`);
    }
    return value;
  }

  /** A frozen copy of the whole environment, for an adapter package's own variables. */
  snapshot(): Readonly<Record<string, string | undefined>> {
    return Object.freeze({ ...this.#env });
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = BOOLEANS[value.toLowerCase()];
    if (parsed === undefined) {
      throw new ValidationError(name, `must be one of true, false, 1, 0, yes, no, got ${shown(value)}`);
    }
    return parsed;
  }

  port(name: string, fallback: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
    if (!(port >= 1 && port <= 65_535)) {
      throw new ValidationError(name, `must be a port number from 1 to 65535, got ${shown(value)}`);
    }
    return port;
  }

  /** A host name, database name or user name: no spaces or control characters. */
  word(name: string, fallback: string): string {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    // eslint-disable-next-line no-control-regex
    if (/[\s\u0000-\u001f\u007f]/.test(value) || value.length > 255) {
      throw new ValidationError(name, `must be at most 255 characters without spaces, got ${shown(value)}`);
    }
    return value;
  }

  /** A user or organisation id (the id rules: 1–255 characters). */
  id(name: string, fallback: string): string {
    const value = this.raw(name);
    return value === undefined ? fallback : validateId(value, name);
  }

  /**
   * A URL with one of `schemes` (e.g. `redis:`) whose user info and hosts read unambiguously (see `splitUrl`): a
   * password must be percent-encoded (`@` as `%40`, `/` as `%2F`…). The URL itself is never quoted in an error (it
   * may hold a password).
   */
  url(name: string, schemes: readonly string[], fallback: string): string;
  url(name: string, schemes: readonly string[], fallback?: undefined): string | undefined;
  url(name: string, schemes: readonly string[], fallback?: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const expected = schemes.map((s) => `${s}//`).join(' or ');
    const unshown = '(value not shown: it may hold a password)';
    // eslint-disable-next-line no-control-regex
    if (/[\s\u0000-\u001f\u007f]/.test(value)) {
      throw new ValidationError(name, `must be a ${expected} URL without spaces: percent-encode them (%20) ${unshown}`);
    }
    const parts = splitUrl(value);
    const scheme = typeof parts === 'string' ? undefined : parts.scheme.slice(0, -2).toLowerCase();
    if (parts === 'shape' || (scheme !== undefined && !schemes.includes(scheme))) {
      throw new ValidationError(name, `must be a ${expected} URL ${unshown}`);
    }
    if (parts === 'user-info') {
      throw new ValidationError(
        name,
        `cannot be read unambiguously: percent-encode the user name and password (@ as %40, / as %2F, ? as %3F, ` +
          `# as %23, % as %25), and any @ after the host as %40 ${unshown}`,
      );
    }
    // Mongo URLs may list several hosts (`a:1,b:2`), which the WHATWG parser rejects: splitUrl checked them.
    if (parts === 'host' || (scheme?.startsWith('mongodb') !== true && !URL.canParse(value))) {
      throw new ValidationError(name, `must be a ${expected} URL with a non-empty host and a valid port ${unshown}`);
    }
    return value;
  }
}
