#!/usr/bin/env node
import { main } from './main.js';

// `fluxibly export | head`: a closed stdout ends the command quietly, as for any Unix tool.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`fluxibly: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
