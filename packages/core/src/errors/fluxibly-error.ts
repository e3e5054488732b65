import type { FluxiblyErrorCode } from './codes.js';
import { safeCause } from './safe-cause.js';

const BRAND = Symbol.for('@fluxibly/core/FluxiblyError');

/** Options accepted by every {@link FluxiblyError} constructor. */
export interface FluxiblyErrorOptions {
  /**
   * The underlying error (e.g. the driver's), for debugging. Never shown in `message`. A foreign error is kept as
   * a printable copy ({@link safeCause}: name, message, stack, `code` and a few plain facts — never the driver's
   * command arguments or connection options); a `FluxiblyError` is kept as it is.
   */
  cause?: unknown;
  /** Strings (passwords) to replace by `***` wherever they appear in the copy of `cause`. */
  secrets?: readonly string[] | undefined;
}

/**
 * The base of every error thrown by Fluxibly State. Check `code`, or use `instanceof`:
 * `instanceof` works across duplicate copies of this package (ESM and CJS builds, two installed versions),
 * because it checks a global brand and the code rather than the prototype chain.
 */
export class FluxiblyError extends Error {
  /** The subclass's code; `undefined` on the base class, which matches every code. */
  static readonly code: FluxiblyErrorCode | undefined = undefined;

  readonly code: FluxiblyErrorCode;

  constructor(code: FluxiblyErrorCode, message: string, options: FluxiblyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: printableCause(options.cause, options.secrets) });
    this.code = code;
    this.name = new.target.name;
    Object.defineProperty(this, BRAND, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null || (value as Record<symbol, unknown>)[BRAND] !== true) {
      return false;
    }
    return this.code === undefined || (value as FluxiblyError).code === this.code;
  }

  /** True when `value` is a FluxiblyError (optionally with the given code). */
  static is(value: unknown, code?: FluxiblyErrorCode): value is FluxiblyError {
    return value instanceof FluxiblyError && (code === undefined || value.code === code);
  }
}

function printableCause(cause: unknown, secrets: readonly string[] | undefined): unknown {
  if (typeof cause === 'object' && cause !== null && (cause as Record<symbol, unknown>)[BRAND] === true) return cause;
  return safeCause(cause, secrets);
}
