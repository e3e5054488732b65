import { ValidationError } from '../errors/errors.js';
import type { HistoryMessage, TokenCounter } from './types.js';

/** Tokens added to every message by the default estimate, for the role and framing a model's format adds. */
export const MESSAGE_OVERHEAD_TOKENS = 4;

/**
 * The default token counter: a cheap, model-independent estimate, `ceil(chars / 4) + 4`, where `chars` is the
 * length of the content (a string) or of its JSON text (an array of parts), plus the `name`. English text averages
 * about four characters per token with common tokenizers; pass a real tokenizer as `tokenCounter` when the limit
 * must be exact.
 */
export function estimateTokens(message: HistoryMessage): number {
  const content = typeof message.content === 'string' ? message.content : JSON.stringify(message.content);
  const chars = content.length + (message.name?.length ?? 0);
  return Math.ceil(chars / 4) + MESSAGE_OVERHEAD_TOKENS;
}

/**
 * Wrap a token counter: check its result and remember it per message object. A message's own `tokenCount` (the
 * provider's count) wins over the counter.
 */
export function countWith(counter: TokenCounter): (message: HistoryMessage) => number {
  const cache = new WeakMap<HistoryMessage, number>();
  return (message) => {
    if (message.tokenCount !== undefined) return message.tokenCount;
    const cached = cache.get(message);
    if (cached !== undefined) return cached;
    const tokens = counter(message);
    if (typeof tokens !== 'number' || !Number.isFinite(tokens) || tokens < 0) {
      throw new ValidationError('tokenCounter', `must return a finite number >= 0, got ${String(tokens)}`);
    }
    cache.set(message, tokens);
    return tokens;
  };
}
