import * as core from '@fluxibly/core';
import { describe, expect, it, vi } from 'vitest';
import { MemoryConversationRepository } from '../src/index.js';

const scope = { orgId: 'o', userId: 'u' };

/**
 * An app may end up with two copies of `@fluxibly/core` (its own, and the one an adapter resolved; or the ESM and
 * CJS builds). Errors are recognised by their brand, so everything still works across the copies.
 */
describe('two copies of @fluxibly/core in one app', () => {
  it("the adapter's errors are the app copy's errors, and the app copy's StateManager drives the adapter", async () => {
    vi.resetModules();
    const appCore = await import('@fluxibly/core');
    expect(appCore.NotFoundError).not.toBe(core.NotFoundError);
    const repository = new MemoryConversationRepository(); // built on the first copy's kit

    const missing = await repository.clearThread(scope, 'nope').catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(appCore.NotFoundError);
    expect(appCore.FluxiblyError.is(missing, 'NOT_FOUND')).toBe(true);
    const invalid = await repository.getThread(scope, '').catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(appCore.ValidationError);

    const sm = new appCore.StateManager({ repository, userId: 'u', orgId: 'o' });
    await sm.createThread('t');
    await sm.addMessage('user', 'hi');
    // StateManager (second copy) renames the adapter's (first copy) ValidationError for the caller's argument.
    const bad = await sm.addMessage('user', [{ type: '' }] as never).catch((error: unknown) => error);
    expect(bad).toBeInstanceOf(core.ValidationError);
    expect((bad as core.ValidationError).field).toBe('content[0].type');
    await expect(sm.setCurrentThread('nope')).rejects.toBeInstanceOf(core.NotFoundError);
    expect(await sm.getMessages()).toHaveLength(1);
  });
});
