import { FluxiblyError, UnavailableError, ValidationError } from '@fluxibly/core';

/**
 * Turn anything a Redis call threw into a `FluxiblyError`. A `FluxiblyError` passes through; every other error
 * (connection refused or lost, `MaxRetriesPerRequestError`, a timeout, a cluster that is down, an error reply such
 * as `OOM` or `BUSY`) becomes `UnavailableError` with the driver's error as `cause`. The message names only the
 * error's class, never its text, so no URL or password can leak into it; the `cause` is core's printable copy
 * (no command arguments, so no `AUTH` password), with every string of `secrets` (the connection's passwords)
 * replaced by `***`.
 */
export function toFluxiblyError(error: unknown, secrets: readonly string[] = []): FluxiblyError {
  if (error instanceof FluxiblyError) return error;
  const kind = error instanceof Error ? error.name : typeof error;
  return new UnavailableError(`redis is unavailable (${kind})`, { cause: error, secrets });
}

/** Run `call`, mapping whatever it throws with {@link toFluxiblyError}. */
export async function mapErrors<T>(call: () => Promise<T>, secrets: readonly string[] = []): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toFluxiblyError(error, secrets);
  }
}

/**
 * Run input validation. Whatever else it throws — a getter or `Proxy` in the caller's input that throws while it is
 * read — becomes a `ValidationError` naming `input`, so no untyped error escapes a call, even before anything is
 * sent.
 */
export function validInput<T>(validate: () => T): T {
  try {
    return validate();
  } catch (error) {
    if (error instanceof FluxiblyError) throw error;
    const kind = error instanceof Error ? error.name : typeof error;
    throw new ValidationError('input', `could not be read (${kind})`, { cause: error });
  }
}
