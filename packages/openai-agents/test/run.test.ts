import { Agent, run, setTracingDisabled, tool } from '@openai/agents-core';
import type { AgentInputItem } from '@openai/agents-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FluxiblySession } from '../src/index.js';
import { backends, newUser, raceTitle } from '@fluxibly/test-backends';
import type { Backend } from '@fluxibly/test-backends';
import { FakeWeatherModel } from './support/fake-model.js';

const BACKENDS = backends('openai-agents');

setTracingDisabled(true);

const weather = tool({
  name: 'weather',
  description: 'The weather in a city.',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
  strict: true,
  execute: (input) => `sunny in ${(input as { city: string }).city}`,
});

function agent(model: FakeWeatherModel): Agent {
  return new Agent({ name: 'forecaster', instructions: 'Answer with the weather.', model, tools: [weather] });
}

const typeOf = (item: AgentInputItem): string => (item as { type?: string }).type ?? 'message';

describe.each(BACKENDS)('run(agent, input, { session }) on $name', ({ create, raceSkip }) => {
  /** A test of concurrent writers: skipped, with the reason in its title, where the backend cannot run races. */
  const race = (title: string, fn: () => Promise<void>) =>
    it.skipIf(raceSkip !== undefined)(raceTitle(title, raceSkip), fn);
  let backend: Backend;
  beforeAll(async () => {
    backend = await create();
  });
  afterAll(async () => backend.dispose());

  it('keeps every turn, with the tool call, and a second repository instance resumes it', async () => {
    const userId = `runner-${Math.random()}`;
    const model = new FakeWeatherModel();
    const session = new FluxiblySession({ stateManager: newUser(backend.open(), userId) });
    const first = await run(agent(model), 'Paris', { session });
    expect(first.finalOutput).toBe('It is sunny in Paris');
    await run(agent(model), 'Oslo', { session });
    const items = await session.getItems();
    expect(items.map(typeOf)).toEqual([
      'message',
      'function_call',
      'function_call_result',
      'message',
      'message',
      'function_call',
      'function_call_result',
      'message',
    ]);

    // Another process: a new repository instance on the same data, the same thread id.
    const threadId = await session.getSessionId();
    const resumedModel = new FakeWeatherModel();
    const resumed = new FluxiblySession({ stateManager: newUser(backend.open(), userId), threadId });
    const third = await run(agent(resumedModel), 'Rome', { session: resumed });
    expect(third.finalOutput).toBe('It is sunny in Rome');
    // The model saw the whole earlier history, in order.
    expect(resumedModel.inputs[0]?.slice(0, 8)).toEqual(items);
    expect(await resumed.getItems()).toHaveLength(12);
    expect(await session.getItems()).toEqual(await resumed.getItems());
  });

  race('concurrent runs on one session lose and duplicate nothing', async () => {
    const userId = `crowd-${Math.random()}`;
    const session = new FluxiblySession({ stateManager: newUser(backend.open(), userId) });
    const threadId = await session.getSessionId();
    const cities = Array.from({ length: 8 }, (_, i) => `city-${i}`);
    // Each run on its own repository instance (as separate processes would), all on one thread.
    const results = await Promise.all(
      cities.map((city) =>
        run(agent(new FakeWeatherModel()), city, {
          session: new FluxiblySession({ stateManager: newUser(backend.open(), userId), threadId }),
        }),
      ),
    );
    expect(results.map((r) => r.finalOutput)).toEqual(cities.map((c) => `It is sunny in ${c}`));
    const items = await session.getItems();
    expect(items).toHaveLength(cities.length * 4);
    const unique = new Set(items.map((item) => JSON.stringify(item)));
    expect(unique.size).toBe(items.length); // 0 duplicated (every call id and message id is unique)
    for (const city of cities) {
      const own = items.filter((item) => JSON.stringify(item).includes(city));
      expect(own.map(typeOf)).toEqual(['message', 'function_call', 'function_call_result', 'message']); // 0 lost, in order
    }
  });
});
