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
let admin: Account;
let room: Room;
const sockets: ClientSocket[] = [];
const track = (s: ClientSocket) => (sockets.push(s), s);

beforeAll(async () => {
  app = await startTestApp({ env: { DANMAKU_USER_INTERVAL_MS: '0' } });
  workers = await startTestWorkers(app);
  mod = await createAccount(app, 'moderator');
  admin = await createAccount(app, 'admin');
  room = await createRoom(app, mod);
  await app.http.put(`/api/rooms/${room.id}/settings`).set('Authorization', mod.bearer).send({ blockedTerms: [{ term: 'hold me', action: 'hold' }] }).expect(200);
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await workers?.close();
  await app?.stop();
});

describe('the review queue', () => {
  it('lists held danmaku, held proposals and reported users oldest first, and staff see it grow live', async () => {
    const staffSocket = track(await connectSocket(app.url, { token: mod.token }));
    const fanAccount = await createAccount(app);
    const fanSocket = track(await connectSocket(app.url, { token: fanAccount.token }));
    let fanSawStaffEvent = false;
    fanSocket.on('moderation:queue', () => (fanSawStaffEvent = true));

    const live = nextEvent(staffSocket, 'moderation:queue', (e: any) => e.kind === 'held' && e.targetType === 'danmaku');
    const held = await emitAck(fanSocket, 'danmaku:send', { roomId: room.id, text: 'please hold me now' });
    expect(held.danmaku.held).toBe(true);
    expect((await live).targetId).toBe(held.danmaku.id);
    // After a reload the author still sees it as awaiting review.
    await eventually(async () => {
      const rejoin = await emitAck(fanSocket, 'room:join', { roomId: room.id });
      return rejoin.danmaku.held.some((d: any) => d.id === held.danmaku.id && d.held);
    });

    const proposal = await app.http.post('/api/proposals').set('Authorization', fanAccount.bearer).send({ ip: 'Queue IP', title: 'hold me please', body: '<p>words</p>', roomId: room.id });
    const reported = await createAccount(app);
    await app.http.post('/api/reports').set('Authorization', fanAccount.bearer).send({ targetType: 'user', targetId: reported.user.id, reason: 'impersonation' }).expect(201);

    const items = await eventually(async () => {
      const q = (await app.http.get('/api/moderation/queue').set('Authorization', mod.bearer)).body.items;
      return q.length >= 3 && q;
    });
    expect(items.map((i: any) => i.targetId)).toEqual(expect.arrayContaining([held.danmaku.id, proposal.body.proposal.id, reported.user.id]));
    const times = items.map((i: any) => Date.parse(i.since));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(items.find((i: any) => i.targetId === held.danmaku.id)).toMatchObject({ kind: 'held', reasons: ['term:hold:hold me'], preview: 'please hold me now' });
    expect(items.find((i: any) => i.targetId === reported.user.id)).toMatchObject({ kind: 'reported', reports: 1, reasons: ['report:impersonation'] });
    const onlyDanmaku = (await app.http.get(`/api/moderation/queue?type=danmaku&roomId=${room.id}`).set('Authorization', mod.bearer)).body.items;
    expect(onlyDanmaku.every((i: any) => i.targetType === 'danmaku')).toBe(true);
    expect(fanSawStaffEvent).toBe(false);
    // Acting on the reported account takes it out of the queue.
    await app.http.post('/api/moderation/actions').set('Authorization', mod.bearer).send({ targetType: 'user', targetId: reported.user.id, action: 'mute', reason: 'impersonation', durationMs: 60_000 }).expect(201);
    const after = (await app.http.get('/api/moderation/queue?type=user').set('Authorization', mod.bearer)).body.items;
    expect(after.map((i: any) => i.targetId)).not.toContain(reported.user.id);
    expect((await app.http.get('/api/moderation/queue').set('Authorization', fanAccount.bearer)).status).toBe(403);
  });

  it('bulk approve shows held comments; bulk remove hides them; the automatic hold and each staff action are audited once', async () => {
    const fan = await createAccount(app);
    const s = track(await connectSocket(app.url, { token: fan.token }));
    const a = await emitAck(s, 'danmaku:send', { roomId: room.id, text: 'hold me A' });
    const b = await emitAck(s, 'danmaku:send', { roomId: room.id, text: 'hold me B' });
    await eventually(async () => (await app.deps.db.pool.query(`select count(*)::int n from danmaku where id = any($1) and state = 'held'`, [[a.danmaku.id, b.danmaku.id]])).rows[0].n === 2);
    const viewer = track(await connectSocket(app.url));
    await emitAck(viewer, 'room:join', { roomId: room.id });
    const shown = nextEvent(viewer, 'danmaku:batch', (batch: any) => batch.items.some((d: any) => d.id === a.danmaku.id));
    const approve = await app.http.post('/api/moderation/queue/bulk').set('Authorization', mod.bearer).send({ items: [{ targetType: 'danmaku', targetId: a.danmaku.id }], action: 'approve', reason: 'fine' });
    expect(approve.body.results).toEqual([{ targetType: 'danmaku', targetId: a.danmaku.id, ok: true }]);
    expect((await shown).items.find((d: any) => d.id === a.danmaku.id).held).toBeUndefined();
    await app.http.post('/api/moderation/queue/bulk').set('Authorization', mod.bearer).send({ items: [{ targetType: 'danmaku', targetId: b.danmaku.id }], action: 'remove', reason: 'spam' }).expect(200);
    const replay = (await app.http.get(`/api/rooms/${room.id}/danmaku`)).body.items.map((d: any) => d.id);
    expect(replay).toContain(a.danmaku.id);
    expect(replay).not.toContain(b.danmaku.id);
    for (const [id, staffAction] of [[a.danmaku.id, 'approve'], [b.danmaku.id, 'hide']]) {
      const entries = (await app.http.get(`/api/moderation/audit?targetId=${id}`).set('Authorization', mod.bearer)).body.entries;
      expect(entries.map((e: any) => [e.action, e.actorId])).toEqual([[staffAction, mod.user.id], ['hold', null]]);
      expect(entries[1]).toMatchObject({ reason: 'held for review: term:hold:hold me', details: { automatic: true, reasons: ['term:hold:hold me'] } });
    }
  });

  it('a user card shows age, actions, reports and recent activity', async () => {
    const fan = await createAccount(app);
    const s = track(await connectSocket(app.url, { token: fan.token }));
    await emitAck(s, 'danmaku:send', { roomId: room.id, text: 'card activity' });
    await app.http.post('/api/moderation/actions').set('Authorization', mod.bearer).send({ targetType: 'user', targetId: fan.user.id, action: 'mute', reason: 'cool down', durationMs: 60_000 }).expect(201);
    const card = await eventually(async () => {
      const c = (await app.http.get(`/api/moderation/users/${fan.user.id}`).set('Authorization', mod.bearer)).body;
      return c.recentDanmaku?.length === 1 && c;
    });
    expect(card.user.id).toBe(fan.user.id);
    expect(card.accountAgeMs).toBeGreaterThanOrEqual(0);
    expect(card.standing.muted).toBe(true);
    expect(card.actions[0]).toMatchObject({ action: 'mute', reason: 'cool down' });
    expect(card.sanctions).toHaveLength(1);
  });
});

