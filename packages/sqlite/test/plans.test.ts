import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { INITIAL_SCHEMA } from '../src/migrations/0001-initial-schema.js';
import { ACTIVITY_INDEX } from '../src/migrations/0002-activity-index.js';
import { MESSAGE_SQL } from '../src/sql/messages.js';
import { THREAD_SQL, listThreads } from '../src/sql/threads.js';

/**
 * The hot statements' query plans (`EXPLAIN QUERY PLAN`): every one is an index search — a page is a range of
 * `(thread_id, seq)` (so the newest N cost the same on any thread length), a listing walks its index in order (no
 * sort), a search reads the FTS5 index (the caller's own terms) and joins messages by rowid. Never a table scan.
 */
const db = new Database(':memory:');
for (const sql of [...INITIAL_SCHEMA, ...ACTIVITY_INDEX]) db.exec(sql);
afterAll(() => db.close());

const PARAMS = {
  thread: 't',
  org: 'o',
  user: 'u',
  limit: 5,
  after: 1,
  before: 9,
  match: 'x',
  at: 1,
  cursorId: 'x',
  seq: 1,
  path0: '$.a',
  value0: '1',
  id: 'x',
};

function plan(sql: string): string[] {
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(PARAMS) as Array<{ detail: string }>;
  return rows.map((row) => row.detail);
}

it.each([
  ['newest', MESSAGE_SQL.newest],
  ['newestBefore', MESSAGE_SQL.newestBefore],
  ['after', MESSAGE_SQL.after],
  ['afterBefore', MESSAGE_SQL.afterBefore],
])('the %s page is a range of the (thread_id, seq) index after the scope check', (_name, sql) => {
  const steps = plan(sql);
  expect(steps).toContain('SEARCH fluxibly_threads USING PRIMARY KEY (id=?)');
  expect(
    steps.some((s) => s.startsWith('SEARCH fluxibly_messages USING INDEX fluxibly_messages_by_seq (thread_id=?')),
  ).toBe(true);
  expect(steps.filter((s) => s.startsWith('SCAN fluxibly_'))).toEqual([]);
});

it.each([
  ['user', listThreads({ org: false, cursor: false, filters: 0 }), 'fluxibly_threads_by_user'],
  ['user after a cursor, filtered', listThreads({ org: false, cursor: true, filters: 1 }), 'fluxibly_threads_by_user'],
  ['org', listThreads({ org: true, cursor: false, filters: 0 }), 'fluxibly_threads_by_org'],
  ['org after a cursor, filtered', listThreads({ org: true, cursor: true, filters: 1 }), 'fluxibly_threads_by_org'],
])('the %s listing walks %s in order (it sorts only the page, for its JSON text)', (_name, sql, index) => {
  const steps = plan(sql);
  expect(steps.filter((s) => s.startsWith('SEARCH fluxibly_threads'))).toHaveLength(1);
  expect(steps.find((s) => s.startsWith('SEARCH fluxibly_threads'))).toMatch(
    new RegExp(`^SEARCH fluxibly_threads USING INDEX ${index} \\(org_id=\\?`),
  );
  expect(steps.filter((s) => s.startsWith('SCAN fluxibly_') || s === 'USE TEMP B-TREE FOR ORDER BY')).toEqual([]);
});

it.each([
  ['search', MESSAGE_SQL.search],
  ['searchThread', MESSAGE_SQL.searchThread],
])('%s reads the FTS5 index and joins messages by rowid', (_name, sql) => {
  const steps = plan(sql);
  expect(steps[0]).toMatch(/^SCAN s VIRTUAL TABLE INDEX \d+:M/);
  expect(steps).toContain('SEARCH m USING INTEGER PRIMARY KEY (rowid=?)');
});

it.each([
  ['get', THREAD_SQL.get],
  ['tailIds', MESSAGE_SQL.tailIds],
  ['byId', MESSAGE_SQL.byId],
  ['deleteAfter', MESSAGE_SQL.deleteAfter],
])('%s is an index search', (_name, sql) => {
  expect(plan(sql).filter((s) => s.startsWith('SCAN '))).toEqual([]);
});

it.each([
  ['erase a user', THREAD_SQL.userBatch, 'fluxibly_threads_by_user'],
  ['erase an organisation', THREAD_SQL.orgBatch, 'fluxibly_threads_by_org'],
  ['prune an organisation', THREAD_SQL.orgInactive, 'fluxibly_threads_by_org'],
  ['prune every organisation', THREAD_SQL.allInactive, 'fluxibly_threads_by_activity'],
])('the %s batch walks %s oldest first (no scan, no sort)', (_name, sql, index) => {
  const steps = plan(sql);
  expect(steps[0]).toMatch(new RegExp(`^SEARCH fluxibly_threads USING (COVERING )?INDEX ${index} `));
  expect(steps.filter((s) => s.startsWith('SCAN ') || s.startsWith('USE TEMP B-TREE'))).toEqual([]);
});

it.each([
  ['transfer', MESSAGE_SQL.transfer],
  ['idAtSeq', MESSAGE_SQL.idAtSeq],
])('%s is an index search', (_name, sql) => {
  expect(plan(sql).filter((s) => s.startsWith('SCAN '))).toEqual([]);
});
