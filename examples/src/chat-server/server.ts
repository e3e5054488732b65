import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { generateMessageId, loadUIMessages, saveUIMessages } from '@fluxibly/ai-sdk';
import { StateManager, type ConversationRepository } from '@fluxibly/core';
import { convertToModelMessages, streamText, type LanguageModel, type UIMessage } from 'ai';

const PAGE = new URL('./page.html', import.meta.url);

async function body(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

function json(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

/**
 * A chat server on plain `node:http`: the page, the thread list, a thread's messages (`loadUIMessages`), and the chat
 * route — load nothing, stream with `streamText`, save in `onFinish` with `saveUIMessages` (the client sends its
 * whole history; nothing is duplicated, a regenerate replaces the old reply).
 */
export function chatServer(
  repository: ConversationRepository,
  model: LanguageModel,
  user = { userId: 'demo-user', orgId: 'demo-org' },
): Server {
  const state = new StateManager({ repository, ...user });
  return createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) json(response, 500, { error: error instanceof Error ? error.message : String(error) });
      else response.end();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    const messagesOf = /^\/api\/threads\/([^/]+)\/messages$/.exec(pathname);
    if (request.method === 'GET' && pathname === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(await readFile(PAGE));
    } else if (request.method === 'GET' && pathname === '/api/threads') {
      const threads = await state.listThreads({ limit: 50 });
      json(
        response,
        200,
        threads.map((thread) => ({ id: thread.id, name: thread.name, messageCount: thread.messageCount })),
      );
    } else if (request.method === 'POST' && pathname === '/api/threads') {
      json(response, 201, { id: (await state.createThread('New chat')).id });
    } else if (request.method === 'GET' && messagesOf !== null) {
      json(response, 200, await loadUIMessages(state, { threadId: decodeURIComponent(messagesOf[1] as string) }));
    } else if (request.method === 'POST' && pathname === '/api/chat') {
      const { threadId, messages } = (await body(request)) as { threadId: string; messages: UIMessage[] };
      const result = streamText({ model, messages: await convertToModelMessages(messages) });
      await result.pipeUIMessageStreamToResponse(response, {
        originalMessages: messages,
        generateMessageId,
        onFinish: async ({ messages: all, isAborted }) => {
          await saveUIMessages(state, all, { threadId, isAborted });
        },
      });
    } else json(response, 404, { error: 'not found' });
  }
}
