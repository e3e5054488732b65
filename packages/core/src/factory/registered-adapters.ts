import { UnsupportedError, ValidationError } from '../errors/errors.js';
import { isPlainObject } from '../validation/json.js';
import { describeValue } from '../validation/primitives.js';
import type { AdapterModule } from './create-repository.js';
import { moduleNotFound } from './module-not-found.js';

/** Loads an adapter module: `() => import('@acme/fluxibly-sqlite')`, which a bundler can follow. */
export type AdapterLoader = () => Promise<unknown>;

/** An adapter registered with `createRepository(config, { adapters })`: a loader, or the module itself. */
export type AdapterRegistration = AdapterLoader | AdapterModule<never>;

/** Adapters by backend name (any word), for `createRepository(config, { adapters })`. */
export type AdapterRegistry = Readonly<Record<string, AdapterRegistration>>;

/** A registration `createRepository` found, and the name it was registered under. */
export interface FoundRegistration {
  readonly name: string;
  readonly registration: AdapterRegistration;
}

/**
 * The registration for the first of `names` that `adapters` holds (its own properties only), after checking every
 * entry; `undefined` when none is registered.
 * @throws ValidationError naming `adapters` or `adapters.<name>` for a bad registry or entry.
 */
export function findRegistration(adapters: unknown, names: readonly string[]): FoundRegistration | undefined {
  if (adapters === undefined) return undefined;
  if (!isPlainObject(adapters)) {
    throw new ValidationError(
      'adapters',
      `must be an object of backend names to adapters, got ${describeValue(adapters)}`,
    );
  }
  for (const [name, registration] of Object.entries(adapters)) {
    if (typeof registration !== 'function' && (typeof registration !== 'object' || registration === null)) {
      throw new ValidationError(
        `adapters.${name}`,
        `must be a function that imports the adapter (() => import('…')) or the adapter module, got ${describeValue(registration)}`,
      );
    }
  }
  const name = names.find((candidate) => Object.hasOwn(adapters, candidate));
  return name === undefined ? undefined : { name, registration: adapters[name] as AdapterRegistration };
}

/**
 * The module a registration stands for: the function's result (awaited), or the module itself.
 * @throws UnsupportedError naming the package to install when the function's import finds no module.
 */
export async function loadRegistration({ name, registration }: FoundRegistration): Promise<unknown> {
  if (typeof registration !== 'function') return registration;
  try {
    return await registration();
  } catch (error) {
    const missing = moduleNotFound(error)?.packageName;
    if (missing === undefined) throw error;
    throw new UnsupportedError(`DB_BACKEND=${name} needs ${missing}: npm install ${missing}`, { cause: error });
  }
}
