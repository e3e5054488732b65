import type { ConversationRepository } from '../contract/repository.js';
import { NotFoundError } from '../errors/errors.js';
import type { JsonValue } from '../model/json.js';
import type { ChatMessage, ContentPart } from '../model/message.js';
import type { Scope } from '../model/scope.js';
import type { ChatThread } from '../model/thread.js';
import { iterateMessages } from './iterate.js';

const ROLE_TITLES = { system: 'System', user: 'User', assistant: 'Assistant', tool: 'Tool' } as const;

/**
 * A Markdown transcript of one thread, for people to read: a title and the thread's details, then every message
 * oldest first under a heading with its role (and author name), time and seq; text as written, tool calls as their
 * tool name and JSON arguments, tool results with the call they answer, other content parts as labelled JSON.
 * Summaries, statuses other than completed, and edits are noted. Reads the messages a page at a time.
 * @throws NotFoundError when the thread does not exist for this scope.
 */
export async function threadTranscript(
  repository: ConversationRepository,
  scope: Scope,
  threadId: string,
): Promise<string> {
  const out: string[] = [];
  for await (const chunk of transcriptChunks(repository, scope, threadId)) out.push(chunk);
  return out.join('');
}

/** {@link threadTranscript} as chunks of Markdown (the heading, then one per message), for streaming to a file. */
export async function* transcriptChunks(
  repository: ConversationRepository,
  scope: Scope,
  threadId: string,
): AsyncGenerator<string> {
  const thread = await repository.getThread(scope, threadId);
  if (thread === null) throw new NotFoundError(`thread ${JSON.stringify(threadId)} not found`);
  yield renderHeading(thread);
  for await (const message of iterateMessages(repository, scope, threadId)) yield renderMessage(message);
}

function renderHeading(thread: ChatThread): string {
  const lines = [
    `# ${thread.name === '' ? `Thread ${thread.id}` : oneLine(thread.name)}`,
    '',
    `- Thread: \`${thread.id}\``,
    `- Organisation / user: \`${thread.orgId}\` / \`${thread.userId}\``,
    `- Created: ${thread.createdAt.toISOString()} · last activity: ${thread.updatedAt.toISOString()}`,
    `- Messages: ${thread.messageCount}`,
  ];
  if (thread.parent !== undefined) {
    lines.push(`- Forked from \`${thread.parent.threadId}\` at seq ${thread.parent.seq}`);
  }
  if (Object.keys(thread.metadata).length > 0) lines.push(`- Metadata: \`${JSON.stringify(thread.metadata)}\``);
  return `${lines.join('\n')}\n`;
}

function renderMessage(message: ChatMessage): string {
  const who = ROLE_TITLES[message.role] + (message.name === undefined ? '' : ` (${oneLine(message.name)})`);
  const notes: string[] = [`#${message.seq}`, message.createdAt.toISOString()];
  if (message.status !== 'completed') notes.push(message.status.replace('_', ' '));
  if (message.editedAt !== undefined) notes.push(`edited ${message.editedAt.toISOString()}`);
  if (message.tokenCount !== undefined) notes.push(`${message.tokenCount} tokens`);
  const lines = ['', `## ${who} · ${notes.join(' · ')}`, ''];
  if (message.summaryOf !== undefined) {
    lines.push(`> Summary of messages #${message.summaryOf.fromSeq}–#${message.summaryOf.toSeq}`, '');
  }
  if (message.toolCallId !== undefined) lines.push(`Result of tool call \`${message.toolCallId}\`:`, '');
  if (typeof message.content === 'string') {
    lines.push(message.role === 'tool' ? fenced(message.content) : message.content);
  } else {
    message.content.forEach((part, i) => {
      if (i > 0) lines.push('');
      lines.push(renderPart(part));
    });
  }
  return `${lines.join('\n')}\n`;
}

/** One content part: text as is, tool calls and results legibly, anything else as labelled JSON. */
function renderPart(part: ContentPart): string {
  const { type, ...rest } = part;
  if ((type === 'text' || type === 'reasoning') && typeof part.text === 'string') {
    return type === 'text' ? part.text : `> _Reasoning:_ ${part.text.replace(/\n/g, '\n> ')}`;
  }
  if (type === 'tool-call' || type === 'tool_call' || type === 'function_call') {
    const name = stringField(part, ['toolName', 'name']) ?? 'tool';
    const id = stringField(part, ['toolCallId', 'id', 'callId', 'call_id']);
    const args = part.input ?? part.args ?? part.arguments ?? null;
    return `**Tool call** \`${name}\`${id === undefined ? '' : ` (\`${id}\`)`}:\n\n${fenced(pretty(args), 'json')}`;
  }
  if (type === 'tool-result' || type === 'tool_result' || type === 'function_call_output') {
    const name = stringField(part, ['toolName', 'name']);
    const id = stringField(part, ['toolCallId', 'callId', 'call_id', 'tool_use_id']);
    const output = part.output ?? part.result ?? part.content ?? null;
    const label = `**Tool result**${name === undefined ? '' : ` \`${name}\``}${id === undefined ? '' : ` for \`${id}\``}`;
    return `${label}:\n\n${typeof output === 'string' ? fenced(output) : fenced(pretty(output), 'json')}`;
  }
  if (type === 'image' || type === 'file') {
    const what = stringField(part, ['filename', 'name', 'mediaType', 'mimeType']) ?? '';
    return `_[${type}${what === '' ? '' : `: ${oneLine(what)}`}]_`;
  }
  return `_${oneLine(type)}_:\n\n${fenced(pretty(rest), 'json')}`;
}

function stringField(part: ContentPart, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = part[name];
    if (typeof value === 'string') return value;
  }
  return undefined;
}

function pretty(value: JsonValue | Record<string, JsonValue>): string {
  return JSON.stringify(value, null, 2);
}

/** A fenced block long enough that the text's own backtick runs cannot close it. */
function fenced(text: string, language = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${text}\n${fence}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
