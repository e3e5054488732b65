import type { ValidMessage } from '../validation/messages.js';
import { LIMITS } from '../validation/limits.js';

/** One message waiting to be stored. `threadId` `undefined` means "the thread `resolveThread()` gives". */
export interface QueuedWrite {
  readonly message: ValidMessage;
  readonly threadId: string | undefined;
}

/** What the queue calls. */
export interface WriteQueueHandlers {
  /** Store messages, in order, in one call. Must be idempotent per message id (a retry re-sends the same ids). */
  write(threadId: string, messages: ValidMessage[]): Promise<void>;
  /** The thread for writes queued without one (called from inside the queue, so never concurrently). */
  resolveThread(): Promise<string>;
  /** Told of every failed write. */
  onError(error: unknown): void;
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * A serial background write queue. Writes are stored one batch at a time, in the order they were pushed
 * (consecutive writes to the same thread are sent as one batch of up to 1000).
 *
 * A failed write is never skipped or lost: the queue pauses with it still at its head (so order holds), reports
 * the error to `onError`, and keeps it for the next {@link flush}, which rejects with it. The flush after that
 * resumes the queue and retries the held writes with the same message ids, which is safe because appends are
 * idempotent. Nothing here ever produces an unhandled rejection.
 */
export class WriteQueue {
  readonly #handlers: WriteQueueHandlers;
  readonly #items: QueuedWrite[] = [];
  readonly #waiters: Waiter[] = [];
  #running = false;
  #paused = false;
  #inFlight = 0;
  #failure: { error: unknown } | undefined;

  constructor(handlers: WriteQueueHandlers) {
    this.#handlers = handlers;
  }

  /** How many messages are not stored yet (queued, in flight, or held after a failure). */
  get size(): number {
    return this.#items.length;
  }

  /** True after a failed write, until `flush()` resumes the queue or `discard()` drops the held writes. */
  get paused(): boolean {
    return this.#paused;
  }

  /** Queue a write; it starts at once unless the queue is paused by a failure. */
  push(write: QueuedWrite): void {
    this.#items.push(write);
    if (!this.#paused && !this.#running) this.#start();
  }

  /**
   * Resolve when every queued write is stored. Reject with a failure not yet reported (without retrying), or with
   * the error of a write that fails while waiting. A call after a reported failure retries the held writes.
   */
  async flush(): Promise<void> {
    const failure = this.#failure;
    if (failure !== undefined) {
      this.#failure = undefined;
      throw failure.error;
    }
    if (this.#items.length === 0) return;
    await new Promise<void>((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
      this.#paused = false;
      if (!this.#running) this.#start();
    });
  }

  /** Drop every write not in flight (e.g. after a permanent failure) and resume; returns the dropped messages. */
  discard(): ValidMessage[] {
    const dropped = this.#items.splice(this.#inFlight);
    this.#failure = undefined;
    this.#paused = false;
    if (this.#items.length === 0) for (const waiter of this.#waiters.splice(0)) waiter.resolve();
    return dropped.map((item) => item.message);
  }

  #start(): void {
    this.#running = true;
    this.#run().then(
      () => undefined,
      (error: unknown) => this.#fail(error), // unreachable: #run handles its own errors
    );
  }

  async #run(): Promise<void> {
    try {
      while (this.#items.length > 0 && !this.#paused) {
        const batch = this.#nextBatch();
        this.#inFlight = batch.length;
        try {
          const threadId = batch[0]?.threadId ?? (await this.#handlers.resolveThread());
          await this.#handlers.write(
            threadId,
            batch.map((item) => item.message),
          );
        } catch (error) {
          this.#paused = true;
          this.#fail(error);
          return;
        } finally {
          this.#inFlight = 0;
        }
        this.#items.splice(0, batch.length);
      }
      if (this.#items.length === 0) for (const waiter of this.#waiters.splice(0)) waiter.resolve();
    } finally {
      this.#running = false;
    }
  }

  #nextBatch(): QueuedWrite[] {
    const first = this.#items[0];
    const batch: QueuedWrite[] = [];
    for (const item of this.#items) {
      if (batch.length >= LIMITS.batchSize || item.threadId !== first?.threadId) break;
      batch.push(item);
    }
    return batch;
  }

  #fail(error: unknown): void {
    const waiters = this.#waiters.splice(0);
    if (waiters.length === 0) this.#failure = { error };
    for (const waiter of waiters) waiter.reject(error);
    try {
      this.#handlers.onError(error);
    } catch {
      // A throwing onError must not hide the failure, which flush() still reports.
    }
  }
}
