import { ValidationError } from '@fluxibly/core';

/** The schema used when none is given. */
export const DEFAULT_SCHEMA = 'public';

/** Table names inside the schema. Every table carries the tenant (`org_id`, `user_id`) and thread keys. */
export const TABLES = {
  threads: 'fluxibly_threads',
  messages: 'fluxibly_messages',
  migrations: 'fluxibly_migrations',
} as const;

/**
 * A safely quoted SQL identifier: wrapped in double quotes with inner quotes doubled, so any name (spaces,
 * quotes, mixed case) addresses exactly itself.
 */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Validate a schema name: 1–63 bytes (PostgreSQL's identifier limit), no NUL. */
export function validateSchemaName(schema: unknown): string {
  if (typeof schema !== 'string' || schema.length === 0 || Buffer.byteLength(schema, 'utf8') > 63) {
    throw new ValidationError('schema', 'must be a PostgreSQL identifier of 1–63 bytes');
  }
  if (schema.includes('\u0000')) throw new ValidationError('schema', 'must not contain NUL');
  return schema;
}

/**
 * The fully qualified, quoted names of the adapter's tables in one schema. Every statement names its tables
 * through these, so nothing depends on `search_path` (no session state: safe behind a transaction-mode pooler).
 */
export interface QualifiedTables {
  readonly schema: string;
  readonly threads: string;
  readonly messages: string;
  readonly migrations: string;
}

/** {@link QualifiedTables} for `schema`. */
export function qualifiedTables(schema: string): QualifiedTables {
  const s = quoteIdent(schema);
  return {
    schema,
    threads: `${s}.${quoteIdent(TABLES.threads)}`,
    messages: `${s}.${quoteIdent(TABLES.messages)}`,
    migrations: `${s}.${quoteIdent(TABLES.migrations)}`,
  };
}
