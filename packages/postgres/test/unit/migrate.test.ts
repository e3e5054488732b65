import type { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { runMigrations } from '../../src/migrate.js';

/**
 * A stand-in DataSource whose query runner's pg client carries the pool's `query_timeout` (as on a pool the
 * adapter makes): records the timeout each migration query ran with.
 */
function recordingDataSource(): {
  dataSource: DataSource;
  seen: number[];
  client: { connectionParameters: { query_timeout: number } };
} {
  const client = { connectionParameters: { query_timeout: 1_000 } };
  const seen: number[] = [];
  let active = false;
  const runner = {
    connect: async () => client,
    startTransaction: async () => void (active = true),
    commitTransaction: async () => void (active = false),
    rollbackTransaction: async () => void (active = false),
    get isTransactionActive() {
      return active;
    },
    query: async () => {
      seen.push(client.connectionParameters.query_timeout);
      return [];
    },
    release: async () => undefined,
  };
  return { dataSource: { createQueryRunner: () => runner } as unknown as DataSource, seen, client };
}

describe('runMigrations', () => {
  it('runs without the pool query_timeout (an index build may take minutes) and puts it back after', async () => {
    const { dataSource, seen, client } = recordingDataSource();
    const applied = await runMigrations(dataSource, 'chat');
    expect(applied.length).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThan(5);
    expect(new Set(seen)).toEqual(new Set([0]));
    expect(client.connectionParameters.query_timeout).toBe(1_000);
  });
});
