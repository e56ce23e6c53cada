import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import type { Room } from '../../contracts/rooms.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { createAccount, type Account } from '../support/accounts.js';
import { eventually, startTestWorkers } from '../support/workers.js';
import type { WorkerRuntime } from '../../workers/runtime.js';
import { BrowserHarness, requireBuiltClient } from './browser.js';

/**
 * The proposals screens beyond submit-and-support: the board's sorts and tag
 * filter, "my proposals" with moderation reasons, the writers' filters, merging
 * from the duplicates panel, and "ask the audience".
 */

const IP = 'Screens Saga';
const desktop = { width: 1280, height: 800 };

let app: TestApp;
let browser: BrowserHarness;
let workers: WorkerRuntime;
let room: Room;
let writer: Account;
let mod: Account;
/** Three approved proposals: `a` oldest and most supported, `c` with two votes, `b` the newest with none. */
const ids = { a: '', b: '', c: '', dup: '', held: '', rejected: '' };
let heldAuthor: Account;
let dupAuthor: Account;

const texts = {
  a: { title: 'Mei survives the fall', body: '<p>The reflection on the lake in episode seven is her hairpin: a fisherman pulled her from the water.</p>', tags: ['mei'], at: 60_000 },
  b: { title: 'Wen crosses the frozen pond', body: '<p>The winter finale: the pond freezes overnight and Wen walks to the old temple alone.</p>', tags: ['wen'], at: 300_000 },
  c: { title: 'A whole episode for the old master', body: '<p>Tell how the master lost his rank on Lotus Mountain, so that his betrayal finally makes sense.</p>', tags: ['mei', 'master'], at: 600_000 },
};

async function submit(author: Account, input: object): Promise<string> {
  const res = await app.http.post('/api/proposals').set('Authorization', author.bearer).send({ ip: IP, ...input });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.proposal.id;
}
const statusOf = async (id: string) => (await app.http.get(`/api/proposals/${id}`).set('Authorization', writer.bearer)).body.proposal;
async function decided(id: string, status: string): Promise<void> {
  let last: unknown;
  await eventually(async () => {
    const p = await statusOf(id);
    last = p && { status: p.status, reasons: p.reasons };
    return p?.status === status;
  }, 15_000).catch((err) => {
    throw new Error(`${id} is not ${status}: ${JSON.stringify(last)}`, { cause: err });
  });
}
const open = (account: Account | null, hash: string) => browser.open(account, hash);
const card = (page: Page, id: string) => page.locator(`[data-testid=proposal-card][data-proposal-id="${id}"]`);
/** The proposal ids a list shows, in order. */
const shown = (page: Page, selector: string) => page.locator(selector).evaluateAll((els) => els.map((el) => el.getAttribute('data-proposal-id')));
const board = (page: Page) => shown(page, '[data-testid=proposal-list] [data-testid=proposal-card]');
const queue = (page: Page) => shown(page, '[data-testid=writers-item]');

