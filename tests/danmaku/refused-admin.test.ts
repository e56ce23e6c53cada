import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createAccount, type Account } from '../support/accounts.js';
import { connectSocket, emitAck, type ClientSocket } from '../support/sockets.js';
import { createRoom } from '../support/rooms.js';
import { eventually, startTestWorkers } from '../support/workers.js';
import { startPrivateRedis, type PrivateRedis } from '../../server/redis/private-redis-server.js';
import type { WorkerRuntime } from '../../workers/runtime.js';
import type { Danmaku, RefusedDanmaku } from '../../contracts/danmaku.js';
import type { Room } from '../../contracts/rooms.js';

/**
 * The admins' tool for danmaku the persister set aside in the refused stream: entries
 * set aside for real (appended to the persist stream as a writer of an older version
 * could have, then refused by Postgres or found unreadable by the persister), listed,
 * retried (their text fixed first or not), and discarded, each once, audited.
 */

const LIST = '/api/admin/danmaku/refused';

let app: TestApp;
let workers: WorkerRuntime;
let admin: Account;
let moderator: Account;
let fan: Account;
let room: Room;
let socket: ClientSocket;
/** Poisoned danmaku by role in this file, and the refused-stream id each was set aside under. */
const poison: Record<string, Danmaku> = {};
const refusedId: Record<string, string> = {};

const persistKey = () => app.deps.key('dm', 'persist');
const refusedKey = () => app.deps.key('dm', 'persist', 'refused');
const asAdmin = (req: ReturnType<TestApp['http']['get']>) => req.set('Authorization', admin.bearer);
const retry = (id: string, body?: object) => {
  const req = asAdmin(app.http.post(`${LIST}/${id}/retry`));
  return body ? req.send(body) : req;
};
const refusedIds = async () => (await app.deps.redis.xRange(refusedKey(), '-', '+')).map((e) => e.id);
const refusedGauge = async () => Number(/^lotus_danmaku_persist_refused (\S+)$/m.exec(await (await fetch(`${app.url}/metrics`)).text())?.[1]);
const auditOf = async (action: string, refused: string) => {
  const { body } = await asAdmin(app.http.get(`/api/moderation/audit?action=${action}`));
  return (body.entries as Array<{ details: Record<string, unknown> }>).filter((e) => e.details.refusedId === refused);
};

beforeAll(async () => {
  app = await startTestApp({ env: { DANMAKU_USER_INTERVAL_MS: '0' } });
  [admin, moderator, fan] = [await createAccount(app, 'admin'), await createAccount(app, 'moderator'), await createAccount(app)];
  room = await createRoom(app, moderator);
  socket = await connectSocket(app.url, { token: fan.token });
  await emitAck(socket, 'room:join', { roomId: room.id });
  const sent = await emitAck(socket, 'danmaku:send', { roomId: room.id, text: 'a real one' });
  expect(sent.ok, JSON.stringify(sent)).toBe(true);
  const shape = sent.danmaku as Danmaku;

  // With no worker running yet: danmaku with a NUL in the text (the edge refuses them now;
  // an older writer could have appended them), and entries that hold no danmaku.
  const entryOf: Record<string, string> = {};
  for (const role of ['fixed', 'unfixed', 'discarded', 'raced', 'kept']) {
    poison[role] = { ...shape, id: randomUUID(), text: `${role} \u0000 text` };
    entryOf[role] = await app.deps.redis.xAdd(persistKey(), '*', { d: JSON.stringify(poison[role]), state: 'visible', reasons: '[]' });
  }
  entryOf.notJson = await app.deps.redis.xAdd(persistKey(), '*', { d: '{not json' });
  entryOf.long = await app.deps.redis.xAdd(persistKey(), '*', { d: `[${'1,'.repeat(3_000)}1]` });

  workers = await startTestWorkers(app);
  const refused = await eventually(async () => {
    const list = await app.deps.redis.xRange(refusedKey(), '-', '+');
    return list.length === Object.keys(entryOf).length && list;
  });
  for (const [role, entry] of Object.entries(entryOf)) refusedId[role] = refused.find((r) => r.message.entry === entry)!.id;
});

afterAll(async () => {
  socket?.close();
  await workers?.close();
  await app?.stop();
});

