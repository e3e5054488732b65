import { describe, expect, it } from 'vitest';
import * as core from '../src/index.js';

describe("core's exports", () => {
  it("export nothing named like vitest's describe/it/expect/test, so a test file can import both", () => {
    for (const name of ['describe', 'it', 'expect', 'test']) expect(Object.keys(core)).not.toContain(name);
  });

  it('describe a value for an error message as describeValue: its type, never its content', () => {
    expect([null, [], {}, undefined, 'secret', 1].map(core.describeValue)).toEqual([
      'null',
      'an array',
      'an object',
      'undefined',
      'a string',
      'a number',
    ]);
  });
});
