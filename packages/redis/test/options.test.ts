import { ValidationError } from '@fluxibly/core';
import { describe, expect, it } from 'vitest';
import { RedisConversationRepository } from '../src/index.js';

/** Options that could not be right are refused before any client is opened (so none is left reconnecting). */
describe('options checked before a client is opened', () => {
  const fieldOf = (options: unknown): string => {
    try {
      new RedisConversationRepository(options as never);
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      return (error as ValidationError).field;
    }
    throw new Error('no error');
  };

  it.each([
    ['options', { url: 'redis://127.0.0.1:1', cluster: { nodes: [{ host: '127.0.0.1', port: 1 }] } }],
    ['redisOptions', { cluster: { nodes: [{ host: '127.0.0.1', port: 1 }] }, redisOptions: {} }],
    ['url', { url: 'redis://:s3cr@t@127.0.0.1:6379' }],
    ['url', { url: 'http://127.0.0.1:6379' }],
    ['ttlSeconds', { url: 'redis://127.0.0.1:1', ttlSeconds: 1e14 }],
    ['ttlSeconds', { url: 'redis://127.0.0.1:1', ttlSeconds: 0 }],
  ])('%s is named for %j', (field, options) => {
    expect(fieldOf(options)).toBe(field);
  });

  it('an inline index mode on a cluster is refused without opening (and leaking) a cluster client', async () => {
    const before = process.getActiveResourcesInfo().length;
    const options = { cluster: { nodes: [{ host: '127.0.0.1', port: 1 }] }, indexWrites: 'inline' };
    expect(fieldOf(options)).toBe('indexWrites');
    // Let a client, had one been opened, start connecting (a few event-loop turns; no server is awaited).
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    // No client was opened: no socket, and no reconnect timer, among the resources Node tracks.
    expect(process.getActiveResourcesInfo().length).toBe(before);
  });
});
