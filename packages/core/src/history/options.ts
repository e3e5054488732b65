import { ValidationError } from '../errors/errors.js';
import { validateId, validateInputObject, validateInteger } from '../validation/primitives.js';
import { countWith, estimateTokens } from './tokens.js';
import type { ConversationHistoryOptions, HistoryMessage, HistoryStore, WindowBudget } from './types.js';
import type { WriteRetryPolicy } from './write-retry.js';
import { writeRetryPolicy } from './write-retry.js';

/** A {@link ConversationHistoryOptions} checked, with its defaults applied. */
export interface HistorySettings {
  readonly budget: WindowBudget;
  /** The token counter, checked and cached per message. */
  readonly count: (message: HistoryMessage) => number;
  readonly store: HistoryStore | undefined;
  readonly persist: boolean;
  readonly threadId: string | undefined;
  readonly retry: WriteRetryPolicy;
}

/**
 * Check a ConversationHistory's options.
 * @throws ValidationError naming `maxMessages`, `maxTokens`, `tokenCounter`, `stateManager`, `threadId` or
 * `writeRetry…`.
 */
export function readHistoryOptions(options: ConversationHistoryOptions): HistorySettings {
  validateInputObject(options, 'options');
  const positive = (value: unknown, field: string): number | undefined =>
    value === undefined ? undefined : validateInteger(value, field, { min: 1, max: Number.MAX_SAFE_INTEGER });
  const budget = {
    maxMessages: positive(options.maxMessages, 'maxMessages'),
    maxTokens: positive(options.maxTokens, 'maxTokens'),
  };
  if (options.tokenCounter !== undefined && typeof options.tokenCounter !== 'function') {
    throw new ValidationError('tokenCounter', 'must be a function (message) => number');
  }
  const persist = options.persistToDb === true;
  if (persist && options.stateManager === undefined) {
    throw new ValidationError('stateManager', 'is required when persistToDb is true');
  }
  return {
    budget,
    count: countWith(options.tokenCounter ?? estimateTokens),
    store: options.stateManager,
    persist,
    threadId: options.threadId === undefined ? undefined : validateId(options.threadId, 'threadId'),
    retry: writeRetryPolicy(options.writeRetry),
  };
}
