import type { Connection } from '../connection.js';
import type { Statements } from '../sql/index.js';

/** What every operation runs with: the connection and the statements of the repository's schema. */
export interface Context {
  readonly connection: Connection;
  readonly statements: Statements;
}
