import { ValidationError } from '@fluxibly/core';
import { describe, expect, it } from 'vitest';
import { createRepositoryFromConfig } from '../../src/factory.js';
import { PostgresConversationRepository } from '../../src/repository.js';

describe('createRepositoryFromConfig', () => {
  it('rejects a config of another backend', async () => {
    await expect(createRepositoryFromConfig({ backend: 'memory' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('rejects adapterOptions of the wrong type, naming them', async () => {
    const config = { backend: 'postgresql', host: 'h', port: 1, database: 'd', user: 'u' } as const;
    await expect(createRepositoryFromConfig(config, { migrate: 'yes' })).rejects.toThrow(/migrate/);
    await expect(createRepositoryFromConfig(config, { dataSource: {} })).rejects.toThrow(/dataSource/);
  });

  it('makes a repository without connecting (connections open on first use)', async () => {
    const repository = await createRepositoryFromConfig(
      { backend: 'postgresql', host: '127.0.0.1', port: 1, database: 'd', user: 'u' },
      { schema: 'chat' },
    );
    expect(repository).toBeInstanceOf(PostgresConversationRepository);
    expect(repository.schema).toBe('chat');
    expect(repository.capabilities).toEqual({ fullTextSearch: true, ttl: false });
    await repository.close();
    await repository.close();
  });
});
