import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import type { Room } from '../../contracts/rooms.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { createAccount, type Account } from '../support/accounts.js';
import { createRoom } from '../support/rooms.js';
import { connectSocket, emitAck, type ClientSocket } from '../support/sockets.js';
import { startTestWorkers } from '../support/workers.js';
import { allowance } from '../support/allowance.js';
import type { WorkerRuntime } from '../../workers/runtime.js';
import { BrowserHarness, playing, requireBuiltClient, screenshotsWanted, shotsDir } from './browser.js';
import { shootPolls } from './poll-shots.js';

let app: TestApp;
let browser: BrowserHarness;
let workers: WorkerRuntime;
let mod: Account;
let fanA: Account;
let fanB: Account;
let live: Room;
const sockets: ClientSocket[] = [];

const desktop = { viewport: { width: 1280, height: 720 } };
const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

const openRoom = (room: Room, account: Account | null, options = {}) => browser.openRoom(room.id, account, options);

async function fanSocket(): Promise<ClientSocket> {
  const account = await createAccount(app);
  const socket = await connectSocket(app.url, { token: account.token });
  sockets.push(socket);
  return socket;
}

/** The card in a given state ('open', 'closed', 'replay'). */
const card = (page: Page, state: string) => page.locator(`[data-testid=poll-card][data-state=${state}]`);
/** One option's result row showing exactly `votes` votes. */
const result = (page: Page, optionId: string, votes: number) => page.locator(`[data-testid=poll-card] [data-testid=poll-result][data-option-id=${optionId}][data-votes="${votes}"]`);

async function waitForTallies(page: Page, tallies: Record<string, number>): Promise<void> {
  for (const [id, n] of Object.entries(tallies)) await result(page, id, n).waitFor();
}

