import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { UnsupportedError } from '../errors/errors.js';
import type { AdapterPackage } from './adapters.js';
import { moduleNotFound } from './module-not-found.js';

/** Imports a module by specifier or `file:` URL, like `import()`. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

/** Where and how to look for an adapter package. */
export interface AdapterLookup {
  /** Default: `import()` from `@fluxibly/core`'s own location. */
  readonly importModule?: ModuleImporter | undefined;
  /**
   * The application's directory, searched when core cannot see the package. Default: the working directory,
   * then the directory of the entry script (`process.argv[1]`).
   */
  readonly appDirectory?: string | undefined;
}

const importFromCore: ModuleImporter = (specifier) => import(specifier);

function installHint(adapter: AdapterPackage): string {
  return ['npm install', adapter.packageName, ...adapter.drivers].join(' ');
}

function packageMissing(adapter: AdapterPackage, cause: unknown): UnsupportedError {
  return new UnsupportedError(`DB_BACKEND=${adapter.backend} needs ${adapter.packageName}: ${installHint(adapter)}`, {
    cause,
  });
}

function driverMissing(adapter: AdapterPackage, driver: string, cause: unknown): UnsupportedError {
  return new UnsupportedError(
    `DB_BACKEND=${adapter.backend} needs ${driver}, the driver ${adapter.packageName} uses: npm install ${driver}`,
    { cause },
  );
}

/**
 * Import an adapter package on demand:
 * 1. `import(packageName)` from core's location;
 * 2. if the package is not found there (with pnpm's strict layout core cannot see the application's packages),
 *    resolve it from the application's directory and import that file;
 * 3. if it is still missing, throw `UnsupportedError` naming the package to install — or, when the package is
 *    there but one of its own imports (its driver, e.g. `ioredis`) is missing, naming that module.
 * Any other import error is rethrown as it is.
 */
export async function importAdapter(adapter: AdapterPackage, lookup: AdapterLookup = {}): Promise<unknown> {
  const importModule = lookup.importModule ?? importFromCore;
  try {
    return await importModule(adapter.packageName);
  } catch (error) {
    rethrowUnlessPackageMissing(adapter, error);
  }
  let resolved: string | undefined;
  let lastError: unknown;
  for (const directory of appDirectories(lookup)) {
    try {
      resolved = createRequire(path.join(directory, 'package.json')).resolve(adapter.packageName);
      break;
    } catch (error) {
      lastError = error;
    }
  }
  if (resolved === undefined) throw packageMissing(adapter, lastError);
  try {
    return await importModule(pathToFileURL(resolved).href);
  } catch (error) {
    rethrowUnlessPackageMissing(adapter, error);
    throw packageMissing(adapter, error);
  }
}

/** Where the application's packages may be found, in order. */
function appDirectories(lookup: AdapterLookup): string[] {
  if (lookup.appDirectory !== undefined) return [lookup.appDirectory];
  const entry = process.argv[1];
  const directories = [process.cwd()];
  if (entry !== undefined && entry.length > 0) directories.push(path.dirname(path.resolve(entry)));
  return directories;
}

/** Return when `error` says the adapter package itself is missing; throw anything else, with a clear message. */
function rethrowUnlessPackageMissing(adapter: AdapterPackage, error: unknown): void {
  const missing = moduleNotFound(error);
  if (missing === null) throw error;
  if (missing.packageName !== undefined && missing.packageName !== adapter.packageName) {
    throw driverMissing(adapter, missing.packageName, error);
  }
}
