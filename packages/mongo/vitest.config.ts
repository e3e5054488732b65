import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      globalSetup: ['test/global-setup.ts'],
      reporters: ['default', './test/support/summary-reporter.ts'],
      testTimeout: 30_000,
      hookTimeout: 30_000,
    },
  }),
);
