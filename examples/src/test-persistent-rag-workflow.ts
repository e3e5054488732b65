/**
 * The comprehensive persistent RAG workflow test suite, as a program: the seed's three tests, printing the seed's
 * output with real ids and counts. Every `✓` line is printed only after checks against what the repository
 * returns; any failed check prints `✗ reason` and exits with code 1. The run deletes what it stored.
 *
 * Run: `pnpm run rag` (DB_BACKEND=memory by default; see README.md for the other backends).
 */
import { StateManager } from '@fluxibly/core';
import { cleanupTest } from './rag/cleanup-test.js';
import { concurrentConversationsTest } from './rag/concurrent-conversations-test.js';
import type { SuiteContext } from './rag/context.js';
import { persistentRagTest } from './rag/persistent-rag-test.js';
import { expectEqual } from './support/checks.js';
import { DeterministicResponder } from './support/deterministic-responder.js';
import { runProgram } from './support/run-program.js';

const RULE = '='.repeat(80);

await runProgram(async (backend, cleanup) => {
  console.log(RULE);
  console.log('COMPREHENSIVE PERSISTENT RAG WORKFLOW TEST SUITE');
  console.log(RULE);
  const context: SuiteContext = { backend, cleanup, responder: new DeterministicResponder('rag-assistant') };
  await persistentRagTest(context);
  await concurrentConversationsTest(context);
  await cleanupTest(context);

  // Delete what the run stored before declaring success, and check that nothing is left behind.
  await cleanup.run();
  for (const org of ['rag_org', 'edu_org', 'cleanup_org']) {
    const probe = new StateManager({ repository: backend.repository, userId: 'probe', orgId: backend.scoped(org) });
    expectEqual((await probe.listThreads({ scope: 'org', limit: 1 })).length, 0, `threads left in '${org}'`);
  }
  console.log('\nALL TESTS COMPLETED SUCCESSFULLY');
});
