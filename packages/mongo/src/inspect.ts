import type { StoreInspector } from '@fluxibly/core/adapter';
import type { MessageDocument, ThreadDocument } from './codec.js';
import type { MongoConversationRepository } from './repository.js';

/**
 * Raw read access to what `repository` stored, bypassing its read path (core's `StoreInspector`): reads the
 * collections straight from the driver, for `runConformanceSuite({ …, inspect: inspectMongoRepository })` and
 * for debugging what was really stored.
 * - `snapshot(orgId)`: every thread and message document of the organisation as JSON-able data in a stable order
 *   (threads by id, messages by thread then `seq`), with the listing order as the index returns it;
 * - `messageSeqs(threadId)`: the `seq` of every message document stored for a thread (whoever owns it), ascending.
 */
export function inspectMongoRepository(repository: MongoConversationRepository): StoreInspector {
  const { collections } = repository;
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
    async remains({ orgId, userId }) {
      const owner = userId === undefined ? { orgId } : { orgId, userId };
      return (await collections.threads.countDocuments(owner)) + (await collections.messages.countDocuments(owner));
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
