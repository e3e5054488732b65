import type { ConversationRepository, NewMessage, Scope } from '@fluxibly/core';
import type { WorkloadSubject } from './subject.js';

/**
 * Drive a `ConversationRepository` directly (not through `StateManager`): each workload operation is exactly one
 * repository call, so the measured time is the adapter's own.
 */
export function repositorySubject(repository: ConversationRepository): WorkloadSubject {
  return {
    async createThread(scope: Scope, threadId: string) {
      await repository.createThread(scope, { id: threadId });
    },
    async appendOne(scope: Scope, threadId: string, message: NewMessage) {
      await repository.appendMessages(scope, { threadId, messages: [message] });
    },
    async appendBatch(scope: Scope, threadId: string, messages: readonly NewMessage[]) {
      await repository.appendMessages(scope, { threadId, messages });
    },
    async replaceTail(
      scope: Scope,
      threadId: string,
      afterSeq: number,
      _removed: number,
      messages: readonly NewMessage[],
    ) {
      await repository.appendMessages(scope, { threadId, messages, replaceAfterSeq: afterSeq });
    },
    async readNewest50(scope: Scope, threadId: string) {
      const page = await repository.getMessages(scope, { threadId, limit: 50 });
      if (page === null) throw new Error(`bench: thread ${threadId} vanished`);
      return page.messages.length;
    },
    async listThreadsPage20(scope: Scope) {
      const page = await repository.listThreads(scope, { limit: 20 });
      return page.threads.length;
    },
    async messageCount(scope: Scope, threadId: string) {
      const thread = await repository.getThread(scope, threadId);
      if (thread === null) throw new Error(`bench: thread ${threadId} vanished`);
      return thread.messageCount;
    },
    close: () => repository.close(),
  };
}
