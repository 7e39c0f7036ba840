/**
 * The chat page in a real headless Chromium (Debian's, driven by playwright-core): two pages join
 * the room and each sees the other's message. Runs the compiled chat server as its own process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const MAIN = path.resolve(__dirname, '../dist/main.js');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function startChat(): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, CHAT_HOST: '127.0.0.1', CHAT_WS_PORT: '0', CHAT_HTTP_PORT: '0', CHAT_TCP_PORT: '0', PITAYA_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`chat did not start: ${buffered}`)), 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const match = /open (http:\/\/localhost:\d+\/)/.exec(buffered);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!.replace('localhost', '127.0.0.1') });
      }
    });
    child.once('exit', (code) => reject(new Error(`chat exited with ${code}: ${buffered}`)));
  });
}

async function lines(page: Page): Promise<string[]> {
  return page.$$eval('#messages li', (items) => items.map((li) => li.textContent ?? ''));
}

describe('chat page in a browser', () => {
  let chat: { child: ChildProcess; url: string };
  let browser: Browser;

  beforeAll(async () => {
    chat = await startChat();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    chat?.child.kill('SIGTERM');
  });

  it('two pages join and see each other\'s message', async () => {
    const alice = await browser.newPage();
    await alice.goto(chat.url);
    await alice.waitForFunction(() => document.querySelector('#status')?.textContent === 'online');
    await alice.waitForFunction(() => [...document.querySelectorAll('#messages li')].some((li) => li.textContent?.includes('success')));

    const bob = await browser.newPage();
    await bob.goto(`${chat.url}web/`);
    await bob.waitForFunction(() => [...document.querySelectorAll('#messages li')].some((li) => li.textContent?.includes('success')));
    // Alice is told about Bob; Bob got the member list with Alice in it.
    await alice.waitForFunction(() => [...document.querySelectorAll('#messages li')].some((li) => li.textContent?.includes('New user:')));
    expect((await lines(bob)).some((l) => /members: \d+/.test(l))).toBe(true);

    await alice.fill('#nickname', 'alice');
    await alice.fill('#content', 'hello from alice');
    await alice.click('#send');
    await bob.fill('#nickname', 'bob');
    await bob.fill('#content', 'hi alice, bob here');
    await bob.press('#content', 'Enter');

    for (const page of [alice, bob]) {
      await page.waitForFunction(() => {
        const text = [...document.querySelectorAll('#messages li')].map((li) => li.textContent ?? '');
        return text.includes('[alice]hello from alice') && text.includes('[bob]hi alice, bob here');
      });
    }
    await pageScreenshot(bob);
  }, 30_000);
});

async function pageScreenshot(page: Page): Promise<void> {
  if (process.env.CHAT_SCREENSHOT) await page.screenshot({ path: process.env.CHAT_SCREENSHOT });
}
