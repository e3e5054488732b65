import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoModel } from '../src/chat-server/mock-model.js';
import { chatServer } from '../src/chat-server/server.js';
import { openBackend, type Backend } from '../src/support/backend.js';

/**
 * The chat example end to end in headless Chromium (Debian's `chromium`, driven by playwright-core; `.ci/run`
 * installs it): send, reload — the conversation is still there —, regenerate, and the thread list shows the thread.
 * Runs on the backend of the environment (`DB_BACKEND`, memory by default). Under `CI=true` a missing browser fails.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasBrowser = existsSync(CHROMIUM);
if (!hasBrowser && process.env.CI === 'true') throw new Error(`${CHROMIUM} is required when CI=true`);

describe.skipIf(!hasBrowser)('chat example in headless Chromium', () => {
  let backend: Backend;
  let server: ReturnType<typeof chatServer>;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    backend = await openBackend();
    server = chatServer(backend.repository, echoModel(), {
      userId: backend.scoped('user'),
      orgId: backend.scoped('org'),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await backend?.repository.close();
  });

  it('sends, survives a reload, regenerates, and lists the thread', async () => {
    const page = await browser.newPage();
    await page.goto(base);
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill('#input', 'hello browser');
    await page.click('#send');
    await page.waitForSelector('#messages li[data-role="assistant"]:has-text("reply 1: hello browser")');
    await page.waitForSelector('#status:has-text("idle")');
    const threadId = new URL(page.url()).searchParams.get('thread');
    expect(threadId).not.toBeNull();

    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.locator('#messages li').allTextContents()).toEqual(['hello browser', 'reply 1: hello browser']);

    await page.click('#regenerate');
    await page.waitForSelector('#messages li[data-role="assistant"]:has-text("reply 2: hello browser")');
    await page.waitForSelector('#status:has-text("idle")');
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.locator('#messages li').allTextContents()).toEqual(['hello browser', 'reply 2: hello browser']);

    const listed = page.locator(`#threads a[data-thread-id="${threadId}"]`);
    expect(await listed.textContent()).toBe('New chat (2)');
  });
});
