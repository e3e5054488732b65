import { FluxiblyError } from '../errors/fluxibly-error.js';
import type { ValidMessage } from '../validation/messages.js';
import { LIMITS } from '../validation/limits.js';
import type { WriteFailure } from './types.js';
import type { WriteRetryPolicy } from './write-retry.js';
import { DEFAULT_WRITE_RETRY, isPermanentWriteError, retryDelay } from './write-retry.js';

/** One message waiting to be stored. `threadId` `undefined` means "the thread `resolveThread()` gives". */
export interface QueuedWrite {
  readonly message: ValidMessage;
  readonly threadId: string | undefined;
}

/** What the queue calls. */
export interface WriteQueueHandlers {
  /** Store messages, in order, in one call, all or nothing. Must be idempotent per message id (a retry re-sends them). */
  write(threadId: string, messages: ValidMessage[]): Promise<void>;
  /** The thread for writes queued without one (called from inside the queue, so never concurrently). */
  resolveThread(): Promise<string>;
  /** Told of every failed write, and of what happens next. */
  onError(error: unknown, failure: WriteFailure): void;
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * A serial background write queue. Writes are stored one batch at a time, in the order they were pushed
 * (consecutive writes to the same thread are sent as one batch of up to 1000). It never stops by itself:
 *
 * - **Transient failure** (the server is down, a timeout, any error but the three below): the writes stay at the
 *   head of the queue (so order holds) and are retried by themselves after a delay that doubles from the policy's
 *   `initialDelayMs` up to its `maxDelayMs`, resetting after a success. A retry re-sends the same message ids,
 *   which is safe because appends are idempotent. The retry timer does not keep the process alive.
 * - **Permanent failure** (`VALIDATION`, `NOT_FOUND`, `CONFLICT`): retrying cannot help, so the queue finds the
 *   offending message by splitting the batch (appends are all or nothing, so the halves are sent again) and drops
 *   only it; for `NOT_FOUND` (the thread is gone), every write queued for that thread is dropped. The writes after
 *   them go on.
 *
 * Every failure goes to `onError`. {@link flush} reports them too: see there. Nothing here ever produces an
 * unhandled rejection.
 */
export class WriteQueue {
  readonly #handlers: WriteQueueHandlers;
  readonly #retry: WriteRetryPolicy;
  readonly #items: QueuedWrite[] = [];
  readonly #ids = new Set<string>();
  readonly #waiters: Waiter[] = [];
  #running = false;
  #inFlight = 0;
  /** The pending automatic retry after a transient failure. */
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Transient failures in a row (for the backoff); 0 after a success. */
  #attempts = 0;
  /** A transient failure no `flush()` has reported, until a later write succeeds. */
  #failure: { error: unknown } | undefined;
  /** The first permanent failure (messages dropped) no `flush()` has reported. */
  #dropped: { error: unknown } | undefined;
  /** While > 0, the head holds this many writes among which a batch failed permanently: send `#splitSize` at most. */
  #suspect = 0;
  #splitSize: number = LIMITS.batchSize;

  constructor(handlers: WriteQueueHandlers, retry: WriteRetryPolicy = DEFAULT_WRITE_RETRY) {
    this.#handlers = handlers;
    this.#retry = retry;
  }

  /** How many messages are not stored yet (queued, in flight, or waiting for a retry). */
  get size(): number {
    return this.#items.length;
  }

  /** Whether a message with this id is queued (not stored or dropped yet). */
  has(id: string): boolean {
    return this.#ids.has(id);
  }

