import type { NewMessage, Scope } from '@fluxibly/core';
import type { FieldMatch, LooseRepository } from '../../support/index.js';
import { textMessage } from '../../support/index.js';
import type { BadValue } from './values.js';

/** What every case acts on: a thread of three messages and the cursors of a real page and a real listing. */
export interface Fixture {
  repo: LooseRepository;
  scope: Scope;
  threadId: string;
  messageId: string;
  messageCursor: string;
  threadCursor: string;
}

export interface Case {
  name: string;
  field: FieldMatch;
  search?: boolean;
  call: (f: Fixture) => Promise<unknown>;
}

export const ok = (): NewMessage => textMessage('user', 'valid');
/** A batch of three whose middle message carries `patch`. */
export const batchWith = (patch: Record<string, unknown>): unknown[] => [ok(), { ...ok(), ...patch }, ok()];
/** An object whose `key` is present, even when `value` is `undefined`. */
export const withKey = (key: string, value: unknown): Record<string, unknown> => ({ [key]: value });

export function each(
  values: readonly BadValue[],
  make: (value: () => unknown, label: string, below: string) => Case[],
): Case[] {
  return values.flatMap(([label, value, below]) => make(value, label, below));
}
