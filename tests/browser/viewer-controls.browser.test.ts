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
import { allowance } from '../support/allowance.js';
import type { WorkerRuntime } from '../../workers/runtime.js';
import { BrowserHarness, connected, playing, repoRoot, requireBuiltClient, clickControl, onScreen } from './browser.js';

/**
 * The viewer's own controls over the danmaku and the picture: personal settings kept on
 * the device, fullscreen with the comments, a replay that follows pause, seek and speed,
 * and a live picture that stays on the premiere's clock.
 */

let app: TestApp;
let browser: BrowserHarness;
let workers: WorkerRuntime;
let mod: Account;
let fanA: Account;
let fanB: Account;
const sockets: ClientSocket[] = [];
const desktop = { viewport: { width: 1280, height: 720 } };

const openRoom = (room: Room, account: Account | null, options = {}) => browser.openRoom(room.id, account, options);

/** The same comment in the side list (which shows what arrived, whatever is drawn). */
const inList = (page: Page, text: string) => page.getByTestId('comment-list').getByText(text, { exact: true });

async function fanSocket(): Promise<ClientSocket> {
  const account = await createAccount(app);
  const socket = await connectSocket(app.url, { token: account.token });
  sockets.push(socket);
  return socket;
}

async function send(socket: ClientSocket, room: Room, text: string, extra: { mode?: 'scroll' | 'top' | 'bottom'; offsetMs?: number } = {}): Promise<void> {
  const ack = await emitAck(socket, 'danmaku:send', { roomId: room.id, mode: 'scroll', color: '#ffffff', text, ...extra });
  expect(ack.ok, JSON.stringify(ack)).toBe(true);
}

const layerOpacity = (page: Page) => page.getByTestId('danmaku-layer').evaluate((el) => getComputedStyle(el).opacity);

/**
 * Starts watching the danmaku layer for `text` being drawn from now on (the renderer re-uses
 * a comment's node, so "drawn" means its node is added to the layer again); `drawn` then waits.
 */
async function watchFor(page: Page, text: string): Promise<void> {
  await page.evaluate(
    ({ text, timeoutMs }) => {
      type Drawn = { at: number; wallMs: number };
      const w = window as unknown as { __drawn?: Record<string, Promise<Drawn>> };
      const layer = document.querySelector('[data-testid=danmaku-layer]')!;
      const video = document.querySelector('video')!;
      const start = performance.now();
      w.__drawn ??= {};
      w.__drawn[text] = new Promise<Drawn>((resolve, reject) => {
        const timer = setTimeout(() => {
          observer.disconnect();
          reject(new Error(`"${text}" was not drawn within ${timeoutMs} ms (video at ${video.currentTime} s)`));
        }, timeoutMs);
        const observer = new MutationObserver((records) => {
          for (const record of records) {
            for (const node of record.addedNodes) {
              if (!(node instanceof HTMLElement)) continue;
              const dm = node.matches('.dm') ? node : node.querySelector('.dm');
              if (dm?.firstChild?.textContent !== text) continue;
              clearTimeout(timer);
              observer.disconnect();
              resolve({ at: video.currentTime, wallMs: performance.now() - start });
              return;
            }
          }
        });
        observer.observe(layer, { childList: true, subtree: true });
      });
    },
    { text, timeoutMs: allowance(15_000) },
  );
}

/** Waits for what `watchFor(page, text)` started: the media time (s) it was drawn at and the wall time (ms) it took. */
function drawn(page: Page, text: string): Promise<{ at: number; wallMs: number }> {
  return page.evaluate((text) => (window as unknown as { __drawn: Record<string, Promise<{ at: number; wallMs: number }>> }).__drawn[text], text);
}

const video = {
  time: (page: Page) => page.evaluate(() => document.querySelector('video')!.currentTime),
  set: (page: Page, seconds: number) =>
    page.evaluate((s) => {
      document.querySelector('video')!.currentTime = s;
    }, seconds),
  /** Waits until a seek has finished and there is enough data to play on. */
  settled: (page: Page) =>
    page.waitForFunction(() => {
      const v = document.querySelector('video')!;
      return !v.seeking && v.readyState >= 3;
    }),
};

/** How far (ms) the video is from the premiere's live position, on this machine's clock (the server's too). */
const driftMs = (page: Page, room: Room) =>
  page.evaluate((startsAt) => document.querySelector('video')!.currentTime * 1000 - (Date.now() - Date.parse(startsAt)), room.startsAt);

