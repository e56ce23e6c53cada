import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * Starts the machine's Chromium headless for browser tests. CHROMIUM_PATH
 * overrides where it lives; the flags keep it quiet and offline apart from
 * the app under test.
 */
/** Debian's Chromium from PATH (the package installs `chromium`; some systems name it `chromium-browser`). */
function findChromium(): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      const candidate = path.join(dir, name);
      if (fs.existsSync(candidate)) return candidate;
    }
  }
  throw new Error('Chromium not found on PATH: install Debian\'s chromium package or set CHROMIUM_PATH');
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? findChromium(),
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

/** Whether this run should write screenshots (LOTUS_SCREENSHOTS=1), so CI leaves the tree clean. */
export const screenshotsWanted = process.env.LOTUS_SCREENSHOTS === '1';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const shotsDir = path.join(repoRoot, 'docs/screenshots');

/** Fails fast when the client bundle the server serves is missing, and makes room for screenshots. */
export function requireBuiltClient(): void {
  if (!fs.existsSync(path.join(repoRoot, 'dist/client/index.html'))) {
    throw new Error('dist/client is missing: build the client first (npm run build:client)');
  }
  if (screenshotsWanted) fs.mkdirSync(shotsDir, { recursive: true });
}

/** Writes docs/screenshots/<name> when screenshots are wanted. */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  if (!screenshotsWanted) return;
  await page.screenshot({ path: path.join(shotsDir, name), fullPage: options.fullPage ?? true });
}

type ContextOptions = NonNullable<Parameters<Browser['newContext']>[0]>;
/** Who a page belongs to: an account's session token (sent as the httpOnly cookie), or a guest. */
export type PageUser = { token: string } | null;

/** How long a page may take to get its realtime link up on a busy two-core CI machine. */
export const CONNECT_TIMEOUT_MS = 45_000;

/**
 * One browser for a test file: every page gets its own context (so its own session
 * cookie), and every page error or CSP violation is collected in `problems`, which a
 * file asserts to be empty at its end.
 */
export class BrowserHarness {
  readonly problems: string[] = [];
  private readonly contexts: BrowserContext[] = [];

  private constructor(
    readonly browser: Browser,
    private readonly baseUrl: () => string,
    private readonly defaults: ContextOptions,
  ) {}

  static async launch(baseUrl: () => string, defaults: ContextOptions = {}): Promise<BrowserHarness> {
    return new BrowserHarness(await launchBrowser(), baseUrl, { locale: 'en-US', ...defaults });
  }

  /** A fresh page at `#<hash>` (or blank when no hash), logged in as `user` or a guest. */
  async open(user: PageUser, hash: string | null, options: ContextOptions = {}, timeoutMs = 15_000): Promise<Page> {
    const context = await this.browser.newContext({ ...this.defaults, ...options });
    this.contexts.push(context);
    if (user) await context.addCookies([{ name: 'lotus_token', value: user.token, url: this.baseUrl() }]);
    const page = await context.newPage();
    page.setDefaultTimeout(timeoutMs);
    page.on('pageerror', (err) => this.problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (/Content.Security.Policy/i.test(msg.text())) this.problems.push(`CSP: ${msg.text()}`);
    });
    if (hash !== null) await page.goto(`${this.baseUrl()}/#${hash}`);
    return page;
  }

  /** A room's viewer page, once its realtime link has joined the room. */
  async openRoom(roomId: string, user: PageUser, options: ContextOptions = {}): Promise<Page> {
    const page = await this.open(user, `/rooms/${roomId}`, options);
    await connected(page, 'connection-status');
    return page;
  }

  async close(): Promise<void> {
    for (const context of this.contexts) await context.close().catch(() => undefined);
    await this.browser.close();
  }
}

/** Waits until the element with this test id reports data-status=connected. */
export async function connected(page: Page, testId: string): Promise<void> {
  await page.locator(`[data-testid=${testId}][data-status=connected]`).waitFor({ timeout: CONNECT_TIMEOUT_MS });
}

/** Waits until the video really plays (muted, as headless Chromium has no one to tap "unmute"). */
export async function playing(page: Page): Promise<void> {
  await page.evaluate(() => {
    const v = document.querySelector('video')!;
    v.muted = true;
    if (v.paused) void v.play().catch(() => undefined);
  });
  await page.waitForFunction(() => {
    const v = document.querySelector('video');
    return !!v && !v.paused && v.readyState >= 3 && v.currentTime > 0;
  });
}

/** A comment drawn over the video, found by its text inside the danmaku layer. */
export const onScreen = (page: Page, text: string) => page.getByTestId('danmaku-layer').getByText(text, { exact: true });

/** Clicks one of the player's controls, first moving the pointer over the player so they are not faded out. */
export async function clickControl(page: Page, testId: string): Promise<void> {
  const box = (await page.getByTestId('player-surface').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 3);
  await page.mouse.move(box.x + box.width / 2 + 5, box.y + box.height / 3 + 5);
  await page.getByTestId(testId).click();
}
