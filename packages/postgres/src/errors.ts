import { FluxiblyError, UnavailableError, ValidationError } from '@fluxibly/core';

/**
 * Turning driver errors into `FluxiblyError`s: the repository's `mapError` (core's adapter kit calls it for
 * whatever an operation throws that is not a `FluxiblyError`, so only `FluxiblyError`s leave the repository). The
 * driver's error is kept as `cause`. Messages are built here from the SQLSTATE and the driver's text with every
 * secret (the password, the connection URL) cut out.
 */

/** SQLSTATE codes the adapter reacts to. */
export const SQLSTATE = {
  uniqueViolation: '23505',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
  undefinedTable: '42P01',
  undefinedColumn: '42703',
  undefinedObject: '42704',
  invalidSchemaName: '3F000',
} as const;

/** SQLSTATE class 22, data exception: a value out of range, not valid in its type, or untranslatable. */
const DATA_EXCEPTION = '22';

/** The SQLSTATE (or Node error code, e.g. `ECONNREFUSED`) of a driver error, if any. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** True for errors worth re-running a whole single-statement call for: a lost race inside PostgreSQL (see `appendMessages`). */
export function isRetryable(error: unknown): boolean {
  const code = errorCode(error);
  return (
    code === SQLSTATE.uniqueViolation || code === SQLSTATE.serializationFailure || code === SQLSTATE.deadlockDetected
  );
}

/** Remove every secret from a text. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join('***');
  return out;
}

/**
 * The `FluxiblyError` for a driver error: a missing table or schema names `migrate()`; a data exception (SQLSTATE
 * class 22: a value PostgreSQL refuses, such as an out-of-range timestamp or a NUL character) is a
 * `ValidationError` naming `input`, never a retryable outage; everything else (refused
 * or dropped connections, an administrator shutdown, timeouts, a lost race that retries did not settle) is
 * `UnavailableError` with the driver error as `cause`.
 */
export function toFluxiblyError(error: unknown, secrets: readonly string[], schema: string): FluxiblyError {
  if (FluxiblyError.is(error)) return error;
  const code = errorCode(error);
  if (code === SQLSTATE.undefinedTable || code === SQLSTATE.invalidSchemaName) {
    return new UnavailableError(
      `PostgreSQL: the Fluxibly tables do not exist in schema ${JSON.stringify(schema)}; run migrate() ` +
        `(or pass migrate: true) before using the repository`,
      { cause: error, secrets },
    );
  }
  const detail = error instanceof Error ? error.message : String(error);
  if (code?.startsWith(DATA_EXCEPTION) === true) {
    // The statements are fixed; a value PostgreSQL refuses came from the input. Retrying would fail the same way.
    return new ValidationError('input', redact(`PostgreSQL rejected a value (${code}): ${detail}`, secrets), {
      cause: error,
      secrets,
    });
  }
  return new UnavailableError(
    redact(`PostgreSQL unavailable${code === undefined ? '' : ` (${code})`}: ${detail}`, secrets),
    { cause: error, secrets },
  );
}

/**
 * The repository's error mapper (core's `RepositoryKit.mapError`): {@link toFluxiblyError} with the connection's
 * secrets and the repository's schema.
 */
export function errorMapper(secrets: readonly string[], schema: string): (error: unknown) => FluxiblyError {
  return (error) => toFluxiblyError(error, secrets, schema);
}
