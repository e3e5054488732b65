import { UnavailableError } from '@fluxibly/core';
import { describe, expect, it } from 'vitest';
import { leaksIn, printError, printRepository } from '../src/support/leaks.js';

/** The secrets spec's checker finds a secret wherever a logger could print it, and only there. */
const SECRET = 'hunter2/SECRET';
const ENCODED = encodeURIComponent(SECRET);

/** A driver-like error that keeps the password away from its message. */
function driverError(where: 'args' | 'hidden' | 'stack' | 'message'): Error {
  const error = new Error('connection refused');
  if (where === 'args') Object.assign(error, { command: { args: ['AUTH', 'default', SECRET] } });
  if (where === 'hidden') Object.defineProperty(error, 'options', { value: { password: SECRET }, enumerable: false });
  if (where === 'stack') error.stack = `Error: connect to mongodb://u:${ENCODED}@h\n    at x (y.js:1:1)`;
  if (where === 'message') error.message = `bad password ${SECRET}`;
  return error;
}

describe('the leak checker', () => {
  it.each(['args', 'hidden', 'stack', 'message'] as const)('finds a secret in a raw cause (%s)', (where) => {
    const error = new Error('wrapped', { cause: driverError(where) });
    expect(leaksIn(printError(error), SECRET)).not.toEqual([]);
  });

  it('finds a secret two links down an AggregateError', () => {
    const error = new Error('outer', { cause: new AggregateError([new Error('a'), driverError('args')]) });
    expect(leaksIn(printError(error), SECRET)).not.toEqual([]);
  });

  it("finds nothing in a FluxiblyError whose cause is core's printable copy", () => {
    const error = new UnavailableError('server down', { cause: driverError('args'), secrets: [SECRET] });
    const printout = printError(error);
    expect(leaksIn(printout, SECRET)).toEqual([]);
    expect(printout.forms.some((form) => form.how === 'error.cause.stack')).toBe(true);
  });

  it('finds a secret in a public field of a repository, none in a #private one', () => {
    class Leaky {
      readonly url = `redis://:${SECRET}@127.0.0.1`;
    }
    class Clean {
      readonly #url = `redis://:${SECRET}@127.0.0.1`;
      get host(): string {
        return this.#url.slice(-9);
      }
    }
    expect(leaksIn(printRepository(new Leaky()), SECRET)).not.toEqual([]);
    expect(leaksIn(printRepository(new Clean()), SECRET)).toEqual([]);
  });

  it('notes a circular structure, and still checks it with the cycle cut', () => {
    const repo: Record<string, unknown> = { options: { password: SECRET } };
    repo.self = repo;
    const printout = printRepository(repo);
    expect(printout.notes.join()).toMatch(/JSON\.stringify\(repository\) throws/u);
    expect(leaksIn(printout, SECRET).some((leak) => leak.includes('without cycles'))).toBe(true);
  });
});
