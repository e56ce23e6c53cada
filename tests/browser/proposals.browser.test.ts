import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import type { Room } from '../../contracts/rooms.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { createAccount, type Account } from '../support/accounts.js';
import { createRoom } from '../support/rooms.js';
import { eventually, startTestWorkers } from '../support/workers.js';
import type { WorkerRuntime } from '../../workers/runtime.js';
import { BrowserHarness, requireBuiltClient, screenshotsWanted, shotsDir } from './browser.js';
import { seedProposals, veteran } from './proposals-seed.js';

const XSS = '<img src=x onerror=window.__xss=1>';
const TITLE = `Mei returns ${XSS}`;
const desktop = { width: 1280, height: 800 };

let app: TestApp;
let browser: BrowserHarness;
let workers: WorkerRuntime;
let room: Room;
let author: Account;
let fan: Account;
let writer: Account;
let authorPage: Page;
let proposalId: string;

/** A page at `#<hash>` logged in as `account` (the session cookie), or a guest's. */
const openAs = (account: Account | null, hash: string, options = {}) => browser.open(account, hash, options);

/** A premiere with a realistic title, for the screenshots. */
async function premiere(staff: Account, title: string, ip: string, startsAgoMs: number): Promise<Room> {
  const res = await app.http
    .post('/api/rooms')
    .set('Authorization', staff.bearer)
    .send({ title, ip, videoUrl: '/media/demo-premiere.mp4', durationMs: 45 * 60_000, startsAt: new Date(Date.now() - startsAgoMs).toISOString() });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.room;
}

const card = (page: Page, id: string) => page.locator(`[data-testid=proposal-card][data-proposal-id="${id}"]`);

