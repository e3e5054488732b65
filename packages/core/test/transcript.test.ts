import { describe, expect, it } from 'vitest';
import { NotFoundError, threadTranscript } from '../src/index.js';
import { MemoryConversationRepository, MemoryStore } from './support/memory.js';

describe('threadTranscript', () => {
  it('renders roles, times, tool calls and results, parts, statuses and summaries as Markdown', async () => {
    let now = Date.UTC(2026, 0, 2, 3, 4, 5);
    const repository = new MemoryConversationRepository({ store: new MemoryStore({ now: () => now++ }) });
    const scope = { orgId: 'o', userId: 'u' };
    await repository.createThread(scope, { id: 't', name: 'Weather\nchat' });
    await repository.appendMessages(scope, {
      threadId: 't',
      messages: [
        { role: 'user', content: 'Weather in Paris?', name: 'Alice' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Let me check.' },
            { type: 'tool-call', toolCallId: 'call-1', toolName: 'weather', input: { city: 'Paris' } },
          ],
          tokenCount: 9,
        },
        { role: 'tool', content: 'has ``` fences', toolCallId: 'call-1' },
        { role: 'assistant', content: [{ type: 'chart', values: [1, 2] }], status: 'incomplete' },
        { role: 'system', content: 'They asked about Paris.', summaryOf: { fromSeq: 1, toSeq: 4 } },
      ],
    });
    const markdown = await threadTranscript(repository, scope, 't');
    expect(markdown).toContain('# Weather chat\n');
    expect(markdown).toContain('## User (Alice) · #1 · 2026-01-02T03:04:05.001Z');
    expect(markdown).toContain(
      'Let me check.\n\n**Tool call** `weather` (`call-1`):\n\n```json\n{\n  "city": "Paris"\n}\n```',
    );
    expect(markdown).toContain('9 tokens');
    expect(markdown).toContain('Result of tool call `call-1`:\n\n````\nhas ``` fences\n````');
    expect(markdown).toMatch(/## Assistant · #4 · [^\n]* · incomplete/);
    expect(markdown).toContain('_chart_:\n\n```json\n{\n  "values": [\n    1,\n    2\n  ]\n}\n```');
    expect(markdown).toContain('> Summary of messages #1–#4');
    await expect(threadTranscript(repository, { orgId: 'o', userId: 'other' }, 't')).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});
