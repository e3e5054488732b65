import { FluxiblyError, UnavailableError, ValidationError } from '@fluxibly/core';
import { scrubSecrets } from '@fluxibly/core/adapter';

/**
 * Turning driver errors into `FluxiblyError`s: the repository's `mapError` (core's adapter kit calls it for whatever
 * an operation throws that is not a `FluxiblyError`). The driver's error is kept as `cause`. The file's path is
 * treated as private (it may name a user): it is cut out of every message, and passed as a secret so core's
 * printable copy of the cause drops it too.
 */

/** The SQLite result code (`SQLITE_BUSY`…) or Node error code (`ENOTDIR`…) of an error, if any. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The `FluxiblyError` for a driver error:
 * - a missing table names `migrate()`;
 * - `SQLITE_TOOBIG` (a value beyond SQLite's limits) is a `ValidationError` naming `input`: retrying fails the same;
 * - everything else (the file cannot be opened, `SQLITE_BUSY` after the busy timeout, a full disk, a read-only file,
 *   a corrupt file) is `UnavailableError` with the driver error as `cause`.
 */
export function toFluxiblyError(error: unknown, secrets: readonly string[]): FluxiblyError {
  if (FluxiblyError.is(error)) return error;
  const code = errorCode(error);
  if (typeof (error as { syscall?: unknown } | null)?.syscall === 'string') {
    // A file-system error (opening the file, making its folder): its message quotes a path, maybe only a folder of
    // the file's, so neither it nor the error itself is kept; the code and the system call are.
    const syscall = (error as { syscall: string }).syscall;
    const message = `SQLite could not open the database file (${code ?? 'error'} in ${syscall})`;
    return new UnavailableError(message, { cause: Object.assign(new Error(message), { code }) });
  }
  const detail = scrubSecrets(error instanceof Error ? error.message : String(error), secrets);
  if (code === 'SQLITE_ERROR' && detail.startsWith('no such table: fluxibly_')) {
    return new UnavailableError(
      'SQLite: the Fluxibly tables do not exist in this database; run migrate() (or pass migrate: true) before ' +
        'using the repository',
      { cause: error, secrets },
    );
  }
  if (code === 'SQLITE_TOOBIG') {
    return new ValidationError('input', `SQLite rejected a value (${code}): ${detail}`, { cause: error, secrets });
  }
  const busy = code?.startsWith('SQLITE_BUSY') === true || code?.startsWith('SQLITE_LOCKED') === true;
  return new UnavailableError(
    busy
      ? `SQLite unavailable (${code}): another connection held the write lock beyond the busy timeout`
      : `SQLite unavailable${code === undefined ? '' : ` (${code})`}: ${detail}`,
    { cause: error, secrets },
  );
}

/** The repository's error mapper: {@link toFluxiblyError} with the file's path as a secret. */
export function errorMapper(secrets: readonly string[]): (error: unknown) => FluxiblyError {
  return (error) => toFluxiblyError(error, secrets);
}
