import type { ChatMessage, ChatThread, Scope } from '@fluxibly/core';
import type { SuiteContext } from '../context.js';
import { expectSame } from './compare.js';
import { listAllOrgThreads, listAllThreads, readAllMessages } from './messages.js';

/** A scope to watch, and the threads of it whose messages to read. */
export interface Watched {
  scope: Scope;
  threadIds: readonly string[];
}

/** Everything observable about some scopes: raw store snapshots (when there is an inspector) and adapter reads. */
export interface StateCapture {
  /** `inspector.snapshot(orgId)` for every org watched, or `null` when the adapter gives no inspector. */
  raw: Record<string, unknown> | null;
  /** Per watched scope: its listings, and each watched thread with all its messages. */
  views: Array<{
    scope: Scope;
    threads: ChatThread[];
    orgThreads: ChatThread[];
    watched: Array<{ threadId: string; thread: ChatThread | null; messages: ChatMessage[] | null }>;
  }>;
}

/** Capture the state of `watched`, through the inspector and through the adapter's own reads. */
export async function captureState(context: SuiteContext, watched: readonly Watched[]): Promise<StateCapture> {
  const repository = context.repo();
  const inspector = context.inspector();
  let raw: Record<string, unknown> | null = null;
  if (inspector !== undefined) {
    raw = {};
    for (const orgId of new Set(watched.map((w) => w.scope.orgId))) raw[orgId] = await inspector.snapshot(orgId);
  }
  const views: StateCapture['views'] = [];
  for (const { scope, threadIds } of watched) {
    const entries: StateCapture['views'][number]['watched'] = [];
    for (const threadId of threadIds) {
      entries.push({
        threadId,
        thread: await repository.getThread(scope, threadId),
        messages: await readAllMessages(repository, scope, threadId),
      });
    }
    views.push({
      scope,
      threads: await listAllThreads(repository, scope),
      orgThreads: await listAllOrgThreads(repository, scope.orgId),
      watched: entries,
    });
  }
  return { raw, views };
}

/** Expect the state of `watched` to equal `before` (captured by {@link captureState}), raw store included. */
export async function expectStateUnchanged(
  context: SuiteContext,
  watched: readonly Watched[],
  before: StateCapture,
  what = 'the store',
): Promise<void> {
  const after = await captureState(context, watched);
  expectSame(after.raw, before.raw, `${what}: the raw store (inspector snapshot) is unchanged`);
  expectSame(after.views, before.views, `${what}: what the repository reads back is unchanged`);
}

/** Run `action` (which must not change anything in `watched`) between two captures and compare them. */
export async function expectUnchangedBy(
  context: SuiteContext,
  watched: readonly Watched[],
  action: () => Promise<void>,
  what?: string,
): Promise<void> {
  const before = await captureState(context, watched);
  await action();
  await expectStateUnchanged(context, watched, before, what);
}
