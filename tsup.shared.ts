import type { Options } from 'tsup';

/**
 * Build settings shared by the published packages: one entry, ESM + CJS with matching `.d.ts`/`.d.cts`, source maps
 * (the `src` they point to is published too). Dependencies and peer dependencies stay external (tsup's default).
 */
export const sharedTsup = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  removeNodeProtocol: false,
} satisfies Options;