describe('story proposals in the browser', () => {
  beforeAll(async () => {
    requireBuiltClient();
    // One supporter is enough to put a proposal in front of the writers.
    app = await startTestApp({ env: { PROPOSAL_SUPPORT_THRESHOLD: '1', PROPOSALS_PER_HOUR: '1000', PROPOSAL_VOTES_PER_MIN: '1000' } });
    [workers, browser] = await Promise.all([startTestWorkers(app), BrowserHarness.launch(() => app.url, { viewport: desktop })]);
    room = await createRoom(app, await createAccount(app, 'moderator'));
    [author, fan, writer] = await Promise.all([createAccount(app), createAccount(app), createAccount(app, 'writer')]);
  });

  afterAll(async () => {
    await browser?.close();
    await workers?.close();
    await app?.stop();
  });

  it('a fan submits a formatted proposal once; markup in the title and pasted text stays text', async () => {
    authorPage = await openAs(author, '/proposals?view=new');
    const page = authorPage;
    await page.getByTestId('proposal-form').waitFor();
    await page.getByTestId('proposal-title-input').fill(TITLE);
    const editor = page.getByTestId('proposal-body-editor');
    await editor.click();
    await page.keyboard.type('She ');
    await page.getByTestId('tool-bold').click();
    await page.keyboard.type('survived');
    await page.getByTestId('tool-bold').click();
    await page.keyboard.type(' the fall. ');
    // Pasting HTML source arrives as plain text, never as markup.
    await editor.evaluate((el, text) => {
      const data = new DataTransfer();
      data.setData('text/plain', text);
      data.setData('text/html', text);
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, XSS);
    await expect(editor.locator('img').count()).resolves.toBe(0);
    await expect(page.getByTestId('body-counter').textContent()).resolves.toMatch(/\d+ characters/);
    await page.getByTestId('proposal-tags').fill('mei');
    await page.keyboard.press('Enter');
    // A double click sends one proposal: the form is busy, and the draft's idempotency key is reused.
    await page.getByTestId('proposal-submit').dblclick();

    // The form hands over to "my proposals", which follows the status live.
    await page.getByTestId('my-proposals').waitFor();
    const mine = page.getByTestId('my-proposals').getByTestId('proposal-card').first();
    await mine.waitFor();
    proposalId = (await mine.getAttribute('data-proposal-id'))!;
    await card(page, proposalId).and(page.locator('[data-status=approved]')).waitFor();
    await expect(card(page, proposalId).getByTestId('proposal-title').textContent()).resolves.toBe(TITLE);
    await expect(card(page, proposalId).getByTestId('proposal-body').locator('b, strong').textContent()).resolves.toBe('survived');
    await expect(card(page, proposalId).getByTestId('proposal-body').textContent()).resolves.toContain(XSS);
    await expect(page.locator('img').count()).resolves.toBe(0);
    await expect(page.evaluate(() => (window as { __xss?: unknown }).__xss)).resolves.toBeUndefined();

    const own = await app.http.get('/api/proposals?mine=1&sort=new').set('Authorization', author.bearer);
    expect(own.body.items.filter((p: { title: string }) => p.title === TITLE)).toHaveLength(1);
  });

  it('the proposal is on the board; another fan supports it and the count updates', async () => {
    const guest = await openAs(null, '/proposals?sort=new');
    await card(guest, proposalId).waitFor();
    await card(guest, proposalId).getByTestId('support').click();
    await card(guest, proposalId).getByTestId('vote-login').waitFor();

    const page = await openAs(fan, '/proposals?sort=new');
    const item = card(page, proposalId);
    await item.waitFor();
    await expect(item.getByTestId('proposal-title').textContent()).resolves.toBe(TITLE);
    await expect(item.getByTestId('supporters').textContent()).resolves.toBe('0');
    await item.getByTestId('support').click();
    await item.getByTestId('support').and(page.locator('[aria-pressed=true]')).waitFor();
    await expect(item.getByTestId('supporters').textContent()).resolves.toBe('1');
    const saved = await eventually(async () => {
      const p = (await app.http.get(`/api/proposals/${proposalId}`)).body.proposal;
      return p.supporters === 1 && p.status === 'in_review' && p;
    });
    expect(saved.opponents).toBe(0);
    // After a reload the count comes from the server and the vote is still shown as the fan's.
    await page.reload();
    await card(page, proposalId).getByTestId('support').and(page.locator('[aria-pressed=true]')).waitFor();
    await expect(card(page, proposalId).getByTestId('supporters').textContent()).resolves.toBe('1');
    await expect(page.evaluate(() => (window as { __xss?: unknown }).__xss)).resolves.toBeUndefined();
  });

  it("a writer shortlists it with feedback in the writers' room", async () => {
    const page = await openAs(writer, '/writers');
    await page.getByTestId('writers-page').waitFor();
    const row = page.locator(`[data-testid=writers-item][data-proposal-id="${proposalId}"]`);
    await row.click();
    const detail = page.getByTestId('writers-detail');
    await detail.waitFor();
    await expect(detail.locator('#wdetail-title').textContent()).resolves.toBe(TITLE);
    await detail.getByTestId('votes-chart').waitFor();
    await detail.getByTestId('segments').waitFor();
    await detail.getByTestId('decision-shortlist').check();
    await detail.getByTestId('decision-feedback-input').fill('Lovely twist; we will test it with the audience.');
    await detail.getByTestId('rubric-originality').selectOption('5');
    await detail.getByTestId('rubric-fit').selectOption('4');
    await detail.getByTestId('rubric-feasibility').selectOption('3');
    await detail.getByTestId('decision-submit').click();
    await detail.getByTestId('decision-saved').waitFor();
    await page.locator(`[data-testid=writers-detail][data-status=shortlisted]`).waitFor();
    await expect(page.evaluate(() => (window as { __xss?: unknown }).__xss)).resolves.toBeUndefined();
  });

  it('the author sees the feedback under "my proposals", live', async () => {
    const page = authorPage;
    const item = card(page, proposalId);
    await item.and(page.locator('[data-status=shortlisted]')).waitFor();
    await expect(item.getByTestId('decision-feedback').textContent()).resolves.toBe('Lovely twist; we will test it with the audience.');
    await expect(item.getByTestId('decision-rubric').textContent()).resolves.toContain('5 of 5');
    expect(browser.problems).toEqual([]);
  });

  // Registered only when screenshots are asked for (LOTUS_SCREENSHOTS=1): it renders README images, it tests nothing new.
  if (screenshotsWanted) it('screenshots: the board and the writers room with realistic content', { timeout: 120_000 }, async () => {
    const staff = await createAccount(app, 'moderator');
    const ip = '青莲传 Lotus Saga';
    const live = await premiere(staff, '青莲传 第八集 首映', ip, 10 * 60_000);
    const earlier = await premiere(staff, '青莲传 第七集', ip, 7 * 86_400_000);
    const headWriter = await veteran(app, '周宁', 'writer');
    const ids = await seedProposals(app, ip, [live.id, earlier.id], headWriter);
    const query = `ip=${encodeURIComponent(ip)}`;
    const board = await openAs(await veteran(app, '小鹿'), `/proposals?${query}&sort=top`, { locale: 'zh-CN' });
    await card(board, ids[0]).waitFor();
    const first = board.getByTestId('proposal-list').locator('[data-testid=proposal-card][data-status=in_review]').first();
    await first.getByTestId('support').click();
    await first.getByTestId('support').and(board.locator('[aria-pressed=true]')).waitFor();
    await board.mouse.move(0, 0);
    await board.evaluate(() => window.scrollTo(0, 0));
    await board.screenshot({ path: path.join(shotsDir, 'proposals-board.png') });

    const room2 = await openAs(headWriter, `/writers?${query}&p=${ids[0]}`);
    await room2.getByTestId('writers-detail').getByTestId('votes-chart').waitFor();
    // The queue stays in view (sticky) while the panel scrolls to the proposal's header.
    await room2.getByTestId('writers-detail').evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 84));
    await room2.screenshot({ path: path.join(shotsDir, 'writers-room.png') });
    expect(browser.problems).toEqual([]);
  });
});