describe('appeals and the audit log', () => {
  it('one appeal per action, by its subject only; a reversal lifts the ban and the user hears the answer', async () => {
    const fan = await createAccount(app);
    const ban = await app.http.post('/api/moderation/actions').set('Authorization', mod.bearer).send({ targetType: 'user', targetId: fan.user.id, action: 'ban', reason: 'spam' });
    const actionId = ban.body.action.id;
    const s = track(await connectSocket(app.url, { token: fan.token }));
    expect((await emitAck(s, 'danmaku:send', { roomId: room.id, text: 'let me speak' })).error.code).toBe('BANNED');
    const stranger = await createAccount(app);
    expect((await app.http.post('/api/appeals').set('Authorization', stranger.bearer).send({ actionId, text: 'not mine' })).status).toBe(404);
    const appeal = await app.http.post('/api/appeals').set('Authorization', fan.bearer).send({ actionId, text: 'I was quoting the villain' });
    expect(appeal.status).toBe(201);
    expect((await app.http.post('/api/appeals').set('Authorization', fan.bearer).send({ actionId, text: 'again' })).status).toBe(409);
    const open = (await app.http.get('/api/moderation/appeals').set('Authorization', mod.bearer)).body.appeals;
    expect(open.map((a: any) => a.id)).toContain(appeal.body.appeal.id);
    const answered = nextEvent(s, 'appeal:update');
    const decided = await app.http.post(`/api/moderation/appeals/${appeal.body.appeal.id}/decision`).set('Authorization', mod.bearer).send({ decision: 'reverse', reply: 'You are right, sorry.' });
    expect(decided.body.appeal).toMatchObject({ status: 'reversed', reply: 'You are right, sorry.' });
    expect((await answered).appeal.status).toBe('reversed');
    expect((await emitAck(s, 'danmaku:send', { roomId: room.id, text: 'free again' })).ok).toBe(true);
    expect((await app.http.get('/api/appeals/mine').set('Authorization', fan.bearer)).body.appeals[0]).toMatchObject({ status: 'reversed', reply: 'You are right, sorry.' });
    const audit = (await app.http.get(`/api/moderation/audit?targetId=${fan.user.id}`).set('Authorization', mod.bearer)).body.entries;
    expect(audit.map((e: any) => e.action)).toEqual(['unban', 'ban']);
  });

  it('the audit log cannot be altered: no API route edits it and the database refuses', async () => {
    const entry = (await app.http.get('/api/moderation/audit?limit=1').set('Authorization', admin.bearer)).body.entries[0];
    expect(entry).toBeDefined();
    for (const method of ['put', 'patch', 'delete'] as const) {
      expect((await app.http[method](`/api/moderation/audit/${entry.id}`).set('Authorization', admin.bearer).send({ reason: 'x' })).status).toBe(404);
      expect((await app.http[method]('/api/moderation/audit').set('Authorization', admin.bearer).send({})).status).toBe(404);
    }
    await expect(app.deps.db.pool.query(`update audit_log set reason = 'rewritten' where id = $1`, [entry.id])).rejects.toThrow(/append-only/);
    await expect(app.deps.db.pool.query(`delete from audit_log where id = $1`, [entry.id])).rejects.toThrow(/append-only/);
  });

  it('Bull Board is for admins only', async () => {
    expect((await app.http.get('/admin/queues')).status).toBe(401);
    expect((await app.http.get('/admin/queues').set('Authorization', mod.bearer)).status).toBe(403);
    const ok = await app.http.get('/admin/queues').set('Authorization', admin.bearer);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('Lotus queues');
    const api = await app.http.get('/admin/queues/api/queues').set('Authorization', admin.bearer);
    expect(api.status).toBe(200);
    expect(api.body.queues.map((q: any) => q.name).sort()).toEqual(['polls', 'proposal-moderation', 'proposal-scoring']);
  });
});
