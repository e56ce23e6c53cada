import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import type { Room } from '../../contracts/rooms.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { createAccount, type Account } from '../support/accounts.js';
import { createRoom } from '../support/rooms.js';
import { connectSocket, emitAck, type ClientSocket } from '../support/sockets.js';
import { eventually, startTestWorkers } from '../support/workers.js';
import type { WorkerRuntime } from '../../workers/runtime.js';
import { BrowserHarness, playing, repoRoot, requireBuiltClient, screenshotsWanted, shotsDir, onScreen } from './browser.js';

const XSS = '<img src=x onerror=window.__xss=1>';

let app: TestApp;
let browser: BrowserHarness;
let workers: WorkerRuntime;
let mod: Account;
let fanA: Account;
let fanB: Account;
let live: Room;
const sockets: ClientSocket[] = [];
const desktop = { viewport: { width: 1280, height: 720 } };

const openRoom = (room: Room, account: Account | null, options = {}) => browser.openRoom(room.id, account, options);

async function fanSocket(): Promise<ClientSocket> {
  const account = await createAccount(app);
  const socket = await connectSocket(app.url, { token: account.token });
  sockets.push(socket);
  return socket;
}

/** A lively mix: colours, modes, Chinese and English, and one repeat that merges into "×3". */
const chatter: Array<{ text: string; color: string; mode?: 'scroll' | 'top' | 'bottom' }> = [
  { text: 'Lotus Saga 首映打卡', color: '#00a0ff', mode: 'top' },
  { text: '前方高能！！！', color: '#fe0302' },
  { text: 'The opening shot is gorgeous', color: '#ffffff' },
  { text: '第一集终于来了！', color: '#ffd302' },
  { text: 'that soundtrack though', color: '#a0ee00' },
  { text: '这个转场绝了', color: '#ff7204' },
  { text: 'who else is watching from Berlin?', color: '#ffffff' },
  { text: '弹幕护体', color: '#cc0273' },
  { text: '名场面预定', color: '#ffffff' },
  { text: 'no spoilers pls ~', color: '#00cd00' },
  { text: '画质好清晰', color: '#00a0ff' },
  { text: 'goosebumps!!', color: '#ffffff' },
  { text: '来了来了', color: '#ffd302' },
  { text: '这配乐我能循环一整天', color: '#ffffff' },
  { text: 'hi from Singapore', color: '#ff5c8a' },
  { text: '233333', color: '#ffffff' },
  { text: '233333', color: '#ffffff' },
  { text: '233333', color: '#ffffff' },
  { text: 'Chapter 1: The Pond · 第一章', color: '#ffd302', mode: 'bottom' },
  { text: '前排合影', color: '#a0ee00' },
  { text: 'best premiere of the year', color: '#ff5c8a' },
  { text: '哈哈哈哈哈', color: '#ffffff' },
];

/**
 * Sends the chatter in waves of six, each once the previous wave has moved a little
 * across the screen, so the comments spread over the picture (no fixed sleeps).
 * `beforeLastWave` lets the page's own fan chime in while the screen is busy.
 */
async function fillScreen(page: Page, senders: ClientSocket[], room: Room, lines: typeof chatter, beforeLastWave: () => Promise<void>): Promise<void> {
  const WAVE = 6;
  for (let start = 0; start < lines.length; start += WAVE) {
    if (start + WAVE >= lines.length) await beforeLastWave();
    const wave = lines.slice(start, start + WAVE);
    await Promise.all(
      wave.map((c, i) => emitAck(senders[(start + i) % senders.length], 'danmaku:send', { roomId: room.id, mode: c.mode ?? 'scroll', color: c.color, text: c.text })),
    );
    const last = wave.find((c) => (c.mode ?? 'scroll') === 'scroll')?.text;
    if (!last) continue;
    await page.waitForFunction(
      (text) => {
        const layer = document.querySelector('[data-testid=danmaku-layer]')!.getBoundingClientRect();
        const el = Array.from(document.querySelectorAll<HTMLElement>('[data-testid=danmaku-layer] .dm')).find((e) => e.textContent?.startsWith(text));
        return !!el && layer.right - el.getBoundingClientRect().right > layer.width * 0.18;
      },
      last.normalize('NFKC'), // the server stores text NFKC-normalised (！ becomes !)
    );
  }
}

