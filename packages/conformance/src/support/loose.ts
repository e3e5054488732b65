import type { ConversationRepository } from '@fluxibly/core';

/** The repository's methods with every argument typed `unknown`, to call them with deliberately bad input. */
export type LooseRepository = {
  [K in keyof ConversationRepository]: ConversationRepository[K] extends (...args: never[]) => infer R
    ? (...args: unknown[]) => R
    : ConversationRepository[K];
};

/** View a repository as a {@link LooseRepository} (the same object, no wrapper). */
export function loose(repository: ConversationRepository): LooseRepository {
  return repository as unknown as LooseRepository;
}
