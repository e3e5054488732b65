import { UnavailableError } from '@fluxibly/core';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUTS, withDefaultTimeouts } from '../src/client-options.js';
import { MongoConversationRepository } from '../src/repository.js';

/** Bounded timeouts on the client the repository creates, and an unreachable server reported within them. */

/** A loopback port nothing listens on (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

const scope = { orgId: 'org', userId: 'user' };

describe('client timeouts', () => {
  it('default to 5 s server selection, 10 s connect and 30 s socket', () => {
    const repository = new MongoConversationRepository({ url: 'mongodb://127.0.0.1:9/', dbName: 'chat' });
    const { serverSelectionTimeoutMS, connectTimeoutMS, socketTimeoutMS } = repository.client.options;
    expect({ serverSelectionTimeoutMS, connectTimeoutMS, socketTimeoutMS }).toEqual(DEFAULT_TIMEOUTS);
  });

  it('are overridden by clientOptions and by the URL (case-insensitively), each alone', () => {
    expect(withDefaultTimeouts('mongodb://h/', { connectTimeoutMS: 1 })).toEqual({
      ...DEFAULT_TIMEOUTS,
      connectTimeoutMS: 1,
    });
    const fromUrl = new MongoConversationRepository({
      url: 'mongodb://127.0.0.1:9/?serverselectiontimeoutms=700&socketTimeoutMS=0',
      dbName: 'chat',
    }).client.options;
    expect(fromUrl.serverSelectionTimeoutMS).toBe(700);
    expect(fromUrl.socketTimeoutMS).toBe(0);
    expect(fromUrl.connectTimeoutMS).toBe(DEFAULT_TIMEOUTS.connectTimeoutMS);
  });

  it('leave a caller-owned client as configured', async () => {
    const { MongoClient } = await import('mongodb');
    const client = new MongoClient('mongodb://127.0.0.1:9/');
    const repository = new MongoConversationRepository({ client, dbName: 'chat' });
    expect(repository.client.options.serverSelectionTimeoutMS).toBe(30_000);
  });

  // No timed assertion: with the driver's 30 s default this test would exceed its own timeout.
  it(
    'an unreachable server fails the call with UnavailableError within the configured selection timeout',
    { timeout: 15_000 },
    async () => {
      const port = await closedPort();
      const repository = new MongoConversationRepository({
        url: `mongodb://127.0.0.1:${port}/?directConnection=true`,
        dbName: 'chat',
        clientOptions: { serverSelectionTimeoutMS: 500 },
      });
      try {
        expect(repository.client.options.serverSelectionTimeoutMS).toBe(500);
        const error = await repository.getThread(scope, 't').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(UnavailableError);
        expect((error as UnavailableError).code).toBe('UNAVAILABLE');
        expect((error as Error & { cause?: { name?: string } }).cause?.name).toBe('MongoServerSelectionError');
      } finally {
        await repository.close();
      }
    },
  );

  it(
    'with the defaults, too, an unreachable server is reported before the test times out',
    { timeout: 20_000 },
    async () => {
      const repository = new MongoConversationRepository({
        url: `mongodb://127.0.0.1:${await closedPort()}/?directConnection=true`,
        dbName: 'chat',
      });
      try {
        await expect(repository.listThreads(scope)).rejects.toBeInstanceOf(UnavailableError);
      } finally {
        await repository.close();
      }
    },
  );
});