describe('viewer: settings, fullscreen and playback', () => {
  beforeAll(async () => {
    requireBuiltClient();
    if (!fs.existsSync(path.join(repoRoot, 'media/demo-premiere.mp4'))) throw new Error('media/demo-premiere.mp4 is missing');
    // No per-user pacing: one fan sends several comments in a row.
    [app, browser] = await Promise.all([startTestApp({ env: { DANMAKU_USER_INTERVAL_MS: '0' } }), BrowserHarness.launch(() => app.url, desktop)]);
    workers = await startTestWorkers(app);
    [mod, fanA, fanB] = await Promise.all([createAccount(app, 'moderator'), createAccount(app), createAccount(app)]);
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    await browser?.close();
    await workers?.close();
    await app?.stop();
  });

  it('keeps the viewer’s danmaku settings on the device and applies them to the overlay', { timeout: allowance(90_000) }, async () => {
    const room = await createRoom(app, mod, { agoMs: 20_000, durationMs: 180_000 });
    const page = await openRoom(room, fanB);
    await playing(page);
    const socket = await fanSocket();
    await expect(layerOpacity(page)).resolves.toBe('0.9');

    await clickControl(page, 'settings-toggle');
    const panel = page.getByTestId('viewer-settings');
    await panel.waitFor();
    await panel.getByTestId('show-top').click();
    await expect.poll(() => panel.getByTestId('show-top').getAttribute('aria-pressed')).toBe('false');
    await expect(panel.getByTestId('show-scroll').getAttribute('aria-pressed')).resolves.toBe('true');
    await panel.getByTestId('opacity').fill('50');
    await panel.locator('output', { hasText: '50%' }).waitFor();
    await panel.getByTestId('blocklist').fill('pineapple');
    await panel.getByRole('button', { name: 'Done' }).click();
    await panel.waitFor({ state: 'detached' });
    await expect.poll(() => layerOpacity(page)).toBe('0.5');

    /** A top comment (hidden mode), one with the blocked word in other case, then an ordinary one. */
    async function checkFilters(round: string): Promise<void> {
      const top = `Pinned at the top ${round}`;
      const blocked = `PineApple belongs on pizza ${round}`;
      const ordinary = `An ordinary comment ${round}`;
      await send(socket, room, top, { mode: 'top' });
      await send(socket, room, blocked);
      await send(socket, room, ordinary);
      await onScreen(page, ordinary).waitFor();
      // The top comment arrived (it is in the list) but is not drawn; the blocked one is neither.
      await inList(page, top).waitFor();
      await inList(page, ordinary).waitFor();
      await expect(onScreen(page, top).count()).resolves.toBe(0);
      await expect(onScreen(page, blocked).count()).resolves.toBe(0);
      await expect(inList(page, blocked).count()).resolves.toBe(0);
      await expect(page.locator('[data-testid=danmaku-layer] .dm[data-mode=top]').count()).resolves.toBe(0);
    }
    await checkFilters('(1)');

    // Kept on this device, not on the server.
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('lotus.viewer.settings') ?? 'null'));
    expect(stored).toMatchObject({ enabled: true, hiddenModes: ['top'], opacity: 0.5, blocklist: ['pineapple'] });

    await page.reload();
    await connected(page, 'connection-status');
    await playing(page);
    await expect.poll(() => layerOpacity(page)).toBe('0.5');
    await clickControl(page, 'settings-toggle');
    await panel.waitFor();
    await expect(panel.getByTestId('show-top').getAttribute('aria-pressed')).resolves.toBe('false');
    await expect(panel.getByTestId('show-scroll').getAttribute('aria-pressed')).resolves.toBe('true');
    await expect(panel.getByTestId('show-bottom').getAttribute('aria-pressed')).resolves.toBe('true');
    await expect(panel.getByTestId('opacity').inputValue()).resolves.toBe('50');
    await expect(panel.getByTestId('blocklist').inputValue()).resolves.toBe('pineapple');
    await panel.getByTestId('settings-close').click();
    await panel.waitFor({ state: 'detached' });
    await checkFilters('(2)');

    // The danmaku switch: everything off the picture (the list still fills), also after a reload; then back on.
    await clickControl(page, 'danmaku-toggle');
    await expect.poll(() => page.getByTestId('danmaku-toggle').getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => page.locator('[data-testid=danmaku-layer] .dm').count()).toBe(0);
    await expect(page.evaluate(() => JSON.parse(localStorage.getItem('lotus.viewer.settings')!).enabled)).resolves.toBe(false);
    for (const text of ['Sent while danmaku is off', 'Sent while off, after a reload']) {
      if (text.endsWith('reload')) {
        await page.reload();
        await connected(page, 'connection-status');
        await playing(page);
        await expect(page.getByTestId('danmaku-toggle').getAttribute('aria-pressed')).resolves.toBe('false');
      }
      await send(socket, room, text);
      await inList(page, text).waitFor();
      await expect(onScreen(page, text).count()).resolves.toBe(0);
    }
    // Nor the viewer's own comment, after the reload as before it. The next comment from
    // elsewhere, once listed, shows the page has handled the own one's ack.
    await page.getByTestId('comment-input').fill('My own, while off');
    await page.getByTestId('comment-input').press('Enter');
    await expect.poll(() => page.getByTestId('comment-input').inputValue()).toBe('');
    await send(socket, room, 'After my own');
    await inList(page, 'After my own').waitFor();
    await expect(onScreen(page, 'My own, while off').count()).resolves.toBe(0);

    await clickControl(page, 'danmaku-toggle');
    await expect.poll(() => page.getByTestId('danmaku-toggle').getAttribute('aria-pressed')).toBe('true');
    await send(socket, room, 'Danmaku back on');
    await onScreen(page, 'Danmaku back on').waitFor();
    await expect(page.evaluate(() => JSON.parse(localStorage.getItem('lotus.viewer.settings')!).enabled)).resolves.toBe(true);
  });

  it('goes fullscreen (or theatre mode where the browser refuses) with the comment layer over the whole screen', { timeout: allowance(90_000) }, async () => {
    const room = await createRoom(app, mod, { agoMs: 20_000, durationMs: 180_000 });
    const socket = await fanSocket();
    // As the browser allows (headless Chromium grants fullscreen to a click), then a browser that
    // refuses the wrapper fullscreen, as iPhone Safari does: the player falls back to theatre mode.
    for (const browserRefuses of [false, true]) {
      const page = await openRoom(room, fanA);
      if (browserRefuses) {
        await page.addInitScript(() => {
          Element.prototype.requestFullscreen = () => Promise.reject(new TypeError('Fullscreen request denied'));
        });
        await page.reload();
        await connected(page, 'connection-status');
      }
      await playing(page);
      const player = page.getByTestId('player');
      const before = (await player.boundingBox())!;
      expect(before.width).toBeLessThan(1280);
      // The wrapper that goes fullscreen holds both the picture and the comments.
      await expect(player.evaluate((el) => el.contains(el.querySelector('video')) && el.contains(el.querySelector('[data-testid=danmaku-layer]')))).resolves.toBe(true);

      await clickControl(page, 'fullscreen-toggle');
      await page.waitForFunction(() => {
        const p = document.querySelector('[data-testid=player]')!;
        return (document.fullscreenElement === p && p.classList.contains('player--fullscreen')) || p.classList.contains('player--theatre');
      });
      const mode = await page.evaluate(() => (document.fullscreenElement ? 'fullscreen' : 'theatre'));
      if (browserRefuses) expect(mode).toBe('theatre');
      // Theatre mode stops the page behind from scrolling.
      await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('viewer-theatre'))).toBe(mode === 'theatre');
      await expect(page.getByTestId('fullscreen-toggle').getAttribute('aria-label')).resolves.toBe('Exit fullscreen');

      // The player fills the viewport, and the comment layer spans it from the top, full width.
      const geometry = () =>
        page.evaluate(() => {
          const r = (sel: string) => document.querySelector(sel)!.getBoundingClientRect();
          const p = r('[data-testid=player]');
          const l = r('[data-testid=danmaku-layer]');
          const vw = window.innerWidth;
          const vh = window.innerHeight;
          const near = (a: number, b: number) => Math.abs(a - b) <= 2;
          return {
            playerCovers: near(p.left, 0) && near(p.top, 0) && near(p.width, vw) && near(p.height, vh),
            layerSpans: near(l.left, 0) && near(l.top, 0) && near(l.width, vw) && l.height >= vh * 0.5,
          };
        });
      await expect.poll(geometry).toEqual({ playerCovers: true, layerSpans: true });

      // Another fan's comment still flies over the picture, inside the screen.
      const text = `Seen in ${mode} mode`;
      await send(socket, room, text);
      await onScreen(page, text).waitFor();
      await page.waitForFunction((text) => {
        const el = Array.from(document.querySelectorAll<HTMLElement>('[data-testid=danmaku-layer] .dm')).find((e) => e.textContent === text);
        if (!el) return false;
        const r = el.getBoundingClientRect();
        return r.left < window.innerWidth && r.right > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
      }, text);

      // Escape leaves theatre mode (the player's own key handling); real fullscreen is left with the toggle,
      // as a synthetic Escape never reaches the browser's own fullscreen exit.
      if (mode === 'theatre') await page.getByTestId('fullscreen-toggle').press('Escape');
      else await clickControl(page, 'fullscreen-toggle');
      await page.waitForFunction(() => {
        const p = document.querySelector('[data-testid=player]')!;
        return !document.fullscreenElement && !p.classList.contains('player--fullscreen') && !p.classList.contains('player--theatre');
      });
      await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('viewer-theatre'))).toBe(false);
      await expect(page.getByTestId('fullscreen-toggle').getAttribute('aria-label')).resolves.toBe('Fullscreen');
      await expect
        .poll(async () => {
          const after = (await player.boundingBox())!;
          return Math.abs(after.width - before.width) <= 2 && Math.abs(after.height - before.height) <= 2;
        })
        .toBe(true);
      // Comments keep coming in the page-sized player.
      await send(socket, room, `Back in the page after ${mode}`);
      await onScreen(page, `Back in the page after ${mode}`).waitFor();
      await page.close();
    }
  });

  it('replays comments following pause, seek and playback rate', { timeout: allowance(90_000) }, async () => {
    const replay = await createRoom(app, mod, { startsAt: new Date(Date.now() - 86_400_000), durationMs: 180_000 });
    const socket = await fanSocket();
    const due = { ten: 'Due at 0:10', twentyFour: 'Due at 0:24', forty: 'Due at 0:40', thirdMinute: 'Due at 2:05' };
    const stored = [
      { text: due.ten, offsetMs: 10_000 },
      { text: due.twentyFour, offsetMs: 24_000 },
      { text: due.forty, offsetMs: 40_000 },
      { text: due.thirdMinute, offsetMs: 125_000 },
    ];
    for (const c of stored) await send(socket, replay, c.text, { offsetMs: c.offsetMs });
    await eventually(async () => (await app.http.get(`/api/rooms/${replay.id}/danmaku`)).body.items.length === stored.length);

    const page = await openRoom(replay, fanB);
    await page.locator('[data-testid=player][data-phase=ended]').waitFor(); // set once the player's first poll has run
    await page.getByTestId('density-bar').waitFor();

    // Paused a few seconds before 0:10: time stands still and the comment waits. Playing from
    // 0:03 leaves the click five seconds to land, as it needs on a busy machine (CI once saw 9.79).
    await video.set(page, 3);
    await playing(page);
    await page.waitForFunction(() => document.querySelector('video')!.currentTime >= 4);
    await clickControl(page, 'play-toggle');
    await page.waitForFunction(() => document.querySelector('video')!.paused);
    const pausedAt = await video.time(page);
    expect(pausedAt).toBeLessThan(9.5);
    await page.waitForTimeout(2_500); // long enough for 0:10 to have come had the video kept playing
    await expect(video.time(page)).resolves.toBe(pausedAt);
    await expect(onScreen(page, due.ten).count()).resolves.toBe(0);
    await expect(page.getByTestId('play-toggle').getAttribute('aria-label')).resolves.toBe('Play');
    await watchFor(page, due.ten);
    await clickControl(page, 'play-toggle');
    expect((await drawn(page, due.ten)).at).toBeGreaterThanOrEqual(10);

    // The seek bar to 0:38: the screen clears, and 0:40's comment comes at its moment.
    await watchFor(page, due.forty);
    await page.getByTestId('seek').fill('38000');
    await onScreen(page, due.ten).waitFor({ state: 'detached' });
    const atForty = await drawn(page, due.forty);
    expect(atForty.at).toBeGreaterThanOrEqual(40);
    expect(atForty.at).toBeLessThan(41);
    await onScreen(page, due.forty).waitFor();

    // Back to before it: the same comment comes again.
    await watchFor(page, due.forty);
    await video.set(page, 38.5);
    expect((await drawn(page, due.forty)).at).toBeGreaterThanOrEqual(40);

    // At double speed a comment four media seconds ahead takes about two seconds.
    await page.evaluate(() => {
      const v = document.querySelector('video')!;
      v.pause();
      v.playbackRate = 2;
      v.currentTime = 20;
    });
    await video.settled(page);
    await watchFor(page, due.twentyFour);
    await page.evaluate(() => document.querySelector('video')!.play());
    const atDouble = await drawn(page, due.twentyFour);
    expect(atDouble.at).toBeGreaterThanOrEqual(24);
    expect(atDouble.wallMs).toBeLessThan(3_500);
    await expect(page.evaluate(() => document.querySelector('video')!.playbackRate)).resolves.toBe(2);

    // A seek into a minute not loaded yet fetches its comments, which then come at their moment.
    const fetched = page.waitForResponse((res) => res.url().includes(`/api/rooms/${replay.id}/danmaku?fromMs=120000`) && res.ok());
    await page.evaluate(() => {
      const v = document.querySelector('video')!;
      v.pause();
      v.playbackRate = 1;
      v.currentTime = 122;
    });
    await fetched;
    await video.settled(page);
    await watchFor(page, due.thirdMinute);
    await page.evaluate(() => document.querySelector('video')!.play());
    expect((await drawn(page, due.thirdMinute)).at).toBeGreaterThanOrEqual(125);
    await inList(page, due.thirdMinute).waitFor();
  });

  it('keeps a live picture on the premiere’s clock when it drifts, but lets the viewer go back', { timeout: allowance(120_000) }, async () => {
    const room = await createRoom(app, mod, { agoMs: 20_000, durationMs: 180_000 });
    const page = await openRoom(room, fanA);
    await playing(page);
    await page.locator('[data-testid=player][data-phase=live]').waitFor(); // set once the player's first poll has run
    await expect.poll(async () => Math.abs(await driftMs(page, room))).toBeLessThan(1_000);

    // The picture jumps 5 s behind by itself (not through the player's controls): back within a tick or two.
    let since = Date.now();
    await page.evaluate(() => {
      document.querySelector('video')!.currentTime -= 5;
    });
    await expect.poll(async () => Math.abs(await driftMs(page, room))).toBeLessThan(1_000);
    expect(Date.now() - since).toBeLessThan(allowance(5_000));
    await page.getByTestId('live-indicator').waitFor();

    // 5 s ahead of live is not allowed at all.
    since = Date.now();
    await page.evaluate(() => {
      document.querySelector('video')!.currentTime += 5;
    });
    await expect.poll(async () => Math.abs(await driftMs(page, room))).toBeLessThan(1_000);
    expect(Date.now() - since).toBeLessThan(allowance(5_000));

    // Real drift: the picture runs slow (or fast). The player seeks back to live each time it
    // strays more than a second, so it never gets far.
    // [rate, seconds watched, worst drift allowed]: unattended, 8 s at half speed ends 4 s behind, 5 s at double speed 5 s ahead.
    for (const [rate, watchMs, worstMs] of [
      [0.5, 8_000, 2_500],
      [2, 5_000, 3_500],
    ]) {
      const watch = await page.evaluate(
        ({ startsAt, rate, watchMs }) =>
          new Promise<{ seeks: number; worstMs: number }>((resolve) => {
            const v = document.querySelector('video')!;
            let seeks = 0;
            let worstMs = 0;
            const onSeeked = () => (seeks += 1);
            v.addEventListener('seeked', onSeeked);
            v.playbackRate = rate;
            const started = performance.now();
            const sample = () => {
              if (!v.seeking) worstMs = Math.max(worstMs, Math.abs(v.currentTime * 1000 - (Date.now() - Date.parse(startsAt))));
              if (performance.now() - started < watchMs) return void requestAnimationFrame(sample);
              v.removeEventListener('seeked', onSeeked);
              v.playbackRate = 1;
              resolve({ seeks, worstMs });
            };
            requestAnimationFrame(sample);
          }),
        { startsAt: room.startsAt, rate, watchMs },
      );
      expect(watch.seeks, `re-syncs at rate ${rate}`).toBeGreaterThanOrEqual(1);
      expect(watch.worstMs, `worst drift at rate ${rate}`).toBeLessThan(worstMs);
      await expect.poll(async () => Math.abs(await driftMs(page, room))).toBeLessThan(1_000);
    }
    await expect(page.evaluate(() => document.querySelector('video')!.paused)).resolves.toBe(false);

    // The viewer going back on purpose (the seek bar) is left alone, with "Back to live" offered.
    const liveMs = await page.evaluate((startsAt) => Date.now() - Date.parse(startsAt), room.startsAt);
    await page.getByTestId('seek').fill(String(Math.floor((liveMs - 10_000) / 1000) * 1000));
    await page.getByTestId('back-to-live').waitFor();
    await page.waitForTimeout(2_500); // two of the player's once-a-second checks
    expect(await driftMs(page, room)).toBeLessThan(-7_000);
    await expect(page.evaluate(() => document.querySelector('video')!.paused)).resolves.toBe(false);
    await clickControl(page, 'back-to-live');
    await expect.poll(async () => Math.abs(await driftMs(page, room))).toBeLessThan(1_000);
    await page.getByTestId('live-indicator').waitFor();
  });

  it('ran without page errors or CSP violations', () => {
    expect(browser.problems).toEqual([]);
  });
});
