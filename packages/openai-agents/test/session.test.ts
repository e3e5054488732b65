import { ConflictError, NotFoundError } from '@fluxibly/core';
import { RunContext } from '@openai/agents-core';
import type { AgentInputItem } from '@openai/agents-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FluxiblySession } from '../src/index.js';
import { backends, newUser, raceTitle } from '@fluxibly/test-backends';
import type { Backend } from '@fluxibly/test-backends';
import { assistant, call, result, user } from './support/items.js';

const BACKENDS = backends('openai-agents');

describe.each(BACKENDS)('FluxiblySession on $name', ({ create, raceSkip }) => {
  /** A test of concurrent writers: skipped, with the reason in its title, where the backend cannot run races. */
  const race = (title: string, fn: () => Promise<void>) =>
    it.skipIf(raceSkip !== undefined)(raceTitle(title, raceSkip), fn);
  let backend: Backend;
  beforeAll(async () => {
    backend = await create();
  });
  afterAll(async () => backend.dispose());
  const session = (threadId?: string): FluxiblySession =>
    new FluxiblySession({ stateManager: newUser(backend.open()), threadId });

  it('creates its thread once on first use; a given id is created or resumed', async () => {
    const s = session();
    const [a, b] = await Promise.all([s.getSessionId(), s.getSessionId()]);
    expect(a).toBe(b);
    const stateManager = newUser(backend.open());
    const named = new FluxiblySession({ stateManager, threadId: 'agents-named-thread-' + a });
    await named.addItems([user('hi')]);
    const again = new FluxiblySession({
      stateManager: newUser(backend.open(), stateManager.userId),
      threadId: 'agents-named-thread-' + a,
    });
    expect(await again.getItems()).toEqual([user('hi')]);
  });

  it('adds, reads newest windows oldest first, pops and clears', async () => {
    const s = session();
    const items = [user('q1'), assistant('a1', 'msg_1'), user('q2'), assistant('a2')];
    await s.addItems(items);
    expect(await s.getItems()).toEqual(items);
    expect(await s.getItems(2)).toEqual(items.slice(2));
    expect(await s.getItems(0)).toEqual([]);
    expect(await s.popItem()).toEqual(items[3]);
    expect(await s.getItems()).toEqual(items.slice(0, 3));
    await s.addItems([assistant('a2b')]);
    expect(await s.getItems(2)).toEqual([user('q2'), assistant('a2b')]);
    await s.clearSession();
    expect(await s.getItems()).toEqual([]);
    expect(await s.popItem()).toBeUndefined();
  });

  it('never starts a window with a tool result whose call it cut off', async () => {
    const s = session();
    await s.addItems([user('q'), call('c1'), call('c2'), result('c1', 'r1'), result('c2', 'r2'), assistant('done')]);
    expect(await s.getItems(4)).toEqual([call('c2'), result('c2', 'r2'), assistant('done')]);
    expect(await s.getItems(3)).toEqual([assistant('done')]);
    expect(await s.getItems(5)).toEqual([
      call('c1'),
      call('c2'),
      result('c1', 'r1'),
      result('c2', 'r2'),
      assistant('done'),
    ]);
  });

  race('two concurrent pops never return the same item; concurrent adds lose nothing', async () => {
    const s = session();
    const items = Array.from({ length: 20 }, (_, i) => user(`m${i}`));
    await Promise.all(items.map((item) => s.addItems([item])));
    expect(await s.getItems()).toHaveLength(20);
    const popped = await Promise.all(Array.from({ length: 30 }, () => s.popItem()));
    const got = popped.filter((item): item is AgentInputItem => item !== undefined);
    expect(got).toHaveLength(20);
    expect(new Set(got.map((item) => JSON.stringify(item))).size).toBe(20);
    expect(await s.getItems()).toEqual([]);
  });

  it('replaceHistoryWithCompaction swaps the whole history at once', async () => {
    const s = session();
    await s.addItems([user('a'), assistant('b')]);
    const compacted: AgentInputItem[] = [{ type: 'compaction', encrypted_content: 'opaque' }, user('kept')];
    await s.replaceHistoryWithCompaction(compacted);
    expect(await s.getItems()).toEqual(compacted);
  });

  it('acts for the tenant the run context names (RunContextAwareSession)', async () => {
    const stateManager = newUser(backend.open());
    const tenant = (context: { org: string; user: string }) => ({ orgId: context.org, userId: context.user });
    const s = new FluxiblySession({ stateManager, scopeFromContext: tenant });
    expect(s.acceptsRunContext).toBe(true);
    const alice = new RunContext({ org: 'ctx-org', user: `alice-${Math.random()}` });
    const bob = new RunContext({ org: 'ctx-org', user: `bob-${Math.random()}` });
    await s.addItems([user('from alice')], alice);
    expect(await s.getItems(undefined, alice)).toEqual([user('from alice')]);
    expect(await s.getItems(undefined, bob)).toEqual([]);
    await expect(s.addItems([user('from bob')], bob)).rejects.toBeInstanceOf(NotFoundError);
    expect(await s.popItem(bob)).toBeUndefined();
    expect(await s.getItems()).toEqual([]); // the state manager's own scope is another tenant too
    expect(await s.popItem(alice)).toEqual(user('from alice'));
  });

  describe('applyHistoryTransaction', () => {
    it('append_items: a retried operationId is a no-op; reuse with another transaction conflicts', async () => {
      const s = session();
      const transaction = { type: 'append_items' as const, items: [user('x'), assistant('y')] };
      await s.applyHistoryTransaction({ operationId: 'op-1', transaction });
      await s.applyHistoryTransaction({ operationId: 'op-1', transaction });
      expect(await s.getItems()).toEqual([user('x'), assistant('y')]);
      await expect(
        s.applyHistoryTransaction({ operationId: 'op-1', transaction: { type: 'append_items', items: [user('z')] } }),
      ).rejects.toBeInstanceOf(ConflictError);
      expect(await s.getItems()).toHaveLength(2);
    });

    race('append_items: concurrent retries of one operationId apply it once', async () => {
      const s = session();
      const transaction = { type: 'append_items' as const, items: [user('x'), assistant('y')] };
      await Promise.all([1, 2, 3].map(() => s.applyHistoryTransaction({ operationId: 'op-2', transaction })));
      expect(await s.getItems()).toEqual([user('x'), assistant('y')]);
    });

    it('replace_suffix checks expectedSuffix, replaces atomically, and is idempotent', async () => {
      const s = session();
      await s.addItems([user('q'), call('c1'), result('c1', 'r')]);
      const transaction = {
        type: 'replace_suffix' as const,
        expectedSuffix: [call('c1'), result('c1', 'r')],
        replacement: [call('c1', 'lookup', '{"fixed":true}'), result('c1', 'r2')],
      };
      await s.applyHistoryTransaction({ operationId: 'fix-1', transaction });
      await s.applyHistoryTransaction({ operationId: 'fix-1', transaction });
      expect(await s.getItems()).toEqual([user('q'), ...transaction.replacement]);
      await expect(
        s.applyHistoryTransaction({
          operationId: 'fix-2',
          transaction: { type: 'replace_suffix', expectedSuffix: [result('c1', 'r')], replacement: [] },
        }),
      ).rejects.toBeInstanceOf(ConflictError);
      expect(await s.getItems()).toEqual([user('q'), ...transaction.replacement]);
      await s.applyHistoryTransaction({
        operationId: 'fix-3',
        transaction: { type: 'replace_suffix', expectedSuffix: transaction.replacement, replacement: [] },
      });
      expect(await s.getItems()).toEqual([user('q')]);
    });

    it('replace_suffix sees a pop that lands between its check and its write, and writes nothing', async () => {
      const repository = backend.open();
      let popped = false;
      // The other session's popItem, landing exactly after this transaction read the history and before it writes.
      const racing = new Proxy(repository, {
        get(target, key, receiver) {
          if (key === 'appendMessages' || key === 'truncateThread') {
            return async (...args: Parameters<typeof target.appendMessages>) => {
              if (!popped) {
                popped = true;
                await new FluxiblySession({ stateManager: newUser(target, owner.userId), threadId }).popItem();
              }
              return (target[key] as (...a: unknown[]) => Promise<unknown>).apply(target, args);
            };
          }
          const value = Reflect.get(target, key, receiver) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      const owner = newUser(repository);
      const s = new FluxiblySession({ stateManager: owner });
      await s.addItems([user('q'), assistant('draft'), user('more')]);
      const threadId = await s.getSessionId();
      const raced = new FluxiblySession({ stateManager: newUser(racing, owner.userId), threadId });
      await expect(
        raced.applyHistoryTransaction({
          operationId: 'raced-by-a-pop',
          transaction: {
            type: 'replace_suffix',
            expectedSuffix: [assistant('draft'), user('more')],
            replacement: [assistant('final')],
          },
        }),
      ).rejects.toBeInstanceOf(ConflictError);
      expect(popped).toBe(true);
      expect(await s.getItems(), 'the pop happened; the replacement did not').toEqual([user('q'), assistant('draft')]);
    });

    race('of racing replace_suffix with the same expectation and different operations exactly one wins', async () => {
      const s = session();
      await s.addItems([user('q'), assistant('draft')]);
      const outcomes = await Promise.allSettled(
        [1, 2, 3, 4].map((i) =>
          s.applyHistoryTransaction({
            operationId: `race-${i}`,
            transaction: {
              type: 'replace_suffix',
              expectedSuffix: [assistant('draft')],
              replacement: [assistant(`v${i}`)],
            },
          }),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(ConflictError);
      expect(await s.getItems()).toHaveLength(2);
    });
  });
});
