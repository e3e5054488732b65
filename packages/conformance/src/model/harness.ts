import { expectSame } from '../support/compare.js';
import type { ConversationRepository, Scope } from '@fluxibly/core';
import type { StoreInspector } from '../options.js';
import { readAllMessages, walkThreadPages } from '../support/index.js';
import type { IdNames } from './normalize.js';
import {
  normalizeAppended,
  normalizeCreated,
  normalizeListing,
  normalizeMessage,
  normalizePage,
  normalizeThread,
  settle,
} from './normalize.js';
import type { Op } from './ops.js';
import type { Side, Target } from './world.js';
import { ModelWorld } from './world.js';

type Normalize<T> = (value: T, names: IdNames) => unknown;

const threadOrNull: Normalize<Parameters<typeof normalizeThread>[0] | null> = (v, n) =>
  v === null ? null : normalizeThread(v, n);
const messageOrNull: Normalize<Parameters<typeof normalizeMessage>[0] | null> = (v, n) =>
  v === null ? null : normalizeMessage(v, n);
const same: Normalize<unknown> = (v) => v;

/**
 * Applies the same operations to the adapter under test ("real") and to the reference ("model"), and fails on
 * the first observable difference, printing every step so far. One harness is one run, with fresh scopes and a
 * fresh reference.
 */
export class ModelHarness {
  readonly #world: ModelWorld;
  readonly #inspector: StoreInspector | undefined;
  readonly #log: string[] = [];

  constructor(options: {
    reference: ConversationRepository;
    reals: readonly [ConversationRepository, ConversationRepository];
    scopes: readonly [Scope, Scope, Scope];
    runId: string;
    inspector: StoreInspector | undefined;
  }) {
    this.#world = new ModelWorld(options.reference, options.reals, options.scopes, options.runId);
    this.#inspector = options.inspector;
  }

