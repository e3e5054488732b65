import { MemoryConversationRepository, MemoryStore } from '../../src/index.js';

/** A clock the test moves by hand (it may go backwards), and a repository over a store that uses it. */
export class ManualClock {
  ms = Date.UTC(2025, 0, 1);
  readonly now = (): number => this.ms;
}

/** A repository on a fresh store driven by a {@link ManualClock}. */
export function clockedRepository(): { clock: ManualClock; repo: MemoryConversationRepository } {
  const clock = new ManualClock();
  return { clock, repo: new MemoryConversationRepository({ store: new MemoryStore({ now: clock.now }) }) };
}

export const alice = { orgId: 'acme', userId: 'alice' } as const;
export const bob = { orgId: 'acme', userId: 'bob' } as const;
export const carol = { orgId: 'other', userId: 'carol' } as const;
