import { defineConfig } from 'tsup';
import { sharedTsup } from '../../tsup.shared.js';

export default defineConfig({ ...sharedTsup, entry: { index: 'src/index.ts', 'adapter/index': 'src/adapter/index.ts' } });
