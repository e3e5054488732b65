import { describe, expect, it } from 'vitest';
import { chatMessage } from '../src/model/build.js';

const base = { id: 'm1', threadId: 't1', seq: 3, role: 'user', content: 'hi', metadata: { a: 1 } } as const;

describe('chatMessage', () => {
  it('drops null and undefined optional fields instead of keeping them', () => {
    const message = chatMessage({
      ...base,
      createdAt: 5,
      name: null,
      toolCallId: undefined,
      editedAt: null,
      tokenCount: null,
      summaryOf: undefined,
    });
    expect(Object.keys(message).sort()).toEqual([
      'content',
      'createdAt',
      'id',
      'metadata',
      'role',
      'seq',
      'status',
      'threadId',
    ]);
    expect(message.createdAt).toEqual(new Date(5));
  });

  it("reads a message stored without a status (before statuses existed) as 'completed'", () => {
    expect(chatMessage({ ...base, createdAt: 5 }).status).toBe('completed');
    expect(chatMessage({ ...base, createdAt: 5, status: null }).status).toBe('completed');
    expect(chatMessage({ ...base, createdAt: 5, status: 'incomplete' }).status).toBe('incomplete');
  });

  it('keeps a token count of 0 and copies the summary range', () => {
    const range = { fromSeq: 1, toSeq: 9 };
    const message = chatMessage({ ...base, createdAt: 5, tokenCount: 0, summaryOf: range });
    expect(message.tokenCount).toBe(0);
    expect(message.summaryOf).toEqual(range);
    expect(message.summaryOf).not.toBe(range);
  });

  it('keeps set optional fields and makes new Dates from Dates or epoch milliseconds', () => {
    const created = new Date(10);
    const message = chatMessage({ ...base, createdAt: created, name: 'n', toolCallId: 'c', editedAt: 20 });
    expect(message).toMatchObject({ name: 'n', toolCallId: 'c', editedAt: new Date(20), createdAt: new Date(10) });
    expect(message.createdAt).not.toBe(created);
  });
});
