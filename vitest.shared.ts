import { defineConfig } from 'vitest/config';

/** The workspace-only export condition that points each package at its TypeScript source. */
const SOURCE_CONDITION = '@fluxibly/source';

/**
 * Shared by every package's vitest config: resolve workspace packages to their TypeScript source through the
 * `@fluxibly/source` export condition, so tests never need a build. It is a private condition that no user tool
 * sets (unlike `development`, which Vite and other bundlers set in dev mode), and `prepack` removes it from the
 * published manifests (`scripts/publish-manifest.mjs`).
 */
export default defineConfig({
  resolve: { conditions: [SOURCE_CONDITION] },
  ssr: { resolve: { conditions: [SOURCE_CONDITION] } },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // Suites talk to real servers while other packages' suites run beside them on a 2-core CI machine: vitest's
    // 5 s / 10 s defaults fail slow-but-correct tests. A hang still fails, after a minute.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
