import { defineConfig } from 'vitest/config';

/**
 * Lets `npx vitest` at the root run every project at once (vitest 4 ignores `vitest.workspace.ts`). Each project keeps
 * its own `vitest.config.ts` (extending `vitest.shared.ts`) so turbo can run them one package at a time.
 */
export default defineConfig({
  test: {
    projects: ['packages/*', 'examples'],
  },
});
