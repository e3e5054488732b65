import { ValidationError } from '@fluxibly/core';

/** How long a repository waits for Redis: the bounds every call settles within. */
export interface RedisTimeouts {
  /** Most one command may take once sent (ioredis `commandTimeout`) before it fails `UNAVAILABLE`. */
  readonly commandTimeoutMs: number;
  /** Most a connection attempt may take (ioredis `connectTimeout`). */
  readonly connectTimeoutMs: number;
}

/** The defaults: a 30 s command timeout, a 10 s connect timeout. */
export const DEFAULT_TIMEOUTS: RedisTimeouts = Object.freeze({ commandTimeoutMs: 30_000, connectTimeoutMs: 10_000 });

/** The largest timeout accepted (so their sum stays a valid `setTimeout` delay). */
const MAX_TIMEOUT_MS = 1_000_000_000;

/** @throws ValidationError naming `commandTimeoutMs` or `connectTimeoutMs`. */
export function validateTimeouts(options: { commandTimeoutMs?: unknown; connectTimeoutMs?: unknown }): RedisTimeouts {
  return {
    commandTimeoutMs: timeout(options.commandTimeoutMs, 'commandTimeoutMs', DEFAULT_TIMEOUTS.commandTimeoutMs),
    connectTimeoutMs: timeout(options.connectTimeoutMs, 'connectTimeoutMs', DEFAULT_TIMEOUTS.connectTimeoutMs),
  };
}

/**
 * The most any one repository call may take, whatever the client does: a connect and a command. Past it the call
 * rejects `UNAVAILABLE` even on a caller-owned client or a cluster that queues commands while no master answers.
 */
export function callDeadlineMs(timeouts: RedisTimeouts): number {
  return timeouts.connectTimeoutMs + timeouts.commandTimeoutMs;
}

function timeout(value: unknown, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1 || value > MAX_TIMEOUT_MS) {
    throw new ValidationError(field, `must be a number of milliseconds from 1 to ${MAX_TIMEOUT_MS}`);
  }
  return value;
}
