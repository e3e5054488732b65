import { describe, expect, it } from 'vitest';
import { ERASE_THREAD } from '../src/scripts/lifecycle-writes.js';
import { DELETE_MESSAGE, EDIT } from '../src/scripts/message-writes.js';
import { GET_MESSAGE, PAGE } from '../src/scripts/reads.js';
import { script } from '../src/scripts/run.js';
import { REPLACE, TRUNCATE } from '../src/scripts/tail-writes.js';
import { APPEND, CLEAR, CREATE, DELETE_THREAD, UPDATE } from '../src/scripts/thread-writes.js';

/**
 * A thread script gets a fresh receipt key only when it keeps a receipt (no server): the deletes, clear, truncate
 * and erase (their resent command must report the first execution's result), and never the hot append.
 */
describe('script receipts', () => {
  it('finds the scripts that keep a receipt', () => {
    for (const lua of [DELETE_MESSAGE, DELETE_THREAD, CLEAR, TRUNCATE, ERASE_THREAD])
      expect(script(lua).receipt).toBe(true);
  });

  it('gives the others none', () => {
    for (const lua of [APPEND, REPLACE, CREATE, UPDATE, EDIT, PAGE, GET_MESSAGE])
      expect(script(lua).receipt).toBe(false);
  });
});
