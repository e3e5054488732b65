import { describe, expect, it } from 'vitest';
import { SharedAttempt } from '../src/adapter/index.js';

describe('SharedAttempt', () => {
  it('shares the attempt in flight, keeps a success, forgets a failure, and starts again after reset()', async () => {
    let starts = 0;
    let fail = true;
    const attempt = new SharedAttempt(async () => {
      starts += 1;
      await Promise.resolve();
      if (fail) throw new Error(`attempt ${starts}`);
      return starts;
    });
    const failed = await Promise.allSettled([attempt.run(), attempt.run()]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(starts).toBe(1);
    fail = false;
    expect(await Promise.all([attempt.run(), attempt.run()])).toEqual([2, 2]);
    expect(await attempt.run()).toBe(2);
    attempt.reset();
    expect(await attempt.run()).toBe(3);
  });
});
