import type { CrashPoint } from './context.js';

/**
 * Internal, for tests only (not exported from the package): the option key of the crash hook, a function called at
 * each crash point of separate index writes; throwing there simulates a process that died at that point. Keyed by
 * a symbol that only this module holds, so it is no part of the public options type.
 */
export const CRASH_HOOK: unique symbol = Symbol('fluxibly.redis.crashHook');

/** Repository options carrying the test-only crash hook. */
export interface CrashHookOption {
  readonly [CRASH_HOOK]?: (point: CrashPoint) => void;
}
