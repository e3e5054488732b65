import { randomUUID } from 'node:crypto';
import { Usage } from '@openai/agents-core';
import type { AgentInputItem, Model, ModelRequest, ModelResponse, StreamEvent } from '@openai/agents-core';

/**
 * A `Model` that needs no network: for a user turn it calls the `weather` tool with the user's text as the city;
 * once the tool answered, it replies with that answer. It records every input it was sent.
 */
export class FakeWeatherModel implements Model {
  readonly inputs: AgentInputItem[][] = [];

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    const input: AgentInputItem[] =
      typeof request.input === 'string' ? [{ role: 'user', content: request.input }] : request.input;
    this.inputs.push(structuredClone(input));
    const last = input.at(-1) as { type?: string; role?: string; content?: unknown; output?: { text?: string } };
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
    if (last.type === 'function_call_result') {
      return {
        usage: new Usage(),
        responseId: `resp_${randomUUID()}`,
        output: [
          {
            id: `msg_${randomUUID()}`,
            type: 'message',
            role: 'assistant',
            status: 'completed',
            content: [{ type: 'output_text', text: `It is ${last.output?.text ?? '?'}` }],
          },
        ],
      };
    }
    const city = typeof last.content === 'string' ? last.content : 'nowhere';
    return {
      usage: new Usage(),
      responseId: `resp_${randomUUID()}`,
      output: [
        {
          type: 'function_call',
          callId: `call_${randomUUID()}`,
          name: 'weather',
          arguments: JSON.stringify({ city }),
          status: 'completed',
        },
      ],
    };
  }

  // eslint-disable-next-line require-yield
  async *getStreamedResponse(_request: ModelRequest): AsyncIterable<StreamEvent> {
    throw new Error('FakeWeatherModel does not stream');
  }
}
