import { defineConfig } from 'tsup';
import { sharedTsup } from '../../tsup.shared.js';

// The library entry and the `fluxibly` bin (`dist/bin.js`; tsup keeps its shebang and makes it executable).
export default defineConfig({ ...sharedTsup, entry: ['src/index.ts', 'src/bin.ts'] });