describe('live polls in the viewer', () => {
  beforeAll(async () => {
    requireBuiltClient();
    [app, browser] = await Promise.all([startTestApp({ env: { DANMAKU_USER_INTERVAL_MS: '0' } }), BrowserHarness.launch(() => app.url, desktop)]);
    workers = await startTestWorkers(app);
    [mod, fanA, fanB] = await Promise.all([createAccount(app, 'moderator'), createAccount(app), createAccount(app)]);
    // Long enough to stay live through the whole file on a slow run.
    live = await createRoom(app, mod, { agoMs: 30_000, durationMs: 30 * 60_000 });
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    await browser?.close();
    await workers?.close();
    await app?.stop();
  });

  it('staff open a poll; fans vote and see live then final results; guests see results and a log-in prompt', { timeout: 180_000 }, async () => {
    const [staff, a, b, guest] = await Promise.all([openRoom(live, mod), openRoom(live, fanA), openRoom(live, fanB), openRoom(live, null)]);
    const small = await openRoom(live, await createAccount(app), phone);
    await Promise.all([a, small].map(playing));

    // The moderator writes the poll in the staff controls beside the player.
    await staff.getByTestId('poll-new').click();
    await staff.getByTestId('poll-question-input').fill('Who is the traitor? · 谁是内鬼？');
    await staff.getByTestId('poll-add-option').click();
    await staff.getByTestId('poll-add-option').click();
    const names = ['Mei · 梅', 'Wen · 文', 'An · 安', 'Nobody · 没有内鬼'];
    for (const [i, name] of names.entries()) await staff.getByTestId('poll-option-input').nth(i).fill(name);
    await staff.getByTestId('poll-duration-5m').click();
    await staff.getByTestId('poll-create').click();
    const draft = staff.getByTestId('poll-staff-draft').filter({ hasText: 'Who is the traitor?' });
    await draft.waitFor();
    const pollId = (await draft.getAttribute('data-poll-id'))!;
    await expect(card(a, 'open').count()).resolves.toBe(0);
    await draft.getByTestId('poll-open').click();
    await staff.locator(`[data-testid=poll-staff-open][data-poll-id="${pollId}"]`).waitFor();

    // Everyone's card appears without a reload, counting down on the server clock.
    for (const page of [a, b, guest, small]) await card(page, 'open').waitFor();
    // (The server stores text NFKC-normalised: the full-width question mark becomes "?".)
    await expect(a.getByTestId('poll-question').textContent()).resolves.toBe('Who is the traitor? · 谁是内鬼？'.normalize('NFKC'));
    const countdown = await a.getByTestId('poll-countdown').getAttribute('aria-label');
    expect(countdown).toMatch(/^[45]:\d\d left$/);

    // Single choice: tap, then confirm. The other fan's bars follow live.
    await a.locator('[data-testid=poll-option][data-option-id=o2]').click();
    await a.locator('[data-testid=poll-option][data-option-id=o2][aria-pressed=true]').waitFor();
    await a.getByTestId('poll-vote').click();
    await a.locator('[data-testid=poll-result][data-option-id=o2] [data-testid=poll-your-vote]').waitFor();
    await waitForTallies(a, { o2: 1 });
    await b.locator('[data-testid=poll-option][data-option-id=o3]').click();
    await b.getByTestId('poll-vote').click();
    await waitForTallies(a, { o2: 1, o3: 1 });
    await expect(a.locator('[data-testid=poll-result][data-option-id=o3]').getAttribute('data-percent')).resolves.toBe('50');

    // More fans vote over their own sockets; everyone's bars follow.
    const others = screenshotsWanted ? ['o2', 'o2', 'o1', 'o2', 'o4', 'o3', 'o2'] : ['o1', 'o2'];
    const voters = await Promise.all(others.map(() => fanSocket()));
    await Promise.all(voters.map((s) => emitAck(s, 'room:join', { roomId: live.id })));
    const acks = await Promise.all(voters.map((s, i) => emitAck(s, 'poll:vote', { pollId, optionIds: [others[i]] })));
    expect(acks.every((x) => x.ok)).toBe(true);
    const expected: Record<string, number> = { o1: 0, o2: 1, o3: 1, o4: 0 };
    for (const o of others) expected[o]++;
    const total = 2 + others.length;
    await waitForTallies(b, expected);

    // Guests see the live results and a log-in prompt instead of the ballot.
    await waitForTallies(guest, expected);
    await guest.getByTestId('poll-login').waitFor();
    await expect(guest.getByTestId('poll-ballot').count()).resolves.toBe(0);

    // Phone: the card sits under the send bar, never over it; nothing sideways.
    const send = (await small.getByTestId('send-form').boundingBox())!;
    const phoneCard = (await card(small, 'open').boundingBox())!;
    expect(phoneCard.y).toBeGreaterThanOrEqual(send.y + send.height - 1);
    await expect(small.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).resolves.toBe(true);
    // Desktop: over the picture's corner.
    const stage = (await a.locator('.player__stage').boundingBox())!;
    const overlay = (await card(a, 'open').boundingBox())!;
    expect(overlay.x + overlay.width).toBeLessThanOrEqual(stage.x + stage.width);
    expect(overlay.y + overlay.height).toBeLessThanOrEqual(stage.y + stage.height);

    if (screenshotsWanted) await shootPolls({ wide: a, small, senders: voters, roomId: live.id, dir: shotsDir });

    // The optional profile, from the card after voting.
    await b.getByTestId('poll-profile-link').click();
    await b.getByTestId('profile-birth-year').fill('1998');
    await b.getByTestId('profile-region').fill('Chengdu');
    await b.getByTestId('profile-gender').selectOption('female');
    await b.getByTestId('profile-save').click();
    await b.getByTestId('profile-saved').waitFor();
    const profile = await app.http.get('/api/me/profile').set('Authorization', fanB.bearer);
    expect(profile.body.profile).toEqual({ birthYear: 1998, region: 'Chengdu', gender: 'female' });
    await b.keyboard.press('Escape');

    // The moderator closes it: everyone sees the final results, equal to the votes.
    await staff.locator(`[data-testid=poll-staff-open][data-poll-id="${pollId}"]`).getByTestId('poll-close').click();
    for (const page of [a, b, guest]) {
      await card(page, 'closed').waitFor();
      await waitForTallies(page, expected);
      await expect(page.locator('[data-testid=poll-card] [data-testid=poll-total]').getAttribute('data-total')).resolves.toBe(String(total));
    }
    await expect(guest.getByTestId('poll-login').count()).resolves.toBe(0);
    const final = await app.http.get(`/api/polls/${pollId}`);
    expect(final.body).toMatchObject({ poll: { status: 'closed' }, tallies: expected, total });
    // It moves to the past polls; the moderator can read it by segment (small groups merged).
    await a.getByTestId('poll-history').getByTestId('poll-past').waitFor();
    const closedItem = staff.locator(`[data-testid=poll-staff-closed][data-poll-id="${pollId}"]`);
    await closedItem.getByTestId('poll-segments-toggle').click();
    await closedItem.locator('[data-testid=segment-row][data-segment=other]').waitFor();
    await expect(closedItem.getByTestId('poll-segments').textContent()).resolves.toContain('fewer than 10 voters');
  });

  it('hides results until the close for after-close polls, and limits multiple choices', { timeout: 120_000 }, async () => {
    const created = await app.http
      .post(`/api/rooms/${live.id}/polls`)
      .set('Authorization', mod.bearer)
      .send({ question: 'Which scenes did you love?', options: ['Lake', 'Market', 'Rooftop'], kind: 'multi', maxChoices: 2, durationMs: 120_000, resultsVisibility: 'after_close' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const pollId = created.body.poll.id;
    const fan = await openRoom(live, fanA);
    await app.http.post(`/api/polls/${pollId}/open`).set('Authorization', mod.bearer).expect(200);
    await card(fan, 'open').waitFor();
    const option = (id: string) => fan.locator(`[data-testid=poll-option][data-option-id=${id}]`);
    await option('o1').check();
    await option('o3').check();
    await expect(option('o2').isDisabled()).resolves.toBe(true);
    await fan.getByTestId('poll-vote').click();
    await fan.getByTestId('poll-hidden-notice').waitFor();
    await expect(fan.locator('[data-testid=poll-card] [data-testid=poll-result][data-votes]').count()).resolves.toBe(0);
    await expect(fan.locator('[data-testid=poll-card] [data-testid=poll-your-vote]').count()).resolves.toBe(2);

    await app.http.post(`/api/polls/${pollId}/close`).set('Authorization', mod.bearer).expect(200);
    await card(fan, 'closed').waitFor();
    await waitForTallies(fan, { o1: 1, o2: 0, o3: 1 });
  });

  it('shows a poll with its final results when a replay reaches its moment', { timeout: 120_000 }, async () => {
    // A premiere in its last seconds: a poll scheduled for 0:05 opens at once (the moment has passed),
    // is closed, and keeps that moment once the premiere is over. (A poll cannot be made after the end.)
    const ended = await createRoom(app, mod, { startsAt: new Date(Date.now() - 172_000), durationMs: 180_000 });
    const early = await app.http
      .post(`/api/rooms/${ended.id}/polls`)
      .set('Authorization', mod.bearer)
      .send({ question: 'Best opening shot?', options: ['Lotus pond', 'City lights'], durationMs: 20_000, atOffsetMs: 5_000 });
    expect(early.status, JSON.stringify(early.body)).toBe(201);
    // A draft nobody opened before the end: it stays in the list, but can no longer be opened.
    const unopened = await app.http
      .post(`/api/rooms/${ended.id}/polls`)
      .set('Authorization', mod.bearer)
      .send({ question: 'Never asked?', options: ['Yes', 'No'], durationMs: 20_000 });
    expect(unopened.status, JSON.stringify(unopened.body)).toBe(201);
    await eventuallyOpen(early.body.poll.id);
    await app.http.post(`/api/polls/${early.body.poll.id}/close`).set('Authorization', mod.bearer).expect(200);
    await eventuallyEnded(ended.id);

    const page = await openRoom(ended, fanB);
    await playing(page);
    // Paused at 0:02, before the poll's moment: no card (paused, so a slow run cannot drift past 0:05).
    await page.evaluate(() => {
      const v = document.querySelector('video')!;
      v.pause();
      v.currentTime = 2;
    });
    await page.waitForFunction(() => {
      const v = document.querySelector('video')!;
      return v.paused && !v.seeking && v.currentTime < 3;
    });
    await page.waitForTimeout(300);
    await expect(card(page, 'replay').count()).resolves.toBe(0);
    await playing(page);
    await card(page, 'replay').filter({ hasText: 'Best opening shot?' }).waitFor({ timeout: 10_000 });
    await waitForTallies(page, { o1: 0, o2: 0 });
    // Seek to 1:00 and wait for it to land: on a busy machine a seek issued while the player
    // is still settling can be dropped, so it is issued again until the video is there.
    await page.waitForFunction(() => {
      const v = document.querySelector('video')!;
      if (!v.seeking && v.currentTime < 59) v.currentTime = 60;
      return !v.seeking && v.currentTime >= 59;
    }, undefined, { timeout: 30_000, polling: 250 });
    await card(page, 'replay').waitFor({ state: 'detached' });

    // Staff in the replay: no "new poll" and no "open" (the server would answer ROOM_NOT_LIVE),
    // but the past polls stay listed with their results and segments.
    const staff = await openRoom(ended, mod);
    await staff.getByTestId('poll-staff-replay').waitFor();
    await expect(staff.getByTestId('poll-new').count()).resolves.toBe(0);
    await expect(staff.getByTestId('poll-create').count()).resolves.toBe(0);
    const draft = staff.locator(`[data-testid=poll-staff-draft][data-poll-id="${unopened.body.poll.id}"]`);
    await draft.waitFor();
    await expect(draft.getByTestId('poll-open').count()).resolves.toBe(0);
    await expect(draft.textContent()).resolves.toContain('never opened');
    const closed = staff.locator(`[data-testid=poll-staff-closed][data-poll-id="${early.body.poll.id}"]`);
    await closed.getByTestId('poll-segments-toggle').click();
    await closed.locator('[data-testid=poll-result][data-option-id=o1]').waitFor();
    await closed.getByTestId('poll-segments').waitFor();
  });

  it('offers staff "new poll" while the premiere is live', { timeout: 60_000 }, async () => {
    const staff = await openRoom(live, mod);
    await staff.getByTestId('poll-new').waitFor();
    await expect(staff.getByTestId('poll-staff-replay').count()).resolves.toBe(0);
  });

  it("counts down on the server's clock when the device's clock is seven minutes behind", { timeout: 120_000 }, async () => {
    const created = await app.http
      .post(`/api/rooms/${live.id}/polls`)
      .set('Authorization', mod.bearer)
      .send({ question: 'Whose clock is right?', options: ['Mine', 'Yours'], durationMs: 5 * 60_000 });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const fan = await openRoom(live, await createAccount(app));
    const skewed = fan.context();
    await skewed.addInitScript(() => {
      const real = Date.now.bind(Date);
      Date.now = () => real() - 7 * 60_000;
    });
    await fan.reload();
    await expect(fan.evaluate(() => Math.round((Date.now() - new Date().getTime()) / 60_000))).resolves.toBe(-7);
    await app.http.post(`/api/polls/${created.body.poll.id}/open`).set('Authorization', mod.bearer).expect(200);
    const countdown = fan.locator('[data-testid=poll-card][data-state=open]').filter({ hasText: 'Whose clock is right?' }).getByTestId('poll-countdown');
    await countdown.waitFor();
    // On the device's own clock it would read 12:00; on the server's it reads 5:00 or just under.
    expect(await countdown.getAttribute('aria-label')).toMatch(/^[45]:\d\d left$/);
    await app.http.post(`/api/polls/${created.body.poll.id}/close`).set('Authorization', mod.bearer).expect(200);
  });

  it('a fan on a TV votes with the remote alone: arrows to the card and its option, Enter to choose and to vote', { timeout: 120_000 }, async () => {
    // A TV browser: 1920×1080 and no hover, so the first arrow press picks a control (spatial-nav.ts).
    const tv = { viewport: { width: 1920, height: 1080 }, hasTouch: true };
    const fan = await openRoom(live, await createAccount(app), tv);
    await expect(fan.evaluate(() => matchMedia('(hover: none)').matches)).resolves.toBe(true);
    const created = await app.http
      .post(`/api/rooms/${live.id}/polls`)
      .set('Authorization', mod.bearer)
      .send({ question: 'Which ending on the big screen?', options: ['Dawn', 'Dusk', 'Rain'], durationMs: 5 * 60_000 });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const pollId = created.body.poll.id;
    await app.http.post(`/api/polls/${pollId}/open`).set('Authorization', mod.bearer).expect(200);
    const tvCard = fan.locator(`[data-testid=poll-card][data-state=open][data-poll-id="${pollId}"]`);
    await tvCard.waitFor();

    /** What has the focus: the poll control's test id and option, or the element's tag. */
    const focused = () =>
      fan.evaluate((id) => {
        const el = document.activeElement;
        if (!el || el === document.body) return 'body';
        const inCard = el.closest(`[data-testid=poll-card][data-poll-id="${id}"]`) ? 'card:' : '';
        return `${inCard}${el.getAttribute('data-testid') ?? el.tagName.toLowerCase()}${el.getAttribute('data-option-id') ? `:${el.getAttribute('data-option-id')}` : ''}`;
      }, pollId);
    /** Presses `key` until `done(focus)`, at most `max` times; the path is in the message when it never gets there. */
    async function pressUntil(key: string, done: (focus: string) => boolean, max = 30): Promise<void> {
      const path: string[] = [await focused()];
      while (!done(path.at(-1)!)) {
        if (path.length > max) throw new Error(`${key} never reached the target: ${path.join(' → ')}`);
        await fan.keyboard.press(key);
        path.push(await focused());
      }
    }

    // The arrows skip the picture the card sits over, so the remote's focus moves to the ballot when it appears.
    await expect.poll(focused).toBe('card:poll-option:o1');
    await pressUntil('ArrowDown', (f) => f === 'card:poll-option:o2', 5);
    await fan.keyboard.press('Enter');
    await tvCard.locator('[data-testid=poll-option][data-option-id=o2][aria-pressed=true]').waitFor();
    await pressUntil('ArrowDown', (f) => f === 'card:poll-vote', 5);
    await fan.keyboard.press('Enter');
    await tvCard.locator('[data-testid=poll-result][data-option-id=o2] [data-testid=poll-your-vote]').waitFor();
    const saved = await app.http.get(`/api/polls/${pollId}`);
    expect(saved.body).toMatchObject({ tallies: { o1: 0, o2: 1, o3: 0 }, total: 1 });
    // The card fits the TV picture: nothing scrolls sideways.
    await expect(fan.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).resolves.toBe(true);
    await app.http.post(`/api/polls/${pollId}/close`).set('Authorization', mod.bearer).expect(200);
  });

  it('ran without page errors or CSP violations', () => {
    expect(browser.problems).toEqual([]);
  });
});

/** Waits until the worker opened a scheduled poll. */
async function eventuallyOpen(pollId: string): Promise<void> {
  const deadline = Date.now() + allowance(10_000);
  // Read as staff: a draft is hidden from everyone else until it opens.
  while ((await app.http.get(`/api/polls/${pollId}`).set('Authorization', mod.bearer)).body.poll?.status !== 'open') {
    if (Date.now() > deadline) throw new Error('the scheduled poll did not open');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until a premiere is over, so the page opens it as a replay. */
async function eventuallyEnded(roomId: string): Promise<void> {
  const deadline = Date.now() + allowance(20_000);
  while ((await app.http.get(`/api/rooms/${roomId}`)).body.room?.status !== 'ended') {
    if (Date.now() > deadline) throw new Error('the premiere did not end');
    await new Promise((r) => setTimeout(r, 100));
  }
}
