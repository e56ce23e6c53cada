import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createAccount, type Account } from '../support/accounts.js';
import { eventually, startTestWorkers } from '../support/workers.js';
import type { WorkerRuntime } from '../../workers/runtime.js';

let app: TestApp;
let workers: WorkerRuntime;
let fan: Account;
let writer: Account;
const IP = 'Lotus Saga';
const submit = (who: Account, body: object) => app.http.post('/api/proposals').set('Authorization', who.bearer).send({ ip: IP, title: 'A title', body: '<p>Body text</p>', ...body });
const decided = (id: string, who: Account) =>
  eventually(async () => {
    const p = (await app.http.get(`/api/proposals/${id}`).set('Authorization', who.bearer)).body.proposal;
    return p && p.status !== 'pending' && p;
  });

beforeAll(async () => {
  app = await startTestApp({ env: { PROPOSALS_PER_HOUR: '1000' } });
  workers = await startTestWorkers(app);
  fan = await createAccount(app);
  writer = await createAccount(app, 'writer');
});
afterAll(async () => {
  await workers?.close();
  await app?.stop();
});

describe('submitting proposals', () => {
  it('answers 202 pending, then the moderation worker approves a clean one and records why', async () => {
    const res = await submit(fan, { title: 'Mei should return in season two', body: '<p>She <b>survived</b> the fall — <i>we saw her shadow</i>.</p><ul><li>clue one</li></ul>', tags: ['Mei', 'season2'] });
    expect(res.status).toBe(202);
    expect(res.body.proposal).toMatchObject({ status: 'pending', authorId: fan.user.id, tags: ['mei', 'season2'] });
    const p = await decided(res.body.proposal.id, fan);
    expect(p.status).toBe('approved');
    const audit = await app.http.get(`/api/moderation/audit?targetId=${p.id}`).set('Authorization', (await createAccount(app, 'moderator')).bearer);
    expect(audit.body.entries).toMatchObject([{ actorId: null, action: 'approve', targetType: 'proposal' }]);
  });

  it('stores XSS payloads clean: scripts, event handlers and javascript: links are gone; allowed links get rel=nofollow ugc', async () => {
    const body =
      '<p onclick="steal()">Hello<script>alert(1)</script></p><img src=x onerror=alert(1)><a href="javascript:alert(1)">bad</a>' +
      '<a href="https://example.com/x" onmouseover="x()">good</a><iframe src="https://evil"></iframe><style>*{}</style><blockquote>quote</blockquote>';
    const res = await submit(fan, { title: '<script>alert("t")</script> Title', body });
    expect(res.status).toBe(202);
    const stored = res.body.proposal;
    expect(stored.title).toBe('<script>alert("t")</script> Title'); // the title is plain text: shown with textContent
    expect(stored.body).not.toMatch(/script|onerror|onclick|onmouseover|javascript:|iframe|<img|<style/i);
    expect(stored.body).toContain('<a href="https://example.com/x" rel="nofollow ugc noopener" target="_blank">good</a>');
    expect(stored.body).toContain('<blockquote>quote</blockquote>');
    expect(stored.body).toContain('<p>Hello</p>');
  });

  it('drops NUL and other invisible control characters from a body and mends half characters; refuses them in the title and tags', async () => {
    // Pasted text carries them; Postgres refuses NUL in text, and a lone surrogate inside JSON.
    const res = await submit(fan, { title: 'Pasted', body: '<p>a\u0000b\u000bc\td\ud800e</p>' });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.proposal.body).toBe('<p>abc\td\uFFFDe</p>');
    const stored = await app.deps.db.pool.query('select body from proposals where id = $1', [res.body.proposal.id]);
    expect(stored.rows[0].body).toBe('<p>abc\td\uFFFDe</p>');
    for (const bad of [{ title: 'a\u0000b' }, { title: 'a\ud800b' }, { tags: ['a\ud800'] }, { tags: ['\u202etag'] }]) {
      const refused = await submit(fan, bad);
      expect(refused.status, JSON.stringify(bad)).toBe(400);
      expect(refused.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('refuses malformed, oversized and empty bodies', async () => {
    expect((await submit(fan, { body: 'x'.repeat(20_001) })).status).toBe(400);
    expect((await submit(fan, { body: '<script>only a script</script>' })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await submit(fan, { title: '' })).status).toBe(400);
    expect((await submit(fan, { title: 'x'.repeat(121) })).status).toBe(400);
    expect((await submit(fan, { tags: ['a', 'b', 'c', 'd', 'e', 'f'] })).status).toBe(400);
    expect((await submit(fan, { body: 42 })).status).toBe(400);
    expect((await app.http.post('/api/proposals').send({ ip: IP, title: 't', body: 'b' })).status).toBe(401);
    const huge = await app.http.post('/api/proposals').set('Authorization', fan.bearer).set('Content-Type', 'application/json').send(JSON.stringify({ ip: IP, title: 't', body: 'x'.repeat(200_000) }));
    expect(huge.status).toBe(413);
  });

  it('a repeated idempotencyKey returns the first proposal, not a second one, even at the same instant', async () => {
    const key = `key-${Date.now()}`;
    const [a, b] = await Promise.all([submit(fan, { title: 'Once', idempotencyKey: key }), submit(fan, { title: 'Once', idempotencyKey: key })]);
    expect(a.body.proposal.id).toBe(b.body.proposal.id);
    const c = await submit(fan, { title: 'Once again', idempotencyKey: key });
    expect(c.status).toBe(200);
    expect(c.body.proposal.id).toBe(a.body.proposal.id);
    const { rows } = await app.deps.db.pool.query('select count(*)::int as n from proposals where idempotency_key = $1', [key]);
    expect(rows[0].n).toBe(1);
  });

  it('blocked terms reject, hold terms hold, and a near-duplicate is held and linked to its original', async () => {
    const admin = await createAccount(app, 'admin');
    await app.http.put('/api/moderation/terms').set('Authorization', admin.bearer).send({ terms: [{ term: '盗版', action: 'block' }, { term: 'leak', action: 'hold' }] }).expect(200);
    await new Promise((r) => setTimeout(r, 1_100)); // rules are cached for a second
    const blocked = await decided((await submit(fan, { title: '盜版下载', body: '<p>free download</p>' })).body.proposal.id, fan);
    expect(blocked).toMatchObject({ status: 'rejected' });
    expect(blocked.reasons).toContain('term:block:盗版');
    const held = await decided((await submit(fan, { title: 'Script leak', body: '<p>I have the script</p>' })).body.proposal.id, fan);
    expect(held.status).toBe('held');

    const text = '<p>In the finale the lotus pond freezes and Wen walks across the ice to reach the old temple where her mother hid the map.</p>';
    const author = await createAccount(app); // a fresh author: the fan above has posted enough to look like flooding
    const original = await decided((await submit(author, { title: 'The frozen pond', body: text })).body.proposal.id, author);
    expect(original.status).toBe('approved');
    const other = await createAccount(app);
    const copy = await decided((await submit(other, { title: 'Frozen pond!', body: text.replace('old temple', 'old shrine') })).body.proposal.id, other);
    expect(copy.status).toBe('held');
    expect(copy.duplicateOf).toBe(original.id);
    await app.http.put('/api/moderation/terms').set('Authorization', admin.bearer).send({ terms: [] }).expect(200);
  });

  it('fans see approved proposals and their own in any state; staff see all', async () => {
    const mine = await submit(fan, { title: 'FREE FOLLOWERS CLICK NOW CLICK NOW BUY', body: '<p>AAAAAAAAAAAAAAAAAAAAAAAAA</p>' });
    const held = await decided(mine.body.proposal.id, fan);
    expect(held.status).toBe('held');
    const stranger = await createAccount(app);
    expect((await app.http.get(`/api/proposals/${held.id}`).set('Authorization', stranger.bearer)).status).toBe(404);
    expect((await app.http.get(`/api/proposals/${held.id}`)).status).toBe(404);
    expect((await app.http.get(`/api/proposals/${held.id}`).set('Authorization', writer.bearer)).status).toBe(200);
    const list = await app.http.get(`/api/proposals?ip=${encodeURIComponent(IP)}&sort=new`).set('Authorization', stranger.bearer);
    expect(list.body.items.every((p: any) => p.status !== 'held' && p.status !== 'pending' && p.status !== 'rejected')).toBe(true);
    const own = await app.http.get('/api/proposals?mine=1&sort=new').set('Authorization', fan.bearer);
    expect(own.body.items.map((p: any) => p.id)).toContain(held.id);
    expect(own.body.items.find((p: any) => p.id === held.id).reasons.length).toBeGreaterThan(0);
  });
});
