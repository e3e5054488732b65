import type { QualifiedTables } from '../schema.js';
import { appendOneStatement, appendStatement } from './append.js';
import type { LifecycleStatements } from './lifecycle.js';
import { lifecycleStatements } from './lifecycle.js';
import { replaceStatement } from './replace.js';
import type { MessageStatements } from './messages.js';
import { messageStatements } from './messages.js';
import type { ThreadStatements } from './threads.js';
import { threadStatements } from './threads.js';
import type { Statement } from '../connection.js';

/** Every statement the repository sends, built once per schema. */
export interface Statements {
  /** Append a batch (one JSON array). */
  readonly append: Statement;
  /** Append one message (plain parameters). */
  readonly appendOne: Statement;
  /** Append a batch with `replaceAfterSeq` (one JSON array). */
  readonly replace: Statement;
  readonly threads: ThreadStatements;
  readonly messages: MessageStatements;
  /** Erase, prune, transfer, import. */
  readonly lifecycle: LifecycleStatements;
}

/** {@link Statements} for the tables `t`. */
export function buildStatements(t: QualifiedTables): Statements {
  return {
    append: appendStatement(t),
    appendOne: appendOneStatement(t),
    replace: replaceStatement(t),
    threads: threadStatements(t),
    messages: messageStatements(t),
    lifecycle: lifecycleStatements(t),
  };
}
