import { UnavailableError, ValidationError } from '@fluxibly/core';
import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { MongoConversationRepository } from '../src/repository.js';
import type { MongoRepositoryOptions } from '../src/options.js';

/** Options validation and closing, without a server (constructing a client never connects). */

const SECRET = 'pa55-w0rd-s3cret';
const URL_WITH_SECRET = `mongodb://app:${SECRET}@127.0.0.1:9/`;

function rejected(options: unknown): ValidationError {
  try {
    new MongoConversationRepository(options as MongoRepositoryOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('the options were accepted');
}

describe('options validation', () => {
  it.each([
    ['options', null],
    ['dbName', { url: URL_WITH_SECRET }],
    ['dbName', { url: URL_WITH_SECRET, dbName: '' }],
    ['dbName', { url: URL_WITH_SECRET, dbName: 'chat.prod' }],
    ['dbName', { url: URL_WITH_SECRET, dbName: 'a$b' }],
    ['dbName', { url: URL_WITH_SECRET, dbName: 'x'.repeat(64) }],
    ['collectionPrefix', { url: URL_WITH_SECRET, dbName: 'chat', collectionPrefix: 3 }],
    ['collectionPrefix', { url: URL_WITH_SECRET, dbName: 'chat', collectionPrefix: 'a$' }],
    ['collectionPrefix', { url: URL_WITH_SECRET, dbName: 'chat', collectionPrefix: 'system.x' }],
    ['migrate', { url: URL_WITH_SECRET, dbName: 'chat', migrate: 'yes' }],
    ['now', { url: URL_WITH_SECRET, dbName: 'chat', now: 5 }],
    ['url', { dbName: 'chat' }],
    ['url', { url: `postgres://app:${SECRET}@127.0.0.1/`, dbName: 'chat' }],
    ['url', { url: `mongodb://app:${SECRET}@host:99999/`, dbName: 'chat' }],
    ['url', { url: `mongodb://app:${SECRET}@127.0.0.1/?notAnOption=1`, dbName: 'chat' }],
    ['clientOptions', { url: URL_WITH_SECRET, dbName: 'chat', clientOptions: 'fast' }],
    ['client', { client: { db: () => undefined }, dbName: 'chat' }],
    ['url', { client: new MongoClient(URL_WITH_SECRET), url: URL_WITH_SECRET, dbName: 'chat' }],
  ])('a bad %s is a ValidationError naming it, without the password', (field, options) => {
    const error = rejected(options);
    expect(error.field).toBe(field);
    expect(error.message).not.toContain(SECRET);
  });
});

describe('close()', () => {
  it('is idempotent, and concurrent calls all wait for the one close of its own client', async () => {
    const repository = new MongoConversationRepository({ url: URL_WITH_SECRET, dbName: 'chat' });
    const closes = [repository.close(), repository.close()];
    await Promise.all(closes);
    await repository.close();
    await expect(repository.getThread({ orgId: 'o', userId: 'u' }, 't')).rejects.toBeInstanceOf(UnavailableError);
  });

  it("never closes a caller's client", async () => {
    const client = new MongoClient(URL_WITH_SECRET);
    let closed = 0;
    client.on('topologyClosed', () => (closed += 1));
    const repository = new MongoConversationRepository({ client, dbName: 'chat' });
    await repository.close();
    await repository.close();
    expect(closed).toBe(0);
    expect(repository.client).toBe(client);
  });
});
