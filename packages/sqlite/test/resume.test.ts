import { copyFileSync, existsSync, statSync } from 'node:fs';
import { expect, it } from 'vitest';
import { SqliteConversationRepository } from '../src/index.js';
import { spawnFixture, watch } from './support/child.js';
import { repositoryOn, tempFolder } from './support/files.js';

/**
 * Resumption across processes: this process writes a conversation to a file; a NEW Node process finds the adapter
 * through `createRepository` (DB_BACKEND=sqlite, SQLITE_PATH), reads the conversation back and continues it; this
 * process then sees the continuation. And the file copied while idle (the `.db` alone) holds it all.
 */
const { file } = tempFolder();
const scope = { orgId: 'org-resume', userId: 'user-resume' };

it(
  'a second Node process reads the conversation through createRepository and continues it',
  { timeout: 60_000 },
  async () => {
    const path = file();
    const writer = repositoryOn(path);
    try {
      const thread = await writer.createThread(scope, { name: 'Travel Planning' });
      await writer.appendMessages(scope, {
        threadId: thread.id,
        messages: [
          { role: 'user', content: 'Plan a trip to Tokyo' },
          { role: 'assistant', content: [{ type: 'text', text: 'Day 1: Asakusa 🏮' }] },
        ],
      });
      const child = watch(
        spawnFixture('resume-child.ts', {
          DB_BACKEND: 'sqlite',
          SQLITE_PATH: path,
          DEFAULT_USER_ID: scope.userId,
          DEFAULT_ORG_ID: scope.orgId,
          RESUME_THREAD_ID: thread.id,
        }),
      );
      const exit = await child.exit;
      expect(exit, child.stderr()).toEqual({ code: 0, signal: null });
      const report = JSON.parse(child.lines[child.lines.length - 1] ?? '{}') as {
        pid: number;
        adapter: string;
        read: unknown[];
      };
      expect(report.pid).not.toBe(process.pid);
      expect(report.adapter).toBe('SqliteConversationRepository');
      expect(report.read).toEqual([
        { seq: 1, role: 'user', content: 'Plan a trip to Tokyo' },
        { seq: 2, role: 'assistant', content: [{ type: 'text', text: 'Day 1: Asakusa 🏮' }] },
      ]);
      const page = await writer.getMessages(scope, { threadId: thread.id });
      expect(page?.messages.map((m) => [m.seq, m.content, m.metadata])).toEqual([
        [1, 'Plan a trip to Tokyo', {}],
        [2, [{ type: 'text', text: 'Day 1: Asakusa 🏮' }], {}],
        [3, 'continued after 2 messages', { pid: report.pid }],
      ]);
    } finally {
      await writer.close();
    }
  },
);

it(
  'the .db file copied alone while the repository is open and idle holds every commit',
  { timeout: 30_000 },
  async () => {
    const path = file();
    const writer = repositoryOn(path, { checkpointIdleMs: 50 });
    try {
      const thread = await writer.createThread(scope);
      for (let i = 0; i < 20; i++) {
        await writer.appendMessages(scope, { threadId: thread.id, messages: [{ role: 'user', content: `m${i}` }] });
      }
      expect(existsSync(`${path}-wal`) && statSync(`${path}-wal`).size > 0).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 300)); // idle: the checkpoint runs
      const copy = file();
      copyFileSync(path, copy); // the database file only, not its -wal
      const reader = new SqliteConversationRepository({ path: copy });
      try {
        const page = await reader.getMessages(scope, { threadId: thread.id, limit: 100 });
        expect(page?.messages).toHaveLength(20);
        expect(await reader.getThread(scope, thread.id)).toMatchObject({ lastSeq: 20, messageCount: 20 });
      } finally {
        await reader.close();
      }
    } finally {
      await writer.close();
    }
  },
);
