import type { AgentInputItem } from '@openai/agents-core';
import type { ChatMessage, ContentPart, JsonObject, MessageRole, MessageStatus, NewMessage } from '@fluxibly/core';

/** The content-part type that carries a whole Agents SDK item, exactly as given. */
export const ITEM_PART_TYPE = 'openai_agents_item';

const STATUSES: ReadonlySet<string> = new Set(['in_progress', 'completed', 'incomplete']);

/**
 * The role a stored item gets: a message keeps its own role, a function / hosted-tool *result* is `tool` (with
 * `toolCallId`), every other item (calls, reasoning, compaction) is something the model produced: `assistant`.
 */
export function roleOf(item: AgentInputItem): MessageRole {
  const record = item as { type?: unknown; role?: unknown };
  if ((record.type === undefined || record.type === 'message') && typeof record.role === 'string') {
    return record.role === 'user' || record.role === 'system' || record.role === 'assistant' ? record.role : 'user';
  }
  return isResult(item) ? 'tool' : 'assistant';
}

/** Whether the item answers an earlier call (`function_call_result`, `computer_call_result`, `*_output`). */
export function isResult(item: AgentInputItem): boolean {
  const type = (item as { type?: unknown }).type;
  return (
    typeof type === 'string' && (type.endsWith('_result') || type.endsWith('_output')) && callIdOf(item) !== undefined
  );
}

/** The `callId` an item carries (calls and their results), if any. */
export function callIdOf(item: AgentInputItem): string | undefined {
  const callId = (item as { callId?: unknown }).callId;
  return typeof callId === 'string' ? callId : undefined;
}

/**
 * A message storing `item` losslessly: the item's JSON is the single content part (`openai_agents_item`); role,
 * `toolCallId`, `name` and `status` repeat what the item says so the thread reads well in any other tool.
 */
export function itemToMessage(item: AgentInputItem, id?: string): NewMessage {
  const part = { type: ITEM_PART_TYPE, item: item as unknown as JsonObject } as ContentPart;
  const message: NewMessage = { role: roleOf(item), content: [part] };
  if (id !== undefined) message.id = id;
  const callId = callIdOf(item);
  if (callId !== undefined && message.role === 'tool') message.toolCallId = callId;
  const name = (item as { name?: unknown }).name;
  if (typeof name === 'string' && name.length > 0 && name.length <= 255) message.name = name;
  const status = (item as { status?: unknown }).status;
  if (typeof status === 'string' && STATUSES.has(status)) message.status = status as MessageStatus;
  return message;
}

/**
 * The item a stored message holds. A message written by another program (no `openai_agents_item` part) is read as
 * the closest item: text of a user/system/assistant message, or a `function_call_result` for a tool message.
 */
export function messageToItem(message: ChatMessage): AgentInputItem {
  if (Array.isArray(message.content)) {
    const part = message.content.find((p) => p.type === ITEM_PART_TYPE);
    if (part !== undefined) return part.item as unknown as AgentInputItem;
  }
  const text = textOf(message);
  switch (message.role) {
    case 'user':
    case 'system':
      return { role: message.role, content: text };
    case 'assistant':
      return {
        role: 'assistant',
        status: message.status,
        content: [{ type: 'output_text', text }],
      };
    case 'tool':
      return {
        type: 'function_call_result',
        callId: message.toolCallId ?? '',
        name: message.name ?? '',
        status: message.status,
        output: { type: 'text', text },
      };
  }
}

function textOf(message: ChatMessage): string {
  if (typeof message.content === 'string') return message.content;
  return message.content
    .map((part) => (typeof part.text === 'string' ? part.text : ''))
    .filter((text) => text.length > 0)
    .join('\n');
}
