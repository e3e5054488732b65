import { isBuiltin } from 'node:module';
import type { DatabaseBackend } from './types.js';

/** The names `DB_BACKEND` and `config.backend` accept for the built-in backends (any letter case). */
export const BACKEND_ALIASES: Readonly<Record<string, DatabaseBackend>> = {
  mock: 'memory',
  memory: 'memory',
  sqlite: 'sqlite',
  postgresql: 'postgresql',
  postgres: 'postgresql',
  redis: 'redis',
  mongodb: 'mongodb',
  mongo: 'mongodb',
};

/** The built-in backend `name` (or its alias, in any letter case) stands for; `undefined` for any other name. */
export function builtInBackend(name: string): DatabaseBackend | undefined {
  const key = name.toLowerCase();
  return Object.hasOwn(BACKEND_ALIASES, key) ? BACKEND_ALIASES[key] : undefined;
}

/** npm's rules for a new package name: lower case, URL-safe, no leading `.` or `_`, an optional `@scope/`. */
const PACKAGE_NAME = /^(?:@[a-z0-9-][a-z0-9._-]*\/)?[a-z0-9-][a-z0-9._-]*$/;
const RESERVED_NAMES = new Set(['node_modules', 'favicon.ico']);

/** At most npm's limit: long enough for any name, short enough to quote in an error. */
export const MAX_BACKEND_NAME_LENGTH = 214;
// eslint-disable-next-line no-control-regex
const SPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f]/;

/**
 * Why `name` cannot be an adapter's npm package name, or `undefined` when it can. It must be an installable package
 * itself, never a path, URL, subpath or Node built-in module (`fs`), so a variable can only select a package the
 * application installed.
 */
export function packageNameProblem(name: string): string | undefined {
  if (name.length > MAX_BACKEND_NAME_LENGTH || !PACKAGE_NAME.test(name) || RESERVED_NAMES.has(name)) {
    return 'must be a built-in backend (memory, sqlite, postgresql, redis, mongodb) or an npm package name such as @acme/fluxibly-sqlite';
  }
  if (isBuiltin(name)) return `must be an adapter package, not the Node built-in module ${name}`;
  return undefined;
}

/**
 * Why `name` cannot name a backend at all (registered names may be any word), or `undefined` when it can: 1–214
 * characters without spaces or control characters.
 */
export function backendWordProblem(name: unknown): string | undefined {
  const word = typeof name === 'string' && name.length > 0 && name.length <= MAX_BACKEND_NAME_LENGTH;
  if (word && !SPACE_OR_CONTROL.test(name)) return undefined;
  return `must be a backend name: 1 to ${MAX_BACKEND_NAME_LENGTH} characters without spaces`;
}
