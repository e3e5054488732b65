import { defineConfig } from 'tsup';
import { sharedTsup } from '../../tsup.shared.js';

// ESM only: vitest (a peer, never bundled) throws when loaded with require(), so a CJS build could never run.
export default defineConfig({ ...sharedTsup, format: ['esm'], external: ['vitest', /^vitest\//] });