describe('viewer: video with danmaku', () => {
  beforeAll(async () => {
    requireBuiltClient();
    if (!fs.existsSync(path.join(repoRoot, 'media/demo-premiere.mp4'))) throw new Error('media/demo-premiere.mp4 is missing');
    // No per-user pacing: the test sends several comments in a row from one account.
    [app, browser] = await Promise.all([startTestApp({ env: { DANMAKU_USER_INTERVAL_MS: '0' } }), BrowserHarness.launch(() => app.url, desktop)]);
    workers = await startTestWorkers(app);
    [mod, fanA, fanB] = await Promise.all([createAccount(app, 'moderator'), createAccount(app), createAccount(app)]);
    live = await createRoom(app, mod, { agoMs: 20_000, durationMs: 180_000 });
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    await browser?.close();
    await workers?.close();
    await app?.stop();
  });

  it('shows a comment typed by one fan over the other fan’s video, as text only', { timeout: 60_000 }, async () => {
    const [a, b] = await Promise.all([openRoom(live, fanA), openRoom(live, fanB)]);
    await Promise.all([playing(a), playing(b)]);
    // Live: the picture follows the server clock (the room started 20 s ago).
    const position = await b.evaluate(() => document.querySelector('video')!.currentTime);
    expect(position).toBeGreaterThan(15);

    const hello = 'Hello from A · 你好 B';
    await a.getByTestId('comment-input').fill(hello);
    await expect(a.getByTestId('comment-count').textContent()).resolves.toBe(`${hello.length}/100`);
    // An emoji is one character, as on the server: a family of three joined emoji too.
    await a.getByTestId('comment-input').fill('😂👨‍👩‍👧');
    await expect(a.getByTestId('comment-count').textContent()).resolves.toBe('2/100');
    // Past 100 the box says so and will not send; nothing is cut off behind the fan's back.
    await a.getByTestId('comment-input').fill('😂'.repeat(101));
    await expect(a.getByTestId('comment-count').textContent()).resolves.toBe('101/100');
    await a.getByTestId('send-too-long').waitFor();
    await expect(a.getByTestId('comment-send').isDisabled()).resolves.toBe(true);
    await a.getByTestId('comment-input').fill(hello);
    await a.getByTestId('comment-input').press('Enter');
    await onScreen(b, hello).waitFor();
    // The sender sees it at once, outlined as their own; the other fan's list has it too.
    await a.locator('[data-testid=danmaku-layer] .dm--own', { hasText: hello }).waitFor();
    await b.getByTestId('comment-list').getByText(hello).waitFor();
    await expect(a.getByTestId('comment-input').inputValue()).resolves.toBe('');

    // Markup in a comment is shown as the literal characters and never runs.
    await a.getByTestId('comment-input').fill(XSS);
    await a.getByTestId('comment-input').press('Enter');
    await onScreen(b, XSS).waitFor();
    await onScreen(a, XSS).waitFor();
    for (const page of [a, b]) {
      await expect(page.evaluate(() => (window as { __xss?: unknown }).__xss)).resolves.toBeUndefined();
      await expect(page.locator('[data-testid=danmaku-layer] img, [data-testid=comment-list] img').count()).resolves.toBe(0);
    }
  });

  it('likes and reports from the comment list; moderators’ retractions leave every screen', { timeout: 60_000 }, async () => {
    const [a, b] = await Promise.all([openRoom(live, fanA), openRoom(live, fanB)]);
    await Promise.all([playing(a), playing(b)]);
    const socket = await fanSocket();
    const liked = await emitAck(socket, 'danmaku:send', { roomId: live.id, text: 'like me if you cried' });
    const item = b.getByTestId('comment-item').filter({ hasText: 'like me if you cried' });
    await item.getByTestId('comment-like').click();
    await item.locator('[data-testid=comment-like][aria-pressed=true]', { hasText: '1' }).waitFor();

    await emitAck(socket, 'danmaku:send', { roomId: live.id, text: 'buy cheap followers' });
    const spam = b.getByTestId('comment-item').filter({ hasText: 'buy cheap followers' });
    await spam.getByTestId('comment-report').click();
    await spam.getByTestId('report-form').locator('select').selectOption('spam');
    await spam.getByTestId('report-form').getByRole('button', { name: 'Report' }).click();
    await spam.getByText('Reported').waitFor();
    // Out of the reporter's sight at once.
    await onScreen(b, 'buy cheap followers').waitFor({ state: 'detached' });

    const rude = await emitAck(socket, 'danmaku:send', { roomId: live.id, text: 'a rude remark' });
    await Promise.all([onScreen(a, 'a rude remark').waitFor(), onScreen(b, 'a rude remark').waitFor()]);
    const hidden = await app.http
      .post('/api/moderation/actions')
      .set('Authorization', mod.bearer)
      .send({ targetType: 'danmaku', targetId: rude.danmaku.id, action: 'hide', reason: 'abuse' });
    expect(hidden.status, JSON.stringify(hidden.body)).toBe(201);
    for (const page of [a, b]) {
      await onScreen(page, 'a rude remark').waitFor({ state: 'detached' });
      await page.getByTestId('comment-item').filter({ hasText: 'a rude remark' }).waitFor({ state: 'detached' });
    }
    expect(liked.ok).toBe(true);
  });

  it('counts down to a scheduled premiere and starts playing by itself', { timeout: 120_000 }, async () => {
    // Far enough ahead that a slow machine still opens the page before the start (a CI run
    // with both cores busy once took 17 s to open it, past a 15 s start).
    const soon = await createRoom(app, mod, { startsAt: new Date(Date.now() + 35_000), durationMs: 180_000 });
    const page = await openRoom(soon, fanA);
    await page.getByTestId('countdown').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('comment-input').isDisabled()).resolves.toBe(true);
    // No tap from anyone: the player starts at the premiere's start (muted if the browser insists).
    await page.locator('[data-testid=player][data-phase=live]').waitFor({ timeout: 50_000 });
    await page.waitForFunction(() => {
      const v = document.querySelector('video');
      return !!v && !v.paused && v.currentTime > 0.5;
    });
    await expect(page.getByTestId('countdown').count()).resolves.toBe(0);
    await expect(page.getByTestId('comment-input').isDisabled()).resolves.toBe(false);
  });

  it('asks guests to log in before commenting', async () => {
    const guest = await openRoom(live, null);
    const prompt = guest.getByTestId('comment-login');
    await prompt.waitFor();
    await expect(prompt.textContent()).resolves.toContain('Log in to comment');
    await expect(guest.getByTestId('comment-input').count()).resolves.toBe(0);
  });

  it('replays stored comments at their moment in an ended premiere', { timeout: 60_000 }, async () => {
    const replay = await createRoom(app, mod, { startsAt: new Date(Date.now() - 86_400_000), durationMs: 180_000 });
    const socket = await fanSocket();
    const stored = [
      { text: 'Replay at five', offsetMs: 5_000 },
      { text: '回放 · six', offsetMs: 6_000 },
      { text: 'Much later', offsetMs: 150_000 },
    ];
    for (const c of stored) {
      const ack = await emitAck(socket, 'danmaku:send', { roomId: replay.id, mode: 'scroll', color: '#ffd302', ...c });
      expect(ack.ok, JSON.stringify(ack)).toBe(true);
    }
    await eventually(async () => (await app.http.get(`/api/rooms/${replay.id}/danmaku`)).body.items.length === stored.length);

    const page = await openRoom(replay, fanB);
    await page.locator('[data-testid=player][data-phase=ended]').waitFor(); // set once the player's first poll has run
    await page.getByTestId('density-bar').waitFor();
    await page.evaluate(() => {
      document.querySelector('video')!.currentTime = 3.5;
    });
    await playing(page);
    await onScreen(page, 'Replay at five').waitFor();
    await onScreen(page, '回放 · six').waitFor();
    await expect(onScreen(page, 'Much later').count()).resolves.toBe(0);
    await page.getByTestId('comment-list').getByText('Replay at five').waitFor();
  });

  it('fits phones and desktops with a busy screen', { timeout: 90_000 }, async () => {
    const room = await createRoom(app, mod, { agoMs: 42_000, durationMs: 180_000 });
    const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
    const [wide, small] = await Promise.all([openRoom(room, fanA), openRoom(room, fanB, phone)]);
    await Promise.all([playing(wide), playing(small)]);
    const [s1, s2, s3] = await Promise.all([fanSocket(), fanSocket(), fanSocket()]);
    // Three identical comments close together show as one, "×3" — checked while it is still on screen.
    await Promise.all([s1, s2, s3].map((s) => emitAck(s, 'danmaku:send', { roomId: room.id, mode: 'scroll', color: '#ffffff', text: '233333' })));
    await wide.locator('[data-testid=danmaku-layer] .dm__count', { hasText: '×3' }).waitFor();
    // The full scene only for screenshots; otherwise a little chatter after the repeat.
    const after = chatter.slice(chatter.findIndex((c) => c.text === '233333') + 3);
    const lines = screenshotsWanted ? chatter.filter((c) => c.text !== '233333') : after;
    await fillScreen(wide, [s1, s2, s3], room, lines, async () => {
      await wide.getByTestId('comment-input').fill('我也来了 · here for E01!');
      await wide.getByTestId('comment-input').press('Enter');
      await wide.locator('[data-testid=danmaku-layer] .dm--own').waitFor();
    });

    // Nothing sideways on a phone, and the send bar and controls stay within reach.
    const { scrollWidth, innerWidth } = await small.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    await small.getByTestId('comment-input').waitFor();
    if (!screenshotsWanted) return;
    // The status row at the top of the window, the player and the list below it; controls showing.
    await wide.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      window.scrollTo(0, document.querySelector('.viewer__bar')!.getBoundingClientRect().top + window.scrollY - 78);
    });
    await wide.mouse.move(700, 420);
    await wide.screenshot({ path: path.join(shotsDir, 'viewer-live.png') });
    await small.screenshot({ path: path.join(shotsDir, 'viewer-phone.png') });
  });

  it('ran without page errors or CSP violations', () => {
    expect(browser.problems).toEqual([]);
  });
});
