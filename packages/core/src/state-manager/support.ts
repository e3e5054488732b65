import type { ConversationRepository } from '../contract/repository.js';
import { NotFoundError, ValidationError } from '../errors/errors.js';

const REPOSITORY_METHODS = ['createThread', 'getThread', 'listThreads', 'appendMessages', 'getMessages'] as const;

/** Check that `value` looks like a {@link ConversationRepository}. */
export function assertRepository(value: unknown): ConversationRepository {
  const object = value as Record<string, unknown> | null | undefined;
  if (
    typeof object !== 'object' ||
    object === null ||
    REPOSITORY_METHODS.some((m) => typeof object[m] !== 'function')
  ) {
    throw new ValidationError(
      'repository',
      'must be a ConversationRepository (e.g. new MemoryConversationRepository())',
    );
  }
  return value as ConversationRepository;
}

/** The keys of `object` among `keys` whose value is not `undefined` (for `exactOptionalPropertyTypes` inputs). */
export function pick<T extends object, K extends keyof T>(
  object: T,
  keys: readonly K[],
): { [P in K]?: Exclude<T[P], undefined> } {
  const out: { [P in K]?: Exclude<T[P], undefined> } = {};
  for (const key of keys) {
    const value = object[key];
    if (value !== undefined) out[key] = value as Exclude<T[K], undefined>;
  }
  return out;
}

/** The error for a thread that does not exist for this scope (the same for a foreign one). */
export function threadNotFound(threadId: string): NotFoundError {
  return new NotFoundError(`thread ${JSON.stringify(threadId)} does not exist for this user`);
}
