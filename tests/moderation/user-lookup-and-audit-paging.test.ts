import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createAccount, type Account } from '../support/accounts.js';

let app: TestApp;
let mod: Account;

beforeAll(async () => {
  app = await startTestApp();
  mod = await createAccount(app, 'moderator');
});
afterAll(() => app?.stop());

const lookup = (q: string) => app.http.get(`/api/moderation/users?q=${encodeURIComponent(q)}`).set('Authorization', mod.bearer);

describe('staff look accounts up to open their user card', () => {
  it('finds handles by their start, any case, with or without @, shortest first; an id finds exactly that account', async () => {
    const tag = randomUUID().slice(0, 6);
    const ann = await createAccount(app, 'fan', `ann_${tag}`);
    const anna = await createAccount(app, 'fan', `ann_${tag}_b`);
    await createAccount(app, 'fan', `bob_${tag}`);
    const res = await lookup(`@ANN_${tag}`);
    expect(res.status).toBe(200);
    expect(res.body.users.map((u: any) => u.id)).toEqual([ann.user.id, anna.user.id]);
    expect(res.body.users[0]).toEqual(ann.user);
    expect((await lookup(anna.user.id)).body.users).toEqual([anna.user]);
    // The card opens from what the lookup returned.
    expect((await app.http.get(`/api/moderation/users/${res.body.users[0].id}`).set('Authorization', mod.bearer)).body.user.handle).toBe(`ann_${tag}`);
  });

  it('treats _ in a handle as itself, not as a wildcard', async () => {
    const tag = randomUUID().slice(0, 6);
    const under = await createAccount(app, 'fan', `x_${tag}`);
    await createAccount(app, 'fan', `xy${tag}`);
    expect((await lookup(`x_${tag}`)).body.users.map((u: any) => u.id)).toEqual([under.user.id]);
  });

  it('refuses what is neither an id nor the start of a handle', async () => {
    for (const q of ['', '%', 'a b', 'x'.repeat(33)]) {
      const res = await lookup(q);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await lookup(randomUUID())).body.users).toEqual([]);
  });
});

describe('audit log paging', () => {
  it('pages through entries that share a timestamp without skipping or repeating any, newest first, ties by id', async () => {
    const target = `paging-${randomUUID()}`;
    // Five at one instant, two a tenth of a millisecond later, one later still: same millisecond for a JS Date.
    const stamps = ['2030-01-01T00:00:00.000000Z', '2030-01-01T00:00:00.000000Z', '2030-01-01T00:00:00.000000Z', '2030-01-01T00:00:00.000000Z', '2030-01-01T00:00:00.000000Z',
      '2030-01-01T00:00:00.000100Z', '2030-01-01T00:00:00.000100Z', '2030-01-01T00:00:00.000200Z'];
    const rows = stamps.map((at) => ({ id: randomUUID(), at }));
    for (const r of rows) {
      await app.deps.db.pool.query(`insert into audit_log (id, actor_id, action, target_type, target_id, reason, at) values ($1, $2, 'hide', 'danmaku', $3, 'paging', $4)`, [r.id, mod.user.id, target, r.at]);
    }
    const expected = [...rows].sort((x, y) => (x.at === y.at ? (x.id < y.id ? 1 : -1) : x.at < y.at ? 1 : -1)).map((r) => r.id);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: any = await app.http.get(`/api/moderation/audit?targetId=${target}&limit=3${cursor ? `&cursor=${cursor}` : ''}`).set('Authorization', mod.bearer);
      expect(res.status).toBe(200);
      seen.push(...res.body.entries.map((e: any) => e.id));
      cursor = res.body.next;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(expected);
  });

  it('a tampered cursor is VALIDATION_FAILED', async () => {
    const res = await app.http.get(`/api/moderation/audit?cursor=${Buffer.from('yesterday me').toString('base64url')}`).set('Authorization', mod.bearer);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });
});
