import { describe, expect, it } from 'vitest';
import * as adapterKit from '../src/adapter/index.js';
import * as core from '../src/index.js';

describe("core's exports", () => {
  it("export nothing named like vitest's describe/it/expect/test, so a test file can import both", () => {
    for (const exports of [core, adapterKit]) {
      for (const name of ['describe', 'it', 'expect', 'test']) expect(Object.keys(exports)).not.toContain(name);
    }
  });

  it("the adapter kit's describeValue describes a value for an error message: its type, never its content", () => {
    expect([null, [], {}, undefined, 'secret', 1].map(adapterKit.describeValue)).toEqual([
      'null',
      'an array',
      'an object',
      'undefined',
      'a string',
      'a number',
    ]);
  });
});
