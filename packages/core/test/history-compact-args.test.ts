import { describe, expect, it } from 'vitest';
import { ConversationHistory } from '../src/index.js';
import { FakeStore } from './support/fake-store.js';
import { fieldOf } from './support/field-of.js';

/** What `compact()` rejects with, synchronously validated before anything is read or written. */
async function compactField(options: unknown, store = new FakeStore()): Promise<string> {
  await store.createThread('chat');
  const history = new ConversationHistory({ stateManager: store });
  const before = store.calls.length;
  let field = '';
  try {
    await history.compact(options as never);
  } catch (error) {
    field = fieldOf(() => {
      throw error;
    });
  }
  expect(store.calls.slice(before), 'nothing was read or written').toEqual([]);
  return field;
}

const summary = (): string => 's';

describe('ConversationHistory.compact arguments', () => {
  it.each([
    [undefined, 'options'],
    [{}, 'summarize'],
    [{ summarize: 'x' }, 'summarize'],
    [{ summarize: summary, keepLast: -1 }, 'keepLast'],
    [{ summarize: summary, keepLast: 1.5 }, 'keepLast'],
    [{ summarize: summary, role: 'robot' }, 'role'],
    [{ summarize: summary, metadata: [] }, 'metadata'],
  ])('%j is a ValidationError naming %s, and nothing is read', async (options, field) => {
    expect(await compactField(options)).toBe(field);
  });

  it('needs a stateManager and a thread', async () => {
    const alone = new ConversationHistory();
    await expect(alone.compact({ summarize: summary })).rejects.toMatchObject({ field: 'stateManager' });
    const noThread = new ConversationHistory({ stateManager: new FakeStore() });
    await expect(noThread.compact({ summarize: summary })).rejects.toMatchObject({ field: 'threadId' });
  });
});
