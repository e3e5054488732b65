import type { Connection } from './connection.js';
import type { Statements } from './sql/index.js';

/** What every storage operation runs with: the connection and the statements of the repository's schema. */
export interface Context {
  readonly connection: Connection;
  readonly statements: Statements;
}
