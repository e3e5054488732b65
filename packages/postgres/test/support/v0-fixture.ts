import { readFileSync } from 'node:fs';
import type { ChatMessage, ChatThread, Scope } from '@fluxibly/core';
import type pg from 'pg';
import { qualifiedTables } from '../../src/schema.js';

/** What the previous code's API read back, as JSON (see `fixtures/make-v0-fixture.ts`). */
export interface V0Read {
  scope: Scope;
  threads: ChatThread[];
  pages: Record<string, ChatMessage[]>;
  searches: Record<string, ChatMessage[]>;
}

/** `fixtures/v0-data.json`: rows written by the code of main before contract v2, and its reads. */
export interface V0Fixture {
  generatedBy: string;
  migrations: string[];
  threads: unknown[];
  messages: unknown[];
  reads: V0Read[];
}

/** The fixture, parsed. */
export function v0Fixture(): V0Fixture {
  return JSON.parse(readFileSync(new URL('../fixtures/v0-data.json', import.meta.url), 'utf8')) as V0Fixture;
}

/** The message columns of the previous schema (all but the generated `search_vector`). */
const V0_MESSAGE_COLUMNS =
  'thread_id, seq, id, org_id, user_id, role, content, name, tool_call_id, metadata, created_at, edited_at';

/** Insert the fixture's rows, as they were, into the tables of `schema` (migrated to 0001–0003, or 0001 only). */
export async function loadV0Rows(pool: pg.Pool, schema: string, fixture: V0Fixture): Promise<void> {
  const t = qualifiedTables(schema);
  await pool.query(`INSERT INTO ${t.threads} SELECT * FROM jsonb_populate_recordset(NULL::${t.threads}, $1::jsonb)`, [
    JSON.stringify(fixture.threads),
  ]);
  await pool.query(
    `INSERT INTO ${t.messages} (${V0_MESSAGE_COLUMNS})
     SELECT ${V0_MESSAGE_COLUMNS} FROM jsonb_populate_recordset(NULL::${t.messages}, $1::jsonb)`,
    [JSON.stringify(fixture.messages)],
  );
}

/** `value` as JSON would carry it (dates as ISO strings), to compare with the fixture's reads. */
export function asJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

/** A message the previous code read, as the new code must read it: the same, plus `status: 'completed'`. */
export function withStatus(messages: readonly ChatMessage[]): unknown[] {
  return messages.map((message) => ({ ...message, status: 'completed' }));
}
