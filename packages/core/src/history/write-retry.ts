import { FluxiblyError } from '../errors/fluxibly-error.js';
import { ValidationError } from '../errors/errors.js';
import { validateInputObject, validateInteger } from '../validation/primitives.js';
import type { WriteRetryOptions } from './types.js';

/** {@link WriteRetryOptions} with its defaults applied. */
export interface WriteRetryPolicy {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

/** The default retry delays: 100 ms, doubling, at most 5 s. */
export const DEFAULT_WRITE_RETRY: WriteRetryPolicy = { initialDelayMs: 100, maxDelayMs: 5_000 };

/** The policy `options` give. @throws ValidationError naming `writeRetry…`. */
export function writeRetryPolicy(options: WriteRetryOptions | undefined): WriteRetryPolicy {
  if (options === undefined) return DEFAULT_WRITE_RETRY;
  validateInputObject(options, 'writeRetry');
  const delay = (value: unknown, field: string, fallback: number): number =>
    value === undefined ? fallback : validateInteger(value, field, { min: 1, max: 3_600_000 });
  const initialDelayMs = delay(options.initialDelayMs, 'writeRetry.initialDelayMs', DEFAULT_WRITE_RETRY.initialDelayMs);
  const maxDelayMs = delay(
    options.maxDelayMs,
    'writeRetry.maxDelayMs',
    Math.max(initialDelayMs, DEFAULT_WRITE_RETRY.maxDelayMs),
  );
  if (maxDelayMs < initialDelayMs) {
    throw new ValidationError('writeRetry.maxDelayMs', 'must be at least writeRetry.initialDelayMs');
  }
  return { initialDelayMs, maxDelayMs };
}

/** The delay before retry number `attempt` (1, 2, …): `initialDelayMs · 2^(attempt-1)`, at most `maxDelayMs`. */
export function retryDelay(policy: WriteRetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(attempt - 1, 30));
}

/**
 * Whether retrying a write that failed with `error` cannot help: a `VALIDATION` (a bad message), `NOT_FOUND` (the
 * thread is gone) or `CONFLICT` (an id taken elsewhere) error. Anything else, unknown errors included, is retried:
 * a write is dropped only when the repository said it can never succeed.
 */
export function isPermanentWriteError(error: unknown): error is FluxiblyError {
  return (
    FluxiblyError.is(error, 'VALIDATION') || FluxiblyError.is(error, 'NOT_FOUND') || FluxiblyError.is(error, 'CONFLICT')
  );
}
