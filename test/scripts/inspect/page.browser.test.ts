/**
 * The inspector's web page in a real browser: Debian's Chromium, headless, driven by
 * playwright-core, against `agentcore-memory inspect --serve` on the AgentCore stand-in.
 * `UPDATE_SCREENSHOTS=1` writes the screenshots into docs/images for the README.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { EXPORT_FORMAT } from '../../../lambda/inspector/index.js';
import { runInspectCli } from '../../../scripts/inspect/index.js';
import { collectingIo, inspectFixture, MEMORY_ID, target, type InspectFixture } from './inspect-fixture.js';

const ROOT = path.join(__dirname, '..', '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let fixture: InspectFixture;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let url: string;
let origin: string;
let stopServer: () => void;
let served: Promise<number>;
/** What the command printed on stderr so far. */
let serverLog: () => string;
const browserErrors: string[] = [];

const screenshot = (name: string) =>
  page.screenshot({
    path: path.join(process.env.UPDATE_SCREENSHOTS ? path.join(ROOT, 'docs', 'images') : fixture.directory, name),
  });

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  fixture = inspectFixture();
  const io = collectingIo();
  serverLog = io.err;
  served = runInspectCli(
    ['--serve', ...target(), '--audit-log', fixture.auditLogPath, '--operator', 'ops@laptop'],
    io,
    {
      ...fixture.dependencies,
      serveUntil: () => new Promise<void>((resolve) => (stopServer = resolve)),
    },
  );
  let ended = false;
  void served.finally(() => (ended = true));
  while (!io.out().includes('\n')) {
    if (ended) throw new Error(`inspect --serve did not start: ${io.err()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  url = io.out().trim();
  origin = new URL(url).origin;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  context = await browser.newContext({ viewport: { width: 1200, height: 820 }, timezoneId: 'UTC', locale: 'en-GB' });
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') browserErrors.push(message.text());
  });
  page.on('pageerror', (error) => browserErrors.push(error.message));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  stopServer?.();
  expect(await served).toBe(0);
});

const record = (text: string) => page.locator('li.record', { hasText: text });

describe('the inspector page in Chromium', () => {
  test('the printed URL is 127.0.0.1 with a long random token; opening it trades the token for a cookie', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    const response = await page.goto(url);
    expect(page.url()).toBe(`${origin}/`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'none'; script-src 'self'");
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', domain: '127.0.0.1' });
    expect(cookie.value).not.toBe(new URL(url).searchParams.get('token'));
  });

  test("shows the user's memories grouped by strategy, and their sessions", async () => {
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Memory of u1');
    await page.getByText('5 memories in 3 strategies').waitFor();
    const groups = await page.locator('section.strategy h3').allTextContents();
    expect(groups).toEqual([
      'facts-1a2b3c (SEMANTIC) (2)',
      'preferences-4d5e6f (USER_PREFERENCE) (2)',
      'summaries-7a8b9c (SUMMARIZATION) (1)',
    ]);
    await expect(page.locator('body').textContent()).resolves.not.toContain('peanuts');
    await expect(page.locator('#memory-summary').textContent()).resolves.toContain(MEMORY_ID);

    const sessions = page.locator('#session-timeline > li');
    await expect(sessions.allTextContents()).resolves.toEqual([
      expect.stringContaining('session dog-sitter'),
      expect.stringContaining('session trip-lisbon'),
    ]);
    await sessions.nth(1).locator('summary').click();
    await page.getByText('Find me a flight to Lisbon in May, window seat please.').waitFor();
    await screenshot('inspector-memories.png');
  });

  test('search by words narrows the list; "Show all" brings it back', async () => {
    await page.getByRole('searchbox', { name: 'Search the memories' }).fill('window');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByText('2 memories matching “window” in 2 strategies').waitFor();
    await expect(page.locator('li.record p:first-child').allTextContents()).resolves.toEqual([
      'Prefers window seats on long flights.',
      'Planned a May trip to Lisbon and asked for flights with a window seat.',
    ]);
    await screenshot('inspector-search.png');
    await page.getByRole('button', { name: 'Show all' }).click();
    await page.getByText('5 memories in 3 strategies').waitFor();
  });

  test('corrects one memory through the dialog', async () => {
    const id = fixture.recordId('Has a beagle called Biscuit.');
    await page.getByRole('button', { name: 'Correct the memory: Has a beagle called Biscuit.' }).click();
    const dialog = page.getByRole('dialog', { name: 'Correct this memory' });
    await dialog.waitFor();
    const text = dialog.getByRole('textbox', { name: 'Memory text' });
    await expect(text.inputValue()).resolves.toBe('Has a beagle called Biscuit.');
    await text.fill('Has a beagle called Biscuit, who is nine.');
    await screenshot('inspector-correct.png');
    await dialog.getByRole('button', { name: 'Save the correction' }).click();
    await page.getByText('The memory was corrected.').waitFor();
    await record('Has a beagle called Biscuit, who is nine.').waitFor();
    expect(fixture.standIn.records.find((stored) => stored.memoryRecordId === id)?.text).toBe(
      'Has a beagle called Biscuit, who is nine.',
    );

    // Escape after an edit, even right after a save, sends nothing.
    await page.getByRole('button', { name: 'Correct the memory: Works night shifts as a nurse in Lyon.' }).click();
    await text.fill('Works day shifts.');
    const changes: string[] = [];
    page.on('request', (request) => {
      if (request.method() !== 'GET') changes.push(request.url());
    });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    // The dialog's close event runs in a task of its own; a change would have been sent within this wait.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
    expect(changes).toEqual([]);
    expect(fixture.standIn.count('BatchUpdateMemoryRecords')).toBe(1);
    await record('Works night shifts as a nurse in Lyon.').waitFor();
  });

  test('deletes one memory only after the confirmation: Escape keeps it, the keyboard reaches every control', async () => {
    const text = 'Likes short answers, in French when possible.';
    const remove = page.getByRole('button', { name: `Delete the memory: ${text}` });
    await remove.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Delete this memory?' });
    await dialog.waitFor();
    // Cancel has the focus: Enter on the dialog by mistake keeps the memory.
    await expect(page.locator(':focus').textContent()).resolves.toBe('Cancel');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(fixture.standIn.count('BatchDeleteMemoryRecords')).toBe(0);

    await remove.click();
    await dialog.waitFor();
    await screenshot('inspector-delete.png');
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByText('The memory was deleted.').waitFor();
    await record(text).waitFor({ state: 'detached' });
    expect(fixture.standIn.deleted.records).toEqual([fixture.recordId(text)]);
    expect(fixture.audit()).toEqual([
      expect.objectContaining({ action: 'correct', operator: 'ops@laptop', before: 'Has a beagle called Biscuit.' }),
      expect.objectContaining({ action: 'delete', operator: 'ops@laptop', before: text }),
    ]);
  });

  test('downloads the export: the whole document of this user', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the export (JSON)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^memory-export-u1-\d{4}-\d\d-\d\dT[\d-]+Z\.json$/);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
    expect(exported).toMatchObject({ format: EXPORT_FORMAT, memoryId: MEMORY_ID, userId: 'u1', actorId: 'u1' });
    expect(exported.records.map((stored: { text: string }) => stored.text).sort()).toEqual([
      'Has a beagle called Biscuit, who is nine.',
      'Planned a May trip to Lisbon and asked for flights with a window seat.',
      'Prefers window seats on long flights.',
      'Works night shifts as a nurse in Lyon.',
    ]);
    expect(exported.counts).toMatchObject({ records: 4, sessions: 2, events: 4 });
    expect(JSON.stringify(exported)).not.toContain('peanuts');
  });

  test('a request without the session, or with the used token, is refused', async () => {
    expect((await fetch(`${origin}/`)).status).toBe(401);
    expect((await fetch(`${origin}/api/records`)).status).toBe(401);
    expect((await fetch(`${origin}/export`)).status).toBe(401);
    expect((await fetch(url)).status).toBe(401);
  });

  test('a request from another origin is refused, even with the cookie', async () => {
    const other: Server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<!doctype html><title>another local page</title>');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const otherPage = await context.newPage();
      const otherOrigin = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
      await otherPage.goto(`${otherOrigin}/`);
      // Another port of 127.0.0.1 is the same site: the browser sends the SameSite cookie along.
      const read = await otherPage.evaluate(
        (target) =>
          fetch(target, { mode: 'no-cors', credentials: 'include' }).then(
            () => 'opaque',
            () => 'blocked',
          ),
        `${origin}/api/records`,
      );
      // The server refuses it; the browser then also withholds the answer (Cross-Origin-Resource-Policy).
      expect(read).toBe('blocked');
      expect(serverLog()).toMatch(
        /Refused GET \/api\/records \((same-site|http:\/\/127\.0\.0\.1:\d+)\): 403, cross-origin request/,
      );
      const deleted = await otherPage.evaluate(
        (target) =>
          fetch(target, { method: 'DELETE', credentials: 'include' }).then(
            (response) => response.status,
            () => 'blocked',
          ),
        `${origin}/api/records/${fixture.recordId('Works night shifts as a nurse in Lyon.')}`,
      );
      expect(deleted).toBe('blocked');
      expect(serverLog()).toMatch(new RegExp(`Refused OPTIONS /api/records/\\S+ \\(${otherOrigin}\\): 403`));
      expect(fixture.standIn.deleted.records).toHaveLength(1);
      await otherPage.close();
    } finally {
      other.close();
    }
  });

  test('with the cookie, only the exact Host and this origin are answered', async () => {
    const [cookie] = await context.cookies();
    const ask = (headers: Record<string, string>, method = 'GET') =>
      new Promise<number>((resolve, reject) => {
        const request = httpRequest(
          `${origin}/api/records`,
          { method, headers: { cookie: `${cookie.name}=${cookie.value}`, ...headers } },
          (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          },
        );
        request.on('error', reject);
        request.end();
      });
    expect(await ask({})).toBe(200);
    expect(await ask({ host: `inspector.attacker.example:${new URL(origin).port}` })).toBe(403);
    expect(await ask({ host: `localhost:${new URL(origin).port}` })).toBe(403);
    expect(await ask({ origin: 'http://127.0.0.1:1' })).toBe(403);
    expect(await ask({ 'sec-fetch-site': 'cross-site' })).toBe(403);
    expect(await ask({ 'sec-fetch-site': 'same-site' })).toBe(403);
    expect(await ask({}, 'DELETE')).toBe(403);
  });

  test('the page loaded nothing it was not allowed to, and raised no error', () => {
    expect(browserErrors).toEqual([]);
  });
});
