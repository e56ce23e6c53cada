import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createAccount, type Account } from '../support/accounts.js';
import { connectSocket, emitAck, type ClientSocket } from '../support/sockets.js';
import { createRoom } from '../support/rooms.js';
import { eventually, startTestWorkers } from '../support/workers.js';
import type { WorkerRuntime } from '../../workers/runtime.js';
import type { Danmaku } from '../../contracts/danmaku.js';
import type { Room } from '../../contracts/rooms.js';
import { BrowserHarness, requireBuiltClient, screenshot } from './browser.js';

/**
 * The admin page's "Set-aside danmaku" card, on entries the persister really set aside:
 * a comment Postgres refused (a NUL in its text) is fixed and retried, an unreadable
 * entry is discarded after a confirmation, and the card ends empty.
 */

let app: TestApp;
let browser: BrowserHarness;
let workers: WorkerRuntime;
let admin: Account;
let room: Room;
let socket: ClientSocket;
let poison: Danmaku;

describe('the set-aside danmaku card', () => {
  beforeAll(async () => {
    requireBuiltClient();
    [app, browser] = await Promise.all([startTestApp({ env: { DANMAKU_USER_INTERVAL_MS: '0' } }), BrowserHarness.launch(() => app.url)]);
    admin = await createAccount(app, 'admin');
    const fan = await createAccount(app);
    room = await createRoom(app, admin);
    socket = await connectSocket(app.url, { token: fan.token });
    await emitAck(socket, 'room:join', { roomId: room.id });
    const sent = await emitAck(socket, 'danmaku:send', { roomId: room.id, text: 'a real one' });
    expect(sent.ok, JSON.stringify(sent)).toBe(true);
    // Markup in the text must show as text; the NUL is why Postgres refuses it.
    poison = { ...(sent.danmaku as Danmaku), id: randomUUID(), text: '<b>bold</b> \u0000 claim' };
    const persistKey = app.deps.key('dm', 'persist');
    await app.deps.redis.xAdd(persistKey, '*', { d: JSON.stringify(poison), state: 'visible', reasons: '[]' });
    await app.deps.redis.xAdd(persistKey, '*', { d: '<img src=x onerror=alert(1)>' });
    workers = await startTestWorkers(app);
    await eventually(async () => (await app.deps.redis.xLen(app.deps.key('dm', 'persist', 'refused'))) === 2);
  });

  afterAll(async () => {
    socket?.close();
    await workers?.close();
    await browser?.close();
    await app?.stop();
  });

  it('lets an admin fix and retry a refused comment, discard an unreadable entry, and ends empty', async () => {
    const page = await browser.open({ token: admin.token }, '/admin', { viewport: { width: 1280, height: 1000 } });
    const card = page.getByTestId('set-aside-card');
    const items = card.getByTestId('set-aside-item');
    await expect.poll(() => items.count()).toBe(2);

    const refused = items.filter({ hasText: 'Refused by Postgres' });
    const text = refused.getByTestId('set-aside-text');
    // The NUL is shown by its code point, the markup as characters: nothing was parsed as HTML.
    expect(await text.textContent()).toBe('<b>bold</b> [U+0000] claim');
    expect(await text.locator('b').count()).toBe(0);
    await expect.poll(() => refused.textContent()).toContain('Test premiere');
    const unreadable = items.filter({ hasText: 'Unreadable' });
    expect(await unreadable.locator('code').last().textContent()).toBe('<img src=x onerror=alert(1)>');
    expect(await unreadable.getByTestId('set-aside-retry').isDisabled()).toBe(true);
    await screenshot(page, 'admin-set-aside.png');

    await refused.getByTestId('set-aside-edit').click();
    const input = refused.getByTestId('set-aside-input');
    expect(await input.inputValue()).toBe('<b>bold</b>  claim');
    await input.fill('fixed in the browser');
    await refused.getByTestId('set-aside-save').click();
    await expect.poll(() => items.count()).toBe(1);

    await unreadable.getByTestId('set-aside-discard').click();
    await unreadable.getByTestId('set-aside-discard-confirm').click();
    await card.getByTestId('set-aside-empty').waitFor();
    expect(await card.getByTestId('set-aside-empty').textContent()).toBe('Nothing set aside: every accepted danmaku is in Postgres');

    // The fixed comment is in the replay under its own id.
    const stored = await eventually(async () => {
      const replay = await app.http.get(`/api/rooms/${room.id}/danmaku?fromMs=0`);
      return replay.body.items.find((d: Danmaku) => d.id === poison.id);
    });
    expect(stored.text).toBe('fixed in the browser');
    expect(await app.deps.redis.xLen(app.deps.key('dm', 'persist', 'refused'))).toBe(0);
  });

  it('ran without page errors or CSP violations', () => {
    expect(browser.problems).toEqual([]);
  });
});
