import { UnavailableError } from '../errors/errors.js';
import { repositoryClosed } from '../adapter/standard-errors.js';

/** What {@link PendingCalls} is built with. */
export interface PendingCallsOptions {
  /**
   * The most any one call may take, in ms, whatever the driver does (a cluster with no reachable node can keep a
   * command queued for ever). Past it the call rejects with `UnavailableError`; the work it started may still
   * complete on the server, as with any timeout, so a retry must be safe (appends are, by message id).
   * `0` turns the bound off. Default 0.
   */
  deadlineMs?: number;
  /** Names the backend in messages: `"redis did not answer within 31000 ms"`. */
  backend: string;
  /** Applied to what `work` throws or rejects with (not to the deadline's or `close()`'s errors). */
  mapError?: ((error: unknown) => Error) | undefined;
}

/**
 * The calls a repository has under way. `run()` settles every call within the deadline and `close()` settles every
 * pending call at once with `UnavailableError('repository is closed')`, so nothing a repository returned waits for
 * ever on a dead or frozen server, nor after `close()`. Calls started after `close()` reject at once.
 */
export class PendingCalls {
  readonly #deadlineMs: number;
  readonly #backend: string;
  readonly #mapError: (error: unknown) => Error;
  readonly #pending = new Set<(error: Error) => void>();
  #closed = false;

  constructor(options: PendingCallsOptions) {
    this.#deadlineMs = options.deadlineMs ?? 0;
    this.#backend = options.backend;
    this.#mapError = options.mapError ?? ((error) => error as Error);
  }

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Run `work` and settle with it — or with `UnavailableError` when the deadline passes or the repository closes
   * first. Errors of `work` pass through untouched. `deadlineMs` replaces the default bound for this call (`0`: none;
   * e.g. a migration that may build indexes for minutes, which `close()` still settles).
   */
  run<T>(work: () => Promise<T>, deadlineMs: number = this.#deadlineMs): Promise<T> {
    if (this.#closed) return Promise.reject(repositoryClosed());
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const fail = (error: Error): void => {
        if (timer !== undefined) clearTimeout(timer);
        this.#pending.delete(fail);
        reject(error);
      };
      this.#pending.add(fail);
      if (deadlineMs > 0) {
        timer = setTimeout(
          () => fail(new UnavailableError(`${this.#backend} did not answer within ${deadlineMs} ms`)),
          deadlineMs,
        );
        timer.unref();
      }
      let started: Promise<T>;
      try {
        started = work();
      } catch (error) {
        fail(this.#mapError(error));
        return;
      }
      started.then(
        (value) => {
          if (timer !== undefined) clearTimeout(timer);
          this.#pending.delete(fail);
          resolve(value);
        },
        (error: unknown) => fail(this.#mapError(error)),
      );
    });
  }

  /** Reject every pending call with `UnavailableError('repository is closed')`; later calls reject at once. */
  close(): void {
    this.#closed = true;
    const pending = [...this.#pending];
    this.#pending.clear();
    for (const fail of pending) fail(repositoryClosed());
  }
}
