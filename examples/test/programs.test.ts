import { describe, expect, it } from 'vitest';
import { normalise, runExample } from './run-example.js';

/** Each spawn compiles the program with tsx; allow for a busy machine. */
const TIMEOUT = 60_000;

const RULE = '='.repeat(80);

/** The seed's "Example Output", line for line, with its one bug fixed (7 messages after the flush, not 6). */
const RAG_OUTPUT = [
  'Backend: memory (in-process; nothing survives the process)',
  RULE,
  'COMPREHENSIVE PERSISTENT RAG WORKFLOW TEST SUITE',
  RULE,
  '',
  '--- Test 1: Persistent RAG Workflow ---',
  '✓ Created conversation thread: <id>',
  '  Thread name: RAG Template Filling - Internal Communications Planning',
  '',
  'SESSION 1: Initial Template Filling Request',
  '✓ Stored user message in database',
  '✓ Stored assistant response in database',
  '✓ Conversation now has 2 messages',
  '',
  'SESSION 2: Follow-up Question (same session)',
  '✓ Follow-up answer stored',
  '✓ Full conversation history: 4 messages',
  '',
  'SESSION 3: Resume Conversation (simulated new session)',
  '✓ Resumed thread: <id>',
  '✓ Loaded 4 messages from database',
  '✓ Final conversation: 6 messages across 3 turns',
  '',
  'SESSION 4: Integration with ConversationHistory class',
  '✓ Loaded 6 messages into ConversationHistory',
  '✓ Added new message through ConversationHistory (auto-persisted)',
  '✓ Database now contains 7 total messages',
  '',
  '--- Test 2: Multiple Concurrent Conversations ---',
  "✓ Organization 'edu_org' has 3 total threads",
  "✓ User 'user1' has 2 threads",
  "✓ User 'user2' has 1 threads",
  '✓ Message isolation between threads verified',
  '',
  '--- Test 3: Conversation Cleanup ---',
  '✓ Cleared 3 messages from thread',
  '✓ Thread deleted: true',
  '',
  'ALL TESTS COMPLETED SUCCESSFULLY',
  '',
];

