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
  },
});