describe('proposals screens in the browser', () => {
  beforeAll(async () => {
    requireBuiltClient();
    app = await startTestApp({ env: { PROPOSALS_PER_HOUR: '1000', PROPOSAL_VOTES_PER_MIN: '1000' } });
    const admin = await createAccount(app, 'admin');
    // The terms are set before the workers start, so moderation reads them from its first job.
    await app.http.put('/api/moderation/terms').set('Authorization', admin.bearer).send({ terms: [{ term: 'bootleg', action: 'block' }, { term: 'leak', action: 'hold' }] }).expect(200);
    [workers, browser] = await Promise.all([startTestWorkers(app), BrowserHarness.launch(() => app.url, { viewport: desktop })]);
    [writer, mod, heldAuthor, dupAuthor] = await Promise.all([createAccount(app, 'writer'), createAccount(app, 'moderator'), createAccount(app), createAccount(app)]);
    const created = await app.http
      .post('/api/rooms')
      .set('Authorization', mod.bearer)
      .send({ title: 'Screens Saga, episode 8', ip: IP, videoUrl: '/media/demo-premiere.mp4', durationMs: 45 * 60_000, startsAt: new Date(Date.now() - 60_000).toISOString() });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    room = created.body.room;

    // Created in the order a, c, b; `a` is moved two days back before its votes, so Hot, Top and New all differ.
    for (const key of ['a', 'c', 'b'] as const) {
      const x = texts[key];
      ids[key] = await submit(await createAccount(app), { title: x.title, body: x.body, tags: x.tags, roomId: room.id, atOffsetMs: x.at });
      await decided(ids[key], 'approved');
    }
    await app.deps.db.pool.query(`update proposals set created_at = now() - interval '2 days' where id = $1`, [ids.a]);
    const voters = await Promise.all([0, 1, 2].map(() => createAccount(app)));
    for (const v of voters) await app.http.post(`/api/proposals/${ids.a}/vote`).set('Authorization', v.bearer).send({ value: 1 }).expect(200);
    for (const v of voters.slice(0, 2)) await app.http.post(`/api/proposals/${ids.c}/vote`).set('Authorization', v.bearer).send({ value: 1 }).expect(200);
    const order = async (sort: string) => (await app.http.get(`/api/proposals?ip=${encodeURIComponent(IP)}&sort=${sort}`)).body.items.map((p: { id: string }) => p.id).join();
    await eventually(async () => (await order('top')) === [ids.a, ids.c, ids.b].join() && (await order('hot')) === [ids.c, ids.b, ids.a].join());

    // One author's held and rejected proposals, and another's near-copy of `a` (held, linked to it).
    ids.held = await submit(heldAuthor, { title: 'The script leak', body: '<p>I have read the script of the finale and the ending is different.</p>' });
    ids.rejected = await submit(heldAuthor, { title: 'Bootleg links', body: '<p>Where to find a bootleg of episode nine before it airs.</p>' });
    ids.dup = await submit(dupAuthor, { title: 'Mei survived the fall!', body: texts.a.body.replace('fisherman', 'fisher') });
    await Promise.all([decided(ids.held, 'held'), decided(ids.rejected, 'rejected'), decided(ids.dup, 'held')]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await workers?.close();
    await app?.stop();
  });

  it('the board sorts by Hot, Top and New and filters by a tag', async () => {
    const page = await open(null, `/proposals?ip=${encodeURIComponent(IP)}`);
    await expect.poll(() => board(page)).toEqual([ids.c, ids.b, ids.a]);
    await page.getByTestId('sort-top').click();
    await page.getByTestId('sort-top').and(page.locator('[aria-pressed=true]')).waitFor();
    await expect.poll(() => board(page)).toEqual([ids.a, ids.c, ids.b]);
    await page.getByTestId('sort-new').click();
    await expect.poll(() => board(page)).toEqual([ids.b, ids.c, ids.a]);
    expect(new URL(page.url()).hash).toContain('sort=new');

    // Typed: "#Mei" is the tag "mei".
    await page.getByTestId('tag-filter').fill('#Mei');
    await page.getByTestId('tag-filter').press('Enter');
    await expect.poll(() => board(page)).toEqual([ids.c, ids.a]);
    await page.getByTestId('tag-clear').click();
    await expect.poll(() => board(page)).toEqual([ids.b, ids.c, ids.a]);
    // A tag on a card filters too.
    await card(page, ids.b).getByRole('button', { name: /#wen/ }).click();
    await expect.poll(() => board(page)).toEqual([ids.b]);
    await expect(page.getByTestId('tag-filter').inputValue()).resolves.toBe('wen');
    // Held and rejected proposals never reach the public board.
    await page.getByTestId('tag-clear').click();
    await expect.poll(() => board(page)).toEqual([ids.b, ids.c, ids.a]);
  });

  it('"my proposals" tells the author why a proposal was held or rejected', async () => {
    const page = await open(heldAuthor, '/proposals?view=mine');
    const held = card(page, ids.held).and(page.locator('[data-status=held]'));
    const rejected = card(page, ids.rejected).and(page.locator('[data-status=rejected]'));
    await held.getByTestId('reasons').waitFor();
    await expect(held.getByTestId('reasons').textContent()).resolves.toContain('a moderator checks first (“leak”)');
    await expect(rejected.getByTestId('reasons').textContent()).resolves.toContain('isn\'t allowed here (“bootleg”)');

    const copier = await open(dupAuthor, '/proposals?view=mine');
    const dup = card(copier, ids.dup).and(copier.locator('[data-status=held]'));
    await expect(dup.getByTestId('reasons').textContent()).resolves.toMatch(/very similar/);
    const original = dup.getByTestId('reasons').getByRole('link', { name: 'See the original' });
    expect(await original.getAttribute('href')).toContain(`/proposals/${ids.a}`);
  });

  it("the writers' filters: status, tag, moment range and sort change the queue", async () => {
    const page = await open(writer, `/writers?ip=${encodeURIComponent(IP)}`);
    await page.getByTestId('writers-list').and(page.locator('[data-state=ready]')).waitFor();
    // In review by default: nothing has reached the threshold yet.
    await expect(queue(page)).resolves.toEqual([]);
    await page.getByTestId('writers-status').selectOption('held');
    await expect.poll(async () => (await queue(page)).sort()).toEqual([ids.held, ids.dup].sort());
    await page.getByTestId('writers-status').selectOption('approved');
    await expect.poll(() => queue(page)).toEqual([ids.a, ids.c, ids.b]);
    await page.getByTestId('writers-filters').getByTestId('sort-new').click();
    await expect.poll(() => queue(page)).toEqual([ids.b, ids.c, ids.a]);
    await page.getByTestId('writers-status').selectOption('all');
    await expect.poll(async () => (await queue(page)).length).toBe(6);
    await page.getByTestId('writers-filters').getByTestId('tag-filter').fill('master');
    await page.getByTestId('writers-filters').getByTestId('tag-filter').press('Enter');
    await expect.poll(() => queue(page)).toEqual([ids.c]);
    await page.getByTestId('writers-filters').getByTestId('tag-clear').click();
    // Proposals made about 4:00 to 6:00 into the premiere: only `b` (at 5:00).
    await page.getByTestId('range-from').fill('4:00');
    await page.getByTestId('range-to').fill('6:00');
    await page.getByTestId('range-to').press('Enter');
    await expect.poll(() => queue(page)).toEqual([ids.b]);
    const hash = new URL(page.url()).hash;
    expect(hash).toContain('status=all');
    expect(hash).toContain('from=240000');
    // A range that ends before it starts is refused in the form.
    await page.getByTestId('range-to').fill('1:00');
    await page.getByTestId('range-to').press('Enter');
    await page.locator('.wrange [role=alert]').waitFor();
    await expect(queue(page)).resolves.toEqual([ids.b]);
  });

  it('a writer merges a near-copy into its original from the duplicates panel; both authors keep credit', async () => {
    const page = await open(writer, `/writers?ip=${encodeURIComponent(IP)}&status=held&p=${ids.dup}`);
    const detail = page.locator(`[data-testid=writers-detail][data-proposal-id="${ids.dup}"]`);
    const row = detail.getByTestId('duplicate-row').filter({ hasText: texts.a.title });
    await row.getByTestId('merge-there').click();
    await page.getByTestId('confirm-dialog').waitFor();
    await page.getByTestId('confirm-ok').click();
    await page.locator(`[data-testid=writers-detail][data-proposal-id="${ids.dup}"][data-status=merged]`).waitFor();
    // The queue row follows, and the merge buttons are gone.
    await page.locator(`[data-testid=writers-item][data-proposal-id="${ids.dup}"][data-status=merged]`).waitFor();
    await expect(detail.getByTestId('merge-there').count()).resolves.toBe(0);

    const merged = await statusOf(ids.a);
    expect(merged.supporters).toBe(3);
    expect(merged.contributors.map((c: { id: string }) => c.id)).toContain(dupAuthor.user.id);
    await page.goto(page.url().replace(`p=${ids.dup}`, `p=${ids.a}`).replace('status=held', 'status=approved'));
    await expect(page.locator(`[data-testid=writers-detail][data-proposal-id="${ids.a}"] .pmeta`).first().textContent()).resolves.toContain(dupAuthor.user.displayName);
  });

  it('"ask the audience" turns the top proposals into a draft poll in the live premiere', async () => {
    const page = await open(writer, `/writers?ip=${encodeURIComponent(IP)}`);
    const ask = page.getByTestId('ask-audience');
    await ask.getByTestId('ask-room').locator('option').first().waitFor({ state: 'attached' });
    await expect(ask.getByTestId('ask-room').locator('option').allTextContents()).resolves.toEqual([expect.stringContaining('Screens Saga, episode 8')]);
    await ask.getByTestId('ask-count').selectOption('3');
    await ask.locator('#ask-question').fill('What happens next?');
    await ask.getByTestId('ask-submit').click();
    const created = ask.getByTestId('poll-created');
    await created.waitFor();
    // The three best-supported proposals that are open to the audience, best first: never a held or rejected one.
    await expect(created.locator('li').allTextContents()).resolves.toEqual([texts.a.title, texts.c.title, texts.b.title]);

    const polls = (await app.http.get(`/api/rooms/${room.id}/polls`).set('Authorization', mod.bearer)).body.polls;
    const poll = polls.find((e: { poll: { question: string } }) => e.poll.question === 'What happens next?').poll;
    expect(poll).toMatchObject({ status: 'draft', kind: 'single', options: [{ text: texts.a.title }, { text: texts.c.title }, { text: texts.b.title }] });
    // Staff find the draft in the room's poll controls and open it; fans get the card.
    const [staff, fan] = await Promise.all([browser.openRoom(room.id, mod), browser.openRoom(room.id, await createAccount(app))]);
    await staff.locator(`[data-testid=poll-staff-draft][data-poll-id="${poll.id}"]`).getByTestId('poll-open').click();
    await fan.locator('[data-testid=poll-card][data-state=open]').filter({ hasText: 'What happens next?' }).waitFor();
  });

  it('ran without page errors or CSP violations', () => {
    expect(browser.problems).toEqual([]);
  });
});
