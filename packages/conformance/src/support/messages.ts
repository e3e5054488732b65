import type {
  ChatMessage,
  ChatThread,
  ConversationRepository,
  MessageRole,
  NewMessage,
  Scope,
  ThreadPage,
} from '@fluxibly/core';
import { assert } from 'vitest';
import { freshId } from '../context.js';

/** A plain-text message to append; `id` makes the append idempotent. */
export function textMessage(role: MessageRole, content: string, id?: string): NewMessage {
  return id === undefined ? { role, content } : { id, role, content };
}

/**
 * `count` text messages `"<prefix> 1"`, `"<prefix> 2"`, …, alternating user/assistant, each with a fresh caller id
 * unless `ids: false`.
 */
export function textMessages(count: number, options: { prefix?: string; ids?: boolean } = {}): NewMessage[] {
  const prefix = options.prefix ?? 'message';
  return Array.from({ length: count }, (_, i) =>
    textMessage(
      i % 2 === 0 ? 'user' : 'assistant',
      `${prefix} ${i + 1}`,
      options.ids === false ? undefined : freshId('m'),
    ),
  );
}

/** A thread of `scope` holding `count` text messages (seqs `1…count`), read back after the append. */
export interface SeededThread {
  thread: ChatThread;
  messages: ChatMessage[];
}

/** Create a thread and append `count` text messages to it, in batches of at most 1000. */
export async function seedThread(
  repository: ConversationRepository,
  scope: Scope,
  count: number,
  options: { name?: string; prefix?: string } = {},
): Promise<SeededThread> {
  const created = await repository.createThread(scope, options.name === undefined ? {} : { name: options.name });
  const all = textMessages(count, options.prefix === undefined ? {} : { prefix: options.prefix });
  const messages: ChatMessage[] = [];
  for (let start = 0; start < all.length; start += 1000) {
    messages.push(
      ...(await repository.appendMessages(scope, { threadId: created.id, messages: all.slice(start, start + 1000) })),
    );
  }
  const thread = await repository.getThread(scope, created.id);
  if (thread === null) return assert.fail(`the thread ${created.id} just created is missing`);
  return { thread, messages };
}

/** Most pages any helper walk reads before it decides the cursors loop. */
const MAX_PAGES = 10_000;

/**
 * Every message of a thread, oldest first, read through `olderCursor` pages; `null` when the thread does not
 * exist for `scope`. Fails the test when the cursors do not make progress.
 */
export async function readAllMessages(
  repository: ConversationRepository,
  scope: Scope,
  threadId: string,
  pageSize = 1000,
): Promise<ChatMessage[] | null> {
  const pages: ChatMessage[][] = [];
  let before: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = await repository.getMessages(
      scope,
      before === undefined ? { threadId, limit: pageSize } : { threadId, limit: pageSize, before },
    );
    if (page === null) {
      if (i === 0) return null;
      return assert.fail(`thread ${threadId} vanished while it was being read`);
    }
    pages.unshift(page.messages);
    if (page.olderCursor === null) return pages.flat();
    if (page.messages.length === 0) return assert.fail('an empty page gave a non-null olderCursor');
    before = page.olderCursor;
  }
  return assert.fail(`more than ${MAX_PAGES} pages: the olderCursor walk does not end`);
}

/** Like {@link readAllMessages}, but fails the test when the thread is missing. */
export async function readExistingMessages(
  repository: ConversationRepository,
  scope: Scope,
  threadId: string,
): Promise<ChatMessage[]> {
  const messages = await readAllMessages(repository, scope, threadId);
  if (messages === null) return assert.fail(`thread ${threadId} is missing`);
  return messages;
}

/** Every thread of a listing, walking `nextCursor` pages of `limit`. Fails the test when the walk does not end. */
export async function walkThreadPages(
  fetch: (cursor: string | undefined) => Promise<ThreadPage>,
): Promise<{ threads: ChatThread[]; pages: ThreadPage[] }> {
  const pages: ThreadPage[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = await fetch(cursor);
    pages.push(page);
    if (page.nextCursor === null) return { threads: pages.flatMap((p) => p.threads), pages };
    cursor = page.nextCursor;
  }
  return assert.fail(`more than ${MAX_PAGES} pages: the nextCursor walk does not end`);
}

/** Every thread of `scope`'s user, newest activity first. */
export async function listAllThreads(
  repository: ConversationRepository,
  scope: Scope,
  limit = 1000,
): Promise<ChatThread[]> {
  const { threads } = await walkThreadPages((cursor) =>
    repository.listThreads(scope, cursor === undefined ? { limit } : { limit, cursor }),
  );
  return threads;
}

/** Every thread of `orgId`, newest activity first. */
export async function listAllOrgThreads(
  repository: ConversationRepository,
  orgId: string,
  limit = 1000,
): Promise<ChatThread[]> {
  const { threads } = await walkThreadPages((cursor) =>
    repository.listOrgThreads({ orgId }, cursor === undefined ? { limit } : { limit, cursor }),
  );
  return threads;
}

/** The `seq`s of some messages, in the given order. */
export function seqsOf(messages: readonly ChatMessage[]): number[] {
  return messages.map((m) => m.seq);
}

/** `[from, from + 1, …, to]` (empty when `to < from`). */
export function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

/** Compare two strings by Unicode code point (the order of their UTF-8 bytes), not by UTF-16 code unit. */
export function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/**
 * The expected order of a thread listing: `updatedAt` desc, then `id` desc, ids compared by Unicode code point
 * (binary UTF-8 order, as PostgreSQL's `COLLATE "C"`), as the contract TSDoc says.
 */
export function byActivity(a: ChatThread, b: ChatThread): number {
  const dt = b.updatedAt.getTime() - a.updatedAt.getTime();
  return dt !== 0 ? dt : compareCodePoints(b.id, a.id);
}

/** The thread, read through the repository; fails the test when it is missing for `scope`. */
export async function readThread(
  repository: ConversationRepository,
  scope: Scope,
  threadId: string,
): Promise<ChatThread> {
  const thread = await repository.getThread(scope, threadId);
  if (thread === null) return assert.fail(`thread ${threadId} is missing`);
  return thread;
}
