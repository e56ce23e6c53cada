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
let mod: Account;
const sockets: ClientSocket[] = [];
async function fan() {
  const account = await createAccount(app);
  const socket = await connectSocket(app.url, { token: account.token });
  sockets.push(socket);
  return { account, socket };
}
const replayOf = async (roomId: string, query = '') => (await app.http.get(`/api/rooms/${roomId}/danmaku${query}`)).body;

beforeAll(async () => {
  app = await startTestApp({ env: { DANMAKU_USER_INTERVAL_MS: '0', DANMAKU_REPORTS_TO_HIDE: '2' } });
  workers = await startTestWorkers(app);
  mod = await createAccount(app, 'moderator');
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await workers?.close();
  await app?.stop();
});

describe('replay', () => {
  let replay: Room;
  beforeAll(async () => {
    replay = await createRoom(app, mod, { startsAt: new Date(Date.now() - 86_400_000), durationMs: 120_000 });
    const { socket } = await fan();
    for (const offsetMs of [90_000, 1_000, 60_000, 1_000, 30_000, 119_999]) {
      const ack = await emitAck(socket, 'danmaku:send', { roomId: replay.id, text: `at ${offsetMs}`, offsetMs });
      expect(ack.ok).toBe(true);
    }
    await eventually(async () => (await replayOf(replay.id)).items.length === 6);
  });

  it('returns a window ordered by offset; windows of an ended premiere may be cached briefly, of a live one not', async () => {
    const res = await app.http.get(`/api/rooms/${replay.id}/danmaku?fromMs=0&toMs=61000`);
    expect(res.headers['cache-control']).toBe('public, max-age=10');
    const live = await createRoom(app, mod);
    expect((await app.http.get(`/api/rooms/${live.id}/danmaku`)).headers['cache-control']).toBe('no-cache');
    const page = res.body;
    expect(page.items.map((d: any) => d.offsetMs)).toEqual([1_000, 1_000, 30_000, 60_000]);
    expect(page.nextCursor).toBeNull();
  });

  it('pages with a cursor without gaps or repeats', async () => {
    const seen: number[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: any = await replayOf(replay.id, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((d: any) => d.offsetMs));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual([1_000, 1_000, 30_000, 60_000, 90_000, 119_999]);
  });

  it('rejects bad queries with VALIDATION_FAILED and unknown rooms with NOT_FOUND', async () => {
    expect((await app.http.get(`/api/rooms/${replay.id}/danmaku?limit=0`)).body.error.code).toBe('VALIDATION_FAILED');
    expect((await app.http.get(`/api/rooms/${replay.id}/danmaku?fromMs=abc`)).body.error.code).toBe('VALIDATION_FAILED');
    expect((await app.http.get(`/api/rooms/${replay.id}/danmaku?cursor=garbage`)).body.error.code).toBe('VALIDATION_FAILED');
    expect((await app.http.get(`/api/rooms/${replay.id}/danmaku?evil=1`)).body.error.code).toBe('VALIDATION_FAILED');
    expect((await app.http.get('/api/rooms/00000000-0000-4000-8000-000000000000/danmaku')).status).toBe(404);
  });

  it('density counts comments per bucket over the whole video', async () => {
    const res = await app.http.get(`/api/rooms/${replay.id}/density?bucketMs=30000`);
    expect(res.body).toEqual({ bucketMs: 30_000, counts: [2, 1, 1, 2] });
    expect((await app.http.get(`/api/rooms/${replay.id}/density?bucketMs=5`)).status).toBe(400);
  });
});

describe('moderation reaches viewers and the replay', () => {
  it('a moderator hide is retracted from every viewer and removed from the replay, and audited', async () => {
    const live = await createRoom(app, mod);
    const { socket } = await fan();
    const viewer = await connectSocket(app.url);
    sockets.push(viewer);
    await emitAck(viewer, 'room:join', { roomId: live.id });
    const sent = await emitAck(socket, 'danmaku:send', { roomId: live.id, text: 'rude words' });
    const retracted = nextEvent(viewer, 'danmaku:retract');
    const res = await app.http
      .post('/api/moderation/actions')
      .set('Authorization', mod.bearer)
      .send({ targetType: 'danmaku', targetId: sent.danmaku.id, action: 'hide', reason: 'abuse' });
    expect(res.status).toBe(201);
    expect(await retracted).toEqual({ roomId: live.id, ids: [sent.danmaku.id] });
    // Whether or not the workers had written it yet, the replay never shows it.
    await eventually(async () => (await app.deps.db.pool.query('select state from danmaku where id = $1', [sent.danmaku.id])).rows[0]?.state === 'hidden');
    expect((await replayOf(live.id)).items.map((d: any) => d.id)).not.toContain(sent.danmaku.id);
    const audit = await app.http.get(`/api/moderation/audit?targetId=${sent.danmaku.id}`).set('Authorization', mod.bearer);
    expect(audit.body.entries).toHaveLength(1);
    expect(audit.body.entries[0]).toMatchObject({ actorId: mod.user.id, action: 'hide', reason: 'abuse' });
  });

  it('fans cannot take moderation actions', async () => {
    const { account } = await fan();
    const res = await app.http
      .post('/api/moderation/actions')
      .set('Authorization', account.bearer)
      .send({ targetType: 'user', targetId: account.user.id, action: 'ban', reason: 'self' });
    expect(res.status).toBe(403);
  });

  it('enough distinct reporters hide a comment until reviewed; one reporter twice counts once', async () => {
    const live = await createRoom(app, mod);
    const { socket } = await fan();
    const viewer = await connectSocket(app.url);
    sockets.push(viewer);
    await emitAck(viewer, 'room:join', { roomId: live.id });
    const sent = await emitAck(socket, 'danmaku:send', { roomId: live.id, text: 'spoiler: everyone dies' });
    const r1 = await fan();
    expect(await emitAck(r1.socket, 'danmaku:report', { id: sent.danmaku.id, reason: 'spoiler' })).toEqual({ ok: true, id: sent.danmaku.id, hidden: false });
    expect((await emitAck(r1.socket, 'danmaku:report', { id: sent.danmaku.id, reason: 'spoiler' })).hidden).toBe(false);
    const retracted = nextEvent(viewer, 'danmaku:retract');
    const r2 = await fan();
    expect((await emitAck(r2.socket, 'danmaku:report', { id: sent.danmaku.id, reason: 'abuse' })).hidden).toBe(true);
    expect((await retracted).ids).toEqual([sent.danmaku.id]);
    const audit = await app.http.get(`/api/moderation/audit?targetId=${sent.danmaku.id}`).set('Authorization', mod.bearer);
    expect(audit.body.entries[0]).toMatchObject({ actorId: null, action: 'hide' });
    expect((await emitAck(r2.socket, 'danmaku:report', { id: sent.danmaku.id, reason: 'nonsense' })).error.code).toBe('VALIDATION_FAILED');
  });

  it('likes count once per account', async () => {
    const live = await createRoom(app, mod);
    const { socket } = await fan();
    const sent = await emitAck(socket, 'danmaku:send', { roomId: live.id, text: 'great scene' });
    const a = await fan();
    const b = await fan();
    expect(await emitAck(a.socket, 'danmaku:like', { id: sent.danmaku.id })).toEqual({ ok: true, id: sent.danmaku.id, likes: 1 });
    expect((await emitAck(a.socket, 'danmaku:like', { id: sent.danmaku.id })).likes).toBe(1);
    expect((await emitAck(b.socket, 'danmaku:like', { id: sent.danmaku.id })).likes).toBe(2);
    expect((await emitAck(b.socket, 'danmaku:like', { id: '00000000-0000-4000-8000-000000000000' })).error.code).toBe('NOT_FOUND');
  });

  it('a mute stops the next message (MUTED); a ban (BANNED); unmute lets the user speak again', async () => {
    const live = await createRoom(app, mod);
    const { account, socket } = await fan();
    const act = (action: string, extra: object = {}) =>
      app.http.post('/api/moderation/actions').set('Authorization', mod.bearer).send({ targetType: 'user', targetId: account.user.id, action, reason: 'test', ...extra });
    expect((await act('mute', { durationMs: 600_000, roomId: live.id })).status).toBe(201);
    expect((await emitAck(socket, 'danmaku:send', { roomId: live.id, text: 'can I talk?' })).error.code).toBe('MUTED');
    expect((await act('unmute', { roomId: live.id })).status).toBe(201);
    expect((await emitAck(socket, 'danmaku:send', { roomId: live.id, text: 'I can talk' })).ok).toBe(true);
    expect((await act('ban')).status).toBe(201);
    expect((await emitAck(socket, 'danmaku:send', { roomId: live.id, text: 'banned?' })).error.code).toBe('BANNED');
  });

  it('a shadow mute shows the comment to its author only', async () => {
    const live = await createRoom(app, mod);
    const { account, socket } = await fan();
    await app.http.post('/api/moderation/actions').set('Authorization', mod.bearer).send({ targetType: 'user', targetId: account.user.id, action: 'shadow_mute', reason: 'spam' }).expect(201);
    const viewer = await connectSocket(app.url);
    sockets.push(viewer);
    await emitAck(viewer, 'room:join', { roomId: live.id });
    const seen: string[] = [];
    viewer.on('danmaku:batch', (b: any) => seen.push(...b.items.map((d: any) => d.text)));
    const ack = await emitAck(socket, 'danmaku:send', { roomId: live.id, text: 'buy my stuff' });
    expect(ack.ok).toBe(true);
    expect(ack.danmaku.text).toBe('buy my stuff');
    const other = await fan();
    const marker = nextEvent(viewer, 'danmaku:batch', (b: any) => b.items.some((d: any) => d.text === 'visible marker'));
    await emitAck(other.socket, 'danmaku:send', { roomId: live.id, text: 'visible marker' });
    await marker;
    expect(seen).not.toContain('buy my stuff');
  });
});
