import type { StoreInspector } from '@fluxibly/core/adapter';
import type { MessageRecord, ThreadRecord } from './store/records.js';
import type { MemoryStore } from './store/store.js';
import { compareCodePoints } from '@fluxibly/core/adapter';

/**
 * Raw read access to a {@link MemoryStore}, bypassing the repository's read path (core's `StoreInspector`), so
 * `runConformanceSuite({ …, inspect: (repo) => inspectMemoryStore(repo.store) })` checks what was really stored:
 * - `snapshot(orgId)`: every thread of the organisation (by id, code point order) with every field (dates as ISO
 *   strings) and its messages in `seq` order, plus the ids in the organisation's and each user's listing index,
 *   newest first — found by walking the primary thread map, not the indexes, so an index that disagrees shows;
 * - `messageSeqs(threadId)`: the `seq` of every message stored for a thread (whoever owns it), ascending.
 */
export function inspectMemoryStore(store: MemoryStore): StoreInspector {
  return {
    async snapshot(orgId) {
      const threads = [...store.allThreads()]
        .filter((thread) => thread.orgId === orgId)
        .sort((a, b) => compareCodePoints(a.id, b.id));
      const users = [...new Set(threads.map((thread) => thread.userId))].sort(compareCodePoints);
      return {
        orgId,
        threads: threads.map(rawThread),
        orgIndex: idsOf(store.orgIndex(orgId)?.newestFirst()),
        userIndexes: users.map((userId) => ({ userId, threads: idsOf(store.userIndex(orgId, userId)?.newestFirst()) })),
      };
    },
    async messageSeqs(threadId) {
      return store.thread(threadId)?.log.all.map((message) => message.seq) ?? [];
    },
    async remains({ orgId, userId }) {
      const owned = (thread: ThreadRecord): boolean =>
        thread.orgId === orgId && (userId === undefined || thread.userId === userId);
      let records = 0;
      for (const thread of store.allThreads()) if (owned(thread)) records += 1 + thread.log.size;
      const indexes = [store.orgIndex(orgId), store.allIndex()];
      if (userId !== undefined) indexes.push(store.userIndex(orgId, userId));
      for (const index of indexes) {
        for (const thread of index?.oldestFirst() ?? []) if (owned(thread)) records += 1;
      }
      return records;
    },
  };
}

function idsOf(threads: Iterable<ThreadRecord> | undefined): string[] {
  return threads === undefined ? [] : [...threads].map((thread) => thread.id);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function rawThread(thread: ThreadRecord): unknown {
  return toJson({
    id: thread.id,
    orgId: thread.orgId,
    userId: thread.userId,
    name: thread.name,
    metadata: thread.metadata,
    createdAt: iso(thread.createdAt),
    updatedAt: iso(thread.updatedAt),
    lastSeq: thread.lastSeq,
    parent: thread.parent ?? null,
    summarySeq: thread.summarySeq ?? null,
    messages: thread.log.all.map(rawMessage),
  });
}

function rawMessage(message: MessageRecord): unknown {
  return {
    id: message.id,
    threadId: message.threadId,
    seq: message.seq,
    role: message.role,
    content: message.content,
    name: message.name ?? null,
    toolCallId: message.toolCallId ?? null,
    metadata: message.metadata,
    status: message.status,
    tokenCount: message.tokenCount ?? null,
    summaryOf: message.summaryOf ?? null,
    createdAt: iso(message.createdAt),
    editedAt: message.editedAt === undefined ? null : iso(message.editedAt),
  };
}

/** A detached JSON copy, so a snapshot never aliases (or lets a caller mutate) stored values. */
function toJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}
