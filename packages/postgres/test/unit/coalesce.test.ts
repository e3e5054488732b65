import type { ChatMessage, Scope } from '@fluxibly/core';
import { LIMITS, NotFoundError } from '@fluxibly/core';
import { describe, expect, it } from 'vitest';
import { AppendCoalescer } from '../../src/coalesce.js';
import type { ValidAppend } from '@fluxibly/core/adapter';
import { validateAppend } from '@fluxibly/core/adapter';

const scope: Scope = { orgId: 'org', userId: 'user' };

/**
 * A stand-in for the append statement: numbers new messages after the thread's last seq, returns stored ones
 * for known ids, and records every batch it ran. Each run waits until `release()` lets it finish, so a test
 * controls what is in flight.
 */
class FakeStatement {
  readonly runs: { scope: Scope; input: ValidAppend }[] = [];
  readonly stored = new Map<string, ChatMessage>();
  lastSeq = 0;
  failWith: Error | undefined;
  #gates: (() => void)[] = [];

  readonly run = async (s: Scope, input: ValidAppend): Promise<ChatMessage[]> => {
    this.runs.push({ scope: s, input });
    await new Promise<void>((resolve) => this.#gates.push(resolve));
    if (this.failWith !== undefined) throw this.failWith;
    return input.messages.map((m) => {
      const key = `${input.threadId}/${m.id}`;
      const found = this.stored.get(key);
      if (found !== undefined) return found;
      const message: ChatMessage = {
        id: m.id,
        threadId: input.threadId,
        seq: ++this.lastSeq,
        role: m.role,
        content: m.content,
        metadata: m.metadata,
        status: m.status,
        createdAt: new Date(0),
      };
      this.stored.set(key, message);
      return message;
    });
  };

  /** Let every run started so far finish, and wait until the runs they unblocked have started. */
  async release(): Promise<void> {
    const gates = this.#gates;
    this.#gates = [];
    for (const open of gates) open();
    for (let i = 0; i < 10; i++) await Promise.resolve();
  }
}

function append(threadId: string, ids: string[], expectedLastSeq?: number): ValidAppend {
  return validateAppend({
    threadId,
    messages: ids.map((id) => ({ id, role: 'user', content: `text ${id}` })),
    ...(expectedLastSeq === undefined ? {} : { expectedLastSeq }),
  });
}

describe('AppendCoalescer', () => {
  it('a lone append runs at once, unmerged', async () => {
    const fake = new FakeStatement();
    const coalescer = new AppendCoalescer(fake.run);
    const done = coalescer.append(scope, append('t', ['a']));
    expect(fake.runs).toHaveLength(1);
    await fake.release();
    expect((await done).map((m) => m.id)).toEqual(['a']);
  });

  it('appends arriving while one is in flight go as one batch; each caller gets its own messages in order', async () => {
    const fake = new FakeStatement();
    const coalescer = new AppendCoalescer(fake.run);
    const first = coalescer.append(scope, append('t', ['a']));
    const second = coalescer.append(scope, append('t', ['b1', 'b2', 'b3']));
    const third = coalescer.append(scope, append('t', ['c']));
    const fourth = coalescer.append(scope, append('t', ['d1', 'd2']));
    expect(fake.runs).toHaveLength(1);
    await fake.release();
    expect(fake.runs).toHaveLength(2);
    expect(fake.runs[1]?.input.messages.map((m) => m.id)).toEqual(['b1', 'b2', 'b3', 'c', 'd1', 'd2']);
    expect(fake.runs[1]?.input.expectedLastSeq).toBeUndefined();
    await fake.release();
    expect((await first).map((m) => [m.id, m.seq])).toEqual([['a', 1]]);
    expect((await second).map((m) => [m.id, m.seq])).toEqual([
      ['b1', 2],
      ['b2', 3],
      ['b3', 4],
    ]);
    expect((await third).map((m) => [m.id, m.seq])).toEqual([['c', 5]]);
    expect((await fourth).map((m) => [m.id, m.seq])).toEqual([
      ['d1', 6],
      ['d2', 7],
    ]);
    // The lane closed: the next append runs at once again.
    void coalescer.append(scope, append('t', ['e']));
    expect(fake.runs).toHaveLength(3);
    await fake.release();
  });

  it('a call whose ids overlap the batch being formed goes in a later batch and gets the stored messages', async () => {
    const fake = new FakeStatement();
    const coalescer = new AppendCoalescer(fake.run);
    const first = coalescer.append(scope, append('t', ['a']));
    const second = coalescer.append(scope, append('t', ['x', 'y']));
    const retry = coalescer.append(scope, append('t', ['y']));
    const after = coalescer.append(scope, append('t', ['z']));
    await fake.release();
    expect(fake.runs.map((r) => r.input.messages.map((m) => m.id))).toEqual([['a'], ['x', 'y']]);
    await fake.release();
    expect(fake.runs.map((r) => r.input.messages.map((m) => m.id))).toEqual([['a'], ['x', 'y'], ['y', 'z']]);
    await fake.release();
    await first;
    const [x, y] = await second;
    expect(await retry).toEqual([y]);
    expect(x?.seq).toBe(2);
    expect(y?.seq).toBe(3);
    expect((await after).map((m) => m.seq)).toEqual([4]);
  });

  it('calls with expectedLastSeq are never merged nor queued', async () => {
    const fake = new FakeStatement();
    const coalescer = new AppendCoalescer(fake.run);
    const first = coalescer.append(scope, append('t', ['a']));
    const guarded = coalescer.append(scope, append('t', ['b'], 1));
    const plain = coalescer.append(scope, append('t', ['c']));
    expect(fake.runs).toHaveLength(2);
    expect(fake.runs[1]?.input).toMatchObject({ expectedLastSeq: 1 });
    expect(fake.runs[1]?.input.messages.map((m) => m.id)).toEqual(['b']);
    await fake.release();
    expect(fake.runs).toHaveLength(3);
    expect(fake.runs[2]?.input.messages.map((m) => m.id)).toEqual(['c']);
    await fake.release();
    await Promise.all([first, guarded, plain]);
  });

  it("calls with expectedMessageCount are never merged nor queued (the guard is the whole batch's)", async () => {
    const fake = new FakeStatement();
    const coalescer = new AppendCoalescer(fake.run);
    const first = coalescer.append(scope, append('t', ['a']));
    const guarded = coalescer.append(scope, { ...append('t', ['b']), expectedMessageCount: 1 });
    const plain = coalescer.append(scope, append('t', ['c']));
    expect(fake.runs).toHaveLength(2);
    expect(fake.runs[1]?.input).toMatchObject({ expectedMessageCount: 1 });
    expect(fake.runs[1]?.input.messages.map((m) => m.id)).toEqual(['b']);
    await fake.release();
    expect(fake.runs).toHaveLength(3);
    expect(fake.runs[2]?.input).not.toHaveProperty('expectedMessageCount');
    await fake.release();
    await Promise.all([first, guarded, plain]);
  });

  it('appends to other threads or scopes are not merged with each other', async () => {
    const fake = new FakeStatement();
    const coalescer = new AppendCoalescer(fake.run);
    const calls = [
      coalescer.append(scope, append('t', ['a'])),
      coalescer.append(scope, append('u', ['b'])),
      coalescer.append({ orgId: 'org', userId: 'other' }, append('t', ['c'])),
      coalescer.append({ orgId: 'other', userId: 'user' }, append('t', ['d'])),
    ];
    expect(fake.runs).toHaveLength(4);
    expect(fake.runs.map((r) => r.scope.userId)).toEqual(['user', 'user', 'other', 'user']);
    await fake.release();
    await Promise.all(calls);
  });

  it('a merged batch never exceeds LIMITS.batchSize messages', async () => {
    const fake = new FakeStatement();
    const coalescer = new AppendCoalescer(fake.run);
    const ids = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
    const calls = [
      coalescer.append(scope, append('t', ['a'])),
      coalescer.append(scope, append('t', ids('b', LIMITS.batchSize - 1))),
      coalescer.append(scope, append('t', ['c'])),
      coalescer.append(scope, append('t', ['d'])),
    ];
    await fake.release();
    expect(fake.runs[1]?.input.messages).toHaveLength(LIMITS.batchSize);
    await fake.release();
    expect(fake.runs[2]?.input.messages.map((m) => m.id)).toEqual(['d']);
    await fake.release();
    await Promise.all(calls);
  });

  it('a merged batch never exceeds LIMITS.batchBytes: five callers of 9 × 1 MB all succeed', async () => {
    const fake = new FakeStatement();
    const coalescer = new AppendCoalescer(fake.run);
    const megabyte = 'x'.repeat(1_048_000); // 1,048,002 bytes of JSON: under LIMITS.contentBytes
    const call = (caller: number): ValidAppend =>
      validateAppend({
        threadId: 't',
        messages: Array.from({ length: 9 }, (_, i) => ({ id: `c${caller}-${i}`, role: 'user', content: megabyte })),
      });
    // Each alone is 9.4 MB; four merged would be 37.7 MB, over the 32 MiB one call may send.
    const calls = [0, 1, 2, 3, 4].map((caller) => coalescer.append(scope, call(caller)));
    for (let i = 0; i < 3; i++) await fake.release();
    const stored = await Promise.all(calls);
    expect(stored.map((messages) => messages.map((m) => m.id))).toEqual(
      [0, 1, 2, 3, 4].map((caller) => Array.from({ length: 9 }, (_, i) => `c${caller}-${i}`)),
    );
    expect(fake.runs.map((r) => r.input.messages.length)).toEqual([9, 27, 9]);
    for (const { input } of fake.runs) expect(input.bytes).toBeLessThanOrEqual(LIMITS.batchBytes);
  });

  it('a failing merged statement rejects every merged caller with its error; the lane goes on', async () => {
    const fake = new FakeStatement();
    const coalescer = new AppendCoalescer(fake.run);
    const first = coalescer.append(scope, append('t', ['a']));
    const merged = [coalescer.append(scope, append('t', ['b'])), coalescer.append(scope, append('t', ['c']))];
    await fake.release();
    await first;
    fake.failWith = new NotFoundError('thread not found');
    await fake.release();
    const outcomes = await Promise.allSettled(merged);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(NotFoundError);
    }
    fake.failWith = undefined;
    const next = coalescer.append(scope, append('t', ['d']));
    await fake.release();
    expect((await next).map((m) => m.id)).toEqual(['d']);
  });

  it('a failing first statement rejects only its caller; the waiting ones still run', async () => {
    const fake = new FakeStatement();
    const coalescer = new AppendCoalescer(fake.run);
    fake.failWith = new NotFoundError('thread not found');
    const first = coalescer.append(scope, append('t', ['a']));
    const waiting = coalescer.append(scope, append('t', ['b']));
    await fake.release();
    await expect(first).rejects.toBeInstanceOf(NotFoundError);
    fake.failWith = undefined;
    await fake.release();
    expect((await waiting).map((m) => m.id)).toEqual(['b']);
  });
});