describe('listing set-aside danmaku', () => {
  it('shows admins every entry, oldest first, with its reason, SQLSTATE, time, danmaku and raw field', async () => {
    const res = await asAdmin(app.http.get(LIST));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const items = res.body.items as RefusedDanmaku[];
    expect(items.map((i) => i.id)).toEqual(await refusedIds());
    expect(res.body.nextCursor).toBeNull();

    const fixed = items.find((i) => i.id === refusedId.fixed)!;
    expect(fixed).toEqual({
      id: refusedId.fixed,
      entry: expect.stringMatching(/^\d+-\d+$/),
      reason: 'postgres',
      sqlstate: expect.stringMatching(/^22/),
      refusedAt: new Date(Number(refusedId.fixed.split('-')[0])).toISOString(),
      danmaku: poison.fixed,
      raw: JSON.stringify(poison.fixed),
    });
    expect(items.find((i) => i.id === refusedId.notJson)).toMatchObject({ reason: 'unreadable', sqlstate: null, danmaku: null, raw: '{not json' });
    const long = items.find((i) => i.id === refusedId.long)!;
    expect(long).toMatchObject({ reason: 'unreadable', danmaku: null });
    expect(long.raw).toHaveLength(2_000);
  });

  it('pages with nextCursor, each entry once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await asAdmin(app.http.get(`${LIST}?limit=3${cursor ? `&cursor=${cursor}` : ''}`));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.items.map((i: RefusedDanmaku) => i.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(await refusedIds());
    for (const q of ['limit=0', 'limit=201', 'cursor=nope', 'cursor=18446744073709551615-18446744073709551615', 'other=1']) {
      const res = await asAdmin(app.http.get(`${LIST}?${q}`));
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('is for admins only: guests are UNAUTHENTICATED, fans, moderators and writers FORBIDDEN, and nothing changes', async () => {
    const writer = await createAccount(app, 'writer');
    const id = refusedId.kept;
    const calls = [
      (h?: string) => (h ? app.http.get(LIST).set('Authorization', h) : app.http.get(LIST)),
      (h?: string) => (h ? app.http.post(`${LIST}/${id}/retry`).set('Authorization', h) : app.http.post(`${LIST}/${id}/retry`)).send({ text: 'sneaky' }),
      (h?: string) => (h ? app.http.delete(`${LIST}/${id}`).set('Authorization', h) : app.http.delete(`${LIST}/${id}`)),
    ];
    for (const call of calls) {
      const guest = await call();
      expect(guest.status).toBe(401);
      expect(guest.body.error.code).toBe('UNAUTHENTICATED');
      for (const who of [fan, moderator, writer]) {
        const res = await call(who.bearer);
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('FORBIDDEN');
      }
    }
    expect(await refusedIds()).toContain(id);
  });
});

describe('retrying a set-aside danmaku', () => {
  it('with its text fixed: stored under its own id, in the replay, out of the refused stream and the gauge, audited without the text', async () => {
    const before = await refusedGauge();
    // The id lookup likes, reports and hides read, as the send wrote it: it gets the fixed text too.
    const metaKey = app.deps.key('dm', 'meta', poison.fixed.id);
    await app.deps.redis.set(metaKey, JSON.stringify(poison.fixed), { expiration: { type: 'EX', value: 3_600 } });
    const res = await retry(refusedId.fixed, { text: '  ｆｉｘｅｄ text  ' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.retried).toEqual({ id: poison.fixed.id, entry: expect.stringMatching(/^\d+-\d+$/) });
    expect(await refusedIds()).not.toContain(refusedId.fixed);
    expect(JSON.parse((await app.deps.redis.get(metaKey))!)).toEqual({ ...poison.fixed, text: 'fixed text' });
    expect(await app.deps.redis.ttl(metaKey)).toBeGreaterThan(3_000);

    // The send's rules apply: NFKC folds the full-width letters, the spaces are trimmed.
    const replayed = await eventually(async () => {
      const replay = await app.http.get(`/api/rooms/${room.id}/danmaku?fromMs=0`);
      return replay.body.items.find((d: Danmaku) => d.id === poison.fixed.id);
    });
    expect(replayed).toMatchObject({ ...poison.fixed, text: 'fixed text' });
    expect(await refusedGauge()).toBe(before - 1);

    const [row, ...more] = await auditOf('persist_retry', refusedId.fixed);
    expect(more).toEqual([]);
    expect(row).toMatchObject({ actorId: admin.user.id, targetType: 'danmaku', targetId: poison.fixed.id, roomId: room.id, reason: 'set-aside danmaku retried with its text fixed' });
    expect(row.details).toEqual({ refusedId: refusedId.fixed, entry: expect.stringMatching(/^\d+-\d+$/), reason: 'postgres', sqlstate: expect.stringMatching(/^22/), edited: true });
    expect(JSON.stringify(row)).not.toMatch(/fixed text|\\u0000/);
  });

  it('as it was: Postgres refuses it again and the persister sets it aside again, under a new id', async () => {
    const res = await retry(refusedId.unfixed);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const again = await eventually(async () => (await app.deps.redis.xRange(refusedKey(), '-', '+')).find((e) => e.message.entry === res.body.retried.entry));
    expect(again.message).toMatchObject({ d: JSON.stringify(poison.unfixed), state: 'visible', reasons: '[]', reason: 'postgres', sqlstate: expect.stringMatching(/^22/) });
    expect(await refusedIds()).not.toContain(refusedId.unfixed);
    const [row] = await auditOf('persist_retry', refusedId.unfixed);
    expect(row.details).toMatchObject({ reason: 'postgres', edited: false });
    refusedId.unfixed = again.id;
  });

  it('refuses a text the send refuses (a NUL, 10 KB, empty), an unknown or malformed id, and an entry with no danmaku in it, changing nothing', async () => {
    const before = await refusedIds();
    for (const text of ['still \u0000 bad', 'x'.repeat(10_240), '   ', 42]) {
      const res = await retry(refusedId.kept, { text });
      expect(res.status, JSON.stringify(text).slice(0, 40)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details[0].path).toBe('text');
    }
    const extra = await retry(refusedId.kept, { text: 'fine', roomId: room.id });
    expect(extra.body.error.code).toBe('VALIDATION_FAILED');

    for (const id of ['1-0', `${Date.now() + 60_000}-0`]) {
      const res = await retry(id, { text: 'fine' });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
      expect((await asAdmin(app.http.delete(`${LIST}/${id}`))).status).toBe(404);
    }
    for (const id of ['nope', '1', '99999999999999999999-0']) expect((await retry(id)).body.error.code).toBe('VALIDATION_FAILED');

    for (const body of [undefined, { text: 'a readable text' }]) {
      const res = await retry(refusedId.notJson, body);
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('discard it'), details: { reason: 'unreadable' } });
    }
    expect(await refusedIds()).toEqual(before);
    expect(await auditOf('persist_retry', refusedId.kept)).toEqual([]);
  });

  it('five times at once: one appends it to the persist stream, the others answer NOT_FOUND, and one audit row', async () => {
    // The persister stays away, so the persist stream shows every append.
    await workers.close();
    try {
      const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => retry(refusedId.raced, { text: `raced fix ${i}` })));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 404, 404, 404, 404]);
      for (const a of answers.filter((x) => x.status === 404)) expect(a.body.error.code).toBe('NOT_FOUND');
      const appended = (await app.deps.redis.xRange(persistKey(), '-', '+')).filter((e) => e.message.d?.includes(poison.raced.id));
      expect(appended).toHaveLength(1);
      expect(JSON.parse(appended[0].message.d)).toEqual({ ...poison.raced, text: expect.stringMatching(/^raced fix \d$/) });
      expect(await auditOf('persist_retry', refusedId.raced)).toHaveLength(1);
    } finally {
      workers = await startTestWorkers(app);
    }
    await eventually(async () => (await app.deps.db.pool.query('select 1 from danmaku where id = $1', [poison.raced.id])).rows.length === 1);
  });
});

