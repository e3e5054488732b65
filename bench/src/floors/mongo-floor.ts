import type { NewMessage, Scope } from '@fluxibly/core';
import type { Collection, Db } from 'mongodb';
import type { WorkloadSubject } from '../subject.js';

interface FloorThread {
  _id: string;
  orgId: string;
  userId: string;
  lastSeq: number;
  updatedAt: Date;
}

interface FloorMessage {
  threadId: string;
  seq: number;
  role: string;
  content: unknown;
}

/**
 * The MongoDB floor: the least the raw driver can do and still serve the workloads correctly. A thread document
 * whose `lastSeq` is claimed with one `findOneAndUpdate` `$inc` (which also moves `updatedAt`), then `insertOne`
 * per message or one `insertMany` per batch (a tail replacement: `deleteMany` of `seq > n`, then the same as a
 * batch); the newest 50 by `find` sorted on a `(threadId, seq)` index; a
 * user's page by `find` on an `(orgId, userId, updatedAt, _id)` index. No transaction (so no atomicity across the
 * two writes), no validation, no ids, no idempotency, no typed errors.
 */
export class MongoFloor implements WorkloadSubject {
  readonly #threads: Collection<FloorThread>;
  readonly #messages: Collection<FloorMessage>;

  private constructor(db: Db, prefix: string) {
    this.#threads = db.collection<FloorThread>(`${prefix}threads`);
    this.#messages = db.collection<FloorMessage>(`${prefix}messages`);
  }

  /** A floor on fresh collections `<prefix>threads` and `<prefix>messages`, with their indexes. */
  static async create(db: Db, prefix: string): Promise<MongoFloor> {
    const floor = new MongoFloor(db, prefix);
    await floor.#threads.createIndex({ orgId: 1, userId: 1, updatedAt: -1, _id: -1 });
    await floor.#messages.createIndex({ threadId: 1, seq: 1 }, { unique: true });
    return floor;
  }

  async createThread(scope: Scope, threadId: string): Promise<void> {
    await this.#threads.insertOne({
      _id: threadId,
      orgId: scope.orgId,
      userId: scope.userId,
      lastSeq: 0,
      updatedAt: new Date(),
    });
  }

  async appendOne(scope: Scope, threadId: string, message: NewMessage): Promise<void> {
    const seq = await this.#claim(scope, threadId, 1);
    await this.#messages.insertOne({ threadId, seq, role: message.role, content: message.content });
  }

  async appendBatch(scope: Scope, threadId: string, messages: readonly NewMessage[]): Promise<void> {
    const first = await this.#claim(scope, threadId, messages.length);
    await this.#messages.insertMany(
      messages.map((message, i) => ({ threadId, seq: first + i, role: message.role, content: message.content })),
    );
  }

  async replaceTail(
    scope: Scope,
    threadId: string,
    afterSeq: number,
    _removed: number,
    messages: readonly NewMessage[],
  ): Promise<void> {
    await this.#messages.deleteMany({ threadId, seq: { $gt: afterSeq } });
    await this.appendBatch(scope, threadId, messages);
  }

  async readNewest50(_scope: Scope, threadId: string): Promise<number> {
    const docs = await this.#messages.find({ threadId }).sort({ seq: -1 }).limit(50).toArray();
    return docs.reverse().length;
  }

  async listThreadsPage20(scope: Scope): Promise<number> {
    const docs = await this.#threads
      .find({ orgId: scope.orgId, userId: scope.userId })
      .sort({ updatedAt: -1, _id: -1 })
      .limit(20)
      .toArray();
    return docs.length;
  }

  async messageCount(_scope: Scope, threadId: string): Promise<number> {
    return this.#messages.countDocuments({ threadId });
  }

  async close(): Promise<void> {
    // The collections are removed by the target's cleanup.
  }

  /** Claim `count` seqs; returns the first. */
  async #claim(scope: Scope, threadId: string, count: number): Promise<number> {
    const thread = await this.#threads.findOneAndUpdate(
      { _id: threadId, orgId: scope.orgId, userId: scope.userId },
      { $inc: { lastSeq: count }, $set: { updatedAt: new Date() } },
      { returnDocument: 'after' },
    );
    if (thread === null) throw new Error(`floor: no thread ${threadId} for this scope`);
    return thread.lastSeq - count + 1;
  }
}
