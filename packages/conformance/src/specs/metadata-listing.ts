import type { ChatThread, ConversationRepository, JsonObject, MetadataFilterValue, Scope } from '@fluxibly/core';
import { expect } from 'vitest';
import { freshId } from '../context.js';
import { defineGroup } from '../group.js';
import { listAllOrgThreads, listAllThreads, textMessage, walkThreadPages } from '../support/index.js';

type Filter = Record<string, MetadataFilterValue>;

/** What a filter must select, computed in JavaScript: top-level keys, strict equality, AND. */
function matching(threads: readonly ChatThread[], filter: Filter): ChatThread[] {
  return threads.filter((thread) =>
    Object.entries(filter).every(
      ([key, value]) => Object.hasOwn(thread.metadata, key) && thread.metadata[key] === value,
    ),
  );
}

const ids = (threads: readonly ChatThread[]): string[] => threads.map((t) => t.id);

/**
 * `listThreads` / `listOrgThreads` with a `metadata` filter: exact match of top-level keys (AND, strict JSON types:
 * `1` is not `"1"`), the same order and cursors as an unfiltered listing, full pages while matching threads remain,
 * the user's or the org's threads only, and following later writes.
 */
export const METADATA_LISTING_GROUP = defineGroup({
  id: 'metadata-listing',
  title: 'listing threads by metadata',
  tests: ['and-filter', 'strict-types', 'awkward-keys', 'paging', 'org-and-user', 'tenants', 'follows-writes'],
  register(context) {
    const repo = (): ConversationRepository => context.repo();

    /** Create threads with these metadata, in order (the last is the newest). */
    async function threadsWith(scope: Scope, metadata: readonly JsonObject[]): Promise<ChatThread[]> {
      const made: ChatThread[] = [];
      for (const m of metadata) made.push(await repo().createThread(scope, { metadata: m }));
      return made;
    }

    async function listed(scope: Scope, metadata: Filter, limit = 1000): Promise<ChatThread[]> {
      const { threads } = await walkThreadPages((cursor) =>
        repo().listThreads(scope, cursor === undefined ? { limit, metadata } : { limit, metadata, cursor }),
      );
      return threads;
    }

    async function listedOrg(orgId: string, metadata: Filter, limit = 1000): Promise<ChatThread[]> {
      const { threads } = await walkThreadPages((cursor) =>
        repo().listOrgThreads({ orgId }, cursor === undefined ? { limit, metadata } : { limit, metadata, cursor }),
      );
      return threads;
    }

    context.it('and-filter')(
      'only threads holding every key of the filter with that value, newest activity first, as stored',
      async () => {
        const scope = context.newScope();
        await threadsWith(scope, [
          { project: 'x', pinned: true },
          { project: 'y', pinned: true },
          { project: 'x' },
          { project: 'x', pinned: false, extra: { deep: 1 } },
          {},
          { project: 'x', pinned: true, n: 2 },
        ]);
        const all = await listAllThreads(repo(), scope);
        for (const filter of [
          { project: 'x' },
          { pinned: true },
          { project: 'x', pinned: true },
          { project: 'x', pinned: true, n: 2 },
          { project: 'z' },
          { project: 'x', pinned: 'yes' },
          { missing: 'x' },
        ] satisfies Filter[]) {
          const page = await repo().listThreads(scope, { metadata: filter });
          expect(ids(page.threads), JSON.stringify(filter)).toEqual(ids(matching(all, filter)));
          expect(page.threads, 'threads as the unfiltered listing shows them').toEqual(matching(all, filter));
          expect(page.nextCursor).toBeNull();
        }
        expect((await repo().listThreads(scope, { metadata: { project: 'x' } })).threads).toHaveLength(4);
      },
    );

    context.it('strict-types')(
      'values match with their JSON type: 1 is not "1", true is not "true", 0 is not false or ""',
      async () => {
        const scope = context.newScope();
        const values: JsonObject[] = [
          { k: 1 },
          { k: '1' },
          { k: true },
          { k: 'true' },
          { k: 0 },
          { k: false },
          { k: '' },
          { k: null },
          { k: 1.5 },
          { k: [1] },
          { k: { v: 1 } },
          { k: -1 },
          { k: 'One' },
          { k: 'one' },
        ];
        const made = await threadsWith(scope, values);
        const byValue = (i: number): string => made[i]?.id ?? '';
        const cases: Array<[MetadataFilterValue, number[]]> = [
          [1, [0]],
          ['1', [1]],
          [true, [2]],
          ['true', [3]],
          [0, [4]],
          [false, [5]],
          ['', [6]],
          [1.5, [8]],
          [-1, [11]],
          ['one', [13]],
          ['One', [12]],
          [2, []],
        ];
        for (const [value, expected] of cases) {
          expect(ids(await listed(scope, { k: value })), `k = ${JSON.stringify(value)}`).toEqual(
            expected.map(byValue).reverse(),
          );
        }
      },
    );

    context.it('awkward-keys')(
      'keys are top-level names, taken literally: "a.b" is not a path, "$x" and keys with spaces or quotes are plain keys',
      async () => {
        const scope = context.newScope();
        const made = await threadsWith(scope, [
          { 'a.b': 1 },
          { a: { b: 1 } },
          { $x: 'v' },
          { 'with space': 'v', "quo'te": 'v', 'é 🧵': 'v' },
          { '': 'empty key' },
        ]);
        const id = (i: number): string => made[i]?.id ?? '';
        expect(ids(await listed(scope, { 'a.b': 1 }))).toEqual([id(0)]);
        expect(ids(await listed(scope, { a: 1 }))).toEqual([]);
        expect(ids(await listed(scope, { $x: 'v' }))).toEqual([id(2)]);
        expect(ids(await listed(scope, { 'with space': 'v', "quo'te": 'v', 'é 🧵': 'v' }))).toEqual([id(3)]);
        expect(ids(await listed(scope, { '': 'empty key' }))).toEqual([id(4)]);
      },
    );

    context.it('paging')(
      'pages under a filter are full while matching threads remain, and the cursors walk every match once, in order',
      async () => {
        const scope = context.newScope();
        const metadata = range30().map((i): JsonObject => ({ parity: i % 3 === 0 ? 'match' : 'other', i }));
        await threadsWith(scope, metadata);
        // Non-matching threads are the newest, so a naive "filter one page" would return short pages.
        await threadsWith(scope, [{ parity: 'other' }, { parity: 'other' }, { parity: 'other' }, { parity: 'other' }]);
        const expected = matching(await listAllThreads(repo(), scope), { parity: 'match' });
        expect(expected).toHaveLength(10);
        for (const limit of [1, 3, 4, 10, 11]) {
          const { threads, pages } = await walkThreadPages((cursor) =>
            repo().listThreads(
              scope,
              cursor === undefined
                ? { limit, metadata: { parity: 'match' } }
                : { limit, metadata: { parity: 'match' }, cursor },
            ),
          );
          expect(threads, `limit ${limit}`).toEqual(expected);
          pages
            .slice(0, -1)
            .forEach((page, i) => expect(page.threads, `limit ${limit}, page ${i}`).toHaveLength(limit));
          expect(pages.length, `limit ${limit}: no trailing empty page`).toBe(Math.max(1, Math.ceil(10 / limit)));
        }
        const first = await repo().listThreads(scope, { limit: 2, metadata: { parity: 'match' } });
        const rest = await repo().listThreads(scope, { cursor: first.nextCursor ?? '', metadata: { parity: 'match' } });
        expect([...first.threads, ...rest.threads]).toEqual(expected);
      },
    );

    context.it('org-and-user')(
      'listOrgThreads filters every user of the org; listThreads only the caller',
      async () => {
        const alice = context.newScope();
        const bob = { orgId: alice.orgId, userId: freshId('user') };
        const mine = await threadsWith(alice, [{ team: 'red' }, { team: 'blue' }]);
        const theirs = await threadsWith(bob, [{ team: 'red' }, { team: 'red', lead: true }]);
        const org = await listAllOrgThreads(repo(), alice.orgId);
        expect(await listedOrg(alice.orgId, { team: 'red' })).toEqual(matching(org, { team: 'red' }));
        expect(ids(await listedOrg(alice.orgId, { team: 'red' }))).toHaveLength(3);
        expect(ids(await listedOrg(alice.orgId, { team: 'red' }, 1))).toHaveLength(3);
        expect(ids(await listed(alice, { team: 'red' }))).toEqual([mine[0]?.id]);
        expect(await listed(bob, { team: 'red' })).toEqual(
          matching(await listAllThreads(repo(), bob), { team: 'red' }),
        );
        expect(new Set(ids(await listed(bob, { team: 'red' })))).toEqual(new Set(ids(theirs)));
        expect(ids(await listedOrg(alice.orgId, { lead: true }))).toEqual([theirs[1]?.id]);
      },
    );

    context.it('tenants')(
      'a filter never reaches another org or another user, even with the same ids and values',
      async () => {
        const owner = context.newScope();
        const tag = freshId('tag');
        const [own] = await threadsWith(owner, [{ tag }]);
        const sameUserOtherOrg = { orgId: freshId('org'), userId: owner.userId };
        const otherUser = { orgId: owner.orgId, userId: freshId('user') };
        for (const foreign of [sameUserOtherOrg, otherUser]) {
          expect(await listed(foreign, { tag })).toEqual([]);
        }
        expect(await listedOrg(sameUserOtherOrg.orgId, { tag })).toEqual([]);
        const [other] = await threadsWith(sameUserOtherOrg, [{ tag }]);
        expect(ids(await listed(owner, { tag }))).toEqual([own?.id]);
        expect(ids(await listedOrg(owner.orgId, { tag }))).toEqual([own?.id]);
        expect(ids(await listed(sameUserOtherOrg, { tag }))).toEqual([other?.id]);
      },
    );

    context.it('follows-writes')(
      'a filtered listing follows patches, replacements, activity and deletion',
      async () => {
        const scope = context.newScope();
        const [a, b, c] = (await threadsWith(scope, [{ s: 'open' }, { s: 'open' }, { s: 'closed' }])).map((t) => t.id);
        /** The filtered listing, checked against the unfiltered one; returns the ids as a set. */
        const open = async (): Promise<Set<string>> => {
          const filtered = await listed(scope, { s: 'open' });
          expect(filtered).toEqual(matching(await listAllThreads(repo(), scope), { s: 'open' }));
          return new Set(ids(filtered));
        };
        expect(await open()).toEqual(new Set([a, b]));
        await repo().appendMessages(scope, { threadId: a ?? '', messages: [textMessage('user', 'bump')] });
        expect(await open()).toEqual(new Set([a, b]));
        await repo().updateThread(scope, { threadId: a ?? '', metadataPatch: { s: 'closed' } });
        expect(await open()).toEqual(new Set([b]));
        await repo().updateThread(scope, { threadId: c ?? '', metadataPatch: { s: 'open' } });
        expect(await open()).toEqual(new Set([b, c]));
        await repo().updateThread(scope, { threadId: b ?? '', metadata: { other: 1 } });
        expect(await open()).toEqual(new Set([c]));
        await repo().updateThread(scope, { threadId: c ?? '', metadataPatch: { s: null } });
        expect(await open()).toEqual(new Set());
        await repo().updateThread(scope, { threadId: b ?? '', metadataPatch: { s: 'open' } });
        expect(await open()).toEqual(new Set([b]));
        await repo().deleteThread(scope, b ?? '');
        expect(await open()).toEqual(new Set());
        const fork = await repo().forkThread(scope, { threadId: a ?? '' });
        expect(new Set(ids(await listed(scope, { s: 'closed' }))), 'a fork copies the metadata').toEqual(
          new Set([fork.id, a]),
        );
      },
    );
  },
});

function range30(): number[] {
  return Array.from({ length: 30 }, (_, i) => i);
}
