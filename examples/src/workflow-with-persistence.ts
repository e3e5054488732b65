/**
 * Workflow integration: several users each hold a stateful, multi-turn conversation through a WorkflowSession.
 * Every turn loads the context from the database, so the sessions share nothing in memory, never see each other's
 * messages, and can be resumed by a new session (as a new process would) with nothing but the thread id.
 *
 * Run: `pnpm run workflow` (DB_BACKEND=memory by default; see README.md for the other backends).
 */
import { NotFoundError, StateManager } from '@fluxibly/core';
import { check, expectEqual, ok } from './support/checks.js';
import { DeterministicResponder } from './support/deterministic-responder.js';
import { runProgram } from './support/run-program.js';
import { shorten, textOf } from './support/text.js';
import type { TurnResult } from './workflow/workflow-session.js';
import { WorkflowSession } from './workflow/workflow-session.js';

/** Who talks about what: each user has their own organisation scope, thread and questions. */
const USERS = [
  {
    userId: 'alice',
    orgId: 'acme_corp',
    threadName: 'Travel Planning',
    questions: ['Plan a 5-day trip to Tokyo in April', 'What is the weather like there in April?'],
  },
  {
    userId: 'bob',
    orgId: 'acme_corp',
    threadName: 'Quarterly Report',
    questions: ['Summarise Q3 sales for the EMEA region', 'Compare that with Q2'],
  },
  {
    userId: 'carol',
    orgId: 'globex',
    threadName: 'Course Design',
    questions: ['Outline a 4-week Python course for beginners', 'Add a final project for week 4'],
  },
] as const;

const RESUMED_QUESTION = 'Which neighbourhood should I stay in?';

function printTurn(userId: string, result: TurnResult): void {
  console.log(`[${userId}] user (seq ${result.user.seq}): ${textOf(result.user.content)}`);
  console.log(
    `[${userId}] assistant (seq ${result.assistant.seq}, saw ${result.contextSize}): ${textOf(result.assistant.content)}`,
  );
}

await runProgram(async (backend, cleanup) => {
  const responder = new DeterministicResponder('workflow-bot');
  const sessions = await Promise.all(
    USERS.map(async (user) => {
      const stateManager = new StateManager({
        repository: backend.repository,
        userId: backend.scoped(user.userId),
        orgId: backend.scoped(user.orgId),
      });
      const session = await WorkflowSession.start({ stateManager, responder, threadName: user.threadName });
      cleanup.add(() => stateManager.deleteThread(session.threadId));
      return { user, stateManager, session };
    }),
  );
  ok(`Started ${sessions.length} workflow sessions (one StateManager per user)`);

  for (const round of [0, 1] as const) {
    console.log(`\n--- Round ${round + 1}: users take turns ---`);
    for (const { user, session } of sessions) {
      const question = user.questions[round];
      const result = await session.turn(question);
      printTurn(user.userId, result);
      expectEqual(result.contextSize, round * 2, `${user.userId}'s context size in round ${round + 1}`);
      expectEqual([result.user.seq, result.assistant.seq], [round * 2 + 1, round * 2 + 2], `${user.userId}'s seqs`);
      if (round === 1) {
        const reply = textOf(result.assistant.content);
        check(
          reply.includes(shorten(user.questions[0], 40)),
          `${user.userId}'s reply should quote their own first question`,
        );
        for (const other of USERS.filter((u) => u.userId !== user.userId)) {
          check(
            !reply.includes(shorten(other.questions[0], 40)),
            `${user.userId}'s reply quotes ${other.userId}'s question`,
          );
        }
      }
    }
  }
  ok("Each reply saw only its own user's earlier turns (context kept across turns, per user)");

  console.log('\n--- Resume: alice comes back in a new session ---');
  const alice = sessions[0];
  check(alice !== undefined, 'alice has a session');
  const session = await backend.openSession();
  try {
    console.log(`  Session 2: ${session.explanation}`);
    const stateManager = new StateManager({
      repository: session.repository,
      userId: alice.stateManager.userId,
      orgId: alice.stateManager.orgId,
    });
    const resumed = await WorkflowSession.resume({ stateManager, responder, threadId: alice.session.threadId });
    const result = await resumed.turn(RESUMED_QUESTION);
    printTurn('alice', result);
    expectEqual(result.contextSize, 4, 'context size after resuming');
    check(
      textOf(result.assistant.content).includes(shorten(USERS[0].questions[1], 40)),
      "the resumed reply should follow up on alice's previous question",
    );
    const transcript = await resumed.transcript();
    expectEqual(
      transcript.map((m) => m.seq),
      [1, 2, 3, 4, 5, 6],
      "alice's transcript seqs",
    );
    ok(`Resumed thread ${resumed.threadId}: ${transcript.length} messages, context intact`);
  } finally {
    await session.release();
  }

  const bob = sessions[1];
  check(bob !== undefined, 'bob has a session');
  try {
    await WorkflowSession.resume({ stateManager: bob.stateManager, responder, threadId: alice.session.threadId });
    check(false, "bob must not be able to resume alice's thread");
  } catch (error) {
    check(
      error instanceof NotFoundError,
      `bob resuming alice's thread should give NotFoundError, got ${String(error)}`,
    );
  }
  ok('Another user cannot resume the thread (NotFoundError, as if it did not exist)');

  console.log('\n--- Summary ---');
  for (const { user, stateManager } of sessions) {
    const threads = await stateManager.listThreads();
    const expected = user.userId === 'alice' ? 6 : 4;
    expectEqual(
      threads.map((t) => t.messageCount),
      [expected],
      `${user.userId}'s threads and message counts`,
    );
    ok(`${user.userId} (${user.orgId}): 1 thread "${threads[0]?.name}", ${expected} messages`);
  }
  const acme = await sessions[0]?.stateManager.listThreads({ scope: 'org' });
  expectEqual(acme?.length, 2, "threads in organisation 'acme_corp'");
  ok("Organisation 'acme_corp' has 2 threads (alice, bob); 'globex' is separate");
});
