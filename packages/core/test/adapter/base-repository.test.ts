import { describe, expect, it } from 'vitest';
import type { RepositoryKit, StorageOperations } from '../../src/adapter/index.js';
import { BaseConversationRepository } from '../../src/adapter/index.js';
import { ConflictError, UnavailableError, UnsupportedError, ValidationError } from '../../src/index.js';

const scope = { orgId: 'o', userId: 'u' };
const never = (): Promise<never> => new Promise<never>(() => undefined);

/** Operations that record what they received; any unset operation fails the test if called. */
function operations(overrides: Partial<StorageOperations> = {}): StorageOperations & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  const record =
    (name: string) =>
    (...args: unknown[]): Promise<never> => {
      calls.push([name, ...args]);
      return Promise.reject(new Error(`unexpected ${name}`));
    };
  const base = Object.fromEntries(
    [
      'createThread',
      'getThread',
      'listThreads',
      'listOrgThreads',
      'updateThread',
      'deleteThread',
      'clearThread',
      'appendMessages',
      'getMessages',
      'getMessage',
      'editMessage',
      'deleteMessage',
      'forkThread',
    ].map((name) => [name, record(name)]),
  ) as unknown as StorageOperations;
  let closes = 0;
  return Object.assign(base, { close: async () => void (closes += 1), calls, closes: () => closes }, overrides);
}

class TestRepository extends BaseConversationRepository {
  constructor(ops: StorageOperations, kit: Partial<RepositoryKit> = {}) {
    super({ backend: 'test', capabilities: { fullTextSearch: false, ttl: false }, ...kit }, ops);
  }
}

describe('BaseConversationRepository', () => {
  it('hands validated, copied input to the operation', async () => {
    let received: unknown;
    const ops = operations({
      appendMessages: async (_scope, input) => {
        received = input;
        return [];
      },
    });
    const content = [{ type: 'text', text: 'hi' }];
    await new TestRepository(ops).appendMessages(scope, { threadId: 't', messages: [{ role: 'user', content }] });
    const valid = received as { threadId: string; bytes: number; messages: { content: unknown }[] };
    expect(valid.threadId).toBe('t');
    expect(valid.messages[0]?.content).toEqual(content);
    expect(valid.messages[0]?.content).not.toBe(content);
    expect(valid.bytes).toBeGreaterThan(0);
  });

  it('checks closed, then scope, then input — and never calls the operation on bad input', async () => {
    const ops = operations();
    const repo = new TestRepository(ops);
    const badScope = await repo.getThread({ orgId: '', userId: 'u' }, '').catch((e: unknown) => e);
    expect((badScope as ValidationError).field).toBe('scope.orgId');
    const badInput = await repo.getThread(scope, '').catch((e: unknown) => e);
    expect((badInput as ValidationError).field).toBe('threadId');
    await repo.close();
    const closed = await repo.getThread({ orgId: '', userId: 'u' }, '').catch((e: unknown) => e);
    expect(closed).toBeInstanceOf(UnavailableError);
    expect((closed as Error).message).toBe('repository is closed');
    expect(ops.calls).toEqual([]);
  });

  it('turns a throwing getter in the input into a ValidationError naming input', async () => {
    const hostile = Object.defineProperty({}, 'threadId', {
      enumerable: true,
      get() {
        throw new TypeError('boom');
      },
    });
    const error = await new TestRepository(operations()).getMessages(scope, hostile as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('input');
  });

  it('passes FluxiblyErrors through, maps other errors with the adapter mapper or to UnavailableError', async () => {
    const conflict = new ConflictError('x');
    const failing = (error: Error): Partial<StorageOperations> => ({ getThread: () => Promise.reject(error) });
    await expect(new TestRepository(operations(failing(conflict))).getThread(scope, 't')).rejects.toBe(conflict);
    const plain = await new TestRepository(operations(failing(new RangeError('driver'))))
      .getThread(scope, 't')
      .catch((e: unknown) => e);
    expect(plain).toBeInstanceOf(UnavailableError);
    expect((plain as Error).message).toBe('test failed (RangeError)');
    expect((plain as Error).cause).toMatchObject({ name: 'RangeError', message: 'driver' });
    const mapped = new UnavailableError('mapped');
    const viaMapper = new TestRepository(operations(failing(new Error('x'))), { mapError: () => mapped });
    await expect(viaMapper.getThread(scope, 't')).rejects.toBe(mapped);
  });

  it('searchMessages is UnsupportedError without the capability, after the scope check', async () => {
    const repo = new TestRepository(operations());
    await expect(repo.searchMessages(scope, { query: 'x' })).rejects.toBeInstanceOf(UnsupportedError);
    await expect(repo.searchMessages({ orgId: '', userId: 'u' }, { query: 'x' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(repo.searchMessages(scope, { query: 'x' })).rejects.toThrow(
      /^full-text search is not offered by the test repository$/u,
    );
    const why = new TestRepository(operations(), { searchUnsupportedReason: 'it was created with search: false' });
    await expect(why.searchMessages(scope, { query: 'x' })).rejects.toThrow(
      /^full-text search is not offered by the test repository \(it was created with search: false\)$/u,
    );
  });

  it('close() settles pending calls, closes the adapter once, and a deadline bounds every call', async () => {
    const ops = operations({ getThread: never });
    const repo = new TestRepository(ops);
    const pending = repo.getThread(scope, 't').catch((e: unknown) => e);
    await Promise.all([repo.close(), repo.close()]);
    expect(((await pending) as Error).message).toBe('repository is closed');
    expect((ops as unknown as { closes(): number }).closes()).toBe(1);
    const bounded = new TestRepository(operations({ getThread: never }), { deadlineMs: 10 });
    const late = await bounded.getThread(scope, 't').catch((e: unknown) => e);
    expect((late as Error).message).toBe('test did not answer within 10 ms');
  });

  it('inProcess: no per-call tracking, the same closed check, validation and error mapping', async () => {
    const repo = new TestRepository(operations({ getThread: () => Promise.reject(new RangeError('x')) }), {
      inProcess: true,
    });
    const mapped = await repo.getThread(scope, 't').catch((e: unknown) => e);
    expect((mapped as Error).message).toBe('test failed (RangeError)');
    expect(((await repo.getThread(scope, '').catch((e: unknown) => e)) as ValidationError).field).toBe('threadId');
    await repo.close();
    await expect(repo.getThread(scope, 't')).rejects.toThrow('repository is closed');
  });
});
