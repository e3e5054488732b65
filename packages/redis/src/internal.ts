/**
 * Internal entry for this package's tests and debugging, not exported by the package: reaches what the public API
 * keeps private — the repository's ioredis client (whose options hold the password) and the crash hook.
 */
import type { CrashPoint } from './context.js';
import type { RedisConversationRepository } from './repository.js';
import { contextOf } from './repository.js';

export { clientOf } from './repository.js';
export type { CrashPoint } from './context.js';

/**
 * Test only: call `hook` at each crash point of separate index writes (between a thread write and its listing-index
 * write); throwing there simulates a process that died at that point. `undefined` removes it.
 */
export function setCrashHook(
  repository: RedisConversationRepository,
  hook: ((point: CrashPoint) => void) | undefined,
): void {
  contextOf(repository).crash = hook;
}
