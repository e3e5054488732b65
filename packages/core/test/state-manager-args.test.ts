import { describe, expect, it } from 'vitest';
import type { ConversationRepository } from '../src/index.js';
import { StateManager, ValidationError } from '../src/index.js';
import type { StorageOperations } from '../src/adapter/index.js';
import { BaseConversationRepository } from '../src/adapter/index.js';

/** A repository that must never be reached: every test here fails before any call. */
const untouchable = new Proxy({} as ConversationRepository, {
  get: (_, property) =>
    property === 'then'
      ? undefined
      : () => {
          throw new Error(`repository.${String(property)} must not be called`);
        },
});

async function fieldOf(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).field;
  }
  throw new Error('expected a ValidationError');
}

const manager = (): StateManager => new StateManager({ repository: untouchable, userId: 'alice', orgId: 'acme' });

describe('StateManager arguments (no repository call is made)', () => {
  it('exposes its repository, user and organisation', () => {
    const sm = manager();
    expect(sm.repository).toBe(untouchable);
    expect([sm.userId, sm.orgId]).toEqual(['alice', 'acme']);
    expect(sm.scope).toEqual({ orgId: 'acme', userId: 'alice' });
    expect(sm.currentThreadId).toBeNull();
    expect(
      new StateManager({ repository: untouchable, userId: 'u', orgId: 'o', threadId: 't-1' }).currentThreadId,
    ).toBe('t-1');
  });

  it.each([
    ['userId', { userId: '', orgId: 'acme' }],
    ['userId', { userId: { $gt: '' }, orgId: 'acme' }],
    ['userId', { orgId: 'acme' }],
    ['orgId', { userId: 'alice', orgId: 'x'.repeat(256) }],
    ['orgId', { userId: 'alice', orgId: 42 }],
    ['threadId', { userId: 'alice', orgId: 'acme', threadId: '' }],
  ])('the constructor names a bad %s', async (field, options) => {
    expect(await fieldOf(() => new StateManager({ repository: untouchable, ...options } as never))).toBe(field);
  });

  it('the constructor requires a repository', async () => {
    expect(await fieldOf(() => new StateManager({ userId: 'a', orgId: 'b' } as never))).toBe('repository');
    expect(await fieldOf(() => new StateManager({ repository: {}, userId: 'a', orgId: 'b' } as never))).toBe(
      'repository',
    );
    expect(await fieldOf(() => new StateManager(null as never))).toBe('options');
  });

  it('accepts ids holding quotes, colons, braces, *, % and newlines', () => {
    for (const id of [`o'r"g`, 'a:b', '{x}', '*', '%', 'line\nbreak']) {
      expect(new StateManager({ repository: untouchable, userId: id, orgId: id }).userId).toBe(id);
    }
  });

  it('without a current thread, thread methods ask for one on field threadId, with a helpful message', async () => {
    const sm = manager();
    const calls: Array<() => Promise<unknown>> = [
      () => sm.addMessage('user', 'hi'),
      () => sm.addMessages([{ role: 'user', content: 'hi' }]),
      () => sm.getMessages(),
      () => sm.getMessagesPage({ limit: 5 }),
      () => sm.loadConversationHistory(),
      () => sm.clearThread(),
      () => sm.deleteThread(),
      () => sm.renameThread('new name'),
      () => sm.updateThread({ metadata: {} }),
      () => sm.forkThread(),
      () => sm.editMessage('m', { content: 'x' }),
      () => sm.deleteMessage('m'),
      () => sm.getMessage('m'),
    ];
    for (const call of calls) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe('threadId');
      expect((error as Error).message).toMatch(/createThread\(\) or setCurrentThread\(\).*\{ threadId \}/);
    }
  });

  it('validates ids and options before calling the repository', async () => {
    const sm = manager();
    expect(await fieldOf(() => sm.setCurrentThread(''))).toBe('threadId');
    expect(await fieldOf(() => sm.setCurrentThread({ $ne: null } as never))).toBe('threadId');
    expect(await fieldOf(() => sm.getThread(42 as never))).toBe('threadId');
    expect(await fieldOf(() => sm.createThread(42 as never))).toBe('name');
    expect(await fieldOf(() => sm.listThreads({ limit: 0 }))).toBe('limit');
    expect(await fieldOf(() => sm.listThreads({ scope: 'everyone' as never }))).toBe('scope');
    expect(await fieldOf(() => sm.getMessages('t' as never))).toBe('options');
    expect(await fieldOf(() => sm.deleteMessage('', { threadId: 't' }))).toBe('messageId');
    expect(sm.currentThreadId).toBeNull();
  });
});

/**
 * A repository on core's adapter kit whose storage is never reached: the kit validates (once per call, as every
 * adapter does), and `StateManager.addMessage` names what the caller wrote.
 */
class ValidatingOnly extends BaseConversationRepository {
  constructor() {
    const never = (): Promise<never> => Promise.reject(new Error('storage must not be reached'));
    const operations = new Proxy({} as StorageOperations, {
      get: (_, name) => (name === 'close' ? async () => undefined : never),
    });
    super({ backend: 'validating-only', capabilities: { fullTextSearch: false, ttl: false } }, operations);
  }
}

describe('StateManager.addMessage on a validating repository (validation once, in the repository)', () => {
  it('names bad message arguments as the caller wrote them', async () => {
    const sm = new StateManager({ repository: new ValidatingOnly(), userId: 'alice', orgId: 'acme' });
    const opts = { threadId: 't' };
    expect(await fieldOf(() => sm.addMessage('robot' as never, 'x', opts))).toBe('role');
    expect(await fieldOf(() => sm.addMessage('user', undefined as never, opts))).toBe('content');
    expect(await fieldOf(() => sm.addMessage('user', (() => 'x') as never, opts))).toBe('content');
    expect(await fieldOf(() => sm.addMessage('user', [{ type: 'text', n: 1n }] as never, opts))).toBe('content[0].n');
    expect(await fieldOf(() => sm.addMessage('user', 'x', { ...opts, metadata: new Map() as never }))).toBe('metadata');
    expect(await fieldOf(() => sm.addMessage('user', 'x', { ...opts, name: '' }))).toBe('name');
    expect(await fieldOf(() => sm.addMessage('tool', 'x', { ...opts, toolCallId: 7 as never }))).toBe('toolCallId');
    expect(await fieldOf(() => sm.addMessage('user', 'x', { threadId: { $gt: '' } as never }))).toBe('threadId');
  });
});
