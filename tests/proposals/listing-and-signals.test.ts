import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createAccount, type Account } from '../support/accounts.js';
import { connectSocket, emitAck, nextEvent, type ClientSocket } from '../support/sockets.js';
import { createRoom } from '../support/rooms.js';
import { eventually, startTestWorkers } from '../support/workers.js';
import type { WorkerRuntime } from '../../workers/runtime.js';
import type { Room } from '../../contracts/rooms.js';

let app: TestApp;
let workers: WorkerRuntime;
let writer: Account;
let mod: Account;
let room: Room;
const sockets: ClientSocket[] = [];

/** Distinct words per proposal, so the duplicate detector has no reason to hold them. */
const words = (n = 12) => Array.from({ length: n }, () => Math.random().toString(36).slice(2, 8).replace(/\d/g, 'x')).join(' ');
const submit = (who: Account, ip: string, body: object) =>
  app.http.post('/api/proposals').set('Authorization', who.bearer).send({ ip, title: 'A title', body: `<p>${words()}</p>`, ...body });
const decided = (id: string, who: Account) =>
  eventually(async () => {
    const p = (await app.http.get(`/api/proposals/${id}`).set('Authorization', who.bearer)).body.proposal;
    return p && p.status !== 'pending' && p;
  });
async function submitDecided(ip: string, body: object = {}, author?: Account) {
  const who = author ?? (await createAccount(app));
  const res = await submit(who, ip, body);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return decided(res.body.proposal.id, who);
}
const vote = (who: Account, id: string, value: number) => app.http.post(`/api/proposals/${id}/vote`).set('Authorization', who.bearer).send({ value });
const voteBy = async (n: number, id: string, value: number) => {
  for (const v of await Promise.all(Array.from({ length: n }, () => createAccount(app)))) expect((await vote(v, id, value)).status).toBe(200);
};
const ids = (res: { body: { items: Array<{ id: string }> } }) => res.body.items.map((p) => p.id);

beforeAll(async () => {
  app = await startTestApp({ env: { PROPOSALS_PER_HOUR: '1000', PROPOSAL_VOTES_PER_MIN: '1000', PROPOSAL_SUPPORT_THRESHOLD: '1000' } });
  workers = await startTestWorkers(app);
  [writer, mod] = await Promise.all([createAccount(app, 'writer'), createAccount(app, 'moderator')]);
  room = await createRoom(app, mod);
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await workers?.close();
  await app?.stop();
});