describe('example programs on DB_BACKEND=memory', () => {
  it('test-persistent-rag-workflow prints the seed output with real ids and counts', { timeout: TIMEOUT }, async () => {
    const run = await runExample('src/test-persistent-rag-workflow.ts', { DB_BACKEND: 'memory' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { lines, ids } = normalise(run.stdout);
    expect(lines).toEqual(RAG_OUTPUT);
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBe(ids[0]); // the resumed thread is the created one
  });

  it('persistent-conversation-demo walks through every section', { timeout: TIMEOUT }, async () => {
    const run = await runExample('src/persistent-conversation-demo.ts', { DB_BACKEND: 'mock' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { lines } = normalise(run.stdout);
    expect(lines.filter((line) => line.startsWith('=== '))).toEqual([
      '=== 1. Configuration-based setup ===',
      '=== 2. Basic thread creation ===',
      '=== 3. Multiple threads ===',
      '=== 4. Cross-session resumption ===',
      '=== 5. Thread management ===',
    ]);
    expect(lines).toContain('Backend: memory (in-process; nothing survives the process)');
    expect(lines).toContain(
      '  Session 2: a new StateManager on the same in-memory repository (a new memory repository would start empty)',
    );
    expect(lines).toContain('✓ Resumed "Travel Planning" in session 2: loaded 4 messages, full context');
    expect(lines).toContain("✓ Session 1 sees session 2's messages too: 6 messages");
    expect(lines).toContain('✓ clearThread: removed 2 messages; the thread is kept (messageCount 0, lastSeq 2)');
    expect(lines.at(-2)).toMatch(/^✓ Another user of the same org cannot read/);
  });

  it('workflow-with-persistence keeps each user’s context and resumes a session', { timeout: TIMEOUT }, async () => {
    const run = await runExample('src/workflow-with-persistence.ts', { DB_BACKEND: 'memory' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { lines } = normalise(run.stdout);
    expect(lines).toContain('✓ Started 3 workflow sessions (one StateManager per user)');
    expect(lines).toContain(
      '[bob] assistant (seq 4, saw 2): [workflow-bot, turn 2] You asked: "Compare that with Q2". ' +
        'Following up on "Summarise Q3 sales for the EMEA region". (2 earlier messages in context)',
    );
    expect(lines).toContain('✓ Resumed thread <id>: 6 messages, context intact');
    expect(lines.filter((line) => line.startsWith('✓ ')).slice(-4)).toEqual([
      '✓ alice (acme_corp): 1 thread "Travel Planning", 6 messages',
      '✓ bob (acme_corp): 1 thread "Quarterly Report", 4 messages',
      '✓ carol (globex): 1 thread "Course Design", 4 messages',
      "✓ Organisation 'acme_corp' has 2 threads (alice, bob); 'globex' is separate",
    ]);
  });
});

describe('chat-flows on DB_BACKEND=memory', () => {
  it('streams, regenerates, claims, filters and compacts, each step checked', { timeout: TIMEOUT }, async () => {
    const run = await runExample('src/chat-flows.ts', { DB_BACKEND: 'memory' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { lines } = normalise(run.stdout);
    expect(lines.filter((line) => line.startsWith('✓ '))).toEqual([
      '✓ Streamed 9 words into message 2; finished exactly once',
      '✓ The racing finisher got ConflictError and wrote nothing',
      '✓ Replaced the reply atomically: seqs 1, 3 (seq 2 is never reused)',
      '✓ Retrying the same regenerate wrote nothing',
      '✓ 3 writers raced for activeStreamId; one won and the others got ConflictError',
      '✓ Released the claim; the other metadata keys were kept',
      '✓ project=stories: Bedtime stories, Story time; pinned: Story time',
      '✓ Stored "Summary of 16 messages (turn 1 … turn 16)" covering seqs 2–17',
      '✓ A new session resumed from the summary: 6 messages instead of 22',
    ]);
  });
});

describe('example programs in a broken environment', () => {
  it.each([
    'src/test-persistent-rag-workflow.ts',
    'src/persistent-conversation-demo.ts',
    'src/workflow-with-persistence.ts',
  ])('%s exits non-zero naming DB_BACKEND when it is nonsense', { timeout: TIMEOUT }, async (file) => {
    const run = await runExample(file, { DB_BACKEND: 'no such backend' });
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('✓');
    expect(run.stderr).toMatch(
      /^✗ ValidationError \[VALIDATION\] DB_BACKEND: must be a built-in backend .*"no such backend"/m,
    );
  });

  it.each([
    'src/test-persistent-rag-workflow.ts',
    'src/persistent-conversation-demo.ts',
    'src/workflow-with-persistence.ts',
  ])(
    '%s exits non-zero saying what to install when DB_BACKEND names a missing adapter package',
    { timeout: TIMEOUT },
    async (file) => {
      const run = await runExample(file, { DB_BACKEND: 'nonsense' });
      expect(run.code).toBe(1);
      expect(run.stdout).not.toContain('✓');
      expect(run.stderr).toMatch(
        /^✗ UnsupportedError \[UNSUPPORTED\] DB_BACKEND=nonsense needs nonsense: npm install nonsense/m,
      );
    },
  );
});

describe('a failed check', () => {
  it('prints ✗ with the reason, exits 1 and still cleans up', { timeout: TIMEOUT }, async () => {
    const run = await runExample('test/fixtures/failing-check.ts', { DB_BACKEND: 'memory' });
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')).toEqual([
      'Backend: memory (in-process; nothing survives the process)',
      '✓ Stored 1 message',
      'cleanup deleted the thread: true',
      '',
    ]);
    expect(run.stderr).toBe('✗ messages in the thread: expected 2, got 1\n');
  });
});

describe('framework programs on DB_BACKEND=memory', () => {
  it.each([
    {
      program: 'src/openai-agents-session.ts',
      checks: [
        '✓ Paris: Forecast: sunny in Paris',
        '✓ Oslo: Forecast: sunny in Oslo',
        '✓ The session holds 8 items: user, tool call, tool result, answer per turn',
        '✓ Resumed from the thread id alone: Forecast: sunny in Rome (the model saw 8 earlier items)',
        '✓ getItems(3): the newest 3 items, oldest first, in one read',
      ],
    },
    {
      program: 'src/langchain-history.ts',
      checks: [
        '✓ trip: Where should I go? → Tokyo in spring.',
        '✓ trip: How long? → Seven days.',
        '✓ weekend: A weekend city? → Lisbon!',
        '✓ Resumed the trip session in a new session: 6 messages, in order',
      ],
    },
  ])(
    '$program runs the framework on stored sessions and resumes one',
    { timeout: TIMEOUT },
    async ({ program, checks }) => {
      const run = await runExample(program, { DB_BACKEND: 'memory' });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(normalise(run.stdout).lines.filter((line) => line.startsWith('✓ '))).toEqual(checks);
    },
  );
});
