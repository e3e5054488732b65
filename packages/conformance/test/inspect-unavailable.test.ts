import { MemoryConversationRepository, MemoryStore } from '@fluxibly/memory';
import { describe, expect, it, vi } from 'vitest';
import { runConformanceSuite } from '../src/index.js';

/** An adapter without raw reads says so; the suite runs the rest and prints, in one line, the checks it skipped. */
const store = new MemoryStore();
const info = vi.spyOn(console, 'info');

runConformanceSuite({
  name: 'memory without an inspector',
  create: async () => new MemoryConversationRepository({ store }),
  destroy: (repository) => repository.close(),
  capabilities: { fullTextSearch: true, ttl: false },
  inspect: { unavailable: 'pretending to have no raw reads' },
  groups: ['lifecycle', 'capabilities'],
});

describe('after the suite ran without an inspector', () => {
  it('one line lists the raw-store checks not run, by test id, and no group without them', () => {
    const lines = info.mock.calls.map((call) => String(call[0])).filter((line) => line.includes('inspect unavailable'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\[conformance\] inspect unavailable \(pretending to have no raw reads\): raw-store checks not run in /u,
    );
    expect(lines[0]).toContain('lifecycle/deleted-thread');
    expect(lines[0]).toContain('lifecycle/clear-thread');
    expect(lines[0]).not.toContain('capabilities/');
  });
});