describe('listing proposals', () => {
  it('sorts by top, controversial and new, filters by tag and status, and pages with a cursor without gaps or repeats', async () => {
    const IP = 'Sorted Saga';
    const liked = await submitDecided(IP, { title: 'Liked', tags: ['alpha'] });
    const split = await submitDecided(IP, { title: 'Split' });
    const quiet = await submitDecided(IP, { title: 'Quiet' });
    await voteBy(4, liked.id, 1);
    await voteBy(2, split.id, 1);
    await voteBy(2, split.id, -1);
    // The scoring worker settles: controversy of 2 up / 2 down is 4 / max(0, 1).
    await eventually(async () => {
      const [a, b] = await Promise.all([liked, split].map(async (p) => (await app.http.get(`/api/proposals/${p.id}`)).body.proposal));
      return a.scores.top > b.scores.top && b.scores.top > 0 && b.scores.controversy === 4;
    });
    const list = (query: string) => app.http.get(`/api/proposals?ip=${encodeURIComponent(IP)}&${query}`);
    expect(ids(await list('sort=top'))).toEqual([liked.id, split.id, quiet.id]);
    expect(ids(await list('sort=controversial'))[0]).toBe(split.id);
    // Hot: net support on a log scale, then newer first among equals.
    expect(ids(await list('sort=hot'))).toEqual([liked.id, quiet.id, split.id]);
    expect(ids(await list('sort=new'))).toEqual([quiet.id, split.id, liked.id]);
    expect(ids(await list('sort=top&tag=alpha'))).toEqual([liked.id]);
    expect(ids(await list('sort=top&status=approved'))).toHaveLength(3);
    expect(ids(await list('sort=top&status=held'))).toEqual([]);

    for (const sort of ['top', 'hot', 'new', 'controversial']) {
      const all = ids(await list(`sort=${sort}&limit=100`));
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await list(`sort=${sort}&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        paged.push(...ids(page));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(paged, sort).toEqual(all);
    }
    expect((await list('sort=top&cursor=garbage')).body.error.code).toBe('VALIDATION_FAILED');
  });

  it("the writers' list narrows to a range of the premiere's moments", async () => {
    const IP = 'Moments Saga';
    const early = await submitDecided(IP, { roomId: room.id, atOffsetMs: 10_000 });
    const late = await submitDecided(IP, { roomId: room.id, atOffsetMs: 50_000 });
    const range = (q: string) => app.http.get(`/api/writers/proposals?ip=${encodeURIComponent(IP)}&sort=new&${q}`).set('Authorization', writer.bearer);
    expect(ids(await range('fromMs=0&toMs=20000'))).toEqual([early.id]);
    expect(ids(await range('fromMs=20000'))).toEqual([late.id]);
    expect(ids(await range('fromMs=0&toMs=60000'))).toEqual([late.id, early.id]);
  });
});

describe('moderation signals', () => {
  it('holds spam: many links, a link from a new account, shouting, repetition', async () => {
    const IP = 'Spam Saga';
    const links = Array.from({ length: 4 }, (_, i) => `<a href="https://example.com/${i}">link ${i}</a>`).join(' ');
    const cases: Array<[object, string]> = [
      [{ body: `<p>${words()} ${links}</p>` }, 'spam:links'],
      [{ body: `<p>${words()} <a href="https://example.com/a">see</a></p>` }, 'spam:link_from_new_account'],
      [{ title: 'THE EMPEROR MUST FALL IN THE FINALE NOW', body: `<p>HE BETRAYED EVERYONE AND NOBODY NOTICED IT</p>` }, 'spam:shouting'],
      [{ body: '<p>more more more more more more more more more more more more more</p>' }, 'spam:repetition'],
    ];
    for (const [body, reason] of cases) {
      const p = await submitDecided(IP, body);
      expect(p.status, reason).toBe('held');
      expect(p.reasons, reason).toContain(reason);
    }
  });

  it('a censor term holds a proposal for a moderator instead of rewriting its text', async () => {
    const admin = await createAccount(app, 'admin');
    await app.http.put('/api/moderation/terms').set('Authorization', admin.bearer).send({ terms: [{ term: 'spoilerword', action: 'censor' }] }).expect(200);
    try {
      await new Promise((r) => setTimeout(r, 1_100)); // rules are cached for a second
      const p = await submitDecided('Censor Saga', { body: `<p>${words()} spoilerword ${words(4)}</p>` });
      expect(p.status).toBe('held');
      expect(p.reasons).toContain('term:censor:spoilerword');
      expect(p.body).toContain('spoilerword');
    } finally {
      await app.http.put('/api/moderation/terms').set('Authorization', admin.bearer).send({ terms: [] }).expect(200);
    }
  });

  it('flooding by one author: the fifth proposal in an hour is held, the twentieth rejected', async () => {
    const author = await createAccount(app);
    const statuses: string[] = [];
    for (let i = 0; i < 20; i++) {
      const p = await submitDecided('Flood Saga', { title: `Flood ${i}` }, author);
      statuses.push(p.status);
      if (i >= 4) expect(p.reasons).toContain('spam:flooding');
    }
    expect(statuses.slice(0, 4)).toEqual(['approved', 'approved', 'approved', 'approved']);
    expect(new Set(statuses.slice(4, 19))).toEqual(new Set(['held']));
    expect(statuses[19]).toBe('rejected');
  });

  it('finds a near-duplicate in Chinese by character n-grams, links it to the original and shows writers the cluster', async () => {
    const IP = '青莲传';
    const text = '大结局里莲花池结了冰，文独自走过冰面，来到母亲藏起地图的古庙，她在佛像后面找到了一封没有寄出的信。';
    const original = await submitDecided(IP, { title: '冰封的莲花池', body: `<p>${text}</p>` });
    expect(original.status).toBe('approved');
    const copy = await submitDecided(IP, { title: '莲花池结冰', body: `<p>${text.replace('古庙', '旧寺')}</p>` });
    expect(copy.status).toBe('held');
    expect(copy.duplicateOf).toBe(original.id);
    // Writers see the cluster from the original, ready to merge.
    const detail = await app.http.get(`/api/writers/proposals/${original.id}`).set('Authorization', writer.bearer);
    expect(detail.body.duplicates).toMatchObject([{ id: copy.id, status: 'held' }]);
    const unrelated = await submitDecided(IP, { title: '师父的秘密', body: '<p>第二季开头，师父其实是皇帝派来的密探，他一直在等待机会把剑交还给真正的主人。</p>' });
    expect(unrelated).toMatchObject({ status: 'approved', duplicateOf: null });
  });

  it('a burst of votes from new accounts is flagged for staff once, with an audit entry', async () => {
    const p = await submitDecided('Burst Saga');
    await voteBy(20, p.id, 1);
    const flagged = await eventually(async () => {
      const q = (await app.http.get(`/api/proposals/${p.id}`).set('Authorization', writer.bearer)).body.proposal;
      return q.flags?.includes('vote_burst') && q;
    });
    expect(flagged.supporters).toBe(20);
    const audit = await app.http.get(`/api/moderation/audit?targetId=${p.id}`).set('Authorization', mod.bearer);
    expect(audit.body.entries.filter((e: any) => e.action === 'flag')).toMatchObject([{ actorId: null, reason: 'vote burst: 20 new-account votes in 10 minutes' }]);
  });
});

describe("a room's viewers", () => {
  it('hear a new approved proposal of their room and its count changes, at most once a second per proposal', async () => {
    const viewer = await connectSocket(app.url);
    sockets.push(viewer);
    expect((await emitAck(viewer, 'room:join', { roomId: room.id })).ok).toBe(true);
    const updates: Array<{ at: number; proposal: any }> = [];
    viewer.on('proposal:update', (u: any) => updates.push({ at: Date.now(), proposal: u.proposal }));
    const approved = nextEvent(viewer, 'proposal:update', (u: any) => u.proposal.status === 'approved', 10_000);
    const author = await createAccount(app);
    const res = await submit(author, 'Room Saga', { title: 'Seen in the room', roomId: room.id });
    const first = (await approved).proposal;
    expect(first).toMatchObject({ id: res.body.proposal.id, status: 'approved', supporters: 0 });
    expect(first).not.toHaveProperty('myVote');

    await voteBy(6, first.id, 1);
    await eventually(async () => updates.some((u) => u.proposal.id === first.id && u.proposal.supporters === 6), 10_000);
    const mine = updates.filter((u) => u.proposal.id === first.id);
    // Six votes and their scoring jobs, throttled to one push per second per proposal.
    expect(mine.length).toBeLessThan(6);
    for (let i = 1; i < mine.length; i++) expect(mine[i].at - mine[i - 1].at).toBeGreaterThanOrEqual(500);
    // A held proposal never reaches the room.
    const held = await submitDecided('Room Saga', { title: 'LOUD LOUD PROPOSAL FOR THE ROOM', body: '<p>EVERYONE MUST READ THIS RIGHT NOW PLEASE</p>', roomId: room.id });
    expect(held.status).toBe('held');
    // A proposal approved after it is heard; anything about the held one would have come first.
    const next = nextEvent(viewer, 'proposal:update', (u: any) => u.proposal.title === 'Heard after the held one', 10_000);
    await submitDecided('Room Saga', { title: 'Heard after the held one', roomId: room.id });
    await next;
    expect(updates.some((u) => u.proposal.id === held.id)).toBe(false);
  });
});
