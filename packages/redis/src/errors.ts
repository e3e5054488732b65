import { UnavailableError } from '@fluxibly/core';
import type { RepositoryKit } from '@fluxibly/core/adapter';

/**
 * The repository's error mapper (core's `RepositoryKit.mapError`; a `FluxiblyError` never reaches it): anything
 * else a Redis call threw (connection refused or lost, `MaxRetriesPerRequestError`, a timeout, a cluster that is
 * down, an error reply such as `OOM` or `BUSY`) becomes `UnavailableError` with the driver's error as `cause`. The
 * message names only the error's class, never its text, so no URL or password can leak into it; the `cause` is
 * core's printable copy (no command arguments, so no `AUTH` password), with every string of `secrets` (the
 * connection's passwords) replaced by `***`.
 */
export function redisErrorMapper(secrets: readonly string[]): NonNullable<RepositoryKit['mapError']> {
  return (error) => {
    const kind = error instanceof Error ? error.name : typeof error;
    return new UnavailableError(`redis is unavailable (${kind})`, { cause: error, secrets });
  };
}
