import type { MessageRecord } from './records.js';

/**
 * The messages of one thread: an array sorted by `seq` (appends push at the end, since `seq` only grows) and a
 * map from id to message for idempotent appends and lookups by id.
 */
export class MessageLog {
  readonly #bySeq: MessageRecord[] = [];
  readonly #byId = new Map<string, MessageRecord>();

  /** How many messages the thread holds. */
  get size(): number {
    return this.#bySeq.length;
  }

  /** The messages in `seq` order. Read-only view: do not mutate. */
  get all(): readonly MessageRecord[] {
    return this.#bySeq;
  }

  /** The message with this id. O(1). */
  get(id: string): MessageRecord | undefined {
    return this.#byId.get(id);
  }

  /** Add a message whose `seq` is above every stored one. O(1) amortised. */
  push(message: MessageRecord): void {
    this.#bySeq.push(message);
    this.#byId.set(message.id, message);
  }

  /** Add a message at its place by `seq` (an import; its `seq` must be free). O(log n) plus shifting newer ones. */
  insert(message: MessageRecord): void {
    this.#bySeq.splice(this.lowerBound(message.seq), 0, message);
    this.#byId.set(message.id, message);
  }

  /** The message with this `seq`, if stored. O(log n). */
  atSeq(seq: number): MessageRecord | undefined {
    const message = this.#bySeq[this.lowerBound(seq)];
    return message?.seq === seq ? message : undefined;
  }

  /** Remove a message by id. O(log n) to find it, plus shifting the newer messages. */
  remove(id: string): MessageRecord | undefined {
    const message = this.#byId.get(id);
    if (message === undefined) return undefined;
    this.#byId.delete(id);
    this.#bySeq.splice(this.lowerBound(message.seq), 1);
    return message;
  }

  /** Remove every message; returns how many there were. O(n) at worst (freeing memory), no per-message work. */
  clear(): number {
    const count = this.#bySeq.length;
    this.#bySeq.length = 0;
    this.#byId.clear();
    return count;
  }

  /** Remove every message with `seq > afterSeq` and return them, in `seq` order. O(log n + removed). */
  truncateAfter(afterSeq: number): MessageRecord[] {
    const removed = this.#bySeq.splice(this.lowerBound(afterSeq + 1));
    for (const message of removed) this.#byId.delete(message.id);
    return removed;
  }

  /** The messages with `seq > afterSeq`, in `seq` order. O(log n + their number). */
  after(afterSeq: number): MessageRecord[] {
    return this.#bySeq.slice(this.lowerBound(afterSeq + 1));
  }

  /** Index of the first message with `seq >= seq` (the length when there is none). O(log n). */
  lowerBound(seq: number): number {
    const messages = this.#bySeq;
    let low = 0;
    let high = messages.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((messages[middle] as MessageRecord).seq < seq) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The messages in index range `[start, end)`, in `seq` order. O(end - start). */
  slice(start: number, end: number): MessageRecord[] {
    return this.#bySeq.slice(start, end);
  }
}
