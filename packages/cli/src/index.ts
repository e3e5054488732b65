// The `fluxibly` command, for embedding or testing: `main(argv)` runs it and resolves to the exit code.
export { main, buildProgram, exitCodeOf } from './main.js';
export type { ExitCode } from './exit-codes.js';
export { CliError, EXIT } from './exit-codes.js';
export type { ConversationDigest } from './checksum.js';
export { digestConversations } from './checksum.js';
export { ADAPTER_OPTIONS_VARIABLE } from './backend.js';
