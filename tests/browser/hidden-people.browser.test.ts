import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import type { Room } from '../../contracts/rooms.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { createAccount, uniqueHandle, type Account } from '../support/accounts.js';
import { createRoom } from '../support/rooms.js';
import { connectSocket, emitAck, type ClientSocket } from '../support/sockets.js';
import { allowance } from '../support/allowance.js';
import { BrowserHarness, connected, playing, repoRoot, requireBuiltClient, clickControl, onScreen } from './browser.js';

/**
 * A viewer hides one person's comments from the comment list ("屏蔽此用户"): on their
 * own screen only, kept on the device, undone from the list or the settings panel.
 * The stored list and the policy on their own: tests/viewer/hidden-people.test.ts.
 */

let app: TestApp;
let browser: BrowserHarness;
let mod: Account;
let fanA: Account;
let fanB: Account;
let fanC: Account;
const sockets: ClientSocket[] = [];
const desktop = { viewport: { width: 1280, height: 720 } };
/** Fan B's display name: markup that must show as these characters and never run. */
const B_NAME = '<img src=x onerror=window.__xss=1> 刷屏王';

/** A row of the comment list, found by its text. */
const row = (page: Page, text: string) => page.getByTestId('comment-item').filter({ has: page.getByText(text, { exact: true }) });

/** Registers a fan with a display name of our choosing (createAccount uses the handle). */
async function namedFan(displayName: string): Promise<Account> {
  const password = 'correct-horse-battery';
  const res = await app.http.post('/api/auth/register').send({ handle: uniqueHandle('fan'), password, displayName });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { user: res.body.user, token: res.body.token, password, bearer: `Bearer ${res.body.token}` };
}

async function socketOf(account: Account): Promise<ClientSocket> {
  const socket = await connectSocket(app.url, { token: account.token });
  sockets.push(socket);
  return socket;
}

async function send(socket: ClientSocket, room: Room, text: string): Promise<void> {
  const ack = await emitAck(socket, 'danmaku:send', { roomId: room.id, mode: 'scroll', color: '#ffffff', text });
  expect(ack.ok, JSON.stringify(ack)).toBe(true);
}

const storedHidden = (page: Page) => page.evaluate(() => JSON.parse(localStorage.getItem('lotus.viewer.settings') ?? '{}').blockedUsers ?? []);

/**
 * B's comment is sent first and A's after it: the room's stream keeps that order for
 * every viewer, so once A's is drawn and listed, B's has been handled (and refused).
 */
async function expectOnlyA(page: Page, room: Room, a: ClientSocket, b: ClientSocket, round: string): Promise<void> {
  await send(b, room, `B ${round}`);
  await send(a, room, `A ${round}`);
  await onScreen(page, `A ${round}`).waitFor();
  await row(page, `A ${round}`).waitFor();
  await expect(onScreen(page, `B ${round}`).count()).resolves.toBe(0);
  await expect(row(page, `B ${round}`).count()).resolves.toBe(0);
}

