import type { Collections, MessageDocument, ThreadDocument } from './documents.js';

/**
 * Raw read access to what the adapter stored, bypassing its read path: structurally the conformance suite's
 * `StoreInspector`. Reads the collections directly with the driver.
 */
export interface MongoStoreInspector {
  /**
   * Every thread and message document stored for one organisation, as JSON-able data in a stable order
   * (threads by id, messages by thread then `seq`), with the listing orders as the indexes return them.
   */
  snapshot(orgId: string): Promise<unknown>;
  /** The `seq` of every message document stored for a thread (whoever owns it), ascending. */
  messageSeqs(threadId: string): Promise<number[]>;
}

/** An inspector over `collections` (see `MongoConversationRepository.inspector()`). */
export function inspectCollections(collections: Collections): MongoStoreInspector {
  return {
    async snapshot(orgId) {
      const threads = await collections.threads.find({ orgId }).sort({ _id: 1 }).toArray();
      const messages = await collections.messages.find({ orgId }).sort({ threadId: 1, seq: 1 }).toArray();
      const listing = await collections.threads.find({ orgId }).sort({ updatedAt: -1, _id: -1 }).toArray();
      return JSON.parse(
        JSON.stringify({
          orgId,
          threads: threads.map(rawThread),
          messages: messages.map(rawMessage),
          orgListing: listing.map((doc) => doc._id),
        }),
      ) as unknown;
    },
    async messageSeqs(threadId) {
      const docs = await collections.messages.find({ threadId }).sort({ seq: 1 }).toArray();
      return docs.map((doc) => doc.seq);
    },
  };
}

function rawThread(doc: ThreadDocument): unknown {
  return { ...doc, parent: doc.parent ?? null };
}

function rawMessage(doc: MessageDocument & { _id?: unknown }): unknown {
  const { _id, ...rest } = doc;
  return { ...rest, name: rest.name ?? null, toolCallId: rest.toolCallId ?? null, editedAt: rest.editedAt ?? null };
}