  /** Run `call` on both sides (each with its own ids), compare the normalized outcomes, return both values. */
  async #both<T>(
    what: string,
    call: (repo: ConversationRepository, side: Side) => Promise<T>,
    normalize: Normalize<T>,
    realRepo: ConversationRepository,
  ): Promise<{ model?: T; real?: T }> {
    const world = this.#world;
    const model = await settle(
      () => call(world.model, 'model'),
      (v) => normalize(v, world.names('model')),
    );
    const real = await settle(
      () => call(realRepo, 'real'),
      (v) => normalize(v, world.names('real')),
    );
    this.#log.push(what);
    const step = this.#log.length - 1;
    const history = this.#log.map((line, i) => `  ${i}: ${line}`).join('\n');
    for (const [side, settled] of [
      ['reference', model],
      ['adapter', real],
    ] as const) {
      if ('raw' in settled.outcome) {
        throw new Error(`the ${side} threw an untyped error at step ${step}: ${settled.outcome.raw}\n${history}`);
      }
    }
    expectSame(real.outcome, model.outcome, `adapter and reference differ at step ${step}:\n${history}`);
    return {
      ...(model.value === undefined ? {} : { model: model.value }),
      ...(real.value === undefined ? {} : { real: real.value }),
    };
  }

  /** A call on one thread: on each side with that side's id, through the instance the operation picked. */
  #onThread<T>(
    what: string,
    t: Target,
    call: (repo: ConversationRepository, threadId: string, side: Side) => Promise<T>,
    normalize: Normalize<T>,
  ) {
    return this.#both(what, (repo, side) => call(repo, t[side], side), normalize, t.repo);
  }

  /** Apply one operation to both sides and compare. */
  async apply(op: Op): Promise<void> {
    const world = this.#world;
    const what = JSON.stringify(op);
    switch (op.kind) {
      case 'createThread': {
        const input = { name: op.name, ...(op.id === null ? {} : { id: world.threadId(op.id) }) };
        const scope = world.scopes[op.scope];
        const r = await this.#both(
          what,
          (repo) => repo.createThread(scope, input),
          normalizeCreated(op.id === null),
          world.reals[op.via],
        );
        world.adopt(op.scope, r.model, r.real);
        return;
      }
      case 'append': {
        const t = world.target(op.thread);
        const messages = world.newMessages(op.messages);
        const expected = expectedSeq(op.expected, await world.modelLastSeq(t));
        const count = expectedSeq(op.count, await world.modelMessageCount(t));
        const input = {
          messages,
          ...(expected === undefined ? {} : { expectedLastSeq: expected }),
          ...(count === undefined ? {} : { expectedMessageCount: count }),
        };
        const r = await this.#onThread(
          `${what} expectedLastSeq=${String(expected)} expectedMessageCount=${String(count)}`,
          t,
          (repo, threadId) => repo.appendMessages(t.scope, { threadId, ...input }),
          normalizeAppended(messages),
        );
        world.pairMessages(r.model, r.real);
        return;
      }
      case 'replace': {
        const t = world.target(op.thread);
        const messages = world.newMessages(op.messages);
        const lastSeq = await world.modelLastSeq(t);
        const expected = expectedSeq(op.expected, lastSeq);
        const input = {
          messages,
          replaceAfterSeq: Math.max(0, lastSeq - op.back),
          ...(expected === undefined ? {} : { expectedLastSeq: expected }),
        };
        const r = await this.#onThread(
          `${what} replaceAfterSeq=${input.replaceAfterSeq} expectedLastSeq=${String(expected)}`,
          t,
          (repo, threadId) => repo.appendMessages(t.scope, { threadId, ...input }),
          normalizeAppended(messages),
        );
        world.pairMessages(r.model, r.real);
        return;
      }
      case 'replayTail': {
        const t = world.target(op.thread);
        const fallback = [{ id: world.messageId(0), role: 'user' as const, content: 'x' }];
        const tail = (await world.tail(t, op.count)) ?? { cut: 0, model: fallback, real: fallback };
        const expected = expectedSeq(op.expected, await world.modelLastSeq(t));
        const extra = expected === undefined ? {} : { expectedLastSeq: expected };
        await this.#onThread(
          `${what} replaceAfterSeq=${tail.cut} expectedLastSeq=${String(expected)}`,
          t,
          (repo, threadId, side) =>
            repo.appendMessages(t.scope, { threadId, messages: tail[side], replaceAfterSeq: tail.cut, ...extra }),
          normalizeAppended(tail.model),
        );
        return;
      }
      case 'truncate': {
        const t = world.target(op.thread);
        const lastSeq = await world.modelLastSeq(t);
        const expected = expectedSeq(op.expected, lastSeq);
        const count = expectedSeq(op.count, await world.modelMessageCount(t));
        const input = {
          afterSeq: Math.max(0, lastSeq - op.back),
          ...(expected === undefined ? {} : { expectedLastSeq: expected }),
          ...(count === undefined ? {} : { expectedMessageCount: count }),
        };
        await this.#onThread(
          `${what} afterSeq=${input.afterSeq} expectedLastSeq=${String(expected)} expectedMessageCount=${String(count)}`,
          t,
          (repo, threadId) => repo.truncateThread(t.scope, { threadId, ...input }),
          same,
        );
        return;
      }
      case 'transfer': {
        const t = world.target(op.thread);
        const ownerRef = t.handle?.owner ?? 0;
        // Within the organisation: users 0 and 1 share one; the other organisation's thread stays with its user.
        const to = ownerRef === 2 ? 2 : op.to;
        const input = { toUserId: world.scopes[to].userId };
        const r = await this.#onThread(
          `${what} toUserId=S${to}`,
          t,
          (repo, threadId) => repo.transferThread(t.scope, { threadId, ...input }),
          normalizeThread,
        );
        if (r.model !== undefined && t.handle !== undefined) t.handle.owner = to;
        return;
      }
      case 'eraseUser': {
        const scope = world.scopes[op.scope];
        await this.#both(what, (repo) => repo.eraseUser(scope), same, world.reals[op.via]);
        return;
      }
      case 'patchThread': {
        const t = world.target(op.thread);
        const input = { metadataPatch: op.patch, ...(op.expected === null ? {} : { expectedMetadata: op.expected }) };
        const update = (repo: ConversationRepository, threadId: string) =>
          repo.updateThread(t.scope, { threadId, ...input });
        await this.#onThread(what, t, update, normalizeThread);
        return;
      }
      case 'getMessages': {
        const t = world.target(op.thread);
        const [before, after] = [world.cursor(t, op.before), world.cursor(t, op.after)];
        const r = await this.#onThread(
          what,
          t,
          (repo, threadId, side) =>
            repo.getMessages(t.scope, {
              threadId,
              ...(op.limit === null ? {} : { limit: op.limit }),
              ...(op.order === null ? {} : { order: op.order }),
              ...(before === undefined ? {} : { before: before[side === 'model' ? 0 : 1] }),
              ...(after === undefined ? {} : { after: after[side === 'model' ? 0 : 1] }),
            }),
          normalizePage,
        );
        world.rememberCursor(t, r.model?.olderCursor, r.real?.olderCursor);
        world.rememberCursor(t, r.model?.newerCursor, r.real?.newerCursor);
        return;
      }
      case 'getThread': {
        const t = world.target(op.thread);
        await this.#onThread(what, t, (repo, threadId) => repo.getThread(t.scope, threadId), threadOrNull);
        return;
      }
      case 'listThreads': {
        const scope = world.scopes[op.scope];
        const list = (repo: ConversationRepository) =>
          walkThreadPages((cursor) => {
            const input = {
              limit: op.limit,
              ...(cursor === undefined ? {} : { cursor }),
              ...(op.filter === null ? {} : { metadata: op.filter }),
            };
            return op.org ? repo.listOrgThreads({ orgId: scope.orgId }, input) : repo.listThreads(scope, input);
          });
        await this.#both(what, list, normalizeListing, world.reals[op.via]);
        return;
      }
      case 'getMessage':
      case 'edit':
      case 'deleteMessage': {
        const t = world.target(op.thread);
        const ids = await world.messageIds(t, op.message);
        const ref = (threadId: string, side: Side) => ({ threadId, messageId: ids[side === 'model' ? 0 : 1] });
        if (op.kind === 'getMessage') {
          await this.#onThread(what, t, (repo, id, side) => repo.getMessage(t.scope, ref(id, side)), messageOrNull);
        } else if (op.kind === 'deleteMessage') {
          await this.#onThread(what, t, (repo, id, side) => repo.deleteMessage(t.scope, ref(id, side)), same);
        } else {
          const fields = {
            ...(op.content === null ? {} : { content: op.content }),
            ...(op.metadata === null ? {} : { metadata: op.metadata }),
            ...(op.status === null ? {} : { status: op.status }),
            ...(op.tokenCount === null ? {} : { tokenCount: op.tokenCount }),
            ...(op.expectedStatus === null ? {} : { expectedStatus: op.expectedStatus }),
          };
          const edit = (repo: ConversationRepository, id: string, side: Side) =>
            repo.editMessage(t.scope, { ...ref(id, side), ...fields });
          await this.#onThread(what, t, edit, normalizeMessage);
        }
        return;
      }
      case 'clear': {
        const t = world.target(op.thread);
        await this.#onThread(what, t, (repo, threadId) => repo.clearThread(t.scope, threadId), same);
        return;
      }
      case 'deleteThread': {
        const t = world.target(op.thread);
        await this.#onThread(what, t, (repo, threadId) => repo.deleteThread(t.scope, threadId), same);
        return;
      }
      case 'updateThread': {
        const t = world.target(op.thread);
        const fields = {
          ...(op.name === null ? {} : { name: op.name }),
          ...(op.metadata === null ? {} : { metadata: op.metadata }),
        };
        const update = (repo: ConversationRepository, threadId: string) =>
          repo.updateThread(t.scope, { threadId, ...fields });
        await this.#onThread(what, t, update, normalizeThread);
        return;
      }
      case 'fork': {
        const t = world.target(op.thread);
        const atSeq = op.back === null ? undefined : (await world.modelLastSeq(t)) - op.back;
        const input = {
          ...(atSeq === undefined ? {} : { atSeq }),
          ...(op.id === null ? {} : { id: world.threadId(op.id) }),
        };
        const r = await this.#onThread(
          `${what} atSeq=${String(atSeq)}`,
          t,
          (repo, threadId) => repo.forkThread(t.scope, { threadId, ...input }),
          normalizeCreated(op.id === null),
        );
        world.adopt(world.scopeRefOf(op.thread, t), r.model, r.real);
        return;
      }
    }
  }

  /** Compare every thread's final state, its messages, and (with an inspector) the seqs really stored. */
  async finalCheck(): Promise<void> {
    const world = this.#world;
    for (const handle of world.handles) {
      const owner = world.scopes[handle.owner];
      const what = `final state of ${handle.label}`;
      const read = (repo: ConversationRepository, side: Side) => repo.getThread(owner, handle[side]);
      await this.#both(what, read, threadOrNull, world.reals[0]);
      if ((await world.model.getThread(owner, handle.model)) === null) {
        // A deleted thread keeps no messages (unless its id was taken again by a later thread of the run).
        const reused = world.handles.some((other) => other !== handle && other.real === handle.real);
        if (this.#inspector !== undefined && !reused) {
          expectSame(await this.#inspector.messageSeqs(handle.real), [], `${what}: deleted`);
        }
        continue;
      }
      const all = await this.#both(
        what,
        (repo, side) => readAllMessages(repo, owner, handle[side], 7),
        (v, n) => v?.map((m) => normalizeMessage(m, n)) ?? null,
        world.reals[1],
      );
      if (this.#inspector !== undefined) {
        const seqs = all.model?.map((m) => m.seq) ?? [];
        expectSame(await this.#inspector.messageSeqs(handle.real), seqs, `${what}: stored seqs`);
      }
    }
  }
}

/** The `expectedLastSeq` an operation asks for, from the reference's `lastSeq`: none, right, or off by a little. */
function expectedSeq(expected: null | 'right' | number, lastSeq: number): number | undefined {
  if (expected === null) return undefined;
  return expected === 'right' ? lastSeq : Math.max(0, lastSeq + expected);
}
