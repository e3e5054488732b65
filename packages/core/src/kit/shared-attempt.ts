/**
 * A start-up step (connecting, initialising a driver's data source, migrating) that many calls may need at once:
 * concurrent callers of {@link SharedAttempt.run} share the attempt in flight, a success is kept for every later
 * call, and a failure is forgotten, so the next call tries again (a server that was down may be up by then).
 */
export class SharedAttempt<T> {
  readonly #start: () => Promise<T>;
  #attempt: Promise<T> | undefined;

  constructor(start: () => Promise<T>) {
    this.#start = start;
  }

  /** The kept result, the attempt in flight, or a new attempt. */
  run(): Promise<T> {
    this.#attempt ??= this.#start().catch((error: unknown) => {
      this.#attempt = undefined;
      throw error;
    });
    return this.#attempt;
  }

  /** Forget a kept result (after the resource it stands for was released), so the next `run()` starts again. */
  reset(): void {
    this.#attempt = undefined;
  }
}
