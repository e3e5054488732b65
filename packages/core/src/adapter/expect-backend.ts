import { ValidationError } from '../errors/errors.js';
import { describeValue } from '../validation/primitives.js';

/**
 * The check an adapter's `createRepositoryFromConfig(config)` starts with: `config.backend` is one this package
 * serves. @throws ValidationError naming `backend` (`must be 'redis' for @fluxibly/redis, got "memory"`).
 */
export function expectBackend(config: unknown, backends: readonly string[], packageName: string): void {
  const backend = typeof config === 'object' && config !== null ? (config as { backend?: unknown }).backend : undefined;
  if (typeof backend === 'string' && backends.includes(backend)) return;
  const got = typeof backend === 'string' ? JSON.stringify(backend) : describeValue(backend);
  throw new ValidationError(
    'backend',
    `must be ${backends.map((name) => `'${name}'`).join(' or ')} for ${packageName}, got ${got}`,
  );
}