describe('discarding a set-aside danmaku', () => {
  it('removes it for good and writes one audit row; a second discard or a retry finds nothing', async () => {
    const [first, second] = await Promise.all([asAdmin(app.http.delete(`${LIST}/${refusedId.discarded}`)), asAdmin(app.http.delete(`${LIST}/${refusedId.discarded}`))]);
    expect([first.status, second.status].sort()).toEqual([204, 404]);
    expect(await refusedIds()).not.toContain(refusedId.discarded);
    expect((await retry(refusedId.discarded)).status).toBe(404);
    const rows = await auditOf('persist_discard', refusedId.discarded);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorId: admin.user.id, targetType: 'danmaku', targetId: poison.discarded.id, reason: 'set-aside danmaku discarded' });
    expect(rows[0].details).toEqual({ refusedId: refusedId.discarded, entry: expect.stringMatching(/^\d+-\d+$/), reason: 'postgres', sqlstate: expect.stringMatching(/^22/) });
    const { rows: stored } = await app.deps.db.pool.query('select 1 from danmaku where id = $1', [poison.discarded.id]);
    expect(stored).toEqual([]);
  });

  it('discards an entry with no danmaku in it, audited under its refused-stream id', async () => {
    const res = await asAdmin(app.http.delete(`${LIST}/${refusedId.notJson}`));
    expect(res.status).toBe(204);
    const [row] = await auditOf('persist_discard', refusedId.notJson);
    expect(row).toMatchObject({ targetType: 'refused_entry', targetId: refusedId.notJson, roomId: null, details: { reason: 'unreadable', sqlstate: null } });
    expect(await refusedGauge()).toBe((await refusedIds()).length);
  });
});

describe('set-aside danmaku while Redis is down', () => {
  let dir: string;
  let redis: PrivateRedis;
  let down: TestApp;
  let root: Account;
  let setAside: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotus-refused-'));
    redis = await startPrivateRedis({ dataDir: dir });
    down = await startTestApp({ redisUrl: redis.url });
    root = await createAccount(down, 'admin');
    // Set aside as the persister does it (its own test is tests/danmaku/persister-refused.test.ts).
    setAside = await down.deps.redis.xAdd(down.deps.key('dm', 'persist', 'refused'), '*', { d: '{not json', entry: '1-0', reason: 'unreadable' });
  });
  afterAll(async () => {
    await down?.stop();
    await redis?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers UNAVAILABLE, as the rest of Lotus does', async () => {
    await redis.stop();
    for (const req of [down.http.get(LIST), down.http.post(`${LIST}/${setAside}/retry`).send({ text: 'fine' }), down.http.delete(`${LIST}/${setAside}`)]) {
      const res = await req.set('Authorization', root.bearer);
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('UNAVAILABLE');
    }
  });
});