  /** Queue a write; it starts at once unless a retry is scheduled (it then goes after the held writes). */
  push(write: QueuedWrite): void {
    this.#items.push(write);
    this.#ids.add(write.message.id);
    if (!this.#running && this.#timer === undefined) this.#start();
  }

  /**
   * Resolve when every queued write is stored. Reject at once, without waiting, with a failure no flush has
   * reported yet: a permanent one (messages were dropped) first, else a transient one that no later write has
   * healed. Otherwise wait, retrying at once a write that waits for its automatic retry, and reject with the
   * error of any write that fails while waiting (transient writes are then still retried in the background, and
   * the next flush retries them at once again).
   */
  async flush(): Promise<void> {
    const unreported = this.#dropped ?? this.#failure;
    this.#dropped = undefined;
    this.#failure = undefined;
    if (unreported !== undefined) throw unreported.error;
    if (this.#items.length === 0) return;
    await new Promise<void>((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
      this.#cancelRetry();
      if (!this.#running) this.#start();
    });
  }

  /**
   * Drop every write not in flight (e.g. the caller gives up while the server is down) and forget the transient
   * failure; returns the dropped messages. A permanent failure not reported yet is still reported by `flush()`.
   */
  discard(): ValidMessage[] {
    const dropped = this.#items.splice(this.#inFlight);
    for (const item of dropped) this.#ids.delete(item.message.id);
    this.#failure = undefined;
    this.#cancelRetry();
    this.#attempts = 0;
    this.#suspect = 0;
    if (this.#items.length === 0) for (const waiter of this.#waiters.splice(0)) waiter.resolve();
    return dropped.map((item) => item.message);
  }

  #start(): void {
    this.#running = true;
    this.#run().then(
      () => undefined,
      () => undefined, // unreachable: #run handles its own errors
    );
  }

  async #run(): Promise<void> {
    try {
      while (this.#items.length > 0) {
        const batch = this.#nextBatch();
        this.#inFlight = batch.length;
        let stage: 'thread' | 'write' = 'thread';
        try {
          const threadId = batch[0]?.threadId ?? (await this.#handlers.resolveThread());
          stage = 'write';
          await this.#handlers.write(
            threadId,
            batch.map((item) => item.message),
          );
        } catch (error) {
          this.#inFlight = 0;
          if (this.#failed(error, batch, stage)) continue;
          return;
        }
        this.#inFlight = 0;
        this.#remove(this.#items.splice(0, batch.length));
        this.#attempts = 0;
        this.#failure = undefined;
        this.#suspect = Math.max(0, this.#suspect - batch.length);
      }
      for (const waiter of this.#waiters.splice(0)) waiter.resolve();
    } finally {
      this.#running = false;
    }
  }

  #nextBatch(): QueuedWrite[] {
    const first = this.#items[0];
    const most = this.#suspect > 0 ? Math.min(this.#splitSize, this.#suspect) : LIMITS.batchSize;
    const batch: QueuedWrite[] = [];
    for (const item of this.#items) {
      if (batch.length >= most || item.threadId !== first?.threadId) break;
      batch.push(item);
    }
    return batch;
  }

  /** Handle a failed batch (still at the head). Returns whether to go on writing now. */
  #failed(error: unknown, batch: readonly QueuedWrite[], stage: 'thread' | 'write'): boolean {
    if (!isPermanentWriteError(error)) {
      this.#attempts += 1;
      const delay = retryDelay(this.#retry, this.#attempts);
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        if (!this.#running) this.#start();
      }, delay);
      (this.#timer as { unref?: () => void }).unref?.();
      this.#report(error, { kind: 'transient', retryInMs: delay, pending: this.#items.length });
      return false;
    }
    let dropped: QueuedWrite[];
    if (stage === 'thread' || FluxiblyError.is(error, 'NOT_FOUND')) {
      // The thread itself cannot be written: every write queued for it fails the same way.
      const thread = batch[0]?.threadId;
      dropped = this.#items.filter((item) => item.threadId === thread);
      const kept = this.#items.filter((item) => item.threadId !== thread);
      this.#items.splice(0, this.#items.length, ...kept);
    } else if (batch.length > 1) {
      // All or nothing: the batch holds at least one bad message. Send halves until it is alone.
      this.#suspect = batch.length;
      this.#splitSize = Math.ceil(batch.length / 2);
      return true;
    } else {
      dropped = this.#items.splice(0, 1);
    }
    this.#remove(dropped);
    this.#suspect = 0;
    this.#attempts = 0;
    this.#report(error, { kind: 'dropped', messages: dropped.map((item) => item.message) });
    return true;
  }

  #remove(items: readonly QueuedWrite[]): void {
    for (const item of items) this.#ids.delete(item.message.id);
  }

  #cancelRetry(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Reject the waiting flushes with `error`, or keep it for the next flush; tell `onError`. */
  #report(error: unknown, failure: WriteFailure): void {
    const waiters = this.#waiters.splice(0);
    if (waiters.length === 0) {
      if (failure.kind === 'dropped') this.#dropped ??= { error };
      else this.#failure = { error };
    }
    for (const waiter of waiters) waiter.reject(error);
    try {
      this.#handlers.onError(error, failure);
    } catch {
      // A throwing onError must not hide the failure, which flush() still reports.
    }
  }
}
