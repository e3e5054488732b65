import { ValidationError } from '../errors/errors.js';
import { validateId } from '../validation/primitives.js';
import { builtInBackend, packageNameProblem } from './backend-name.js';
import type { DatabaseBackend, Environment } from './types.js';
import { validateConnectionUrl } from './url-check.js';

export type { Environment } from './types.js';

const BOOLEANS: Readonly<Record<string, boolean>> = {
  true: true,
  '1': true,
  yes: true,
  false: false,
  '0': false,
  no: false,
};

/** A non-secret value for an error message: quoted and cut short. */
export function shown(value: string): string {
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
   * A backend: a built-in name or alias in any letter case (`mock`, `Postgres`…) as its canonical name
   * (`memory`, `postgresql`…); any other value must be an adapter's npm package name, returned as written.
   */
  backend(name: string, fallback: DatabaseBackend): string {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const builtIn = builtInBackend(value);
    if (builtIn !== undefined) return builtIn;
    const problem = packageNameProblem(value);
    if (problem !== undefined) throw new ValidationError(name, `${problem}, got ${shown(value)}`);
    return value;
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

  /** A file path (`:memory:` included): trimmed, at most 4096 characters, no control characters. */
  path(name: string, fallback: string): string {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(value) || value.length > 4096) {
      throw new ValidationError(name, `must be a file path of at most 4096 characters, got ${shown(value)}`);
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
    return validateConnectionUrl(value, name, schemes);
  }
}
