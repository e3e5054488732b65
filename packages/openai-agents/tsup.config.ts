import { defineConfig } from 'tsup';
import { sharedTsup } from '../../tsup.shared.js';

export default defineConfig(sharedTsup);
