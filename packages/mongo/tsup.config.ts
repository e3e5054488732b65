import { defineConfig } from 'tsup';
import { sharedTsup } from '../../tsup.shared.js';

// `stripInternal`: the repository's test-only constructor overload (reached through `src/internal.ts`, which the
// package does not export) stays out of the published types.
export default defineConfig({ ...sharedTsup, dts: { compilerOptions: { stripInternal: true } } });
