import { describe, expect, it } from 'vitest';
import { UnavailableError } from '../src/index.js';
import { PendingCalls } from '../src/adapter/index.js';

const never = (): Promise<never> => new Promise<never>(() => undefined);

describe('PendingCalls', () => {
  it('passes results and errors of the work through', async () => {
    const calls = new PendingCalls({ backend: 'test', deadlineMs: 10_000 });
    await expect(calls.run(async () => 7)).resolves.toBe(7);
    const error = new Error('own');
    await expect(calls.run(() => Promise.reject(error))).rejects.toBe(error);
    await expect(
      calls.run(() => {
        throw error;
      }),
    ).rejects.toBe(error);
  });

  it('close() settles every pending call, and later calls reject at once', async () => {
    const calls = new PendingCalls({ backend: 'test' });
    const pending = [calls.run(never), calls.run(never)];
    calls.close();
    for (const call of pending) {
      const error = await call.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnavailableError);
      expect((error as Error).message).toBe('repository is closed');
    }
    await expect(calls.run(async () => 1)).rejects.toThrow('repository is closed');
  });

  it('a call past the deadline rejects with UnavailableError naming the backend', async () => {
    const calls = new PendingCalls({ backend: 'redis', deadlineMs: 20 });
    const error = await calls.run(never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as Error).message).toBe('redis did not answer within 20 ms');
  });
});
