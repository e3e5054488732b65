import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ValidationError, createRepository, protectDatabaseConfig } from '../src/index.js';
import { scrubSecrets } from '../src/adapter/index.js';

const printed = (value: unknown): string[] => [
  JSON.stringify(value),
  (value as { toString(): string }).toString(),
  inspect(value, { depth: null, showHidden: true }),
];

describe('a config built by hand is held to the same rules as one read from the environment', () => {
  it('an ambiguous url is a ValidationError naming url, before any driver sees it', async () => {
    const url = 'postgres://u:pa@ss-word/rest@127.0.0.1:5434/db';
    const runs: (() => unknown)[] = [
      () => protectDatabaseConfig({ backend: 'postgresql', url }),
      () => createRepository({ backend: 'postgresql', url }),
      () => protectDatabaseConfig({ backend: 'redis', url: 'redis://:s3cr@t@127.0.0.1:6379' }),
    ];
    for (const run of runs) {
      const error = await Promise.resolve()
        .then(run)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe('url');
      expect((error as Error).message).not.toMatch(/ss-word|s3cr/);
    }
  });

  it("never prints an adapter's secret held under another name, nested, or inside a URL-valued field", () => {
    const config = protectDatabaseConfig({
      backend: '@acme/fluxibly-pg',
      connectionString: 'postgres://u:hunter2@h/db',
      uri: 'mongodb://u:hunter2@h',
      options: { password: 'hunter2', nested: [{ apiKey: 'hunter2' }], note: 'see redis://:hunter2@h' },
      keyPrefix: 'myapp:',
    });
    for (const text of printed(config)) {
      expect(text).not.toContain('hunter2');
      expect(text).toContain('myapp:');
    }
  });

  it('scrubSecrets hides a password holding @ up to the last @ of the URL, and leaves file: stack frames alone', () => {
    expect(scrubSecrets('connect to postgres://u:p@ss@host:5432/db failed')).toBe(
      'connect to postgres://***@host:5432/db failed',
    );
    expect(scrubSecrets('at f (file:///app/.pnpm/pg@8.23.1/client.js:1:2)')).toBe(
      'at f (file:///app/.pnpm/pg@8.23.1/client.js:1:2)',
    );
  });
});
