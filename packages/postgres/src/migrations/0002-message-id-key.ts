import type { MigrationInterface, QueryRunner } from 'typeorm';
import { qualifiedTables, quoteIdent } from '../schema.js';

/**
 * Version 2: the unique message key becomes an index the primary key cannot stand in for.
 *
 * Replaces the unique constraint `fluxibly_messages_thread_message` `(thread_id, id)` with the unique index
 * `fluxibly_messages_message_key` on `(thread_id COLLATE "POSIX", id)`: the same uniqueness (POSIX, like the
 * columns' C, compares bytes), but only statements that compare `thread_id COLLATE "POSIX"` can use it, and the
 * primary key `(thread_id, seq)` cannot serve them. See `sql/message-key.ts` for why: a generic plan could otherwise
 * probe ids by walking the thread through the primary key. The new index is built before the old one is dropped,
 * in the migration's transaction (writes to the messages table wait for the build).
 */
export function messageIdKey(schema: string): MigrationInterface {
  const t = qualifiedTables(schema);
  return {
    name: 'FluxiblyMessageIdKey1764979200000',
    async up(runner: QueryRunner): Promise<void> {
      await runner.query(
        `CREATE UNIQUE INDEX ${quoteIdent('fluxibly_messages_message_key')} ON ${t.messages} ` +
          '(thread_id COLLATE "POSIX", id)',
      );
      await runner.query(`ALTER TABLE ${t.messages} DROP CONSTRAINT ${quoteIdent('fluxibly_messages_thread_message')}`);
    },
    async down(runner: QueryRunner): Promise<void> {
      await runner.query(
        `ALTER TABLE ${t.messages} ADD CONSTRAINT ${quoteIdent('fluxibly_messages_thread_message')} UNIQUE (thread_id, id)`,
      );
      await runner.query(`DROP INDEX ${quoteIdent(schema)}.${quoteIdent('fluxibly_messages_message_key')}`);
    },
  };
}
