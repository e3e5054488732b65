import type { AgentInputItem } from '@openai/agents-core';

/** Items of every kind the SDK stores, written as the SDK writes them. */
export const user = (text: string): AgentInputItem => ({ role: 'user', content: text });
export const assistant = (text: string, id?: string): AgentInputItem => ({
  ...(id === undefined ? {} : { id }),
  role: 'assistant',
  status: 'completed',
  content: [{ type: 'output_text', text }],
});
export const call = (callId: string, name = 'lookup', args = '{}'): AgentInputItem => ({
  type: 'function_call',
  callId,
  name,
  arguments: args,
  status: 'completed',
});
export const result = (callId: string, text: string, name = 'lookup'): AgentInputItem => ({
  type: 'function_call_result',
  callId,
  name,
  status: 'completed',
  output: { type: 'text', text },
});
