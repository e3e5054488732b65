import type { NewMessage, Scope } from '@fluxibly/core';
import type { Cluster, Redis } from 'ioredis';
import type { WorkloadSubject } from '../subject.js';

/**
 * The Redis floor: the least raw ioredis can do and still serve the workloads. A thread is one list (RPUSH of the
 * message's JSON per message, a pipeline of RPUSH for a batch, LTRIM and RPUSH in one MULTI to replace its tail,
 * LRANGE -50 -1 for the newest 50); a user's threads
 * are one sorted set scored by last activity (ZADD on each write, ZREVRANGE 0 19 for a page). No scripts, no seq,
 * no idempotency, no scope check, no validation. Keys of a thread share a hash tag, like the adapter's; the
 * user's set is another key (another slot on a cluster), written in parallel with the list.
 */
export class RedisFloor implements WorkloadSubject {
  readonly #client: Redis | Cluster;
  readonly #prefix: string;

  constructor(client: Redis | Cluster, prefix: string) {
    this.#client = client;
    this.#prefix = prefix;
  }

  async createThread(scope: Scope, threadId: string): Promise<void> {
    await this.#client.zadd(this.#userKey(scope), Date.now(), threadId);
  }

  async appendOne(scope: Scope, threadId: string, message: NewMessage): Promise<void> {
    await Promise.all([
      this.#client.rpush(this.#listKey(threadId), JSON.stringify(message)),
      this.#client.zadd(this.#userKey(scope), Date.now(), threadId),
    ]);
  }

  async appendBatch(scope: Scope, threadId: string, messages: readonly NewMessage[]): Promise<void> {
    const pipeline = this.#client.pipeline();
    const key = this.#listKey(threadId);
    for (const message of messages) pipeline.rpush(key, JSON.stringify(message));
    const results = await Promise.all([pipeline.exec(), this.#client.zadd(this.#userKey(scope), Date.now(), threadId)]);
    const failed = results[0]?.find(([error]) => error !== null);
    if (failed !== undefined) throw failed[0] as Error;
  }

  async replaceTail(
    scope: Scope,
    threadId: string,
    _afterSeq: number,
    removed: number,
    messages: readonly NewMessage[],
  ): Promise<void> {
    // LTRIM the tail and RPUSH the new messages in one MULTI (atomic; one key, so one slot on a cluster).
    const key = this.#listKey(threadId);
    const transaction = this.#client.multi().ltrim(key, 0, -removed - 1);
    for (const message of messages) transaction.rpush(key, JSON.stringify(message));
    const results = await Promise.all([
      transaction.exec(),
      this.#client.zadd(this.#userKey(scope), Date.now(), threadId),
    ]);
    const failed = results[0]?.find(([error]) => error !== null);
    if (failed !== undefined) throw failed[0] as Error;
  }

  async readNewest50(_scope: Scope, threadId: string): Promise<number> {
    return (await this.#client.lrange(this.#listKey(threadId), -50, -1)).length;
  }

  async listThreadsPage20(scope: Scope): Promise<number> {
    return (await this.#client.zrevrange(this.#userKey(scope), 0, 19)).length;
  }

  async messageCount(_scope: Scope, threadId: string): Promise<number> {
    return this.#client.llen(this.#listKey(threadId));
  }

  async close(): Promise<void> {
    await this.#client.quit();
  }

  #listKey(threadId: string): string {
    return `${this.#prefix}l:{${threadId}}`;
  }

  #userKey(scope: Scope): string {
    return `${this.#prefix}u:{${scope.orgId}.${scope.userId}}`;
  }
}
