import type { ConversationRepository, ExportRecord, NewMessage } from '@fluxibly/core';
import { exportConversations } from '@fluxibly/core';

/** A small deterministic PRNG (mulberry32), so a failing data set can be rebuilt. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fill `orgId` with `threads` threads of `perThread` messages each (in batches of up to 500), over 5 users, using
 * every field: names, metadata, tool calls and results, statuses, token counts, a summary, an edit, a deleted message
 * (a seq gap) and a fork. Returns the number of messages stored.
 */
export async function generateConversations(
  repository: ConversationRepository,
  orgId: string,
  options: { threads: number; perThread: number; seed?: number },
): Promise<number> {
  const random = prng(options.seed ?? 1);
  let stored = 0;
  for (let t = 0; t < options.threads; t++) {
    const scope = { orgId, userId: `user-${t % 5}${t % 7 === 0 ? '-é' : ''}` };
    const thread = await repository.createThread(scope, {
      id: `${orgId}:thread-${t}`,
      name: t % 3 === 0 ? '' : `Thread ${t} «${Math.floor(random() * 1000)}»`,
      metadata: { n: t, tag: t % 2 === 0 ? 'even' : 'odd', nested: { ok: true } },
    });
    for (let done = 0; done < options.perThread;) {
      const size = Math.min(500, options.perThread - done);
      const messages: NewMessage[] = Array.from({ length: size }, (_, i) => ({
        id: `thread-${t}-m${done + i}`,
        ...message(done + i, random),
      }));
      await repository.appendMessages(scope, { threadId: thread.id, messages });
      done += size;
    }
    stored += options.perThread;
    if (options.perThread >= 4) {
      await repository.editMessage(scope, {
        threadId: thread.id,
        messageId: `thread-${t}-m1`,
        content: 'edited',
        status: 'incomplete',
      });
      await repository.appendMessages(scope, {
        threadId: thread.id,
        messages: [{ id: `thread-${t}-sum`, role: 'system', content: 'summary', summaryOf: { fromSeq: 1, toSeq: 3 } }],
      });
      await repository.deleteMessage(scope, { threadId: thread.id, messageId: `thread-${t}-m2` });
    }
    if (t % 10 === 0 && options.perThread >= 4) {
      const fork = await repository.forkThread(scope, {
        threadId: thread.id,
        atSeq: 3,
        id: `${orgId}:thread-${t}-fork`,
      });
      stored += fork.messageCount;
    }
  }
  return stored;
}

function message(i: number, random: () => number): NewMessage {
  const kind = i % 4;
  if (kind === 0)
    return { role: 'user', content: `question ${i} ${random().toString(36)}`, name: 'Ann', metadata: { i } };
  if (kind === 1) {
    return {
      role: 'assistant',
      content: [
        { type: 'text', text: `thinking ${i}` },
        { type: 'tool-call', toolCallId: `call-${i}`, toolName: 'lookup', input: { q: i, r: random() } },
      ],
      tokenCount: Math.floor(random() * 1000),
    };
  }
  if (kind === 2)
    return { role: 'tool', content: JSON.stringify({ result: i }), toolCallId: `call-${i - 1}`, name: 'lookup' };
  return {
    role: 'assistant',
    content: `answer ${i}`,
    status: i % 8 === 3 ? 'in_progress' : 'completed',
    metadata: { model: 'x' },
  };
}

/** Every record of an export but the header (which carries the export time). */
export async function exportBody(
  repository: ConversationRepository,
  scope: { orgId: string; userId?: string },
): Promise<ExportRecord[]> {
  const out: ExportRecord[] = [];
  let first = true;
  for await (const record of exportConversations(repository, scope)) {
    if (!first) out.push(record);
    first = false;
  }
  return out;
}
