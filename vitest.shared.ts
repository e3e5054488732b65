import { defineConfig } from 'vitest/config';

/**
 * Shared by every package's vitest config: resolve workspace packages to their TypeScript source through the
 * `development` export condition, so tests never need a build.
 */
export default defineConfig({
  resolve: { conditions: ['development'] },
  ssr: { resolve: { conditions: ['development'] } },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // Suites talk to real servers while other packages' suites run beside them on a 2-core CI machine: vitest's
    // 5 s / 10 s defaults fail slow-but-correct tests. A hang still fails, after a minute.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
