/**
 * The OpenAI Agents SDK with a Fluxibly State session: `run(agent, input, { session })` over two turns that call a
 * tool, then a new session (a second repository, as a new process gets) resumes from nothing but the thread id and
 * the model sees the whole history. The model is a deterministic stand-in (no network, no API key).
 *
 * Run: `pnpm run agents` (DB_BACKEND=memory by default; see README.md for the other backends).
 */
import { randomUUID } from 'node:crypto';
import { FluxiblySession } from '@fluxibly/openai-agents';
import { Agent, run, setTracingDisabled, tool, Usage } from '@openai/agents-core';
import type { AgentInputItem, Model, ModelRequest, ModelResponse, StreamEvent } from '@openai/agents-core';
import { check, expectEqual } from './support/checks.js';
import { runProgram } from './support/run-program.js';
import { scopedUser } from './support/scoped-user.js';

setTracingDisabled(true);

/** Calls `weather` with the user's words as the city, then answers with what the tool returned. */
class StandInModel implements Model {
  historySeen = 0;

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    const input = typeof request.input === 'string' ? [] : request.input;
    this.historySeen = input.length;
    const last = input.at(-1) as { type?: string; content?: unknown; output?: { text?: string } } | undefined;
    const output: ModelResponse['output'] =
      last?.type === 'function_call_result'
        ? [
            {
              type: 'message',
              role: 'assistant',
              status: 'completed',
              content: [{ type: 'output_text', text: `Forecast: ${last.output?.text ?? '?'}` }],
            },
          ]
        : [
            {
              type: 'function_call',
              callId: `call_${randomUUID()}`,
              name: 'weather',
              arguments: JSON.stringify({ city: typeof last?.content === 'string' ? last.content : '' }),
            },
          ];
    return { usage: new Usage(), output };
  }

  // eslint-disable-next-line require-yield
  async *getStreamedResponse(): AsyncIterable<StreamEvent> {
    throw new Error('not used');
  }
}

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
const agentWith = (model: Model): Agent =>
  new Agent({ name: 'forecaster', instructions: 'Forecast.', model, tools: [weather] });
const typeOf = (item: AgentInputItem): string => (item as { type?: string }).type ?? 'message';

await runProgram(async (backend, cleanup) => {
  const user = scopedUser(backend, cleanup);
  const { stateManager } = user;

  const session = new FluxiblySession({ stateManager });
  for (const city of ['Paris', 'Oslo']) {
    const result = await run(agentWith(new StandInModel()), city, { session });
    console.log(`✓ ${city}: ${String(result.finalOutput)}`);
  }
  const items = await session.getItems();
  expectEqual(
    items.map(typeOf).join(', '),
    'message, function_call, function_call_result, message, '.repeat(2).slice(0, -2),
    'stored items',
  );
  console.log(`✓ The session holds ${items.length} items: user, tool call, tool result, answer per turn`);

  const threadId = await session.getSessionId();
  const second = await backend.openSession();
  cleanup.add(() => second.release());
  const model = new StandInModel();
  const resumed = new FluxiblySession({
    stateManager: user.on(second.repository),
    threadId,
  });
  const result = await run(agentWith(model), 'Rome', { session: resumed });
  check(model.historySeen >= items.length + 1, 'the resumed run sent the whole history to the model');
  console.log(
    `✓ Resumed from the thread id alone: ${String(result.finalOutput)} (the model saw ${items.length} earlier items)`,
  );
  const window = await resumed.getItems(3);
  expectEqual(window.map(typeOf).join(', '), 'function_call, function_call_result, message', 'newest window');
  console.log('✓ getItems(3): the newest 3 items, oldest first, in one read');
});
