import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../src/index.js';

const FORMAT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('uuidv7', () => {
  it('has the UUID format, version 7 and the RFC 9562 variant', () => {
    for (let i = 0; i < 200; i++) {
      const id = uuidv7();
      expect(id).toMatch(FORMAT);
      const hex = id.replace(/-/g, '');
      expect(hex[12]).toBe('7');
      expect(parseInt(hex[16]!, 16) & 0b1100).toBe(0b1000);
    }
  });

  it('carries the creation time in its first 48 bits', () => {
    const before = Date.now();
    const id = uuidv7();
    const after = Date.now();
    const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    // The counter may borrow a millisecond ahead when thousands of ids share one; allow that much.
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(after + 1);
  });

  it('is strictly increasing, also for many ids made within one millisecond', () => {
    const ids = Array.from({ length: 10_000 }, () => uuidv7());
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
