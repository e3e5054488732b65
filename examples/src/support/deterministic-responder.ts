import type { MessageContent, MessageRole } from '@fluxibly/core';
import { shorten, textOf } from './text.js';

/** A message of the context a responder sees (a stored `ChatMessage` or a `ConversationHistory` entry fits). */
export interface ContextMessage {
  readonly role: MessageRole;
  readonly content: MessageContent;
}

/** Writes the assistant's turn from the user's text and the conversation so far. */
export interface Responder {
  respond(userText: string, context: readonly ContextMessage[]): string;
}

/**
 * A stand-in for a language model, so the examples need no API key and print the same text on every run.
 * It is **not** an LLM: the reply is a fixed function of the user's text and the context it was given. It says
 * which turn this is, quotes the question, and quotes the previous user question in the context (if any), so
 * the output shows that the context really reached it.
 */
export class DeterministicResponder implements Responder {
  readonly #label: string;

  /** @param label prefix of every reply, e.g. `'rag-bot'`. */
  constructor(label = 'assistant') {
    this.#label = label;
  }

  respond(userText: string, context: readonly ContextMessage[]): string {
    const earlierQuestions = context.filter((m) => m.role === 'user').map((m) => textOf(m.content));
    const turn = earlierQuestions.length + 1;
    const previous = earlierQuestions.at(-1);
    const followUp =
      previous === undefined ? 'This starts the conversation.' : `Following up on "${shorten(previous, 40)}".`;
    return (
      `[${this.#label}, turn ${turn}] You asked: "${shorten(userText)}". ${followUp} ` +
      `(${context.length} earlier messages in context)`
    );
  }
}
