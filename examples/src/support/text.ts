import type { MessageContent } from '@fluxibly/core';

/** The text of a message: the string itself, or its `text` parts joined by newlines. */
export function textOf(content: MessageContent): string {
  if (typeof content === 'string') return content;
  return content
    .filter((part) => part.type === 'text' && typeof part.text === 'string')
    .map((part) => part.text as string)
    .join('\n');
}

/** `text` on one line, cut to `max` characters with `…`. */
export function shorten(text: string, max = 60): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