describe('viewer: hiding one person’s comments', () => {
  beforeAll(async () => {
    requireBuiltClient();
    if (!fs.existsSync(path.join(repoRoot, 'media/demo-premiere.mp4'))) throw new Error('media/demo-premiere.mp4 is missing');
    // No per-user pacing: each fan sends several comments in a row.
    [app, browser] = await Promise.all([startTestApp({ env: { DANMAKU_USER_INTERVAL_MS: '0' } }), BrowserHarness.launch(() => app.url, desktop)]);
    [mod, fanA, fanC] = await Promise.all([createAccount(app, 'moderator'), createAccount(app), createAccount(app)]);
    fanB = await namedFan(B_NAME);
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    await browser?.close();
    await app?.stop();
  });

  it('hides a fan from the list and the overlay, keeps the choice on the device, and unhides from the settings', { timeout: allowance(120_000) }, async () => {
    const room = await createRoom(app, mod, { agoMs: 20_000, durationMs: 180_000 });
    const page = await browser.openRoom(room.id, fanC);
    await playing(page);
    const [a, b, staff] = await Promise.all([socketOf(fanA), socketOf(fanB), socketOf(mod)]);

    await send(a, room, 'A says hi');
    await send(b, room, 'B spam one');
    await send(b, room, 'B spam two');
    await send(staff, room, 'Staff: no spoilers please');
    await page.getByTestId('comment-input').fill('C is watching');
    await page.getByTestId('comment-input').press('Enter');
    for (const text of ['A says hi', 'B spam one', 'B spam two', 'Staff: no spoilers please', 'C is watching']) await row(page, text).waitFor();
    await onScreen(page, 'B spam two').waitFor();

    // Offered on other fans' rows, not on the viewer's own nor on staff's (a room must hear its moderators).
    await expect(row(page, 'A says hi').getByTestId('comment-hide-person').count()).resolves.toBe(1);
    await expect(row(page, 'C is watching').getByTestId('comment-hide-person').count()).resolves.toBe(0);
    await expect(row(page, 'Staff: no spoilers please').getByTestId('comment-hide-person').count()).resolves.toBe(0);

    // Hiding B takes all of B's rows out of the list and B's comment off the picture at once.
    const hide = row(page, 'B spam two').getByRole('button', { name: `Hide comments from ${B_NAME}` });
    await expect(hide.getAttribute('title')).resolves.toBe("Hide this person's comments");
    await hide.click();
    await row(page, 'B spam one').waitFor({ state: 'detached' });
    await row(page, 'B spam two').waitFor({ state: 'detached' });
    await onScreen(page, 'B spam two').waitFor({ state: 'detached' });
    await expect(row(page, 'A says hi').count()).resolves.toBe(1);
    const notice = page.getByTestId('hidden-notice');
    await expect(notice.locator('.clist__notice-text').textContent()).resolves.toBe(`Hidden comments from ${B_NAME}`);
    await expect(page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid)).resolves.toBe('hidden-undo');
    await expect(storedHidden(page)).resolves.toEqual([{ id: fanB.user.id, name: B_NAME }]);

    // Undo brings the rows back; hiding again takes them out again.
    await notice.getByRole('button', { name: 'Undo' }).click();
    await row(page, 'B spam one').waitFor();
    await notice.waitFor({ state: 'detached' });
    await expect(storedHidden(page)).resolves.toEqual([]);
    await row(page, 'B spam one').getByTestId('comment-hide-person').click();
    await row(page, 'B spam one').waitFor({ state: 'detached' });
    await expect(row(page, 'B spam two').count()).resolves.toBe(0);

    await expectOnlyA(page, room, a, b, 'after hiding');

    // Kept on this device: after a reload B's earlier comments (in the join's catch-up) stay out, and so do new ones.
    await page.reload();
    await connected(page, 'connection-status');
    await playing(page);
    await row(page, 'A after hiding').waitFor();
    await expect(row(page, 'B spam one').count()).resolves.toBe(0);
    await expect(row(page, 'B after hiding').count()).resolves.toBe(0);
    await expectOnlyA(page, room, a, b, 'after reload');

    // The settings list B by name, as text; Unhide leaves the empty state, and B's next comment shows again.
    await clickControl(page, 'settings-toggle');
    const panel = page.getByTestId('viewer-settings');
    const people = panel.getByTestId('hidden-people');
    await expect(people.getByTestId('hidden-person').allTextContents()).resolves.toEqual([`${B_NAME}Unhide`]);
    await expect(people.textContent()).resolves.toContain('Staff comments always show');
    await people.getByRole('button', { name: `Unhide ${B_NAME}` }).click();
    await people.getByTestId('hidden-people-empty').waitFor();
    await expect(storedHidden(page)).resolves.toEqual([]);
    await panel.getByTestId('settings-close').click();
    await panel.waitFor({ state: 'detached' });
    await send(b, room, 'B is back');
    await onScreen(page, 'B is back').waitFor();
    await row(page, 'B is back').waitFor();

    // B's name was markup: shown as those characters everywhere, never run.
    await expect(page.evaluate(() => (window as { __xss?: unknown }).__xss)).resolves.toBeUndefined();
    await expect(page.locator('[data-testid=comment-list] img, [data-testid=player] img').count()).resolves.toBe(0);
  });

  it('ran without page errors or CSP violations', () => {
    expect(browser.problems).toEqual([]);
  });
});
