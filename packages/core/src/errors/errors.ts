import type { FluxiblyErrorOptions } from './fluxibly-error.js';
import { FluxiblyError } from './fluxibly-error.js';

/**
 * The thread or message does not exist *for this scope*. A thread owned by another tenant gives exactly
 * this error, so it never reveals that the thread exists.
 */
export class NotFoundError extends FluxiblyError {
  static override readonly code = 'NOT_FOUND' as const;
  constructor(message: string, options?: FluxiblyErrorOptions) {
    super('NOT_FOUND', message, options);
  }
}

/** Bad input. Nothing was written. `field` names the offending input, e.g. `messages[2].content[0].type`. */
export class ValidationError extends FluxiblyError {
  static override readonly code = 'VALIDATION' as const;
  readonly field: string;
  constructor(field: string, message: string, options?: FluxiblyErrorOptions) {
    super('VALIDATION', `${field}: ${message}`, options);
    this.field = field;
  }
}

/** A write lost a race: `expectedLastSeq` no longer matches, or a caller-supplied id is taken. Nothing was written. */
export class ConflictError extends FluxiblyError {
  static override readonly code = 'CONFLICT' as const;
  /** For an `expectedLastSeq` conflict: what the caller expected and what the thread holds. */
  readonly expectedLastSeq: number | undefined;
  readonly actualLastSeq: number | undefined;
  constructor(
    message: string,
    options: FluxiblyErrorOptions & { expectedLastSeq?: number; actualLastSeq?: number } = {},
  ) {
    super('CONFLICT', message, options);
    this.expectedLastSeq = options.expectedLastSeq;
    this.actualLastSeq = options.actualLastSeq;
  }
}

/** The backend could not be reached or timed out. The driver's error is `cause`. The call may be retried. */
export class UnavailableError extends FluxiblyError {
  static override readonly code = 'UNAVAILABLE' as const;
  constructor(message: string, options?: FluxiblyErrorOptions) {
    super('UNAVAILABLE', message, options);
  }
}

/** The repository does not offer this feature (see its `capabilities`), or a needed package is missing. */
export class UnsupportedError extends FluxiblyError {
  static override readonly code = 'UNSUPPORTED' as const;
  constructor(message: string, options?: FluxiblyErrorOptions) {
    super('UNSUPPORTED', message, options);
  }
}
