import type { ChatMessage, ChatThread, MessagePage, NewMessage, ThreadPage } from '@fluxibly/core';
import { FluxiblyError } from '@fluxibly/core';

/**
 * Turns what a repository returned into a value that can be compared between the adapter and the reference:
 * timestamps are dropped, generated ids become the reference's ids (threads become labels), cursors become
 * "present/absent" (their positions are compared by using them in later calls).
 */
export interface IdNames {
  /** The label of a thread id (`T0`, `T1`, …), or the id itself when it was never seen. */
  thread(id: string): string;
  /** The reference's id for a message id (the same id when the caller supplied it). */
  message(id: string): string;
  /** The label of a scope (`S0`, `S1`, `S2`). */
  scope(orgId: string, userId?: string): string;
}

/** A settled call: its normalized value, or the error's comparable fields. */
export type Outcome =
  { ok: unknown } | { error: { code: string; expectedLastSeq?: number; actualLastSeq?: number } } | { raw: string };

/** Run a call and capture its outcome (a non-Fluxibly error is a `raw` outcome). `normalize` may throw to fail the test. */
export async function settle<T>(
  call: () => Promise<T>,
  normalize: (value: T) => unknown,
): Promise<{ outcome: Outcome; value?: T }> {
  let value: T;
  try {
    value = await call();
  } catch (error) {
    if (!FluxiblyError.is(error)) return { outcome: { raw: `${String(error)}` } };
    const fields: { code: string; expectedLastSeq?: number; actualLastSeq?: number } = { code: error.code };
    const conflict = error as { expectedLastSeq?: number; actualLastSeq?: number };
    if (conflict.expectedLastSeq !== undefined) fields.expectedLastSeq = conflict.expectedLastSeq;
    if (conflict.actualLastSeq !== undefined) fields.actualLastSeq = conflict.actualLastSeq;
    return { outcome: { error: fields } };
  }
  return { outcome: { ok: normalize(value) }, value };
}

export function normalizeThread(thread: ChatThread, names: IdNames): unknown {
  return {
    id: names.thread(thread.id),
    scope: names.scope(thread.orgId, thread.userId),
    name: thread.name,
    metadata: thread.metadata,
    lastSeq: thread.lastSeq,
    messageCount: thread.messageCount,
    parent:
      thread.parent === undefined ? null : { threadId: names.thread(thread.parent.threadId), seq: thread.parent.seq },
    summarySeq: 'summarySeq' in thread ? thread.summarySeq : '(absent)',
    dates: [thread.createdAt instanceof Date, thread.updatedAt instanceof Date],
  };
}

export function normalizeMessage(message: ChatMessage, names: IdNames): unknown {
  return {
    id: names.message(message.id),
    threadId: names.thread(message.threadId),
    seq: message.seq,
    role: message.role,
    content: message.content,
    name: message.name ?? null,
    toolCallId: message.toolCallId ?? null,
    metadata: message.metadata,
    status: message.status,
    tokenCount: 'tokenCount' in message ? message.tokenCount : '(absent)',
    summaryOf: 'summaryOf' in message ? message.summaryOf : '(absent)',
    edited: message.editedAt instanceof Date,
    dates: message.createdAt instanceof Date,
  };
}

/** A thread just made by createThread or forkThread: a generated id is not paired yet, so it is not compared. */
export function normalizeCreated(generated: boolean): (thread: ChatThread, names: IdNames) => unknown {
  return (thread, names) => {
    const normalized = normalizeThread(thread, names) as { id: string };
    return generated && normalized.id === thread.id ? { ...normalized, id: '(generated)' } : normalized;
  };
}

/** Messages an append returned; the generated ids are new (they are paired after the comparison). */
export function normalizeAppended(input: readonly NewMessage[]): (stored: ChatMessage[], names: IdNames) => unknown {
  return (stored, names) =>
    stored.map((m, i) => ({
      ...(normalizeMessage(m, names) as object),
      ...(input[i]?.id === undefined ? { id: '(generated)' } : {}),
    }));
}

/** A message page: its messages, and whether each cursor is present (positions are checked by using them). */
export function normalizePage(page: MessagePage | null, names: IdNames): unknown {
  if (page === null) return null;
  return {
    messages: page.messages.map((m) => normalizeMessage(m, names)),
    older: page.olderCursor !== null,
    newer: page.newerCursor !== null,
  };
}

/**
 * A whole thread listing: the page sizes and the set of threads. The order is only checked to be newest activity
 * first: timestamps (and so ties broken by id) differ between the two sides.
 */
export function normalizeListing(listing: { threads: ChatThread[]; pages: ThreadPage[] }, names: IdNames): unknown {
  const { threads, pages } = listing;
  for (let i = 1; i < threads.length; i++) {
    const [a, b] = [threads[i - 1] as ChatThread, threads[i] as ChatThread];
    if (a.updatedAt.getTime() < b.updatedAt.getTime()) throw new Error('threads are not listed newest activity first');
  }
  if (new Set(threads.map((t) => t.id)).size !== threads.length) throw new Error('a thread is listed twice');
  const sorted = threads
    .map((t) => normalizeThread(t, names))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return { sizes: pages.map((p) => p.threads.length), threads: sorted };
}
