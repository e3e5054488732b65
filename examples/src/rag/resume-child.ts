/**
 * Session 3 of the RAG suite in a second Node process (see `resume-in-child.ts`): it knows only the environment
 * (`DB_BACKEND`, `SQLITE_PATH`…), the scope, the thread id and the ids stored so far, opens the repository through
 * `createRepository` and resumes the conversation. Prints the session's `✓` lines; a failed check exits with 1.
 */
import { StateManager, createRepository, StateConfig } from '@fluxibly/core';
import { adapterOptionsFromEnv } from '../support/backend.js';
import { DeterministicResponder } from '../support/deterministic-responder.js';
import { resumeSession } from './persistent-rag-test.js';

const config = StateConfig.fromEnv();
const repository = await createRepository(config.database, adapterOptionsFromEnv(config.database));
try {
  const sm = new StateManager({
    repository,
    userId: process.env.RESUME_USER_ID ?? '',
    orgId: process.env.RESUME_ORG_ID ?? '',
  });
  await resumeSession({
    sm,
    responder: new DeterministicResponder('rag-assistant'),
    threadId: process.env.RESUME_THREAD_ID ?? '',
    idsSoFar: JSON.parse(process.env.RESUME_IDS ?? '[]') as string[],
  });
} catch (error) {
  process.exitCode = 1;
  console.error(`✗ ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await repository.close();
}
